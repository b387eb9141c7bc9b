"""The resource registry: every list and single-page resource, served by style, consistent data."""

import json

import pytest

from tap_zendesk.sandbox import SandboxAccount
from tap_zendesk.sandbox.config_content import CUSTOM_TYPES
from tap_zendesk.sandbox.factories import CUSTOM_STATUS_IDS, RATING_REASONS, TICKET_FIELD_IDS
from tap_zendesk.sandbox.resources import BY_STREAM, RESOURCES, STREAMS

PAGED = [r.stream for r in RESOURCES if r.style == "cursor_list"]
SINGLE = [r.stream for r in RESOURCES if r.style == "single_page"]


@pytest.fixture(scope="module")
def account() -> SandboxAccount:
    return SandboxAccount.generate(tickets=400, seed=21)


@pytest.fixture
def server(zendesk_sandbox_factory):
    return zendesk_sandbox_factory(tickets=400, seed=21)


def url_of(server, stream: str) -> str:
    resource = BY_STREAM[stream]
    path = resource.path
    if stream == "schedule_holidays":
        schedule_id = server.account.config.tables["schedules"].ids[0]
        path = path.replace(r"(?P<schedule_id>\d+)", str(schedule_id))
    return f"{server.url}/api/v2/{path}.json"


def walk(session, url: str, key: str, size: int, **params: str) -> tuple[list[dict], int]:
    """Follow `links.next` from the first page; return the records and the pages read."""
    records, pages = [], 0
    response = session.get(url, params={"page[size]": size, **params})
    while True:
        assert response.status_code == 200, response.text
        body = response.json()
        records.extend(body[key])
        pages += 1
        if not body["meta"]["has_more"]:
            return records, pages
        response = session.get(body["links"]["next"])


