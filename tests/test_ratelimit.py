"""The shared request budget, on a fake clock: exact waits, no sleeping."""

from __future__ import annotations

import requests

from tap_zendesk.ratelimit import RateLimiter

ACCOUNT_URL = "https://acme.zendesk.com/api/v2/groups.json"
EXPORT_URL = "https://acme.zendesk.com/api/v2/incremental/tickets/cursor.json"


class FakeClock:
    def __init__(self) -> None:
        self.now = 1000.0
        self.slept: list[float] = []

    def __call__(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.slept.append(seconds)
        self.now += seconds


def limiter(clock: FakeClock, **kwargs) -> RateLimiter:
    return RateLimiter(clock=clock, sleep=clock.sleep, **kwargs)


def response(status: int = 200, **headers: str) -> requests.Response:
    result = requests.Response()
    result.status_code = status
    result.headers.update(headers)
    return result


def test_export_requests_are_paced_to_the_export_budget() -> None:
    clock = FakeClock()
    budget = limiter(clock, export_requests_per_minute=10)
    for _ in range(10):
        budget.acquire(EXPORT_URL)
    assert clock.slept == []
    budget.acquire(EXPORT_URL)
    assert clock.slept == [60.0]


def test_list_requests_do_not_spend_the_export_budget() -> None:
    clock = FakeClock()
    budget = limiter(clock, export_requests_per_minute=2)
    for _ in range(50):
        budget.acquire(ACCOUNT_URL)
    budget.acquire(EXPORT_URL)
    budget.acquire(EXPORT_URL)
    assert clock.slept == []
    assert (budget.stats.requests, budget.stats.export_requests) == (52, 2)


def test_account_budget_applies_to_every_request_when_configured() -> None:
    clock = FakeClock()
    budget = limiter(clock, requests_per_minute=3)
    budget.acquire(ACCOUNT_URL)
    clock.now += 10
    budget.acquire(EXPORT_URL)
    budget.acquire(ACCOUNT_URL)
    budget.acquire(ACCOUNT_URL)
    assert clock.slept == [50.0]  # until the first request leaves the one-minute window


def test_low_remaining_header_waits_for_the_reset() -> None:
    clock = FakeClock()
    budget = limiter(clock)
    budget.observe(response(**{"X-Rate-Limit-Remaining": "1", "ratelimit-reset": "17"}))
    budget.acquire(ACCOUNT_URL)
    assert clock.slept == [17.0]


def test_export_bucket_header_at_zero_blocks_only_exports() -> None:
    clock = FakeClock()
    budget = limiter(clock)
    budget.observe(
        response(**{"zendesk-ratelimit-incremental-exports": "total=10; remaining=0; resets=23"})
    )
    budget.acquire(ACCOUNT_URL)
    assert clock.slept == []
    budget.acquire(EXPORT_URL)
    assert clock.slept == [23.0]


def test_throttled_responses_are_counted() -> None:
    budget = limiter(FakeClock())
    budget.observe(response(429, **{"Retry-After": "3"}))
    budget.observe(response(200))
    assert budget.stats.throttled_responses == 1
