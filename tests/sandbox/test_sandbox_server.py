"""The sandbox over real HTTP, with a plain ``requests`` client."""

import base64
import socket
import struct
import time
from collections import Counter

import pytest
import requests

from tap_zendesk.sandbox import ChangeSet, Credentials, SandboxAccount, SandboxServer
from tap_zendesk.sandbox.factories import DATA_END, epoch

TICKETS_EXPORT = "/api/v2/incremental/tickets/cursor.json"
USERS_EXPORT = "/api/v2/incremental/users/cursor.json"
ORGS_EXPORT = "/api/v2/incremental/organizations.json"
EVENTS_EXPORT = "/api/v2/incremental/ticket_events.json"


def follow_cursor_export(session, url, params=None):
    """Follow ``after_url`` until ``end_of_stream``; return (records, responses)."""
    records, responses = [], []
    response = session.get(url, params=params)
    while True:
        assert response.status_code == 200, response.text
        body = response.json()
        responses.append(body)
        key = next(k for k in ("tickets", "users") if k in body)
        records.extend(body[key])
        if body["end_of_stream"]:
            return records, responses
        assert len(responses) < 100, "export did not end"
        response = session.get(body["after_url"])


def follow_time_export(session, url, key, params):
    """Follow ``next_page`` until ``end_of_stream``; return the pages.

    Like a careful client (reference §4.4), step past a tie group bigger than a page: when a
    full page ends at its own start_time, ``next_page`` would return the same page forever.
    """
    pages = []
    per_page = int(params.get("per_page", 1000))
    start_time = params["start_time"]
    response = session.get(url, params=params)
    while True:
        assert response.status_code == 200, response.text
        body = response.json()
        pages.append(body)
        if body["end_of_stream"]:
            return pages
        assert len(pages) < 100, "export did not end"
        if body["end_time"] == start_time and body["count"] >= per_page:
            start_time = body["end_time"] + 1
            response = session.get(url, params={**params, "start_time": start_time})
        else:
            start_time = body["end_time"]
            response = session.get(body["next_page"])


def follow_list(session, url, key, params=None):
    """Follow ``links.next`` until ``meta.has_more`` is false; return (records, pages)."""
    records, pages = [], 0
    response = session.get(url, params=params)
    while True:
        assert response.status_code == 200, response.text
        body = response.json()
        pages += 1
        records.extend(body[key])
        if not body["meta"]["has_more"]:
            return records, pages
        response = session.get(body["links"]["next"])


# -- cursor-based exports --------------------------------------------------------------------


def test_cursor_export_reaches_every_ticket_exactly_once(zendesk_sandbox_factory, session):
    server = zendesk_sandbox_factory(tickets=1200)
    records, _ = follow_cursor_export(
        session, server.url + TICKETS_EXPORT, {"start_time": 0, "per_page": 500}
    )
    assert sorted(t["id"] for t in records) == list(range(1, 1201))


def test_cursor_export_returns_the_expected_tickets(zendesk_sandbox, session):
    records, _ = follow_cursor_export(
        session, zendesk_sandbox.url + TICKETS_EXPORT, {"start_time": 0}
    )
    assert sorted(records, key=lambda t: t["id"]) == zendesk_sandbox.account.expected("tickets")


def test_cursor_export_orders_by_generated_timestamp_then_id(zendesk_sandbox, session):
    records, _ = follow_cursor_export(
        session, zendesk_sandbox.url + TICKETS_EXPORT, {"start_time": 0, "per_page": 50}
    )
    keys = [(t["generated_timestamp"], t["id"]) for t in records]
    assert keys == sorted(keys)


def test_first_cursor_request_answers_an_empty_page_that_is_not_the_end(zendesk_sandbox, session):
    _, responses = follow_cursor_export(
        session, zendesk_sandbox.url + TICKETS_EXPORT, {"start_time": 0, "per_page": 100}
    )
    second = responses[1]
    assert (second["tickets"], second["end_of_stream"]) == ([], False)
    assert second["after_cursor"] != responses[0]["after_cursor"]
    assert len(responses[2]["tickets"]) == 100


