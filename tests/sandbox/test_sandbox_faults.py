"""Fault injection, observed by a plain ``requests`` client."""

import base64
import http.client
import itertools
import json
import time
from collections import Counter

import pytest
import requests

from tap_zendesk.sandbox import FaultPlan, SandboxAccount
from tap_zendesk.sandbox.faults import FAULT_KINDS

GROUPS = "/api/v2/groups"
EXPORT = "/api/v2/incremental/organizations.json?start_time=0"
SANDBOX_AUTH = ("sandbox@example.com/token", "sandbox-api-token")


@pytest.fixture(scope="module")
def account() -> SandboxAccount:
    """A small read-only account shared by this module's servers."""
    return SandboxAccount.generate(tickets=20, seed=1)


@pytest.fixture
def serve(zendesk_sandbox_factory, account):
    """Return ``serve(**plan)``: a started sandbox over the shared account with that plan."""
    return lambda **plan: zendesk_sandbox_factory(account=account, faults=FaultPlan(**plan))


def statuses(session, url, n):
    return [session.get(url).status_code for _ in range(n)]


def run_lengths(codes, status):
    return [len(list(run)) for code, run in itertools.groupby(codes) if code == status]


# -- each kind -------------------------------------------------------------------------------


def test_500_fault_answers_an_internal_server_error(serve, session):
    server = serve(rate=1.0, kinds=["500"])
    response = session.get(server.url + GROUPS)
    assert response.status_code == 500
    assert response.json() == {"error": "InternalServerError"}


def test_502_fault_answers_an_html_gateway_page(serve, session):
    server = serve(rate=1.0, kinds=["502"])
    response = session.get(server.url + GROUPS)
    assert response.status_code == 502
    assert response.headers["Content-Type"] == "text/html; charset=utf-8"
    assert "<title>502 Bad Gateway</title>" in response.text


def test_503_fault_asks_to_retry_after_one_second(serve, session):
    server = serve(rate=1.0, kinds=["503"])
    response = session.get(server.url + GROUPS)
    assert response.status_code == 503
    assert response.headers["Retry-After"] == "1"
    assert response.json() == {"error": "ServiceUnavailable"}


def test_429_fault_is_plain_text_with_retry_after(serve, session):
    server = serve(rate=1.0, kinds=["429"])
    response = session.get(server.url + GROUPS)
    assert response.status_code == 429
    assert response.headers["Retry-After"] == "1"
    assert response.headers["Content-Type"] == "text/plain; charset=utf-8"
    assert response.text == "Number of allowed API requests per minute exceeded"


def test_drop_fault_closes_the_connection_without_a_response(serve, session):
    server = serve(rate=1.0, kinds=["drop"])
    with pytest.raises(requests.ConnectionError):
        session.get(server.url + GROUPS)


def test_dropped_request_is_logged_with_status_0(serve, session):
    server = serve(rate=1.0, kinds=["drop"])
    with pytest.raises(requests.ConnectionError):
        session.get(server.url + GROUPS)
    assert server.requests == [("GET", GROUPS, {}, 0)]


def test_truncated_fault_breaks_off_the_body(serve, session):
    server = serve(rate=1.0, kinds=["truncated"])
    with pytest.raises((requests.exceptions.ChunkedEncodingError, requests.ConnectionError)):
        session.get(server.url + GROUPS)


def test_truncated_fault_sends_half_the_announced_body(serve):
    server = serve(rate=1.0, kinds=["truncated"])
    connection = http.client.HTTPConnection(server.host, server.port, timeout=5)
    token = base64.b64encode(b"sandbox@example.com/token:sandbox-api-token").decode()
    connection.request("GET", GROUPS, headers={"Authorization": f"Basic {token}"})
    response = connection.getresponse()
    announced = int(response.headers["Content-Length"])
    with pytest.raises(http.client.IncompleteRead) as error:
        response.read()
    connection.close()
    assert len(error.value.partial) == announced // 2


def test_slow_fault_times_out_a_short_read_timeout(serve):
    server = serve(rate=1.0, kinds=["slow"], slow_seconds=5.0)
    with pytest.raises(requests.ReadTimeout):
        requests.get(server.url + GROUPS, auth=SANDBOX_AUTH, timeout=0.05)


def test_slow_fault_answers_a_patient_client_in_full(serve, session):
    server = serve(rate=1.0, kinds=["slow"], slow_seconds=0.05)
    response = session.get(server.url + GROUPS, timeout=5)
    assert response.status_code == 200
    assert len(response.json()["groups"]) == 22


