"""Bad and old state: clear errors for unusable files, upgrades for older taps' bookmarks."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from tap_zendesk.state import StateError, upgrade_state
from tap_zendesk.timestamps import to_iso
from tests.sandbox_config import tap_config
from tests.tap_run import run_sync

KEYS = {"tickets": "generated_timestamp", "users": "updated_at", "groups": "updated_at"}


def test_singer_io_ticket_bookmark_becomes_an_epoch_replication_key_value() -> None:
    state = {"bookmarks": {"tickets": {"generated_timestamp": "2024-01-01T00:00:00Z"}}}
    assert upgrade_state(state, KEYS)["bookmarks"]["tickets"] == {
        "replication_key": "generated_timestamp",
        "replication_key_value": 1704067200,
    }


def test_older_updated_at_bookmark_is_kept_as_iso() -> None:
    state = {"bookmarks": {"users": {"updated_at": "2024-05-01T10:00:00Z"}}}
    assert upgrade_state(state, KEYS)["bookmarks"]["users"] == {
        "replication_key": "updated_at",
        "replication_key_value": "2024-05-01T10:00:00Z",
    }


def test_bookmark_that_is_not_a_timestamp_is_dropped_with_its_cursor() -> None:
    state = {
        "bookmarks": {
            "users": {
                "replication_key": "updated_at",
                "replication_key_value": "garbage",
                "after_cursor": "abc",
            }
        }
    }
    assert upgrade_state(state, KEYS)["bookmarks"]["users"] == {}


@pytest.mark.parametrize(
    ("state", "message"),
    [
        ([1, 2], "the state must be a JSON object, not list"),
        ({"bookmarks": 5}, "the state's 'bookmarks' must be a JSON object"),
    ],
)
def test_state_that_is_not_an_object_is_refused(state, message) -> None:
    with pytest.raises(StateError, match=message):
        upgrade_state(state, KEYS)


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("{not json", "is not valid JSON (Expecting property name enclosed in double quotes"),
        ("[1, 2]", "is a JSON list, not an object"),
        ('{"bookmarks": []}', "Unusable state: the state's 'bookmarks' must be a JSON object"),
    ],
)
def test_cli_refuses_a_corrupted_state_file_in_one_line(tmp_path, content, message) -> None:
    config = tmp_path / "config.json"
    config.write_text(json.dumps({"subdomain": "acme", "access_token": "tok-123456789"}))
    state = tmp_path / "state.json"
    state.write_text(content)
    result = subprocess.run(
        [sys.executable, "-m", "tap_zendesk.tap", "--config", str(config), "--state", str(state)],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 1
    errors = [line for line in result.stderr.splitlines() if "ERROR" in line]
    assert len(errors) == 1
    assert message in errors[0]
    assert "Traceback" not in result.stderr


def test_sync_from_a_singer_io_state_reads_only_newer_tickets(zendesk_sandbox_factory) -> None:
    server = zendesk_sandbox_factory(tickets=300, seed=4)
    tickets = server.account.expected("tickets")
    middle = sorted(t["generated_timestamp"] for t in tickets)[150]
    state = {"bookmarks": {"tickets": {"generated_timestamp": to_iso(middle)}}}
    result = run_sync(tap_config(server), state=state, streams={"tickets"})

    assert set(result.ids("tickets")) == {
        t["id"] for t in tickets if t["generated_timestamp"] >= middle
    }