def test_empty_page_quirk_can_be_switched_off(zendesk_sandbox_factory, session):
    server = zendesk_sandbox_factory(empty_page_quirk=False)
    _, responses = follow_cursor_export(
        session, server.url + TICKETS_EXPORT, {"start_time": 0, "per_page": 100}
    )
    assert [len(r["tickets"]) for r in responses] == [100, 100]


def test_first_export_page_has_no_before_cursor(zendesk_sandbox, session):
    body = session.get(zendesk_sandbox.url + TICKETS_EXPORT, params={"start_time": 0}).json()
    assert (body["before_cursor"], body["before_url"]) == (None, None)


@pytest.mark.slow
def test_cursor_pages_straddle_the_bulk_update_tie_group(zendesk_sandbox_factory, session):
    server = zendesk_sandbox_factory(tickets=2000, empty_page_quirk=False)
    url = server.url + TICKETS_EXPORT
    first = session.get(url, params={"start_time": 0, "per_page": 1000}).json()
    second = session.get(first["after_url"]).json()
    assert (
        first["tickets"][-1]["generated_timestamp"] == second["tickets"][0]["generated_timestamp"]
    )


def test_cursor_export_start_time_is_inclusive(zendesk_sandbox, session):
    tickets = zendesk_sandbox.account.expected("tickets")
    start = sorted(t["generated_timestamp"] for t in tickets)[100]
    url = zendesk_sandbox.url + TICKETS_EXPORT
    records, _ = follow_cursor_export(session, url, {"start_time": start})
    assert {t["id"] for t in records} == {
        t["id"] for t in tickets if t["generated_timestamp"] >= start
    }


def test_cursor_export_hides_the_last_minute(zendesk_sandbox_factory, session):
    clock_now = DATA_END - 86_400
    server = zendesk_sandbox_factory(clock=lambda: clock_now)
    records, _ = follow_cursor_export(session, server.url + TICKETS_EXPORT, {"start_time": 0})
    visible = [
        t for t in server.account.expected("tickets") if t["generated_timestamp"] <= clock_now - 60
    ]
    assert sorted(t["id"] for t in records) == [t["id"] for t in visible]


def test_cursor_export_can_exclude_deleted_tickets(zendesk_sandbox, session):
    url = zendesk_sandbox.url + TICKETS_EXPORT
    records, _ = follow_cursor_export(session, url, {"start_time": 0, "exclude_deleted": "true"})
    live = [
        t["id"] for t in zendesk_sandbox.account.expected("tickets") if t["status"] != "deleted"
    ]
    assert sorted(t["id"] for t in records) == live


def test_metric_sets_sideload_embeds_each_tickets_metric_set(zendesk_sandbox, session):
    url = zendesk_sandbox.url + TICKETS_EXPORT
    records, _ = follow_cursor_export(session, url, {"start_time": 0, "include": "metric_sets"})
    embedded = [t["metric_set"] for t in records if t["metric_set"] is not None]
    deleted = [t for t in records if t["status"] == "deleted"]
    expected = zendesk_sandbox.account.expected("ticket_metrics")
    assert sorted(embedded, key=lambda m: m["id"]) == expected
    assert all(t["metric_set"] is None for t in deleted)


def test_users_cursor_export_returns_the_expected_users(zendesk_sandbox, session):
    records, _ = follow_cursor_export(
        session, zendesk_sandbox.url + USERS_EXPORT, {"start_time": 0}
    )
    assert sorted(records, key=lambda u: u["id"]) == zendesk_sandbox.account.expected("users")


