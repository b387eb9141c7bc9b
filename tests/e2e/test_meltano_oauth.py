"""OAuth under Meltano: refresh-token rotation across runs, and client credentials.

Meltano generates the tap's config file afresh for every run, so a rotated refresh token can
only survive in `oauth_token_file`. The refresh-token runs keep the same `TAP_ZENDESK_*`
environment, stale initial refresh token included, as a `.env` would.
"""

from __future__ import annotations

import json
import stat
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from tap_zendesk.sandbox import SandboxAccount, SandboxServer
from tap_zendesk.sandbox.server import TapAuth
from tests.e2e.meltano_project import ENVIRONMENT, MeltanoProject, MeltanoResult, tap_env
from tests.e2e.report import E2EReport

pytestmark = pytest.mark.e2e

TICKETS = 150
TAP_PROCESSES = 2
"""`meltano run` and `meltano config test` start the tap for discovery, then for the work."""


def oauth_env(server: SandboxServer, auth: TapAuth, **settings: Any) -> dict[str, str]:
    """`TAP_ZENDESK_*` variables for one OAuth mode against `server`, and no API token."""
    env = tap_env(server, **{**server.tap_config(auth), **settings})
    del env["TAP_ZENDESK_EMAIL"], env["TAP_ZENDESK_API_TOKEN"]
    return env


def run_jsonl(
    project: MeltanoProject, suffix: str, env: dict[str, str], output: Path
) -> MeltanoResult:
    # Debug logging puts every line the tap writes into the output checked for secrets.
    return project.run(
        "--log-level=debug",
        f"--environment={ENVIRONMENT}",
        "run",
        f"--state-id-suffix={suffix}",
        "tap-zendesk",
        "target-jsonl",
        env={**env, "TARGET_JSONL_DESTINATION_PATH": str(output)},
    ).check()


def read_jsonl(path: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.read_text().splitlines() if line.strip()]


# -- refresh token: two runs, one token file ---------------------------------------------


@dataclass(frozen=True)
class RefreshRun:
    """One `meltano run` and what the sandbox and the token file held right after it."""

    result: MeltanoResult
    saved: dict[str, Any]
    file_mode: int
    current_refresh_token: str
    oauth_counts: dict[str, int]


@pytest.fixture(scope="module")
def refresh_sandbox() -> Iterator[SandboxServer]:
    account = SandboxAccount.generate(tickets=TICKETS, seed=83)
    with SandboxServer(account, token_lifetime=3600).start() as server:
        yield server


@pytest.fixture(scope="module")
def token_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("oauth-secrets") / "zendesk-oauth.json"


@pytest.fixture(scope="module")
def refresh_env(refresh_sandbox: SandboxServer, token_file: Path) -> dict[str, str]:
    """The one environment of both runs: the initial refresh token stays in it."""
    return oauth_env(refresh_sandbox, "refresh_token", oauth_token_file=str(token_file))


def refresh_run(
    project: MeltanoProject, server: SandboxServer, env: dict[str, str], token_file: Path
) -> RefreshRun:
    output = token_file.parent / "output"
    result = run_jsonl(project, "oauth-refresh", env, output)
    return RefreshRun(
        result=result,
        saved=json.loads(token_file.read_text()),
        file_mode=stat.S_IMODE(token_file.stat().st_mode),
        current_refresh_token=server.current_refresh_token,
        oauth_counts=dict(server.oauth_counts()),
    )


@pytest.fixture(scope="module")
def first_refresh_run(
    meltano_project: MeltanoProject,
    refresh_sandbox: SandboxServer,
    refresh_env: dict[str, str],
    token_file: Path,
    e2e_report: E2EReport,
) -> RefreshRun:
    run = refresh_run(meltano_project, refresh_sandbox, refresh_env, token_file)
    e2e_report.timing(
        f"meltano run tap-zendesk target-jsonl, OAuth refresh token, first run ({TICKETS} tickets)",
        run.result.seconds,
    )
    return run


@pytest.fixture(scope="module")
def second_refresh_run(
    first_refresh_run: RefreshRun,
    meltano_project: MeltanoProject,
    refresh_sandbox: SandboxServer,
    refresh_env: dict[str, str],
    token_file: Path,
    e2e_report: E2EReport,
) -> RefreshRun:
    refresh_sandbox.expire_access_tokens()  # the saved access token is rejected: refresh
    run = refresh_run(meltano_project, refresh_sandbox, refresh_env, token_file)
    e2e_report.timing(
        "meltano run tap-zendesk target-jsonl, OAuth refresh token, second run (same env)",
        run.result.seconds,
    )
    return run


def test_first_run_saves_the_rotated_refresh_token(
    first_refresh_run: RefreshRun, refresh_env: dict[str, str]
) -> None:
    saved = first_refresh_run.saved["refresh_token"]

    assert saved == first_refresh_run.current_refresh_token
    assert saved != refresh_env["TAP_ZENDESK_REFRESH_TOKEN"]


