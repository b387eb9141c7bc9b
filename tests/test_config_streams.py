"""Definition, configuration, deleted-record and Help Center streams against the sandbox.

Each stream's records equal the sandbox's, at the fewest requests the API allows: one per 100
records on cursor lists, one per single-page endpoint, one per schedule for holidays.
"""

from __future__ import annotations

import json
import logging
from collections import Counter

import pytest

from tap_zendesk.sandbox import SandboxAccount, SandboxServer
from tap_zendesk.sandbox.resources import BY_STREAM, RESOURCES
from tap_zendesk.streams import STREAM_TYPES
from tests.sandbox_config import tap_config
from tests.tap_run import run_sync

STREAMS = tuple(r.stream for r in RESOURCES)
TYPES = {t.name: t for t in STREAM_TYPES if t.name in BY_STREAM}
INCREMENTAL = ("deleted_users", "deleted_tickets", "suspended_tickets", "ticket_skips", "articles")
PLAN_GATED = tuple(r.stream for r in RESOURCES if r.plan_gated)
HELP_CENTER = ("categories", "sections", "articles")


def key_of(stream: str, record: dict) -> object:
    (key,) = TYPES[stream].primary_keys
    return record[key]


def keyed(stream: str, records: list[dict]) -> dict:
    return {key_of(stream, r): json.loads(json.dumps(r)) for r in records}


def request_counts(server: SandboxServer) -> Counter[str]:
    """Requests per stream, from the server's log."""
    counts: Counter[str] = Counter()
    for request in server.requests:
        endpoint = request.path.removeprefix("/api/v2/").removesuffix(".json")
        for resource in RESOURCES:
            if resource.pattern.fullmatch(endpoint):
                counts[resource.stream] += 1
    return counts


def skip_warnings(caplog: pytest.LogCaptureFixture, stream: str) -> list[str]:
    return [
        r.getMessage()
        for r in caplog.records
        if r.levelno == logging.WARNING and r.getMessage().startswith(f"Skipping stream '{stream}'")
    ]


@pytest.fixture(scope="module")
def sandbox():
    # 1,500 tickets: 150 skips and 15 deleted users, so the longer lists take two pages.
    account = SandboxAccount.generate(tickets=1500, seed=31)
    with SandboxServer(account).start() as server:
        yield account, server


@pytest.fixture(scope="module")
def full_sync(sandbox):
    _, server = sandbox
    server.reset_request_log()
    result = run_sync(tap_config(server), streams=set(STREAMS))
    return result, request_counts(server), list(server.requests)


def test_every_registry_resource_has_a_stream() -> None:
    assert set(TYPES) == set(STREAMS)


@pytest.mark.parametrize("stream", STREAMS)
def test_full_sync_records_equal_the_sandbox(sandbox, full_sync, stream) -> None:
    account, _ = sandbox
    result, _, _ = full_sync
    emitted = result.records[stream]
    assert emitted
    assert len(emitted) == len({key_of(stream, r) for r in emitted})  # no duplicates
    assert keyed(stream, emitted) == keyed(stream, account.expected(stream))


