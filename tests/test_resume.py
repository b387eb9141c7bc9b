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
from pathlib import Path
from typing import Any

from tests.expected import VERSION_COLUMN
from tests.sandbox_config import tap_config


def run_until(config_file: Path, state: dict[str, Any], kill_after: int | None, tmp: Path):
    """Run the tap; SIGKILL it after `kill_after` records. Returns (records, last state, rc)."""
    state_file = tmp / "state.json"
    state_file.write_text(json.dumps(state))
    process = subprocess.Popen(
        [sys.executable, "-m", "tap_zendesk.tap", "--config", str(config_file)]
        + (["--state", str(state_file)] if state else []),
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
    versions = {(stream, record["id"], record[VERSION_COLUMN[stream]]) for stream, record in seen}
    missing = {
        stream: [
            r["id"]
            for r in server.account.expected(stream)
            if (stream, r["id"], r.get(VERSION_COLUMN[stream]) or r.get("created_at"))
            not in versions
        ]
        for stream in VERSION_COLUMN
    }
    assert missing == {stream: [] for stream in VERSION_COLUMN}
