"""Every failure a user can cause is one ERROR line and exit code 1, never a traceback.

Each case runs the real command line in a subprocess and pins its one line; a real bug
still shows its traceback.
"""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys

import pytest

from tests.sandbox_config import tap_config
from tests.tls import untrusted_tls_server

GOOD = {"subdomain": "acme", "access_token": "tok-0123456789abcdef"}


def tap(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess:
    # No TAP_ZENDESK_* settings and no private CA from the developer's environment.
    clean = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith("TAP_ZENDESK_") and k not in {"REQUESTS_CA_BUNDLE", "CURL_CA_BUNDLE"}
    }
    return subprocess.run(
        [sys.executable, "-m", "tap_zendesk.tap", *args],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
        env={**clean, **(env or {})},
    )


def the_one_error(result: subprocess.CompletedProcess) -> str:
    """The run's only ERROR line, without the log prefix; it must be the last line too."""
    assert result.returncode == 1, result.stderr
    assert "Traceback" not in result.stderr
    errors = [line for line in result.stderr.splitlines() if "| ERROR" in line]
    assert len(errors) == 1, result.stderr
    assert result.stderr.strip().splitlines()[-1] == errors[0]
    return errors[0].split(" | ")[-1]


def write(tmp_path, name: str, content: object) -> str:
    path = tmp_path / name
    path.write_text(content if isinstance(content, str) else json.dumps(content))
    return str(path)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.mark.parametrize("mode", [[], ["--test"], ["--discover"]])
def test_a_missing_config_file(tmp_path, mode) -> None:
    line = the_one_error(tap("--config", str(tmp_path / "nope.json"), *mode))
    assert line == f"The config file {tmp_path / 'nope.json'} does not exist: fix it"


@pytest.mark.parametrize(
    ("content", "problem"),
    [
        (
            "{oops",
            "is not valid JSON (Expecting property name enclosed in double quotes at line 1)",
        ),
        ("[1]", "is a JSON list, not an object"),
    ],
)
def test_a_config_file_that_is_not_a_json_object(tmp_path, content, problem) -> None:
    path = write(tmp_path, "config.json", content)
    assert the_one_error(tap("--config", path, "--test")) == (
        f"The config file {path} {problem}: fix it"
    )


def test_a_config_directory(tmp_path) -> None:
    line = the_one_error(tap("--config", str(tmp_path), "--discover"))
    assert line == f"The config file {tmp_path} is a directory: fix it"


@pytest.mark.parametrize("mode", [[], ["--test"]])
def test_a_setting_of_the_wrong_type_is_named(tmp_path, mode) -> None:
    path = write(tmp_path, "config.json", {**GOOD, "request_timeout": "soon"})
    assert the_one_error(tap("--config", path, *mode)) == (
        "Invalid config: request_timeout: 'soon' is not of type 'integer', 'null'"
    )


def test_every_config_error_is_in_the_one_line(tmp_path) -> None:
    path = write(tmp_path, "config.json", {"subdomain": "acme", "start_date": "someday"})
    assert the_one_error(tap("--config", path, "--test")) == (
        "Invalid config: start_date 'someday' is not an ISO 8601 date or date-time; "
        "no credentials: set email and api_token, access_token, client_id and client_secret, "
        "or client_id, refresh_token and oauth_token_file"
    )


def test_a_missing_required_setting_from_the_environment() -> None:
    env = {"TAP_ZENDESK_ACCESS_TOKEN": GOOD["access_token"]}
    assert the_one_error(tap("--config", "ENV", "--test", env=env)) == (
        "Invalid config: 'subdomain' is a required property"
    )


def test_an_environment_variable_that_does_not_parse_is_named() -> None:
    env = {"TAP_ZENDESK_SUBDOMAIN": "acme", "TAP_ZENDESK_MAX_RETRIES": "many"}
    assert the_one_error(tap("--config", "ENV", "--test", env=env)) == (
        "Invalid config: environment variable TAP_ZENDESK_MAX_RETRIES is not a valid integer"
    )


