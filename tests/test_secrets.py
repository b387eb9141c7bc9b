"""Secrets never reach logs, errors, exceptions or `--about`: searched in all the output."""

from __future__ import annotations

import base64
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tap_zendesk.sandbox import Credentials
from tests.sandbox_config import tap_config

API_TOKEN = "tok-8c1f2e9a7b3d4c5e6f708192a3b4c5d6"
ACCESS_TOKEN = "acc-5e4d3c2b1a09f8e7d6c5b4a39281706f"
WRONG_TOKEN = "tok-0000wrong1111token2222value3333"


def forms(secret: str) -> list[str]:
    """The secret as it could leak: plain, and inside a Basic header."""
    basic = base64.b64encode(f"sandbox@example.com/token:{secret}".encode()).decode()
    return [secret, basic]


def run_tap(args: list[str], tmp: Path, config: dict | None = None) -> subprocess.CompletedProcess:
    if config is not None:
        (tmp / "config.json").write_text(json.dumps(config))
        args = ["--config", str(tmp / "config.json"), *args]
    return subprocess.run(
        [sys.executable, "-m", "tap_zendesk.tap", *args],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
        env={**os.environ, "TAP_ZENDESK_LOGLEVEL": "DEBUG"},  # the most talkative setting
    )


@pytest.fixture
def server(zendesk_sandbox_factory):
    return zendesk_sandbox_factory(
        tickets=200,
        seed=13,
        credentials=Credentials(api_token=API_TOKEN, access_token=ACCESS_TOKEN),
    )


def assert_no_secret(result: subprocess.CompletedProcess, *secrets: str) -> None:
    output = result.stdout + result.stderr
    for secret in secrets:
        for form in forms(secret):
            assert form not in output


@pytest.mark.slow
def test_succeeding_run_prints_no_secret(server, tmp_path) -> None:
    result = run_tap([], tmp_path, tap_config(server, api_token=API_TOKEN))
    assert result.returncode == 0
    assert '"type":"RECORD"' in result.stdout.replace(" ", "")
    assert "DEBUG" in result.stderr  # the check covers debug logging too
    assert_no_secret(result, API_TOKEN)


@pytest.mark.slow
def test_succeeding_oauth_run_prints_no_secret(server, tmp_path) -> None:
    config = {**tap_config(server), "access_token": ACCESS_TOKEN}
    del config["email"], config["api_token"]
    result = run_tap([], tmp_path, config)
    assert result.returncode == 0
    assert_no_secret(result, ACCESS_TOKEN)


def test_failing_run_prints_no_secret(server, tmp_path) -> None:
    result = run_tap([], tmp_path, tap_config(server, api_token=WRONG_TOKEN))
    assert result.returncode == 1
    assert "Zendesk rejected the credentials" in result.stderr
    assert_no_secret(result, WRONG_TOKEN, API_TOKEN)


def test_config_error_prints_no_secret(tmp_path) -> None:
    config = {"subdomain": "a/b", "email": "me@example.com", "api_token": API_TOKEN}
    config["access_token"] = ACCESS_TOKEN
    result = run_tap([], tmp_path, config)
    assert result.returncode == 1
    assert_no_secret(result, API_TOKEN, ACCESS_TOKEN)


@pytest.mark.parametrize("about_format", ["json", "markdown"])
def test_about_prints_no_secret_and_marks_secrets(tmp_path, about_format) -> None:
    config = {"subdomain": "acme", "email": "me@example.com", "api_token": API_TOKEN}
    result = run_tap(["--about", f"--format={about_format}"], tmp_path, config)
    assert result.returncode == 0
    assert_no_secret(result, API_TOKEN)
    if about_format == "json":
        settings = json.loads(result.stdout)["settings"]["properties"]
        secret = {name for name, spec in settings.items() if spec.get("secret")}
        assert secret >= {"api_token", "access_token", "client_secret", "refresh_token"}


@pytest.mark.slow
def test_oauth_refresh_run_prints_no_client_secret_or_token(server, tmp_path) -> None:
    token_file = tmp_path / "oauth.json"
    config = {
        **tap_config(server, "refresh_token"),
        "oauth_token_file": str(token_file),
        "max_retries": 0,
    }
    result = run_tap([], tmp_path, config)
    assert result.returncode == 0
    saved = json.loads(token_file.read_text())
    secrets = (
        config["client_secret"],
        config["refresh_token"],
        saved["refresh_token"],
        saved["access_token"],
    )
    output = result.stdout + result.stderr
    for secret in secrets:
        assert secret not in output
    assert "DEBUG" in result.stderr
