"""The export-fed streams of the sandbox: ticket events, metric events, identities (no tap here)."""

from collections import Counter

import pytest

from tap_zendesk.sandbox import SandboxAccount
from tap_zendesk.sandbox.factories import epoch, iso
from tap_zendesk.sandbox.history import (
    ATTRIBUTES,
    MUTABLE_KINDS,
    NOT_ATTRIBUTES,
    as_text,
    ticket_state,
)

EVENTS = "/api/v2/incremental/ticket_events.json"
METRIC_EVENTS = "/api/v2/incremental/ticket_metric_events.json"
USERS_CURSOR = "/api/v2/incremental/users/cursor.json"
USERS_TIME = "/api/v2/incremental/users.json"
NOW = 1_800_000_000
CHANGE_KINDS = {
    "status", "priority", "type", "assignee_id", "group_id", "organization_id",
    "ticket_form_id", "custom_status_id", "subject", "tags", "custom_ticket_fields",
}  # fmt: skip
METRIC_EVENT_KEYS = {"id", "ticket_id", "metric", "instance_id", "type", "time", "deleted"}


@pytest.fixture(scope="module")
def account() -> SandboxAccount:
    """A read-only account shared by the tests that don't mutate."""
    return SandboxAccount.generate(tickets=300, seed=5)


@pytest.fixture
def server(zendesk_sandbox_factory, manual_clock):
    """A 150-ticket sandbox on a clock that only moves when a test says so."""
    return zendesk_sandbox_factory(tickets=150, seed=3, clock=manual_clock)


def time_export(session, url, key, params):
    """Follow ``next_page`` to ``end_of_stream``; return the items, deduplicated by id."""
    items, pages = {}, 0
    response = session.get(url, params=params)
    while True:
        assert response.status_code == 200, response.text
        body = response.json()
        items.update((item["id"], item) for item in body[key])
        pages += 1
        if body["end_of_stream"]:
            return list(items.values())
        assert pages < 200, "export did not end"
        response = session.get(body["next_page"])


def all_events(session, server, **params):
    """Every ticket event the export serves now."""
    return time_export(session, server.url + EVENTS, "ticket_events", {"start_time": 0, **params})


def all_metric_events(session, server, **params):
    """Every metric event the export serves now."""
    return time_export(
        session, server.url + METRIC_EVENTS, "ticket_metric_events", {"start_time": 0, **params}
    )


def changed_attributes(child):
    """Attributes a Create/Change child sets, parsed generically (zendesk-api-more §8)."""
    return {k for k in child if k not in NOT_ATTRIBUTES}


def field_children(events, event_type):
    return [
        child
        for event in events
        for child in event["child_events"]
        if child["event_type"] == event_type
    ]


def replay(audits):
    """Replay Create/Change children per ticket into ``{ticket_id: state}``."""
    states = {}
    for audit in sorted(audits, key=lambda a: (a["timestamp"], a["id"])):
        state = states.setdefault(audit["ticket_id"], {})
        for child in audit["child_events"]:
            if child["event_type"] not in ("Create", "Change"):
                continue
            for name in changed_attributes(child):
                if name == "custom_ticket_fields":
                    state.update((int(k), v) for k, v in child[name].items())
                else:
                    state[name] = child[name]
    return states


def set_values(state):
    """A state without unset (null or empty) attributes: creation leaves those out."""
    return {k: v for k, v in state.items() if v is not None and v != []}


# -- ticket events: change kinds -------------------------------------------------------------


def test_generated_history_changes_every_kind(account):
    changes = field_children(account.expected("ticket_audits"), "Change")
    assert set().union(*map(changed_attributes, changes)) == CHANGE_KINDS


def test_creation_sets_one_property_per_create_child(account):
    creates = field_children(account.expected("ticket_audits"), "Create")
    assert all(len(changed_attributes(c)) == 1 for c in creates)
    assert set().union(*map(changed_attributes, creates)) == {*ATTRIBUTES, "custom_ticket_fields"}


def test_creation_children_carry_no_previous_value(account):
    creates = field_children(account.expected("ticket_audits"), "Create")
    assert not any("previous_value" in c for c in creates)


