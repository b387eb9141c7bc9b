"""`meltano config test tap-zendesk` against the sandbox: passes, or fails without the secret."""

from __future__ import annotations

import secrets
import socket
from collections.abc import Iterator

import pytest

from tap_zendesk.sandbox import SandboxAccount, SandboxServer
from tests.e2e.meltano_project import ENVIRONMENT, MeltanoProject, MeltanoResult, tap_env
from tests.e2e.report import E2EReport
from tests.tls import untrusted_tls_server

pytestmark = pytest.mark.e2e

INVALID = "Plugin configuration is invalid"
WRONG_TOKEN = f"e2e-wrong-token-{secrets.token_hex(8)}"


@pytest.fixture(scope="module")
def sandbox() -> Iterator[SandboxServer]:
    with SandboxServer(SandboxAccount.generate(tickets=50, seed=71)).start() as server:
        yield server


def config_test(project: MeltanoProject, env: dict[str, str]) -> MeltanoResult:
    # Debug logging puts every line the tap writes into the output checked for secrets.
    return project.run(
        "--log-level=debug",
        f"--environment={ENVIRONMENT}",
        "config",
        "test",
        "tap-zendesk",
        env=env,
    )


@pytest.fixture(scope="module")
def passing(
    meltano_project: MeltanoProject, sandbox: SandboxServer, e2e_report: E2EReport
) -> MeltanoResult:
    result = config_test(meltano_project, tap_env(sandbox))
    e2e_report.timing("meltano config test tap-zendesk (valid)", result.seconds)
    return result


@pytest.fixture(scope="module")
def failing(
    meltano_project: MeltanoProject, sandbox: SandboxServer, e2e_report: E2EReport
) -> MeltanoResult:
    result = config_test(meltano_project, tap_env(sandbox, api_token=WRONG_TOKEN))
    e2e_report.timing("meltano config test tap-zendesk (wrong api_token)", result.seconds)
    return result


def invalid_message(result: MeltanoResult) -> str:
    """The message Meltano shows for an invalid configuration."""
    [message] = [
        str(event["event"])
        for event in result.events()
        if str(event.get("event", "")).startswith(INVALID)
    ]
    return message


def test_passes_against_the_sandbox(passing: MeltanoResult) -> None:
    assert passing.returncode == 0
    assert "Plugin configuration is valid" in passing.output


def test_passing_output_never_shows_the_api_token(
    passing: MeltanoResult, sandbox: SandboxServer
) -> None:
    leaked = sandbox.credentials.api_token in passing.output
    assert not leaked


def test_fails_with_a_wrong_api_token(failing: MeltanoResult) -> None:
    assert failing.returncode != 0
    assert invalid_message(failing).startswith(INVALID)


def test_failing_output_never_shows_the_wrong_api_token(failing: MeltanoResult) -> None:
    leaked = WRONG_TOKEN in failing.output
    assert not leaked


def test_failure_message_names_the_rejected_credentials(failing: MeltanoResult) -> None:
    assert "rejected the credentials" in invalid_message(failing)


def test_missing_subdomain_fails_with_a_one_line_error(
    meltano_project: MeltanoProject, sandbox: SandboxServer
) -> None:
    env = tap_env(sandbox)
    del env["TAP_ZENDESK_SUBDOMAIN"], env["TAP_ZENDESK_API_URL"]

    result = config_test(meltano_project, env)

    assert result.returncode != 0
    assert "Traceback" not in invalid_message(result)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.mark.parametrize(
    ("settings", "reason"),
    [
        (
            {"subdomain": "acme/x"},
            "Invalid config: subdomain 'acme/x' is not a Zendesk subdomain",
        ),
        (
            {"api_url": "ftp://127.0.0.1"},
            "Invalid config: api_url 'ftp://127.0.0.1' is not an http(s) URL",
        ),
        (
            {"start_date": "2025-01-02T00:00:00Z", "end_date": "2025-01-01T00:00:00Z"},
            "Invalid config: end_date must be later than start_date",
        ),
    ],
)
def test_a_bad_setting_is_the_reason(
    meltano_project: MeltanoProject, sandbox: SandboxServer, settings, reason
) -> None:
    env = tap_env(sandbox) | {f"TAP_ZENDESK_{k.upper()}": v for k, v in settings.items()}

    result = config_test(meltano_project, env)

    assert result.returncode != 0
    assert reason in invalid_message(result)
    assert "Traceback" not in invalid_message(result)


def test_an_unreachable_host_is_the_reason(
    meltano_project: MeltanoProject, sandbox: SandboxServer
) -> None:
    url = f"http://127.0.0.1:{free_port()}"
    env = tap_env(sandbox) | {"TAP_ZENDESK_API_URL": url}

    result = config_test(meltano_project, env)

    assert result.returncode != 0
    assert f"could not reach {url}: connection refused" in invalid_message(result)


def test_an_unknown_host_is_the_reason(
    meltano_project: MeltanoProject, sandbox: SandboxServer
) -> None:
    url = "https://no-such-host.invalid"
    env = tap_env(sandbox) | {"TAP_ZENDESK_API_URL": url}

    result = config_test(meltano_project, env)

    assert result.returncode != 0
    assert f"could not reach {url}: unknown host (the name does not resolve)" in invalid_message(
        result
    )


def test_a_tls_certificate_that_does_not_verify_is_the_reason(
    meltano_project: MeltanoProject, sandbox: SandboxServer, tmp_path
) -> None:
    with untrusted_tls_server(tmp_path) as url:
        env = tap_env(sandbox) | {"TAP_ZENDESK_API_URL": url}
        result = config_test(meltano_project, env)

    assert result.returncode != 0
    assert (
        f"the TLS certificate of {url} did not verify; for a private CA, point "
        "REQUESTS_CA_BUNDLE at its certificate" in invalid_message(result)
    )
    assert "Traceback" not in invalid_message(result)