def test_after_mutation_the_old_cursor_yields_exactly_the_changed_tickets(zendesk_sandbox, session):
    url = zendesk_sandbox.url + TICKETS_EXPORT
    params = {"start_time": 0, "include": "metric_sets"}
    _, responses = follow_cursor_export(session, url, params)
    changes = zendesk_sandbox.account.mutate(seed=2, fraction=0.05)
    cursor = responses[-1]["after_cursor"]
    records, _ = follow_cursor_export(session, url, {"cursor": cursor, "include": "metric_sets"})
    assert {t["id"] for t in records} == changes.keys("tickets")
    assert {t["metric_set"]["id"] for t in records if t["metric_set"]} == changes.keys(
        "ticket_metrics"
    )


def test_after_mutation_the_old_cursor_yields_exactly_the_changed_users(zendesk_sandbox, session):
    url = zendesk_sandbox.url + USERS_EXPORT
    _, responses = follow_cursor_export(session, url, {"start_time": 0})
    changes = zendesk_sandbox.account.mutate(seed=2, fraction=0.05)
    records, _ = follow_cursor_export(session, url, {"cursor": responses[-1]["after_cursor"]})
    assert {u["id"] for u in records} == changes.keys("users")


def test_garbage_cursor_is_rejected(zendesk_sandbox, session):
    response = session.get(zendesk_sandbox.url + TICKETS_EXPORT, params={"cursor": "garbage"})
    assert response.status_code == 400
    assert response.json() == {
        "error": "InvalidCursor",
        "description": "cursor is invalid or expired",
    }


def test_too_recent_start_time_is_rejected(zendesk_sandbox, session):
    response = session.get(
        zendesk_sandbox.url + TICKETS_EXPORT, params={"start_time": int(time.time())}
    )
    assert response.status_code == 422
    assert response.json() == {
        "error": "InvalidValue",
        "description": "Too recent start_time. Use a start_time older than 1 minute",
    }


def test_missing_start_time_is_rejected(zendesk_sandbox, session):
    response = session.get(zendesk_sandbox.url + TICKETS_EXPORT)
    assert response.status_code == 400
    assert response.json() == {"error": "InvalidValue", "description": "start_time is required"}


def test_per_page_above_1000_is_rejected(zendesk_sandbox, session):
    response = session.get(
        zendesk_sandbox.url + TICKETS_EXPORT, params={"start_time": 0, "per_page": 1001}
    )
    assert response.status_code == 400


# -- time-based exports ----------------------------------------------------------------------


def test_time_export_extends_a_page_to_the_whole_tie_group(zendesk_sandbox_factory, session):
    server = zendesk_sandbox_factory(tickets=50, org_tie_group=1500)
    tie = Counter(o["updated_at"] for o in server.account.expected("organizations")).most_common(1)
    tie_ts = epoch(tie[0][0])
    pages = follow_time_export(
        session, server.url + ORGS_EXPORT, "organizations", {"start_time": 0}
    )
    page = next(p for p in pages if p["end_time"] == tie_ts)
    tied = [o for o in page["organizations"] if epoch(o["updated_at"]) == tie_ts]
    assert page["count"] > 1000
    assert len(tied) == 1500


def test_time_export_page_inside_a_tie_group_bigger_than_a_page_ends_where_it_started(
    zendesk_sandbox_factory, session
):
    server = zendesk_sandbox_factory(tickets=50, org_tie_group=1500)
    tie = Counter(o["updated_at"] for o in server.account.expected("organizations")).most_common(1)
    tie_ts = epoch(tie[0][0])
    body = session.get(server.url + ORGS_EXPORT, params={"start_time": tie_ts}).json()
    assert (body["count"], body["end_time"], body["end_of_stream"]) == (1500, tie_ts, False)
    assert body["next_page"].endswith(f"start_time={tie_ts}")