def test_tag_changes_list_all_added_and_removed_tags(account):
    tags = [c for c in field_children(account.expected("ticket_audits"), "Change") if "tags" in c]
    assert all(
        set(c["added_tags"]) == set(c["tags"]) - set(c["previous_value"])
        and set(c["removed_tags"]) == set(c["previous_value"]) - set(c["tags"])
        for c in tags
    )
    assert any(c["removed_tags"] for c in tags)
    assert any(c["added_tags"] for c in tags)


def test_custom_field_changes_name_one_field_by_its_id_with_the_previous_value(account):
    changes = [
        c
        for c in field_children(account.expected("ticket_audits"), "Change")
        if "custom_ticket_fields" in c
    ]
    assert all(len(c["custom_ticket_fields"]) == 1 for c in changes)
    assert all(next(iter(c["custom_ticket_fields"])).isdigit() for c in changes)
    assert any(c["previous_value"] is not None for c in changes)


def test_notification_and_cc_children_are_present(account):
    kinds = Counter(
        child["event_type"]
        for event in account.expected("ticket_audits")
        for child in event["child_events"]
    )
    assert kinds["Notification"] > 0
    assert kinds["Cc"] > 0


def test_merges_name_the_merged_tickets_and_other_audits_lack_the_key(account):
    audits = account.expected("ticket_audits")
    merges = [a for a in audits if "merged_ticket_ids" in a]
    assert merges
    assert all(len(a["merged_ticket_ids"]) == 1 for a in merges)
    assert all(a["merged_ticket_ids"][0] < a["ticket_id"] for a in merges)


def test_field_change_children_carry_the_via_name_as_a_string(account):
    changes = field_children(account.expected("ticket_audits"), "Change")
    assert {type(c["via"]) for c in changes} == {str}


def test_closing_is_done_by_the_system(account):
    closes = [
        event
        for event in account.expected("ticket_audits")
        for child in event["child_events"]
        if child.get("status") == "closed" and child["event_type"] == "Change"
    ]
    assert closes
    assert {e["updater_id"] for e in closes} == {-1}


def test_replaying_the_history_gives_each_tickets_final_values(account):
    tickets = {t["id"]: t for t in account.expected("tickets")}
    states = replay(account.expected("ticket_audits"))
    assert states
    assert all(
        set_values(state) == set_values(ticket_state(tickets[ticket_id]))
        for ticket_id, state in states.items()
    )


def test_archived_tickets_keep_their_events_and_deleted_tickets_lose_theirs(account):
    ticket_ids = {e["ticket_id"] for e in account.expected("ticket_audits")}
    deleted = {t["id"] for t in account.expected("tickets") if t["status"] == "deleted"}
    assert account.archived <= ticket_ids
    assert deleted
    assert not deleted & ticket_ids


# -- ticket events: mutations ----------------------------------------------------------------


def test_a_mutation_batch_changes_every_kind_on_old_tickets():
    fresh = SandboxAccount.generate(tickets=200, seed=1)
    changes = fresh.mutate(seed=2, now=NOW)
    old_tickets = [
        e
        for e in fresh.expected("ticket_audits")
        if e["timestamp"] == changes.stamp and e["ticket_id"] <= 200
    ]
    kinds = set().union(*map(changed_attributes, field_children(old_tickets, "Change")))
    assert kinds == CHANGE_KINDS


def test_updates_spread_every_mutable_kind_even_over_two_tickets():
    fresh = SandboxAccount.generate(tickets=100, seed=1)
    live = [i for i in fresh.tickets.ids if i not in fresh.archived and fresh.is_live(i)]
    changes = fresh.update_tickets(live[:2], now=NOW)
    batch = [e for e in fresh.expected("ticket_audits") if e["timestamp"] == changes.stamp]
    kinds = set().union(*map(changed_attributes, field_children(batch, "Change")))
    assert kinds == {*MUTABLE_KINDS, "status", "custom_status_id", "assignee_id"}


def test_history_still_replays_to_final_values_after_mutations():
    fresh = SandboxAccount.generate(tickets=120, seed=4)
    fresh.mutate(seed=1, now=NOW)
    fresh.mutate(seed=2, now=NOW + 10)
    tickets = {t["id"]: t for t in fresh.expected("tickets")}
    states = replay(fresh.expected("ticket_audits"))
    assert all(
        set_values(state) == set_values(ticket_state(tickets[ticket_id]))
        for ticket_id, state in states.items()
    )


