"""`tap-zendesk --test` checks the credentials against a real resource, not /users/me."""

from __future__ import annotations

import json
import subprocess
import sys

from tests.sandbox_config import tap_config


def run_test_mode(config: dict, tmp_path) -> subprocess.CompletedProcess:
    (tmp_path / "config.json").write_text(json.dumps(config))
    return subprocess.run(
        [
            sys.executable,
            "-m",
            "tap_zendesk.tap",
            "--config",
            str(tmp_path / "config.json"),
            "--test",
        ],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_connection_test_passes_with_good_credentials(zendesk_sandbox, tmp_path) -> None:
    result = run_test_mode(tap_config(zendesk_sandbox), tmp_path)
    assert result.returncode == 0
    assert "Connection test passed" in result.stderr
    assert [r.path for r in zendesk_sandbox.requests] == ["/api/v2/incremental/tickets/cursor.json"]


def test_connection_test_fails_with_bad_credentials(zendesk_sandbox, tmp_path) -> None:
    result = run_test_mode(tap_config(zendesk_sandbox, api_token="not-the-token-42"), tmp_path)
    assert result.returncode == 1
    assert "Connection test failed: Zendesk rejected the credentials (401" in result.stderr
    assert "not-the-token-42" not in result.stderr + result.stdout
    assert all(r.path != "/api/v2/users/me.json" for r in zendesk_sandbox.requests)
