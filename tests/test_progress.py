"""Progress lines at a steady interval, and one summary at the end of the run."""

from __future__ import annotations

import logging
from collections import Counter

import pytest

from tap_zendesk.progress import RunProgress
from tests.sandbox_config import tap_config
from tests.tap_run import run_sync


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def clock() -> Clock:
    return Clock()


def progress_lines(caplog) -> list[str]:
    return [r.getMessage() for r in caplog.records if r.getMessage().startswith("Progress")]


def test_a_stream_reports_once_per_interval(clock, caplog) -> None:
    progress = RunProgress(interval=30, clock=clock)
    with caplog.at_level(logging.INFO, logger="tap-zendesk"):
        for _ in range(3000):  # 32 records a second, for 94 s
            progress.record("tickets")
            clock.now += 1 / 32
    assert progress_lines(caplog) == [
        "Progress of 'tickets': 961 records so far (32 records/s)",
        "Progress of 'tickets': 1,921 records so far (32 records/s)",
        "Progress of 'tickets': 2,881 records so far (32 records/s)",
    ]


def test_a_short_stream_reports_nothing(clock, caplog) -> None:
    progress = RunProgress(interval=30, clock=clock)
    with caplog.at_level(logging.INFO, logger="tap-zendesk"):
        for _ in range(100):
            progress.record("groups")
            clock.now += 0.1
    assert progress_lines(caplog) == []


def test_the_summary_names_records_fixes_requests_and_failures(clock) -> None:
    progress = RunProgress(clock=clock)
    for stream, count in (("tickets", 1200), ("groups", 25)):
        for _ in range(count):
            progress.record(stream)
    progress.requests, progress.failed_requests = 14, 2
    clock.now += 12.5

    lines = progress.summary(
        nulled={"tickets": Counter({"via.source.at": 2, "due_at": 1}), "groups": Counter()},
        skipped=Counter({"tickets": 3}),
        failed=["group_memberships"],
    )

    assert lines == [
        "Summary of 'groups': 25 records",
        "Summary of 'tickets': 1,200 records, 3 skipped without a primary key, "
        "values nulled: due_at 1, via.source.at 2",
        "Run summary: 1,225 records in 12.5 s, 14 requests (2 answered with an error); "
        "failed streams: group_memberships",
    ]


def test_a_sync_ends_with_its_summary(zendesk_sandbox_factory, caplog) -> None:
    server = zendesk_sandbox_factory(tickets=40, seed=9)
    with caplog.at_level(logging.INFO, logger="tap-zendesk"):
        result = run_sync(tap_config(server), streams={"groups", "users"})

    summary = [r.getMessage() for r in caplog.records if "ummary" in r.getMessage()]
    assert summary[:2] == [
        f"Summary of 'groups': {len(result.ids('groups')):,} records",
        f"Summary of 'users': {len(result.ids('users')):,} records",
    ]
    assert summary[2].startswith(
        f"Run summary: {len(result.ids('groups')) + len(result.ids('users')):,} records in "
    )
    assert summary[2].endswith(f" s, {len(server.requests)} requests (0 answered with an error)")