def test_changeset_names_exactly_the_batchs_audits_and_history_rows():
    fresh = SandboxAccount.generate(tickets=150, seed=2)
    changes = fresh.mutate(seed=3, now=NOW)
    audits = [a for a in fresh.expected("ticket_audits") if a["timestamp"] == changes.stamp]
    rows = fresh.expected("ticket_field_history")
    assert changes.keys("ticket_audits") == {a["id"] for a in audits}
    assert changes.keys("ticket_field_history") == {
        (r["event_id"], r["field_name"]) for r in rows if epoch(r["updated"]) == changes.stamp
    }


# -- ticket_audits and ticket_field_history expected records ---------------------------------


def test_expected_ticket_audits_equal_the_export_with_comment_events(server, session):
    served = all_events(session, server, include="comment_events")
    assert served == server.account.expected("ticket_audits")


def test_expected_field_history_matches_the_rendered_children(account):
    """The change model and its JSON agree: rows parsed from the export equal expected()."""
    parsed = []
    for event in account.expected("ticket_audits"):
        for child in event["child_events"]:
            if child["event_type"] not in ("Create", "Change"):
                continue
            for name in sorted(changed_attributes(child)):
                values = child[name] if name == "custom_ticket_fields" else {name: child[name]}
                parsed.extend(
                    (
                        event["id"],
                        child["id"],
                        field,
                        as_text(value),
                        as_text(child.get("previous_value")),
                        event["created_at"],
                        event["updater_id"],
                    )
                    for field, value in values.items()
                )
    expected = [
        (
            r["audit_id"],
            r["event_id"],
            r["field_name"],
            r["value"],
            r["previous_value"],
            r["updated"],
            r["updater_id"],
        )
        for r in account.expected("ticket_field_history")
    ]
    assert expected == parsed


def test_field_history_rows_have_exactly_the_documented_keys(account):
    keys = {frozenset(r) for r in account.expected("ticket_field_history")}
    assert keys == {
        frozenset(
            ("audit_id", "event_id", "ticket_id", "field_name", "value", "previous_value",
             "updated", "updater_id", "event_type")
        )
    }  # fmt: skip


def test_field_history_primary_keys_are_unique(account):
    rows = account.expected("ticket_field_history")
    assert len({(r["event_id"], r["field_name"]) for r in rows}) == len(rows)


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (None, None),
        (True, "true"),
        (False, "false"),
        (["billing", "vip"], "billing vip"),
        ([], ""),
        (360000000101, "360000000101"),
        (12.5, "12.5"),
        ("open", "open"),
    ],
)
def test_field_history_values_are_text(value, text):
    assert as_text(value) == text


# -- ticket metric events: shapes and paging -------------------------------------------------


def test_metric_events_export_has_the_time_based_envelope(server, session):
    body = session.get(server.url + METRIC_EVENTS, params={"start_time": 0, "per_page": 5}).json()
    assert set(body) == {"ticket_metric_events", "next_page", "count", "end_of_stream", "end_time"}
    assert body["count"] == len(body["ticket_metric_events"])
    assert body["end_of_stream"] is False


def test_metric_event_objects_follow_their_type(account):
    events = account.expected("ticket_metric_events", now=NOW)
    by_type = {}
    for event in events:
        by_type.setdefault(event["type"], set()).add(frozenset(event))
    base = frozenset(METRIC_EVENT_KEYS)
    assert by_type == {
        "activate": {base},
        "pause": {base},
        "fulfill": {base},
        "breach": {base},
        "measure": {base},
        "apply_sla": {base | {"sla"}},
        "apply_group_sla": {base | {"group_sla"}},
        "update_status": {base | {"status"}},
    }


def test_sla_objects_carry_target_business_hours_and_policy(account):
    slas = [e["sla"] for e in account.expected("ticket_metric_events", now=NOW) if "sla" in e]
    assert {frozenset(s) for s in slas} == {frozenset(("target", "business_hours", "policy"))}
    assert {frozenset(s["policy"]) for s in slas} == {frozenset(("id", "title", "description"))}


def test_sla_policies_of_metric_events_are_the_accounts_policies(account):
    policies = {(p["id"], p["title"], p["description"]) for p in account.expected("sla_policies")}
    used = {
        (s["policy"]["id"], s["policy"]["title"], s["policy"]["description"])
        for e in account.expected("ticket_metric_events", now=NOW)
        if (s := e.get("sla"))
    }
    assert used
    assert used <= policies


