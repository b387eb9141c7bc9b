"""Crash and resume: kill the tap with SIGKILL mid-sync, restart from its last STATE.

Like a target, the test keeps only what it read from the tap's stdout before the kill; the
union of every run's records must hold every record of the sandbox at its latest version.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
from collections import Counter
from pathlib import Path
from typing import Any

import pytest

from tests.expected import VERSION_COLUMN, key_of
from tests.sandbox_config import tap_config
from tests.tap_run import catalog_selecting

# Tens of seconds each: tap processes killed and restarted over thousands of tickets.
pytestmark = pytest.mark.slow


def run_until(
    config_file: Path,
    state: dict[str, Any],
    kill_after: int | None,
    tmp: Path,
    catalog_file: Path | None = None,
):
    """Run the tap; SIGKILL it after `kill_after` records. Returns (records, last state, rc)."""
    state_file = tmp / "state.json"
    state_file.write_text(json.dumps(state))
    process = subprocess.Popen(
        [sys.executable, "-m", "tap_zendesk.tap", "--config", str(config_file)]
        + (["--state", str(state_file)] if state else [])
        + (["--catalog", str(catalog_file)] if catalog_file else []),
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    records: list[tuple[str, dict[str, Any]]] = []
    last_state = state
    assert process.stdout is not None
    for line in process.stdout:
        message = json.loads(line)
        if message["type"] == "RECORD":
            records.append((message["stream"], message["record"]))
            if kill_after is not None and len(records) >= kill_after:
                os.kill(process.pid, signal.SIGKILL)
                break
        elif message["type"] == "STATE":
            last_state = message["value"]
    process.stdout.close()
    return records, last_state, process.wait(timeout=120)


def test_sigkill_at_several_points_loses_no_record(zendesk_sandbox_factory, tmp_path) -> None:
    server = zendesk_sandbox_factory(tickets=3000, seed=21)
    config_file = tmp_path / "config.json"
    config_file.write_text(json.dumps(tap_config(server)))

    seen: list[tuple[str, dict[str, Any]]] = []
    state: dict[str, Any] = {}
    kills = 0
    for kill_after in (700, 2500, 400, 5000, 300):
        records, state, returncode = run_until(config_file, state, kill_after, tmp_path)
        print(f"run killed after {len(records)} records, rc={returncode}")
        seen += records
        if returncode == -signal.SIGKILL:
            kills += 1
        if kills == 2:
            server.account.mutate(seed=99, fraction=0.03)  # changes while "down"
    records, state, returncode = run_until(config_file, state, None, tmp_path)
    seen += records

    assert returncode == 0
    assert kills == 5
    versions = {
        (stream, key_of(stream, record), record.get(VERSION_COLUMN[stream]))
        for stream, record in seen
    }
    missing = {
        stream: [
            key_of(stream, r)
            for r in server.account.expected(stream)
            if (stream, key_of(stream, r), r.get(VERSION_COLUMN[stream]) or r.get("created_at"))
            not in versions
        ]
        for stream in VERSION_COLUMN
    }
    assert missing == {stream: [] for stream in VERSION_COLUMN}


TICKET_EVENT_STREAMS = ("ticket_audits", "ticket_comments", "ticket_field_history")


def most_records_from_one_page(records: dict[str, list[dict[str, Any]]]) -> dict[str, int]:
    """Per stream, the most records any 1,000 consecutive audits of the export gave it.

    A time-based page holds 1,000 audits, or more when a tie group would be split; a second's
    worth more is allowed for that.
    """
    audits = sorted(records["ticket_audits"], key=lambda a: (a["timestamp"], a["id"]))
    per_audit = {stream: Counter() for stream in TICKET_EVENT_STREAMS}
    for stream in TICKET_EVENT_STREAMS:
        for record in records[stream]:
            per_audit[stream][
                record["id"] if stream == "ticket_audits" else record["audit_id"]
            ] += 1
    ties = max(Counter(a["timestamp"] for a in audits).values())
    window = 1000 + ties
    most = {}
    for stream in TICKET_EVENT_STREAMS:
        counts = [per_audit[stream][a["id"]] for a in audits]
        most[stream] = max(
            sum(counts[i : i + window]) for i in range(max(1, len(counts) - window + 1))
        )
    return most


@pytest.mark.slow
def test_a_kill_re_emits_at_most_the_page_in_progress_of_each_stream(
    zendesk_sandbox_factory, tmp_path
) -> None:
    server = zendesk_sandbox_factory(tickets=2000, seed=22)
    config = tap_config(server)
    config_file = tmp_path / "config.json"
    config_file.write_text(json.dumps(config))
    catalog_file = tmp_path / "catalog.json"
    catalog_file.write_text(json.dumps(catalog_selecting(config, set(TICKET_EVENT_STREAMS))))
    full, _, _ = run_until(config_file, {}, None, tmp_path, catalog_file)
    by_stream: dict[str, list[dict[str, Any]]] = {s: [] for s in TICKET_EVENT_STREAMS}
    for stream, record in full:
        by_stream[stream].append(record)
    bound = most_records_from_one_page(by_stream)

    for kill_after in (1500, 9000, 16000):
        before, state, returncode = run_until(config_file, {}, kill_after, tmp_path, catalog_file)
        assert returncode == -signal.SIGKILL
        after, _, returncode = run_until(config_file, state, None, tmp_path, catalog_file)
        assert returncode == 0
        for stream in TICKET_EVENT_STREAMS:
            first = {key_of(stream, r) for s, r in before if s == stream}
            again = [
                key_of(stream, r) for s, r in after if s == stream and key_of(stream, r) in first
            ]
            assert len(again) <= bound[stream], (kill_after, stream)
            union = first | {key_of(stream, r) for s, r in after if s == stream}
            assert union == {key_of(stream, r) for r in by_stream[stream]}, (kill_after, stream)