def test_an_object_variable_that_is_not_json_is_named_without_its_value() -> None:
    env = {**{f"TAP_ZENDESK_{k.upper()}": v for k, v in GOOD.items()}}
    env["TAP_ZENDESK_STREAM_MAPS"] = "{users: secret-ish"
    result = tap("--config", "ENV", "--test", env=env)
    assert the_one_error(result) == (
        "Invalid config: environment variable TAP_ZENDESK_STREAM_MAPS is not a valid object"
    )
    assert "secret-ish" not in result.stderr


@pytest.mark.parametrize("what", ["state", "catalog"])
def test_a_missing_state_or_catalog_file(tmp_path, what) -> None:
    config = write(tmp_path, "config.json", GOOD)
    missing = tmp_path / f"{what}.json"
    line = the_one_error(tap("--config", config, f"--{what}", str(missing)))
    assert line.startswith(f"The {what} file {missing} does not exist: fix ")


def test_an_unreadable_catalog_file(tmp_path) -> None:
    if os.geteuid() == 0:
        pytest.skip("root reads files whatever their mode")
    config = write(tmp_path, "config.json", GOOD)
    catalog = write(tmp_path, "catalog.json", {"streams": []})
    os.chmod(catalog, 0)
    assert the_one_error(tap("--config", config, "--catalog", catalog)) == (
        f"The catalog file {catalog} cannot be read (permission denied): "
        "fix it, or write a new one with --discover"
    )


def test_a_refused_connection_under_test(tmp_path) -> None:
    url = f"http://127.0.0.1:{free_port()}"
    config = write(tmp_path, "config.json", {**GOOD, "api_url": url})
    assert the_one_error(tap("--config", config, "--test")) == (
        f"Connection test failed: could not reach {url}: connection refused"
    )


def test_a_refused_connection_ends_a_sync_with_its_reason_last(tmp_path) -> None:
    url = f"http://127.0.0.1:{free_port()}"
    config = write(tmp_path, "config.json", {**GOOD, "api_url": url, "max_retries": 0})
    result = tap("--config", config)
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    last = result.stderr.strip().splitlines()[-1]
    assert "| ERROR" in last
    assert last.endswith(f"failed: could not reach {url}: connection refused")


def test_an_unknown_host_under_test(tmp_path) -> None:
    url = "https://no-such-host.invalid"
    config = write(tmp_path, "config.json", {**GOOD, "api_url": url})
    assert the_one_error(tap("--config", config, "--test")) == (
        f"Connection test failed: could not reach {url}: unknown host (the name does not resolve)"
    )


def test_rejected_credentials_under_test(zendesk_sandbox, tmp_path) -> None:
    config = write(tmp_path, "config.json", tap_config(zendesk_sandbox, api_token="nope-1234567"))
    line = the_one_error(tap("--config", config, "--test"))
    assert line.startswith(
        "Connection test failed: Zendesk rejected the credentials "
        "(401 Unauthorized for /api/v2/incremental/tickets/cursor.json"
    )
    assert "nope-1234567" not in line


def test_a_tls_certificate_that_does_not_verify_under_test(tmp_path) -> None:
    """A TLS server whose self-signed certificate no known CA vouches for."""
    with untrusted_tls_server(tmp_path) as url:
        config = write(tmp_path, "config.json", {**GOOD, "api_url": url})
        result = tap("--config", config, "--test")
    assert the_one_error(result) == (
        f"Connection test failed: the TLS certificate of {url} did not verify; for a "
        "private CA, point REQUESTS_CA_BUNDLE at its certificate"
    )


def test_a_real_bug_still_shows_its_traceback(tmp_path) -> None:
    config = write(tmp_path, "config.json", GOOD)
    code = (
        "from tap_zendesk.tap import TapZendesk\n"
        "def broken(self): raise RuntimeError('a bug')\n"
        "TapZendesk.sync_all = broken\n"
        "TapZendesk.cli()\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code, "--config", config],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 1
    assert "Traceback" in result.stderr
    assert "RuntimeError: a bug" in result.stderr
