"""Syncs through injected faults and Zendesk-style rate limits: keep going, lose nothing."""

from __future__ import annotations

import pytest

from tap_zendesk.ratelimit import RateLimiter
from tap_zendesk.sandbox import FaultPlan, RateLimits
from tap_zendesk.sandbox.faults import FAULT_KINDS
from tests.expected import STREAMS, expected_records, key_of
from tests.sandbox_config import tap_config
from tests.tap_run import run_sync

# Seconds to minutes each: thousands of tickets through injected faults and real retry waits.
pytestmark = pytest.mark.slow


def assert_everything_emitted(server, result) -> None:
    for stream in STREAMS:
        expected = set(expected_records(server.account, stream))
        assert {key_of(stream, r) for r in result.records[stream]} == expected, stream


def test_sync_with_ten_percent_faults_misses_nothing(zendesk_sandbox_factory) -> None:
    plan = FaultPlan(rate=0.1, seed=7, slow_seconds=2.5, max_consecutive=3)
    server = zendesk_sandbox_factory(tickets=5000, seed=51, faults=plan)

    result = run_sync(tap_config(server, request_timeout=1), streams=set(STREAMS))

    assert_everything_emitted(server, result)
    faults = server.fault_counts()
    print(f"faults injected and survived: {dict(faults)}")
    assert sum(faults.values()) >= 5
    assert len(set(faults)) >= 3  # several kinds, not one


@pytest.mark.parametrize("kind", FAULT_KINDS)
def test_each_fault_kind_is_survived(zendesk_sandbox_factory, kind) -> None:
    plan = FaultPlan(rate=0.5, kinds=(kind,), seed=3, slow_seconds=2.5, max_consecutive=2)
    server = zendesk_sandbox_factory(tickets=1500, seed=52, faults=plan)

    result = run_sync(tap_config(server, request_timeout=1), streams={"tickets", "users"})

    for stream in ("tickets", "users"):
        assert set(result.ids(stream)) == {r["id"] for r in server.account.expected(stream)}
    assert server.fault_counts()[kind] >= 1


def limits() -> RateLimits:
    return RateLimits(requests_per_window=12, export_requests_per_window=4, window_seconds=2)


def test_pacing_by_the_rate_limit_headers_avoids_429s(zendesk_sandbox_factory) -> None:
    server = zendesk_sandbox_factory(tickets=3000, seed=53, rate_limits=limits())

    result = run_sync(tap_config(server), streams=set(STREAMS))

    assert_everything_emitted(server, result)
    print(f"429s with the limiter on: {server.throttled_count()}")
    assert server.throttled_count() == 0


def test_without_the_limiter_zendesk_throttles_but_retry_after_recovers(
    zendesk_sandbox_factory, monkeypatch
) -> None:
    monkeypatch.setattr(RateLimiter, "observe", lambda self, response: None)
    server = zendesk_sandbox_factory(tickets=3000, seed=53, rate_limits=limits())

    result = run_sync(tap_config(server), streams=set(STREAMS))

    assert_everything_emitted(server, result)
    print(f"429s with the limiter off: {server.throttled_count()}")
    assert server.throttled_count() > 0