def test_time_export_next_page_starts_at_end_time(zendesk_sandbox, session):
    body = session.get(
        zendesk_sandbox.url + ORGS_EXPORT, params={"start_time": 0, "per_page": 5}
    ).json()
    assert body["next_page"].endswith(f"?start_time={body['end_time']}&per_page=5")
    assert body["end_time"] == epoch(body["organizations"][-1]["updated_at"])


def test_time_export_next_page_after_the_end_repeats_the_boundary_items(zendesk_sandbox, session):
    url = zendesk_sandbox.url + ORGS_EXPORT
    last = follow_time_export(session, url, "organizations", {"start_time": 0})[-1]
    again = session.get(last["next_page"]).json()
    boundary = [o for o in last["organizations"] if epoch(o["updated_at"]) == last["end_time"]]
    assert again["organizations"] == boundary
    assert again["end_of_stream"] is True


def test_time_export_start_time_is_inclusive(zendesk_sandbox, session):
    organization = zendesk_sandbox.account.expected("organizations")[3]
    start = epoch(organization["updated_at"])
    body = session.get(zendesk_sandbox.url + ORGS_EXPORT, params={"start_time": start}).json()
    assert body["organizations"][0]["updated_at"] == organization["updated_at"]


def test_time_export_too_recent_start_time_is_rejected(zendesk_sandbox, session):
    response = session.get(
        zendesk_sandbox.url + ORGS_EXPORT, params={"start_time": int(time.time())}
    )
    assert response.status_code == 422


def test_after_mutation_organizations_newer_than_end_time_are_the_changed_ones(
    zendesk_sandbox, session
):
    url = zendesk_sandbox.url + ORGS_EXPORT
    last = follow_time_export(session, url, "organizations", {"start_time": 0})[-1]
    changes = zendesk_sandbox.account.mutate(seed=3, fraction=0.05)
    pages = follow_time_export(session, url, "organizations", {"start_time": last["end_time"]})
    newer = {
        o["id"]
        for p in pages
        for o in p["organizations"]
        if epoch(o["updated_at"]) > last["end_time"]
    }
    assert newer == changes.keys("organizations")


def test_ticket_events_with_comment_events_carry_every_expected_comment(zendesk_sandbox, session):
    pages = follow_time_export(
        session,
        zendesk_sandbox.url + EVENTS_EXPORT,
        "ticket_events",
        {"start_time": 0, "include": "comment_events"},
    )
    comments = {
        child["id"]: child
        for page in pages
        for event in page["ticket_events"]
        for child in event["child_events"]
        if child["event_type"] in ("Comment", "VoiceComment")
    }
    expected = zendesk_sandbox.account.expected("ticket_comments")
    assert sorted(comments) == sorted(c["id"] for c in expected)
    sample = expected[0]
    assert comments[sample["id"]]["body"] == sample["body"]


def test_ticket_events_carry_the_metadata_of_their_comments(zendesk_sandbox, session):
    pages = follow_time_export(
        session,
        zendesk_sandbox.url + EVENTS_EXPORT,
        "ticket_events",
        {"start_time": 0, "include": "comment_events"},
    )
    audit_metadata = {
        child["id"]: event["metadata"]
        for page in pages
        for event in page["ticket_events"]
        for child in event["child_events"]
        if child["event_type"] in ("Comment", "VoiceComment")
    }
    expected = zendesk_sandbox.account.expected("ticket_comments")
    assert all(audit_metadata[c["id"]] == c["metadata"] for c in expected)


def test_ticket_events_without_comment_events_carry_only_comment_flags(zendesk_sandbox, session):
    body = session.get(
        zendesk_sandbox.url + EVENTS_EXPORT, params={"start_time": 0, "per_page": 1}
    ).json()
    event = body["ticket_events"][0]
    comment = next(c for c in event["child_events"] if c["event_type"] == "Comment")
    assert isinstance(event["via"], str)
    assert set(comment) == {
        "id", "via", "via_reference_id", "comment_present", "comment_public", "event_type"
    }  # fmt: skip


