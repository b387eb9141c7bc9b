"""A failed stream does not cost the others their run; bad credentials end it at once."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from tests.sandbox_config import tap_config
from tests.tap_run import catalog_selecting, run_sync

# The SDK syncs in name order: group_memberships first, the others after it.
STREAMS = {"users", "groups", "group_memberships", "satisfaction_ratings"}
FORBIDDEN_LINE = (
    "Sync failed for 1 stream (group_memberships), the others finished: "
    "Sync of 'group_memberships' failed: no access to 'group_memberships' "
    "(403 Forbidden for /api/v2/group_memberships.json"
)


@pytest.fixture
def forbidden_memberships(zendesk_sandbox_factory):
    server = zendesk_sandbox_factory(tickets=60, seed=3)
    server.account.set_forbidden("group_memberships")
    return server


def run_cli(tmp_path, config, catalog=None):
    config_file = tmp_path / "config.json"
    config_file.write_text(json.dumps(config))
    args = [sys.executable, "-m", "tap_zendesk.tap", "--config", str(config_file)]
    if catalog is not None:
        catalog_file = tmp_path / "catalog.json"
        catalog_file.write_text(json.dumps(catalog))
        args += ["--catalog", str(catalog_file)]
    return subprocess.run(args, capture_output=True, text=True, timeout=120, check=False)


def with_unknown_stream(catalog: dict) -> dict:
    """`catalog` plus a selected stream this tap does not have (another variant's)."""
    stray = json.loads(json.dumps(catalog["streams"][0]))
    stray["tap_stream_id"] = stray["stream"] = "ticket_audit_logs"
    for meta in stray["metadata"]:
        if not meta["breadcrumb"]:
            meta["metadata"]["selected"] = True
    catalog["streams"].append(stray)
    return catalog


def messages(stdout: str) -> list[dict]:
    return [json.loads(line) for line in stdout.split("\n") if line.strip()]


def test_other_streams_finish_and_write_their_state(forbidden_memberships, tmp_path):
    server = forbidden_memberships
    catalog = catalog_selecting(tap_config(server), STREAMS)

    result = run_cli(tmp_path, tap_config(server), catalog)

    assert result.returncode == 1
    out = messages(result.stdout)
    records: dict[str, set[int]] = {}
    for message in out:
        if message["type"] == "RECORD":
            records.setdefault(message["stream"], set()).add(message["record"]["id"])
    for stream in ("users", "groups", "satisfaction_ratings"):
        assert records[stream] == {r["id"] for r in server.account.expected(stream)}, stream
    assert "group_memberships" not in records
    final_state = [m["value"] for m in out if m["type"] == "STATE"][-1]
    assert {"users", "groups", "satisfaction_ratings"} <= set(final_state["bookmarks"])
    assert (
        final_state["bookmarks"].get("group_memberships", {}).get("replication_key_value") is None
    )


def test_the_last_line_names_every_failed_stream(forbidden_memberships, tmp_path):
    server = forbidden_memberships
    server.account.set_forbidden("users")
    catalog = catalog_selecting(tap_config(server), STREAMS)

    result = run_cli(tmp_path, tap_config(server), catalog)

    assert result.returncode == 1
    last = result.stderr.strip().splitlines()[-1]
    assert "Sync failed for 2 streams (group_memberships, users), the others finished: " in last
    assert "Sync of 'users' failed: no access to 'users' (403 Forbidden" in last
    assert "Sync of 'group_memberships' failed: no access to 'group_memberships'" in last
    assert "Traceback" not in result.stderr


def test_one_failed_stream_is_the_last_line(forbidden_memberships, tmp_path):
    server = forbidden_memberships
    catalog = catalog_selecting(tap_config(server), STREAMS)

    result = run_cli(tmp_path, tap_config(server), catalog)

    assert result.stderr.strip().splitlines()[-1].split(" | ")[-1].startswith(FORBIDDEN_LINE)


def test_rejected_credentials_end_the_run_at_the_first_request(zendesk_sandbox_factory, caplog):
    server = zendesk_sandbox_factory(tickets=20, seed=3)
    config = tap_config(server, api_token="wrong-token-0123456789")

    with pytest.raises(SystemExit) as exit_info:
        run_sync(config, streams=STREAMS)

    assert exit_info.value.code == 1
    assert [r.status for r in server.requests] == [401]
    assert "Sync failed for" not in caplog.text


def test_unknown_streams_in_the_catalog_are_skipped_with_a_warning(
    zendesk_sandbox_factory, tmp_path
):
    server = zendesk_sandbox_factory(tickets=20, seed=3)
    catalog = with_unknown_stream(catalog_selecting(tap_config(server), {"groups"}))

    result = run_cli(tmp_path, tap_config(server), catalog)

    assert result.returncode == 0
    assert (
        "The catalog selects streams this tap does not have, skipped: ticket_audit_logs"
        in result.stderr
    )
    assert {m["stream"] for m in messages(result.stdout) if m["type"] == "RECORD"} == {"groups"}


def test_a_catalog_selecting_only_unknown_streams_fails_in_one_line(
    zendesk_sandbox_factory, tmp_path
):
    server = zendesk_sandbox_factory(tickets=20, seed=3)
    catalog = with_unknown_stream(catalog_selecting(tap_config(server), set()))

    result = run_cli(tmp_path, tap_config(server), catalog)

    assert result.returncode == 1
    assert (
        result.stderr.strip()
        .splitlines()[-1]
        .endswith(
            "The catalog selects no stream this tap has (unknown: ticket_audit_logs): "
            "write a new catalog with --discover"
        )
    )
    assert server.requests == []
    assert "Traceback" not in result.stderr