def test_client_hanging_up_on_a_slow_response_leaves_no_traceback(serve, capfd):
    server = serve(rate=1.0, kinds=["slow"], slow_seconds=30.0)
    with pytest.raises(requests.ReadTimeout):
        requests.get(server.url + GROUPS, auth=SANDBOX_AUTH, timeout=0.05)
    # The handler notices the hang-up instead of sitting out 30 s; wait for it to finish.
    deadline = time.monotonic() + 5
    while server.open_connections() and time.monotonic() < deadline:
        time.sleep(0.005)
    assert server.open_connections() == 0
    assert capfd.readouterr().err == ""


def test_invalid_json_fault_is_a_200_with_a_cut_body_of_matching_length(serve, session):
    server = serve(rate=1.0, kinds=["invalid_json"])
    response = session.get(server.url + GROUPS)
    assert response.status_code == 200
    assert int(response.headers["Content-Length"]) == len(response.content)
    with pytest.raises(json.JSONDecodeError):
        json.loads(response.content)


# -- which requests fault --------------------------------------------------------------------


def test_same_seed_faults_the_same_requests(serve, session):
    plan = {"rate": 0.3, "kinds": ["500", "502", "503"], "seed": 7}
    first = statuses(session, serve(**plan).url + GROUPS, 40)
    second = statuses(session, serve(**plan).url + GROUPS, 40)
    assert first == second
    assert set(first) == {200, 500, 502, 503}


def test_another_seed_faults_other_requests(serve, session):
    plan = {"rate": 0.3, "kinds": ["500"]}
    assert statuses(session, serve(**plan, seed=1).url + GROUPS, 40) != statuses(
        session, serve(**plan, seed=2).url + GROUPS, 40
    )


def test_max_consecutive_lets_a_request_through_after_n_faults(serve, session):
    server = serve(rate=1.0, kinds=["500"], max_consecutive=2)
    assert statuses(session, server.url + GROUPS, 6) == [500, 500, 200, 500, 500, 200]


def test_429_fault_is_a_burst_of_one_plus_burst_requests(serve, session):
    # max_consecutive is far above the burst, so nothing but the burst shapes the runs.
    server = serve(rate=0.1, kinds=["429"], burst=2, max_consecutive=10, seed=5)
    codes = statuses(session, server.url + GROUPS, 80)
    assert run_lengths(codes, 429) == [3] * 9


def test_max_consecutive_cuts_a_429_burst_short(serve, session):
    server = serve(rate=1.0, kinds=["429"], burst=5, max_consecutive=2)
    assert statuses(session, server.url + GROUPS, 6) == [429, 429, 200, 429, 429, 200]


def test_paths_restrict_faults_to_matching_prefixes(serve, session):
    server = serve(rate=1.0, kinds=["500"], paths=["/api/v2/incremental/"])
    assert session.get(server.url + GROUPS).status_code == 200
    assert session.get(server.url + EXPORT).status_code == 500


def test_zero_rate_injects_nothing(serve, session):
    server = serve(rate=0.0)
    assert set(statuses(session, server.url + GROUPS, 20)) == {200}
    assert server.fault_counts() == Counter()


def test_fault_counts_count_each_faulted_request_by_kind(serve, session):
    server = serve(rate=1.0, kinds=["500", "503"], max_consecutive=1, seed=5)
    codes = statuses(session, server.url + GROUPS, 20)
    assert server.fault_counts() == Counter({"500": codes.count(500), "503": codes.count(503)})
    assert sum(server.fault_counts().values()) == 10


def test_requests_outside_api_v2_never_fault(serve):
    server = serve(rate=1.0, kinds=["500"], max_consecutive=10)
    response = requests.post(
        server.url + "/oauth/tokens",
        data={
            "grant_type": "client_credentials",
            "client_id": "sandbox-client",
            "client_secret": "sandbox-client-secret",
        },
        timeout=5,
    )
    assert response.status_code == 200
    assert server.fault_counts() == Counter()


# -- the plan --------------------------------------------------------------------------------


def test_plan_keeps_kinds_in_canonical_order():
    assert FaultPlan(rate=0.5, kinds={"drop", "500", "429"}).kinds == ("500", "429", "drop")


def test_plan_defaults_to_every_kind():
    assert FaultPlan().kinds == FAULT_KINDS


@pytest.mark.parametrize(
    "options",
    [
        {"kinds": ["404"]},
        {"kinds": []},
        {"rate": 1.5},
        {"max_consecutive": 0},
        {"burst": -1},
    ],
)
def test_plan_rejects_impossible_values(options):
    with pytest.raises(ValueError, match=r"fault|max_consecutive"):
        FaultPlan(**options)