# -- cursor-paginated lists ------------------------------------------------------------------


def test_groups_list_omits_deleted_groups(zendesk_sandbox, session):
    records, pages = follow_list(
        session, zendesk_sandbox.url + "/api/v2/groups.json", "groups", {"page[size]": 5}
    )
    live = [g for g in zendesk_sandbox.account.expected("groups") if not g["deleted"]]
    assert records == live
    assert pages == 5


def test_groups_list_with_exclude_deleted_false_returns_every_group(zendesk_sandbox, session):
    records, _ = follow_list(
        session,
        zendesk_sandbox.url + "/api/v2/groups",
        "groups",
        {"page[size]": 10, "exclude_deleted": "false"},
    )
    assert records == zendesk_sandbox.account.expected("groups")


@pytest.mark.parametrize(
    ("path", "key", "stream"),
    [
        ("/api/v2/group_memberships", "group_memberships", "group_memberships"),
        (
            "/api/v2/organization_memberships",
            "organization_memberships",
            "organization_memberships",
        ),
        ("/api/v2/satisfaction_ratings", "satisfaction_ratings", "satisfaction_ratings"),
        ("/api/v2/users", "users", "users"),
    ],
)
def test_lists_return_every_expected_record(zendesk_sandbox, session, path, key, stream):
    records, _ = follow_list(session, zendesk_sandbox.url + path, key, {"page[size]": 100})
    assert records == zendesk_sandbox.account.expected(stream)


def test_tickets_list_omits_archived_and_deleted_tickets(zendesk_sandbox, session):
    records, _ = follow_list(session, zendesk_sandbox.url + "/api/v2/tickets", "tickets")
    account = zendesk_sandbox.account
    listed = [
        t["id"]
        for t in account.expected("tickets")
        if t["status"] != "deleted" and t["id"] not in account.archived
    ]
    assert [t["id"] for t in records] == listed


def test_ticket_metrics_list_omits_archived_tickets(zendesk_sandbox, session):
    records, _ = follow_list(
        session, zendesk_sandbox.url + "/api/v2/ticket_metrics", "ticket_metrics"
    )
    assert not {m["ticket_id"] for m in records} & zendesk_sandbox.account.archived


def test_comments_list_pages_through_a_tickets_comments(zendesk_sandbox, session):
    account = zendesk_sandbox.account
    ticket_id = next(i for i, c in account.comments.items() if len(c) >= 5 and account.is_live(i))
    records, pages = follow_list(
        session,
        f"{zendesk_sandbox.url}/api/v2/tickets/{ticket_id}/comments.json",
        "comments",
        {"page[size]": 2},
    )
    expected = [c for c in account.expected("ticket_comments") if c["ticket_id"] == ticket_id]
    assert [{**c, "ticket_id": ticket_id} for c in records] == expected
    assert pages == (len(expected) + 1) // 2


def test_comments_of_a_deleted_ticket_are_not_found(zendesk_sandbox, session):
    deleted = next(
        t["id"] for t in zendesk_sandbox.account.expected("tickets") if t["status"] == "deleted"
    )
    response = session.get(f"{zendesk_sandbox.url}/api/v2/tickets/{deleted}/comments.json")
    assert response.status_code == 404
    assert response.json() == {"error": "RecordNotFound", "description": "Not found"}


def test_comments_of_a_ticket_deleted_by_mutation_are_not_found(zendesk_sandbox, session):
    changes = zendesk_sandbox.account.mutate(seed=4)
    ticket_id = min(changes.deleted_tickets)
    response = session.get(f"{zendesk_sandbox.url}/api/v2/tickets/{ticket_id}/comments")
    assert response.status_code == 404


def test_groups_list_pages_through_more_than_a_hundred_groups(zendesk_sandbox_factory, session):
    server = zendesk_sandbox_factory(tickets=20, groups=250)
    records, pages = follow_list(session, server.url + "/api/v2/groups", "groups")
    assert records == [g for g in server.account.expected("groups") if not g["deleted"]]
    assert (len(records), pages) == (247, 3)


