"""The request benchmark's bookkeeping: endpoints come from the tap's declarations, requests
are attributed to endpoints, and each endpoint's minimum follows issue 8's floors."""

from __future__ import annotations

import json
import sys
from contextlib import redirect_stdout
from pathlib import Path

import pytest
import requests

sys.path.insert(0, str(Path(__file__).parents[1] / "benchmarks"))

from request_floor import (
    OTHER,
    StreamOutcome,
    Style,
    build_report,
    endpoints_of,
)
from sync_run import ExportItems, MessageSink, export_horizon, run_tap

from tap_zendesk.exports import Export
from tap_zendesk.sandbox import SandboxAccount, SandboxServer
from tap_zendesk.sandbox.server import LoggedRequest
from tap_zendesk.tap import TapZendesk

CONFIG = {
    "subdomain": "sandbox",
    "email": "admin@example.com",
    "api_token": "not-a-secret",
    "start_date": "2000-01-01T00:00:00Z",
}


@pytest.fixture(scope="module")
def endpoints():
    return endpoints_of(TapZendesk(config=dict(CONFIG), parse_env_config=False))


def endpoint(endpoints, family):
    return next(e for e in endpoints if e.family == family)


def outcomes(endpoints, **records):
    names = [name for e in endpoints for name in e.streams]
    return {name: StreamOutcome(name, records.get(name, 0)) for name in names}


def get(family, times, status=200):
    return [LoggedRequest("GET", f"/api/v2/{family}.json", {}, status)] * times


def row(report, family):
    return next(r for r in report.rows if r.endpoint.family == family)


def test_every_tap_stream_is_in_exactly_one_classified_endpoint(endpoints):
    tap = TapZendesk(config=dict(CONFIG), parse_env_config=False)
    listed = [name for e in endpoints for name in e.streams]
    assert sorted(listed) == sorted(tap.streams)
    assert [e.family for e in endpoints if e.style is Style.UNKNOWN] == []


def test_streams_of_one_export_share_its_endpoint(endpoints):
    shared = {e.family: set(e.streams) for e in endpoints if len(e.streams) > 1}
    assert shared == {
        "incremental/tickets/cursor": {"tickets", "ticket_metrics"},
        "incremental/users/cursor": {"users", "user_identities"},
        "incremental/ticket_events": {"ticket_audits", "ticket_comments", "ticket_field_history"},
    }


def test_a_child_stream_is_one_request_per_parent_record(endpoints):
    holidays = endpoint(endpoints, "business_hours/schedules/{id}/holidays")
    assert (holidays.style, holidays.parent) == (Style.CHILD, "schedules")
    report = build_report(
        "sync",
        endpoints,
        get("business_hours/schedules/1/holidays", 3),
        outcomes(endpoints, schedules=3, schedule_holidays=40),
        {},
        0.0,
    )
    assert (row(report, holidays.family).requests, row(report, holidays.family).minimum) == (3, 3)


def test_an_export_costs_one_request_per_thousand_items_read_for_all_its_streams(endpoints):
    report = build_report(
        "sync",
        endpoints,
        get("incremental/ticket_events", 3),
        outcomes(endpoints, ticket_audits=2001, ticket_comments=5000, ticket_field_history=9000),
        {"incremental/ticket_events": 2001},
        0.0,
    )
    events = row(report, "incremental/ticket_events")
    assert (events.requests, events.minimum, events.export_requests) == (3, 3, 3)
    assert events.records == 16001


def test_an_export_that_read_nothing_still_costs_one_request(endpoints):
    report = build_report("sync", endpoints, [], outcomes(endpoints), {}, 0.0)
    assert row(report, "incremental/organizations").minimum == 1


def test_a_list_costs_one_request_per_hundred_records_emitted(endpoints):
    report = build_report(
        "sync", endpoints, get("groups", 3), outcomes(endpoints, groups=201), {}, 0.0
    )
    assert (row(report, "groups").minimum, row(report, "groups").export_requests) == (3, 0)


def test_a_single_page_endpoint_costs_one_request(endpoints):
    report = build_report(
        "sync", endpoints, get("custom_roles", 1), outcomes(endpoints, custom_roles=4), {}, 0.0
    )
    assert row(report, "custom_roles").minimum == 1