@pytest.mark.parametrize("stream", PAGED)
def test_a_cursor_list_resource_pages_through_every_record(server, session, stream) -> None:
    resource = BY_STREAM[stream]
    expected = server.account.expected(stream)

    # What the tap asks for: who created each ticket field.
    params = {"creator": "true"} if stream == "ticket_fields" else {}
    records, pages = walk(session, url_of(server, stream), resource.key, size=2, **params)

    assert records == json.loads(json.dumps(expected))
    assert pages == max(1, -(-len(expected) // 2))


@pytest.mark.parametrize("stream", SINGLE)
def test_a_single_page_resource_answers_everything_at_once(server, session, stream) -> None:
    resource = BY_STREAM[stream]
    body = session.get(url_of(server, stream)).json()

    expected = server.account.expected(stream)
    if stream == "schedule_holidays":
        first = server.account.config.tables["schedules"].ids[0]
        expected = [
            {k: v for k, v in h.items() if k != "schedule_id"}
            for h in expected
            if h["schedule_id"] == first
        ]
    assert body == {
        resource.key: json.loads(json.dumps(expected)),
        "count": len(expected),
        "next_page": None,
        "previous_page": None,
    }


def test_ticket_fields_say_who_created_them_only_when_asked(server, session) -> None:
    url = url_of(server, "ticket_fields")
    plain, _ = walk(session, url, "ticket_fields", size=100)
    asked, _ = walk(session, url, "ticket_fields", size=100, creator="true")
    assert not any("creator_user_id" in f for f in plain)
    assert all("creator_user_id" in f for f in asked)
    assert {f["creator_app_name"] for f in asked} == {None, "Order Sync"}


def test_tags_are_listed_most_popular_first(server, session) -> None:
    tags, _ = walk(session, url_of(server, "tags"), "tags", size=4)
    counts = [t["count"] for t in tags]
    assert counts == sorted(counts, reverse=True)
    assert len({t["name"] for t in tags}) == len(tags)


def test_holidays_of_an_unknown_schedule_are_not_found(server, session) -> None:
    response = session.get(f"{server.url}/api/v2/business_hours/schedules/1/holidays.json")
    assert response.status_code == 404


@pytest.mark.parametrize("stream", ["categories", "sections", "articles"])
def test_help_center_answers_404_on_an_account_without_it(server, session, stream) -> None:
    server.account.config.help_center = False
    assert session.get(url_of(server, stream)).status_code == 404


@pytest.mark.parametrize("stream", STREAMS)
def test_every_registry_stream_can_be_forbidden(server, session, stream) -> None:
    server.account.set_forbidden(stream)
    assert session.get(url_of(server, stream)).status_code == 403


def test_plan_gated_resources_are_the_ones_zendesk_gates() -> None:
    gated = {r.stream for r in RESOURCES if r.plan_gated}
    assert gated == {
        "ticket_forms",
        "sla_policies",
        "custom_roles",
        "schedules",
        "schedule_holidays",
        "satisfaction_reasons",
    }


def test_a_sort_the_resource_does_not_offer_is_rejected(server, session) -> None:
    response = session.get(url_of(server, "tags"), params={"page[size]": 5, "sort": "updated_at"})
    assert response.status_code == 400


# -- consistency with the rest of the account ---------------------------------------------------


def test_ticket_fields_define_every_custom_field_tickets_carry(account) -> None:
    fields = {f["id"]: f for f in account.expected("ticket_fields")}
    carried = {v["id"] for t in account.expected("tickets") for v in t["custom_fields"]}
    assert carried == set(TICKET_FIELD_IDS.values())
    assert carried <= set(fields)
    assert {fields[i]["type"] for i in carried} == CUSTOM_TYPES
    assert 10 <= len(fields) <= 20


def test_option_fields_list_the_values_tickets_use(account) -> None:
    # Tickets also keep the values of options deleted since (factories.ticket_custom_fields).
    deleted_options = {"tier_platinum", "product_legacy"}
    fields = {f["id"]: f for f in account.expected("ticket_fields")}
    for kind in ("tagger", "multiselect"):
        field_id = TICKET_FIELD_IDS[kind]
        options = {o["value"] for o in fields[field_id]["custom_field_options"]}
        used = set()
        for ticket in account.expected("tickets"):
            value = next(v["value"] for v in ticket["custom_fields"] if v["id"] == field_id)
            used.update(value if isinstance(value, list) else [value] if value else [])
        assert used - deleted_options <= options, kind


def test_some_fields_are_inactive(account) -> None:
    for stream in ("ticket_fields", "user_fields", "organization_fields"):
        assert any(not f["active"] for f in account.expected(stream)), stream


def test_user_and_organization_fields_define_the_keys_records_carry(account) -> None:
    user_keys = {k for u in account.expected("users") for k in u["user_fields"]}
    org_keys = {k for o in account.expected("organizations") for k in o["organization_fields"]}
    assert {f["key"] for f in account.expected("user_fields")} == user_keys
    assert {f["key"] for f in account.expected("organization_fields")} == org_keys


def test_custom_statuses_define_every_status_id_tickets_carry(account) -> None:
    statuses = {s["id"] for s in account.expected("custom_statuses")}
    assert set(CUSTOM_STATUS_IDS.values()) <= statuses
    assert {t["custom_status_id"] for t in account.expected("tickets")} <= statuses


def test_satisfaction_reasons_define_every_reason_ratings_give(account) -> None:
    reasons = {r["id"] for r in account.expected("satisfaction_reasons")}
    assert {r[0] for r in RATING_REASONS if r[0] is not None} <= reasons
    given = {r["reason_id"] for r in account.expected("satisfaction_ratings")} - {None}
    assert given <= reasons


def test_the_agents_custom_role_counts_its_members(account) -> None:
    roles = {r["id"]: r for r in account.expected("custom_roles")}
    staff = [u for u in account.expected("users") if u["custom_role_id"] is not None]
    role_id = staff[0]["custom_role_id"]
    assert roles[role_id]["team_member_count"] == len(staff)


def test_deleted_tickets_are_the_tickets_whose_status_is_deleted(account) -> None:
    tickets = {t["id"]: t for t in account.expected("tickets")}
    deleted = account.expected("deleted_tickets")
    assert {d["id"] for d in deleted} == {i for i, t in tickets.items() if t["status"] == "deleted"}
    assert deleted
    for record in deleted:
        assert record["subject"] == tickets[record["id"]]["subject"]
        assert record["previous_state"] in ("new", "open", "pending", "hold", "solved")


def test_every_schedule_has_holidays(account) -> None:
    schedules = {s["id"] for s in account.expected("schedules")}
    holidays = account.expected("schedule_holidays")
    assert 2 <= len(schedules) <= 3
    assert {h["schedule_id"] for h in holidays} == schedules


def test_skips_carry_a_ticket_of_the_account(account) -> None:
    tickets = {t["id"] for t in account.expected("tickets")}
    skips = account.expected("ticket_skips")
    assert skips
    assert all(s["ticket"]["id"] == s["ticket_id"] and s["ticket_id"] in tickets for s in skips)


def test_articles_live_in_sections_of_categories(account) -> None:
    categories = {c["id"] for c in account.expected("categories")}
    sections = {s["id"]: s for s in account.expected("sections")}
    assert all(s["category_id"] in categories for s in sections.values())
    assert all(a["section_id"] in sections for a in account.expected("articles"))


def test_the_same_seed_gives_the_same_configuration() -> None:
    first = SandboxAccount.generate(tickets=100, seed=4)
    second = SandboxAccount.generate(tickets=100, seed=4)
    assert all(first.expected(s) == second.expected(s) for s in STREAMS)


# -- mutation ------------------------------------------------------------------------------------


@pytest.fixture
def mutated() -> tuple[SandboxAccount, dict[str, list[dict]], object]:
    account = SandboxAccount.generate(tickets=400, seed=22)
    before = {stream: account.expected(stream) for stream in STREAMS}
    changes = account.mutate(seed=3, fraction=0.05)
    return account, before, changes


def by_key(records: list[dict], key: str = "id") -> dict:
    return {r[key]: r for r in records}


def test_mutate_updates_one_macro(mutated) -> None:
    account, before, changes = mutated
    (macro_id,) = changes.keys("macros")
    old, new = by_key(before["macros"])[macro_id], by_key(account.expected("macros"))[macro_id]
    assert new["title"] != old["title"]
    assert new["updated_at"] > old["updated_at"]


def test_mutate_deletes_one_trigger_which_vanishes(mutated) -> None:
    account, before, _ = mutated
    gone = set(by_key(before["triggers"])) - set(by_key(account.expected("triggers")))
    assert len(gone) == 1
    assert len(account.expected("triggers")) == len(before["triggers"]) - 1


def test_mutate_renames_one_ticket_field(mutated) -> None:
    account, before, changes = mutated
    (field_id,) = changes.keys("ticket_fields")
    old = by_key(before["ticket_fields"])[field_id]
    assert by_key(account.expected("ticket_fields"))[field_id]["title"] != old["title"]


@pytest.mark.parametrize(
    "stream", ["deleted_users", "suspended_tickets", "ticket_skips", "articles", "deleted_tickets"]
)
def test_mutate_reports_exactly_the_new_or_changed_rows(mutated, stream) -> None:
    account, before, changes = mutated
    old = {json.dumps(r, sort_keys=True) for r in before[stream]}
    changed = {
        r["id"] for r in account.expected(stream) if json.dumps(r, sort_keys=True) not in old
    }
    assert changed
    assert changes.keys(stream) == changed


def test_mutate_reports_the_tags_whose_count_changed(mutated) -> None:
    account, before, changes = mutated
    old = {t["name"]: t["count"] for t in before["tags"]}
    new = {t["name"]: t["count"] for t in account.expected("tags")}
    changed = {name for name in old.keys() | new.keys() if old.get(name) != new.get(name)}
    assert changed
    assert changes.keys("tags") == changed