def test_forbidden_ticket_comments_answer_403_on_a_tickets_comments(zendesk_sandbox, session):
    account = zendesk_sandbox.account
    ticket_id = next(i for i in account.comments if account.is_live(i))
    zendesk_sandbox.account.set_forbidden("ticket_comments")
    response = session.get(f"{zendesk_sandbox.url}/api/v2/tickets/{ticket_id}/comments.json")
    assert response.status_code == 403
    assert response.json()["error"]["title"] == "Forbidden"


def test_memberships_of_an_unknown_group_are_not_found(zendesk_sandbox, session):
    response = session.get(zendesk_sandbox.url + "/api/v2/groups/1/memberships.json")
    assert response.status_code == 404
    assert response.json() == {"error": "RecordNotFound", "description": "Not found"}


def test_memberships_of_a_group_are_that_groups_memberships(zendesk_sandbox, session):
    memberships = zendesk_sandbox.account.expected("group_memberships")
    group_id = memberships[0]["group_id"]
    records, _ = follow_list(
        session, f"{zendesk_sandbox.url}/api/v2/groups/{group_id}/memberships", "group_memberships"
    )
    assert records == [m for m in memberships if m["group_id"] == group_id]


def test_satisfaction_ratings_filter_on_updated_at(zendesk_sandbox, session):
    ratings = zendesk_sandbox.account.expected("satisfaction_ratings")
    times = sorted(epoch(r["updated_at"]) for r in ratings)
    start, end = times[5], times[15]
    records, _ = follow_list(
        session,
        zendesk_sandbox.url + "/api/v2/satisfaction_ratings",
        "satisfaction_ratings",
        {"start_time": start, "end_time": end},
    )
    assert {r["id"] for r in records} == {
        r["id"] for r in ratings if start <= epoch(r["updated_at"]) < end
    }


def test_satisfaction_ratings_sort_by_updated_at_descending(zendesk_sandbox, session):
    records, _ = follow_list(
        session,
        zendesk_sandbox.url + "/api/v2/satisfaction_ratings",
        "satisfaction_ratings",
        {"sort": "-updated_at", "page[size]": 7},
    )
    keys = [(r["updated_at"], r["id"]) for r in records]
    assert keys == sorted(keys, reverse=True)
    assert len(records) == len(zendesk_sandbox.account.expected("satisfaction_ratings"))


def test_page_size_above_100_is_rejected(zendesk_sandbox, session):
    response = session.get(zendesk_sandbox.url + "/api/v2/groups", params={"page[size]": 101})
    assert response.status_code == 400
    assert response.json() == {
        "error": "InvalidPaginationParameter",
        "description": "page[size] must be <= 100",
    }


def test_garbage_page_after_is_rejected(zendesk_sandbox, session):
    response = session.get(zendesk_sandbox.url + "/api/v2/groups", params={"page[after]": "xyz"})
    assert response.status_code == 400
    assert response.json() == {
        "error": "InvalidPaginationParameter",
        "description": "page[after] is not valid",
    }


def test_unsupported_sort_is_rejected(zendesk_sandbox, session):
    response = session.get(zendesk_sandbox.url + "/api/v2/groups", params={"sort": "name"})
    assert response.status_code == 400
    assert response.json()["description"] == "sort is not valid"


# -- authentication and access ---------------------------------------------------------------


def test_wrong_api_token_is_unauthorized(zendesk_sandbox):
    response = requests.get(
        zendesk_sandbox.url + "/api/v2/groups",
        auth=("sandbox@example.com/token", "wrong"),
        timeout=5,
    )
    assert response.status_code == 401
    assert response.json() == {"error": "Couldn't authenticate you"}