def test_every_metric_appears(account):
    metrics = {e["metric"] for e in account.expected("ticket_metric_events", now=NOW)}
    assert len(metrics) == 7


def test_tickets_have_about_ten_to_twenty_metric_events(account):
    per_ticket = Counter(e["ticket_id"] for e in account.expected("ticket_metric_events", now=NOW))
    assert 10 <= sum(per_ticket.values()) / len(per_ticket) <= 20


def test_metric_events_are_served_in_time_then_id_order(server, session):
    events = all_metric_events(session, server, per_page=100)
    keys = [(epoch(e["time"]), e["id"]) for e in events]
    assert keys == sorted(keys)


def test_metric_events_export_equals_expected(server, session, manual_clock):
    served = all_metric_events(session, server)
    assert served == server.account.expected("ticket_metric_events", now=int(manual_clock.now))


def test_metric_events_default_page_is_1000(server, session):
    body = session.get(server.url + METRIC_EVENTS, params={"start_time": 0}).json()
    assert 1000 <= body["count"] < 1100  # a tie group at the boundary may extend it


def test_metric_events_page_keeps_a_tie_group_whole(server, session):
    events = server.account.expected("ticket_metric_events", now=NOW)
    times = Counter(e["time"] for e in events)
    tie_time, size = next((t, n) for t, n in times.items() if n >= 5)
    start = epoch(tie_time)
    body = session.get(
        server.url + METRIC_EVENTS, params={"start_time": start, "per_page": 2}
    ).json()
    assert body["count"] == size
    assert body["end_time"] == start


def test_metric_events_exclude_deleted_drops_deleted_tickets_events(server, session):
    deleted = {t["id"] for t in server.account.expected("tickets") if t["status"] == "deleted"}
    everything = {e["ticket_id"] for e in all_metric_events(session, server)}
    kept = {e["ticket_id"] for e in all_metric_events(session, server, exclude_deleted="true")}
    assert deleted
    assert deleted <= everything
    assert not deleted & kept


def test_forbidden_metric_events_answer_403(server, session):
    server.account.set_forbidden("ticket_metric_events")
    response = session.get(server.url + METRIC_EVENTS, params={"start_time": 0})
    assert response.status_code == 403


# -- ticket metric events: breaches ahead and cancelled --------------------------------------


def new_ticket_breaches(server, session, ticket_ids, manual_clock):
    """The breach events of ``ticket_ids`` once every one is due (moves the clock 30 days)."""
    manual_clock.advance(30 * 86_400)
    return [
        e
        for e in all_metric_events(session, server)
        if e["ticket_id"] in ticket_ids and e["type"] == "breach"
    ]


def test_breaches_of_a_new_ticket_are_hidden_until_due(server, session, manual_clock):
    changes = server.account.create_tickets(5, now=int(manual_clock.now))
    now_served = all_metric_events(session, server)
    breaches = new_ticket_breaches(server, session, changes.keys("tickets"), manual_clock)
    assert breaches
    assert all(epoch(b["time"]) > changes.stamp + 3000 for b in breaches)
    assert not {b["id"] for b in breaches} & {e["id"] for e in now_served}


def test_new_ticket_events_at_the_stamp_are_served_at_once(server, session, manual_clock):
    changes = server.account.create_tickets(5, now=int(manual_clock.now))
    served = {
        e["id"]
        for e in all_metric_events(session, server)
        if e["ticket_id"] in changes.keys("tickets")
    }
    assert served == changes.keys("ticket_metric_events")


def test_a_reply_before_the_breach_cancels_it(server, session, manual_clock):
    created = server.account.create_tickets(5, now=int(manual_clock.now))
    manual_clock.advance(600)
    server.account.add_comments(created.keys("tickets"), now=int(manual_clock.now))
    breaches = new_ticket_breaches(server, session, created.keys("tickets"), manual_clock)
    replies = [b for b in breaches if b["metric"] == "reply_time"]
    assert replies
    assert all(b["deleted"] for b in replies)
    assert not any(b["deleted"] for b in breaches if b["metric"] == "resolution_time")


def test_generated_history_has_cancelled_and_real_breaches(account):
    breaches = Counter(
        e["deleted"]
        for e in account.expected("ticket_metric_events", now=NOW)
        if e["type"] == "breach"
    )
    assert breaches[True] > 0
    assert breaches[False] > 0


