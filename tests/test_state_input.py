"""Bad and old state: clear errors for unusable files, upgrades for older taps' bookmarks."""

from __future__ import annotations

import json
import logging
import subprocess
import sys
import time

import pytest

from tap_zendesk.state import StateError, upgrade_state
from tap_zendesk.timestamps import to_iso
from tests.sandbox_config import tap_config
from tests.tap_run import run_sync

KEYS = {"tickets": "generated_timestamp", "users": "updated_at", "groups": "updated_at"}
NOW = 1_800_000_000  # 2027-01-15T08:00:00Z


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
    ("value", "why"),
    [
        (NOW + 301, f"{NOW + 301} is in the future"),
        ("2027-01-15T08:05:01Z", "'2027-01-15T08:05:01Z' is in the future"),
        (True, "True is not a timestamp"),
        (float("nan"), "nan is not a timestamp"),
        ({"at": 1}, "{'at': 1} is not a timestamp"),
    ],
)
def test_unusable_bookmark_is_dropped_with_one_warning(caplog, value, why) -> None:
    state = {
        "bookmarks": {
            "tickets": {
                "replication_key": "generated_timestamp",
                "replication_key_value": value,
                "after_cursor": "abc",
                "export_position": NOW - 10,
            }
        }
    }
    with caplog.at_level(logging.WARNING):
        upgraded = upgrade_state(state, KEYS, now=NOW)
    assert upgraded["bookmarks"]["tickets"] == {}
    assert [r.getMessage() for r in caplog.records] == [
        f"Dropping the 'tickets' bookmark: {why}; the stream restarts from start_date"
    ]


def test_bookmark_within_five_minutes_of_clock_skew_is_kept() -> None:
    state = {
        "bookmarks": {
            "tickets": {
                "replication_key": "generated_timestamp",
                "replication_key_value": NOW + 300,
            }
        }
    }
    assert upgrade_state(state, KEYS, now=NOW) == state


def test_bookmark_for_another_replication_key_is_dropped(caplog) -> None:
    state = {
        "bookmarks": {
            "tickets": {"replication_key": "updated_at", "replication_key_value": "2024-01-01"},
        }
    }
    with caplog.at_level(logging.WARNING):
        assert upgrade_state(state, KEYS, now=NOW)["bookmarks"]["tickets"] == {}
    assert [r.getMessage() for r in caplog.records] == [
        "Dropping the 'tickets' bookmark: it was written for replication key 'updated_at', "
        "not 'generated_timestamp'; the stream restarts from start_date"
    ]


@pytest.mark.parametrize(
    ("resume", "problem"),
    [
        ({"export_position": NOW + 3600}, f"export_position {NOW + 3600}"),
        ({"start_time": "soon"}, "start_time 'soon'"),
        ({"after_cursor": 17}, "after_cursor 17"),
    ],
)
def test_unusable_resume_point_is_dropped_and_the_bookmark_kept(caplog, resume, problem) -> None:
    bookmark = {"replication_key": "generated_timestamp", "replication_key_value": NOW - 60}
    state = {"bookmarks": {"tickets": {**bookmark, **resume}}}
    with caplog.at_level(logging.WARNING):
        assert upgrade_state(state, KEYS, now=NOW)["bookmarks"]["tickets"] == bookmark
    assert [r.getMessage() for r in caplog.records] == [
        f"Dropping the 'tickets' resume point ({problem}: not a past timestamp or cursor); "
        "the stream resumes from its bookmark"
    ]


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


def test_unusable_bookmarks_cost_a_re_read_never_a_change_nor_the_other_streams(
    zendesk_sandbox_factory, caplog
) -> None:
    server = zendesk_sandbox_factory(tickets=80, seed=5)
    future = int(time.time()) + 30 * 86_400
    state = {
        "bookmarks": {
            # Alphabetically first, so the streams after it must still run.
            "groups": {"replication_key": "created_at", "replication_key_value": "2024-01-01"},
            "tickets": {"replication_key": "generated_timestamp", "replication_key_value": future},
            "users": {"replication_key": "updated_at", "replication_key_value": to_iso(future)},
        }
    }

    result = run_sync(tap_config(server), state=state, streams={"groups", "tickets", "users"})

    for stream in ("groups", "tickets", "users"):
        expected = {r["id"] for r in server.account.expected(stream)}
        assert set(result.ids(stream)) == expected, stream
    assert caplog.text.count("Dropping the '") == 3
    assert result.state["bookmarks"]["tickets"]["replication_key_value"] < future