def test_missing_credentials_are_unauthorized(zendesk_sandbox):
    response = requests.get(zendesk_sandbox.url + "/api/v2/groups", timeout=5)
    assert response.status_code == 401
    assert response.json() == {"error": "Couldn't authenticate you"}


def test_wrong_bearer_token_is_unauthorized(zendesk_sandbox):
    response = requests.get(
        zendesk_sandbox.url + "/api/v2/groups", headers={"Authorization": "Bearer nope"}, timeout=5
    )
    assert response.status_code == 401
    assert response.json() == {
        "error": "invalid_token",
        "error_description": "The access token provided is expired, revoked, malformed or "
        "invalid for other reasons.",
    }


def test_bearer_access_token_is_accepted(zendesk_sandbox):
    response = requests.get(
        zendesk_sandbox.url + "/api/v2/groups",
        headers={"Authorization": "Bearer sandbox-access-token"},
        timeout=5,
    )
    assert response.status_code == 200


def test_custom_credentials_replace_the_defaults(zendesk_sandbox_factory):
    server = zendesk_sandbox_factory(
        credentials=Credentials(email="me@example.org", api_token="t0k")
    )
    good = requests.get(
        server.url + "/api/v2/groups", auth=("me@example.org/token", "t0k"), timeout=5
    )
    bad = requests.get(
        server.url + "/api/v2/groups",
        auth=("sandbox@example.com/token", "sandbox-api-token"),
        timeout=5,
    )
    assert (good.status_code, bad.status_code) == (200, 401)


def test_users_me_answers_an_anonymous_user_without_credentials(zendesk_sandbox):
    response = requests.get(zendesk_sandbox.url + "/api/v2/users/me.json", timeout=5)
    assert response.status_code == 200
    assert response.json()["user"]["id"] is None
    assert response.json()["user"]["name"] == "Anonymous user"


def test_users_me_answers_the_account_owner_with_credentials(zendesk_sandbox, session):
    user = session.get(zendesk_sandbox.url + "/api/v2/users/me.json").json()["user"]
    assert user["id"] == zendesk_sandbox.account.admin_id
    assert user["role"] == "admin"


def test_forbidden_stream_answers_403_until_switched_back(zendesk_sandbox, session):
    url = zendesk_sandbox.url + "/api/v2/satisfaction_ratings"
    zendesk_sandbox.account.set_forbidden("satisfaction_ratings", forbidden=True)
    forbidden = session.get(url)
    zendesk_sandbox.account.set_forbidden("satisfaction_ratings", forbidden=False)
    assert forbidden.status_code == 403
    assert forbidden.json() == {
        "error": {
            "title": "Forbidden",
            "message": "You do not have access to this page. Please contact the account owner "
            "of this help desk for further help.",
        }
    }
    assert session.get(url).status_code == 200


def test_unknown_endpoint_is_not_found(zendesk_sandbox, session):
    response = session.get(zendesk_sandbox.url + "/api/v2/no_such_things.json")
    assert response.status_code == 404
    assert response.json() == {"error": "InvalidEndpoint", "description": "Not found"}


# -- HTTP behaviour --------------------------------------------------------------------------


def test_pagination_urls_echo_the_host_and_the_path_style(zendesk_sandbox, session):
    body = session.get(
        zendesk_sandbox.url + "/api/v2/groups",
        params={"page[size]": 2},
        headers={"Host": "acme.zendesk.test:8443"},
    ).json()
    assert body["links"]["next"].startswith("http://acme.zendesk.test:8443/api/v2/groups?")


def test_export_urls_keep_the_json_suffix_of_the_request(zendesk_sandbox, session):
    body = session.get(zendesk_sandbox.url + TICKETS_EXPORT, params={"start_time": 0}).json()
    assert body["after_url"].startswith(zendesk_sandbox.url + TICKETS_EXPORT + "?cursor=")