@pytest.mark.parametrize("stream", STREAMS)
def test_full_sync_reads_each_stream_at_the_request_floor(sandbox, full_sync, stream) -> None:
    account, _ = sandbox
    _, counts, _ = full_sync
    records = len(account.expected(stream))
    resource = BY_STREAM[stream]
    if stream == "schedule_holidays":
        floor = len(account.expected("schedules"))
    elif resource.style == "single_page":
        floor = 1
    else:
        floor = max(1, -(-records // 100))
    assert counts[stream] == floor


def test_longer_lists_take_several_pages(sandbox, full_sync) -> None:
    _, counts, _ = full_sync
    assert counts["ticket_skips"] == 2
    assert counts["articles"] == 1


def test_single_page_endpoints_are_sent_no_page_parameters(full_sync) -> None:
    _, _, requests = full_sync
    single = [
        r
        for r in requests
        if any(
            res.pattern.fullmatch(r.path.removeprefix("/api/v2/").removesuffix(".json"))
            for res in RESOURCES
            if res.style == "single_page"
        )
    ]
    assert len(single) == 6 + 3  # six single-page streams, holidays of three schedules
    assert all(r.query == {} for r in single)


def test_holidays_carry_the_schedule_they_belong_to(full_sync) -> None:
    result, _, _ = full_sync
    schedules = {s["id"] for s in result.records["schedules"]}
    assert {h["schedule_id"] for h in result.records["schedule_holidays"]} == schedules


def test_full_table_streams_keep_no_bookmark_and_incremental_ones_do(full_sync) -> None:
    result, _, _ = full_sync
    bookmarks = result.state["bookmarks"]
    for stream in INCREMENTAL:
        assert bookmarks[stream]["replication_key"] == TYPES[stream].replication_key, stream
    full_table = [s for s in STREAMS if s not in INCREMENTAL]
    assert all("replication_key_value" not in bookmarks.get(s, {}) for s in full_table)


@pytest.mark.parametrize("stream", PLAN_GATED)
def test_a_403_on_a_plan_gated_stream_skips_it_and_the_run_completes(
    zendesk_sandbox_factory, caplog, stream
) -> None:
    server = zendesk_sandbox_factory(tickets=200, seed=32)
    server.account.set_forbidden(stream)

    with caplog.at_level(logging.WARNING):
        result = run_sync(tap_config(server), streams=set(STREAMS))

    assert result.records.get(stream, []) == []
    assert len(skip_warnings(caplog, stream)) == 1
    # Holidays are read per schedule: without schedules there are none to read.
    skipped = {stream, "schedule_holidays"} if stream == "schedules" else {stream}
    for other in set(STREAMS) - skipped:
        assert len(result.records[other]) == len(server.account.expected(other)), other


def test_an_account_without_help_center_skips_those_streams_and_completes(
    zendesk_sandbox_factory, caplog
) -> None:
    server = zendesk_sandbox_factory(tickets=200, seed=33)
    server.account.config.help_center = False

    with caplog.at_level(logging.WARNING):
        result = run_sync(tap_config(server), streams=set(STREAMS))

    for stream in HELP_CENTER:
        assert result.records.get(stream, []) == []
        assert len(skip_warnings(caplog, stream)) == 1, stream
    for other in set(STREAMS) - set(HELP_CENTER):
        assert len(result.records[other]) == len(server.account.expected(other)), other


@pytest.fixture(scope="module")
def two_syncs():
    account = SandboxAccount.generate(tickets=800, seed=34)
    with SandboxServer(account).start() as server:
        config = tap_config(server)
        first = run_sync(config, streams=set(STREAMS))
        changes = account.mutate(seed=5, fraction=0.05)
        server.reset_request_log()
        second = run_sync(config, state=first.state, streams=set(STREAMS))
        yield account, changes, second, request_counts(server)


@pytest.mark.parametrize("stream", INCREMENTAL)
def test_incremental_sync_after_changes_emits_exactly_the_changed_rows(two_syncs, stream) -> None:
    account, changes, second, _ = two_syncs
    emitted = second.records.get(stream, [])
    assert changes.keys(stream)
    assert sorted(key_of(stream, r) for r in emitted) == sorted(changes.keys(stream))
    current = keyed(stream, account.expected(stream))
    assert all(json.loads(json.dumps(r)) == current[key_of(stream, r)] for r in emitted)


@pytest.mark.parametrize("stream", [s for s in STREAMS if s not in INCREMENTAL])
def test_full_table_sync_after_changes_emits_the_current_list(two_syncs, stream) -> None:
    """Renamed fields and updated macros arrive changed; the deleted trigger is gone."""
    account, _, second, _ = two_syncs
    assert keyed(stream, second.records[stream]) == keyed(stream, account.expected(stream))


@pytest.mark.parametrize("stream", STREAMS)
def test_incremental_sync_reads_each_stream_at_the_request_floor(two_syncs, stream) -> None:
    """Lists without a change filter are read whole; deleted tickets only down to the bookmark."""
    account, changes, _, counts = two_syncs
    resource = BY_STREAM[stream]
    if stream == "deleted_tickets":
        floor = len(changes.keys(stream)) // 100 + 1
    elif stream == "schedule_holidays":
        floor = len(account.expected("schedules"))
    elif resource.style == "single_page":
        floor = 1
    else:
        floor = max(1, -(-len(account.expected(stream)) // 100))
    assert counts[stream] == floor


def test_a_403_on_holidays_is_asked_once_not_once_per_schedule(zendesk_sandbox_factory) -> None:
    server = zendesk_sandbox_factory(tickets=200, seed=35)
    server.account.set_forbidden("schedule_holidays")

    run_sync(tap_config(server), streams={"schedule_holidays"})

    assert request_counts(server) == Counter({"schedules": 1, "schedule_holidays": 1})


def test_a_full_table_run_can_tell_the_target_which_rows_are_gone(zendesk_sandbox_factory) -> None:
    """With the SDK's ACTIVATE_VERSION messages, a deleted trigger drops out of the table."""
    server = zendesk_sandbox_factory(tickets=200, seed=36)
    config = tap_config(server, emit_activate_version_messages=True)
    first = run_sync(config, streams={"triggers"})
    server.account.mutate(seed=1)

    second = run_sync(config, state=first.state, streams={"triggers"})

    activations = [
        m for m in second.messages if m["type"] == "ACTIVATE_VERSION" and m["stream"] == "triggers"
    ]
    assert len(activations) == 1
    assert all(
        m["version"] == activations[0]["version"]
        for m in second.messages
        if m["type"] == "RECORD" and m["stream"] == "triggers"
    )
    gone = set(first.ids("triggers")) - set(second.ids("triggers"))
    assert len(gone) == 1


@pytest.mark.slow
def test_deleted_tickets_are_read_newest_first_down_to_the_bookmark(zendesk_sandbox_factory):
    server = zendesk_sandbox_factory(tickets=800, seed=37)
    account = server.account
    live = [
        t["id"]
        for t in account.expected("tickets")
        if t["status"] != "deleted" and t["id"] not in account.archived
    ]
    account.delete_tickets(live[:150])  # the list now spans two pages
    config = tap_config(server)
    first = run_sync(config, streams={"deleted_tickets"})
    changes = account.delete_tickets(live[150:153])
    server.reset_request_log()

    second = run_sync(config, state=first.state, streams={"deleted_tickets"})

    assert len(account.expected("deleted_tickets")) > 100
    assert sorted(second.ids("deleted_tickets")) == sorted(changes.keys("deleted_tickets"))
    assert [r.query for r in server.requests] == [{"page[size]": "100", "sort": "-deleted_at"}]


def test_holidays_selected_without_schedules_are_still_read_per_schedule(
    zendesk_sandbox_factory,
) -> None:
    server = zendesk_sandbox_factory(tickets=200, seed=38)

    result = run_sync(tap_config(server), streams={"schedule_holidays"})

    assert set(result.records) == {"schedule_holidays"}
    assert keyed("schedule_holidays", result.records["schedule_holidays"]) == keyed(
        "schedule_holidays", server.account.expected("schedule_holidays")
    )
    schedules = len(server.account.expected("schedules"))
    assert request_counts(server) == Counter({"schedules": 1, "schedule_holidays": schedules})


def test_a_child_stream_writes_its_schema_and_begins_once_per_run(zendesk_sandbox, caplog):
    caplog.set_level(logging.INFO)
    result = run_sync(tap_config(zendesk_sandbox), streams={"schedules", "schedule_holidays"})

    schemas = [m["stream"] for m in result.messages if m["type"] == "SCHEMA"]
    assert len(result.records["schedules"]) > 1
    assert schemas.count("schedule_holidays") == 1
    assert caplog.text.count("Beginning sync of 'schedule_holidays'") == 1