def test_token_file_is_readable_by_its_owner_only(first_refresh_run: RefreshRun) -> None:
    assert oct(first_refresh_run.file_mode) == oct(0o600)


def test_second_run_refreshes_with_the_saved_token(second_refresh_run: RefreshRun) -> None:
    # The stale refresh token still in the environment would have been refused (a failed run).
    assert second_refresh_run.oauth_counts == {"refresh_token": 2}


def test_token_file_holds_the_newest_refresh_token(
    first_refresh_run: RefreshRun, second_refresh_run: RefreshRun
) -> None:
    saved = second_refresh_run.saved["refresh_token"]

    assert saved == second_refresh_run.current_refresh_token
    assert saved != first_refresh_run.current_refresh_token


def test_output_never_shows_an_oauth_secret(
    first_refresh_run: RefreshRun, second_refresh_run: RefreshRun, refresh_env: dict[str, str]
) -> None:
    secrets = {
        "client_secret": refresh_env["TAP_ZENDESK_CLIENT_SECRET"],
        "initial refresh token": refresh_env["TAP_ZENDESK_REFRESH_TOKEN"],
    }
    for number, run in enumerate((first_refresh_run, second_refresh_run), start=1):
        secrets[f"refresh token of run {number}"] = run.saved["refresh_token"]
        secrets[f"access token of run {number}"] = run.saved["access_token"]
    assert len(set(secrets.values())) == len(secrets)

    # Names only: a failure message must not print the secrets either.
    leaked = [
        f"{name} in run {number}"
        for number, run in enumerate((first_refresh_run, second_refresh_run), start=1)
        for name, secret in secrets.items()
        if secret in run.result.output
    ]

    assert leaked == []


# -- client credentials --------------------------------------------------------------------


@pytest.fixture(scope="module")
def credentials_sandbox() -> Iterator[SandboxServer]:
    with SandboxServer(SandboxAccount.generate(tickets=TICKETS, seed=89)).start() as server:
        yield server


@pytest.fixture(scope="module")
def credentials_output(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("oauth-client-credentials")


@pytest.fixture(scope="module")
def credentials_run(
    meltano_project: MeltanoProject,
    credentials_sandbox: SandboxServer,
    credentials_output: Path,
    e2e_report: E2EReport,
) -> MeltanoResult:
    env = oauth_env(credentials_sandbox, "client_credentials")
    result = run_jsonl(meltano_project, "oauth-client-credentials", env, credentials_output)
    e2e_report.timing(
        f"meltano run tap-zendesk target-jsonl, OAuth client credentials ({TICKETS} tickets)",
        result.seconds,
    )
    return result


def test_client_credentials_run_gets_one_token_per_tap_process(
    credentials_run: MeltanoResult, credentials_sandbox: SandboxServer
) -> None:
    """Meltano starts the tap twice: discovery (it reads the custom field definitions) and the
    sync. Nothing keeps a client-credentials token between processes, so each asks once."""
    assert credentials_sandbox.oauth_counts() == {"client_credentials": TAP_PROCESSES}


def test_client_credentials_run_writes_every_ticket(
    credentials_run: MeltanoResult, credentials_sandbox: SandboxServer, credentials_output: Path
) -> None:
    ids = [record["id"] for record in read_jsonl(credentials_output / "tickets.jsonl")]
    expected = [record["id"] for record in credentials_sandbox.account.expected("tickets")]

    assert sorted(ids) == sorted(expected)


# -- meltano config test -----------------------------------------------------------------


@pytest.fixture(scope="module")
def config_test_sandbox() -> Iterator[SandboxServer]:
    with SandboxServer(SandboxAccount.generate(tickets=50, seed=97)).start() as server:
        yield server


@pytest.fixture(scope="module")
def config_test(
    meltano_project: MeltanoProject, config_test_sandbox: SandboxServer, e2e_report: E2EReport
) -> MeltanoResult:
    result = meltano_project.run(
        f"--environment={ENVIRONMENT}",
        "config",
        "test",
        "tap-zendesk",
        env=oauth_env(config_test_sandbox, "client_credentials"),
    )
    e2e_report.timing("meltano config test tap-zendesk (OAuth client credentials)", result.seconds)
    return result


def test_config_test_passes_with_client_credentials(config_test: MeltanoResult) -> None:
    assert config_test.returncode == 0
    assert "Plugin configuration is valid" in config_test.output


def test_config_test_checks_with_a_client_credentials_token(
    config_test: MeltanoResult, config_test_sandbox: SandboxServer
) -> None:
    """One token for discovery, one for the check itself."""
    assert config_test_sandbox.oauth_counts() == {"client_credentials": TAP_PROCESSES}
