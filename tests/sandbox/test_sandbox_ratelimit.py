"""Zendesk-style rate limiting over a manual server clock (no waiting)."""

import pytest
import requests

from tap_zendesk.sandbox import FaultPlan, RateLimits, SandboxAccount

GROUPS = "/api/v2/groups"
EXPORT = "/api/v2/incremental/organizations.json?start_time=0"
ACCOUNT_HEADERS = (
    "X-Rate-Limit",
    "X-Rate-Limit-Remaining",
    "ratelimit-limit",
    "ratelimit-remaining",
    "ratelimit-reset",
)
EXPORT_HEADER = "zendesk-ratelimit-incremental-exports"


@pytest.fixture(scope="module")
def account() -> SandboxAccount:
    """A small read-only account shared by this module's servers."""
    return SandboxAccount.generate(tickets=20, seed=1)


@pytest.fixture
def serve(zendesk_sandbox_factory, account, manual_clock):
    """Return ``serve(**limits)``: a sandbox on the manual clock enforcing 2 s windows."""

    def make(**limits):
        limits = {"window_seconds": 2.0, **limits}
        return zendesk_sandbox_factory(
            account=account, clock=manual_clock, rate_limits=RateLimits(**limits)
        )

    return make


def account_headers(response):
    return {name: response.headers.get(name) for name in ACCOUNT_HEADERS}


def test_responses_carry_the_account_budget_headers(serve, session):
    server = serve(requests_per_window=5)
    response = session.get(server.url + GROUPS)
    assert account_headers(response) == {
        "X-Rate-Limit": "5",
        "X-Rate-Limit-Remaining": "4",
        "ratelimit-limit": "5",
        "ratelimit-remaining": "4",
        "ratelimit-reset": "2",
    }


def test_ratelimit_reset_counts_whole_seconds_to_the_window_end(serve, session, manual_clock):
    server = serve()
    manual_clock.advance(1.2)
    assert session.get(server.url + GROUPS).headers["ratelimit-reset"] == "1"


def test_remaining_counts_down_with_each_request(serve, session):
    server = serve(requests_per_window=5)
    remaining = [session.get(server.url + GROUPS).headers["ratelimit-remaining"] for _ in range(3)]
    assert remaining == ["4", "3", "2"]


def test_request_over_the_budget_gets_a_plain_text_429(serve, session, manual_clock):
    server = serve(requests_per_window=2)
    session.get(server.url + GROUPS)
    session.get(server.url + GROUPS)
    manual_clock.advance(0.5)
    response = session.get(server.url + GROUPS)
    assert response.status_code == 429
    assert response.headers["Content-Type"] == "text/plain; charset=utf-8"
    assert response.headers["Retry-After"] == "2"
    assert response.headers["X-Rate-Limit-Remaining"] == "0"
    assert response.text == "Number of allowed API requests per minute exceeded"


def test_budget_comes_back_in_the_next_window(serve, session, manual_clock):
    server = serve(requests_per_window=1)
    session.get(server.url + GROUPS)
    throttled = session.get(server.url + GROUPS).status_code
    manual_clock.advance(2.0)
    response = session.get(server.url + GROUPS)
    assert (throttled, response.status_code) == (429, 200)
    assert response.headers["ratelimit-remaining"] == "0"


def test_export_responses_carry_the_export_bucket_header(serve, session):
    server = serve(export_requests_per_window=3)
    response = session.get(server.url + EXPORT)
    assert response.headers[EXPORT_HEADER] == "total=3; remaining=2; resets=2"


def test_list_responses_carry_no_export_bucket_header(serve, session):
    server = serve()
    assert EXPORT_HEADER not in session.get(server.url + GROUPS).headers


def test_exports_over_their_budget_get_a_429_with_the_buckets_reset(serve, session, manual_clock):
    server = serve(export_requests_per_window=1)
    session.get(server.url + EXPORT)
    manual_clock.advance(1.5)
    response = session.get(server.url + EXPORT)
    assert response.status_code == 429
    assert response.headers["Retry-After"] == "1"
    assert response.headers[EXPORT_HEADER] == "total=1; remaining=0; resets=1"


def test_exhausted_export_budget_leaves_other_endpoints_alone(serve, session):
    server = serve(export_requests_per_window=1)
    session.get(server.url + EXPORT)
    assert session.get(server.url + EXPORT).status_code == 429
    assert session.get(server.url + GROUPS).status_code == 200


def test_exports_also_draw_on_the_account_budget(serve, session):
    server = serve(requests_per_window=10)
    session.get(server.url + EXPORT)
    assert session.get(server.url + GROUPS).headers["X-Rate-Limit-Remaining"] == "8"


def test_throttled_requests_do_not_draw_on_the_budget(serve, session, manual_clock):
    server = serve(requests_per_window=1)
    session.get(server.url + GROUPS)
    session.get(server.url + GROUPS)
    manual_clock.advance(2.0)
    assert session.get(server.url + GROUPS).status_code == 200


def test_throttled_count_counts_the_limiters_429s(serve, session):
    server = serve(requests_per_window=1)
    codes = [session.get(server.url + GROUPS).status_code for _ in range(3)]
    assert codes == [200, 429, 429]
    assert server.throttled_count() == 2


def test_throttled_count_leaves_out_injected_429s(
    zendesk_sandbox_factory, account, session, manual_clock
):
    server = zendesk_sandbox_factory(
        account=account,
        clock=manual_clock,
        rate_limits=RateLimits(requests_per_window=1),
        faults=FaultPlan(rate=1.0, kinds=["429"], burst=0, max_consecutive=1),
    )
    codes = [session.get(server.url + GROUPS).status_code for _ in range(4)]
    assert codes == [429, 200, 429, 429]
    assert (server.fault_counts()["429"], server.throttled_count()) == (2, 1)


def test_without_limits_the_default_budget_is_reported_but_never_enforced(
    zendesk_sandbox_factory, account, session, manual_clock
):
    server = zendesk_sandbox_factory(account=account, clock=manual_clock)
    for _ in range(3):
        response = session.get(server.url + EXPORT)
    assert response.status_code == 200
    assert response.headers["X-Rate-Limit"] == "700"
    assert response.headers["ratelimit-remaining"] == "697"
    assert EXPORT_HEADER not in response.headers
    assert server.throttled_count() == 0


def test_default_limits_are_zendesks():
    assert RateLimits() == RateLimits(
        requests_per_window=700, export_requests_per_window=10, window_seconds=60.0
    )


def test_requests_outside_api_v2_are_not_counted(serve, session):
    server = serve(requests_per_window=2)
    requests.post(server.url + "/oauth/tokens", data={"grant_type": "nope"}, timeout=5)
    assert session.get(server.url + GROUPS).headers["ratelimit-remaining"] == "1"


@pytest.mark.parametrize(
    "options",
    [{"requests_per_window": 0}, {"export_requests_per_window": 0}, {"window_seconds": 0}],
)
def test_limits_reject_impossible_budgets(options):
    with pytest.raises(ValueError, match=r"rate limits|window_seconds"):
        RateLimits(**options)