@pytest.mark.parametrize(("requests_made", "above"), [(11, False), (12, True)])
def test_an_endpoint_is_above_the_floor_past_one_point_one_times_its_minimum(
    endpoints, requests_made, above
):
    report = build_report(
        "sync", endpoints, get("groups", requests_made), outcomes(endpoints, groups=1000), {}, 0.0
    )
    assert row(report, "groups").above_floor is above


def test_requests_to_endpoints_no_stream_declares_are_reported_apart_at_minimum_zero(endpoints):
    report = build_report(
        "sync", endpoints, get("tickets/7/comments", 2), outcomes(endpoints), {}, 0.0
    )
    other = row(report, OTHER)
    assert (other.requests, other.minimum, other.basis) == (
        2,
        0,
        "not needed: tickets/{id}/comments 2",
    )


def page(items):
    response = requests.Response()
    response.status_code = 200
    response.url = "https://sandbox.zendesk.com/api/v2/incremental/organizations.json"
    response._content = json.dumps({"organizations": items}).encode()
    return response


def test_export_items_repeated_on_the_next_time_based_page_count_once():
    exports = {
        "incremental/organizations": Export("/incremental/organizations.json", "organizations", "t")
    }
    items = ExportItems(exports)
    items(page([{"id": 1, "t": 100}, {"id": 2, "t": 200}]))
    items(page([{"id": 2, "t": 200}, {"id": 3, "t": 300}]))
    assert items.read_since("incremental/organizations", 0) == 3


def test_export_items_before_the_starting_point_are_not_needed():
    exports = {
        "incremental/organizations": Export("/incremental/organizations.json", "organizations", "t")
    }
    items = ExportItems(exports)
    items(page([{"id": 1, "t": 100}, {"id": 2, "t": 200}, {"id": 3, "t": 300}]))
    assert items.read_since("incremental/organizations", 200) == 2


def test_an_export_starts_where_its_least_advanced_stream_stands():
    state = {
        "bookmarks": {
            "users": {"export_position": 500},
            "user_identities": {"export_position": 400},
        }
    }
    assert export_horizon(state, ("users", "user_identities")) == 400


def test_an_export_starts_at_the_beginning_when_one_of_its_streams_has_no_position():
    state = {"bookmarks": {"users": {"export_position": 500}, "user_identities": {}}}
    assert export_horizon(state, ("users", "user_identities")) == 0


def test_messages_on_stdouts_bytes_side_are_read_like_text():
    sink = MessageSink({"groups": ("id",)})
    with redirect_stdout(sink):
        sys.stdout.buffer.write(b'{"type": "RECORD", "stream": "groups", "record": {"id": 1}}\n')
        sys.stdout.write('{"type": "RECORD", "stream": "groups", "record": {"id": 2}}\n')
    assert sink.keys["groups"] == [1, 2]


def test_a_stream_the_server_refuses_is_reported_as_that_streams_outcome():
    account = SandboxAccount.generate(tickets=20, seed=1)
    account.set_forbidden("sla_policies")
    with SandboxServer(account).start() as server:
        config = {**server.tap_config(), "export_requests_per_minute": 100_000}
        declared = endpoints_of(TapZendesk(config=dict(config), parse_env_config=False))
        run = run_tap(config, None, declared, verbose=False)
    refused = run.outcomes["sla_policies"]
    assert (refused.status, refused.records) == ("skipped", 0)
    assert refused.reason.startswith("no access to 'sla_policies' (403 Forbidden")
    assert run.outcomes["tickets"].records == 20


def test_a_list_without_a_change_filter_costs_the_whole_list_when_few_rows_changed(endpoints):
    report = build_report(
        "sync",
        endpoints,
        get("skips", 21),
        outcomes(endpoints, ticket_skips=1),
        {},
        0.0,
        {"skips": 2003},
    )
    skips = row(report, "skips")
    assert (skips.minimum, skips.above_floor) == (21, False)


def test_a_newest_first_list_costs_its_new_rows_and_the_first_it_already_had(endpoints):
    assert endpoint(endpoints, "deleted_tickets").style is Style.NEWEST_FIRST
    report = build_report(
        "sync",
        endpoints,
        get("deleted_tickets", 2),
        outcomes(endpoints, deleted_tickets=100),
        {},
        0.0,
        {"deleted_tickets": 417},
    )
    deleted = row(report, "deleted_tickets")
    assert (deleted.minimum, deleted.above_floor) == (2, False)