def test_expected_metric_events_leave_out_events_not_due(server, manual_clock):
    changes = server.account.create_tickets(3, now=int(manual_clock.now))
    ahead = server.account.expected("ticket_metric_events", now=int(manual_clock.now) + 30 * 86_400)
    now = server.account.expected("ticket_metric_events", now=int(manual_clock.now))
    assert len(ahead) > len(now)
    assert all(epoch(e["time"]) <= int(manual_clock.now) - 60 for e in now)
    assert changes.keys("ticket_metric_events") <= {e["id"] for e in now}


def test_mutation_adds_metric_events_for_changed_tickets():
    fresh = SandboxAccount.generate(tickets=150, seed=2)
    changes = fresh.mutate(seed=3, now=NOW)
    events = [
        e
        for e in fresh.expected("ticket_metric_events", now=NOW)
        if e["id"] in changes.keys("ticket_metric_events")
    ]
    assert {epoch(e["time"]) for e in events} == {changes.stamp}
    assert {e["ticket_id"] for e in events} <= changes.keys("tickets")
    assert {"fulfill", "activate"} <= {e["type"] for e in events}


# -- users export: identities sideload -------------------------------------------------------


@pytest.mark.parametrize("path", [USERS_CURSOR, USERS_TIME])
def test_users_export_sideloads_every_identity_of_the_page(server, session, path):
    body = session.get(
        server.url + path, params={"start_time": 0, "per_page": 50, "include": "identities"}
    ).json()
    users = {u["id"] for u in body["users"]}
    expected = [i for i in server.account.expected("user_identities") if i["user_id"] in users]
    assert users
    assert sorted(body["identities"], key=lambda i: i["id"]) == sorted(
        expected, key=lambda i: i["id"]
    )


@pytest.mark.parametrize("path", [USERS_CURSOR, USERS_TIME])
def test_users_export_has_no_identities_without_the_include(server, session, path):
    body = session.get(server.url + path, params={"start_time": 0, "per_page": 50}).json()
    assert "identities" not in body


def test_every_user_has_one_to_three_identities_the_first_its_primary_email(account):
    identities = account.expected("user_identities")
    users = {u["id"]: u for u in account.expected("users")}
    per_user = Counter(i["user_id"] for i in identities)
    primary = {i["user_id"]: i for i in identities if i["primary"]}
    assert set(per_user) == set(users)
    assert set(per_user.values()) <= {1, 2, 3}
    assert all(primary[u]["value"] == users[u]["email"] for u in users)
    assert {i["type"] for i in identities} == {"email", "phone_number", "twitter"}


def test_only_email_identities_carry_a_deliverable_state(account):
    identities = account.expected("user_identities")
    assert {i["type"] for i in identities if "deliverable_state" in i} == {"email"}


def test_identity_changes_bump_their_users_updated_at():
    fresh = SandboxAccount.generate(tickets=150, seed=2)
    changes = fresh.mutate(seed=3, now=NOW)
    stamp = iso(changes.stamp)
    changed = [i for i in fresh.expected("user_identities") if i["updated_at"] == stamp]
    users = {u["id"]: u for u in fresh.expected("users")}
    assert changed
    assert {users[i["user_id"]]["updated_at"] for i in changed} == {stamp}


def test_changeset_names_every_identity_of_every_changed_user():
    fresh = SandboxAccount.generate(tickets=150, seed=2)
    changes = fresh.mutate(seed=3, now=NOW)
    identities = fresh.expected("user_identities")
    assert changes.keys("user_identities") == {
        i["id"] for i in identities if i["user_id"] in changes.keys("users")
    }


def test_changed_email_identity_is_the_users_email():
    fresh = SandboxAccount.generate(tickets=150, seed=2)
    fresh.mutate(seed=3, now=NOW)
    users = {u["id"]: u for u in fresh.expected("users")}
    emails = [i for i in fresh.expected("user_identities") if i["type"] == "email"]
    assert any(i["value"].endswith("@example.net") for i in emails)
    assert all(users[i["user_id"]]["email"] == i["value"] for i in emails)


def test_set_forbidden_accepts_ticket_metric_events():
    fresh = SandboxAccount.generate(tickets=20, seed=1)
    fresh.set_forbidden("ticket_metric_events")
    assert fresh.forbidden == {"ticket_metric_events"}