def test_responses_are_keep_alive_http_1_1_json(zendesk_sandbox, session):
    response = session.get(zendesk_sandbox.url + "/api/v2/groups")
    assert response.raw.version == 11
    assert response.headers["Content-Type"] == "application/json; charset=utf-8"
    assert int(response.headers["Content-Length"]) == len(response.content)
    assert response.headers["X-Rate-Limit"] == "700"
    assert "X-Rate-Limit-Remaining" in response.headers


def test_request_counts_group_requests_by_endpoint_family(zendesk_sandbox, session):
    url = zendesk_sandbox.url
    session.get(url + "/api/v2/tickets/1/comments.json")
    session.get(url + "/api/v2/tickets/2/comments")
    session.get(url + "/api/v2/groups.json")
    assert zendesk_sandbox.request_counts() == Counter({"tickets/{id}/comments": 2, "groups": 1})


def test_request_log_records_method_path_query_and_status(zendesk_sandbox, session):
    session.get(zendesk_sandbox.url + "/api/v2/groups", params={"page[size]": 3})
    assert zendesk_sandbox.requests == [("GET", "/api/v2/groups", {"page[size]": "3"}, 200)]


def test_reset_request_log_forgets_requests(zendesk_sandbox, session):
    session.get(zendesk_sandbox.url + "/api/v2/groups")
    zendesk_sandbox.reset_request_log()
    assert zendesk_sandbox.requests == []


def test_admin_mutate_endpoint_returns_the_changeset(zendesk_sandbox):
    response = requests.post(
        zendesk_sandbox.url + "/__sandbox/mutate?seed=2&fraction=0.05", timeout=5
    )
    body = response.json()
    assert response.status_code == 200
    assert set(body["keys"]) == set(ChangeSet(stamp=0).changed)  # every stream it tracks
    assert body["keys"]["tickets"]


def test_admin_stats_endpoint_reports_request_counts(zendesk_sandbox, session):
    session.get(zendesk_sandbox.url + "/api/v2/groups")
    body = requests.get(zendesk_sandbox.url + "/__sandbox/stats", timeout=5).json()
    assert body == {"requests": 1, "counts": {"groups": 1}}


def test_tap_config_for_api_token(zendesk_sandbox):
    assert zendesk_sandbox.tap_config() == {
        "subdomain": "sandbox",
        "api_url": zendesk_sandbox.url,
        "email": "sandbox@example.com",
        "api_token": "sandbox-api-token",
        "start_date": "2000-01-01T00:00:00Z",
    }


def test_tap_config_for_access_token(zendesk_sandbox):
    assert zendesk_sandbox.tap_config(auth="access_token") == {
        "subdomain": "sandbox",
        "api_url": zendesk_sandbox.url,
        "access_token": "sandbox-access-token",
        "start_date": "2000-01-01T00:00:00Z",
    }


def test_server_works_as_a_context_manager():
    account = SandboxAccount.generate(tickets=20, seed=1)
    with SandboxServer(account).start() as server:
        status = requests.get(server.url + "/api/v2/users/me", timeout=5).status_code
    assert status == 200
    with pytest.raises(RuntimeError):
        _ = server.url


def test_client_leaving_mid_response_does_not_disturb_the_server(zendesk_sandbox_factory, capfd):
    server = zendesk_sandbox_factory(tickets=1000)
    token = base64.b64encode(b"sandbox@example.com/token:sandbox-api-token").decode()
    request = (
        f"GET {TICKETS_EXPORT}?start_time=0 HTTP/1.1\r\nHost: x\r\n"
        f"Authorization: Basic {token}\r\n\r\n"
    ).encode()
    for _ in range(3):
        with socket.create_connection((server.host, server.port)) as client:
            client.sendall(request)
            client.recv(100)
            # Reset instead of closing politely, while the server is still writing.
            client.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    response = requests.get(server.url + "/api/v2/users/me", timeout=5)
    assert response.status_code == 200
    assert capfd.readouterr().err == ""
