"""Full and incremental syncs against the sandbox, checked against the sandbox's own data."""

from __future__ import annotations

import json
import re
from collections import Counter

import pytest

from tap_zendesk.sandbox import SandboxAccount, SandboxServer
from tap_zendesk.streams import STREAM_TYPES
from tap_zendesk.streams.base import (
    CursorExportStream,
    NewestFirstListStream,
    SinglePageStream,
    TimeExportStream,
)
from tap_zendesk.timestamps import to_epoch, to_iso
from tests.expected import FULL_TABLE, STREAMS, as_json, expected_records, key_of
from tests.sandbox_config import tap_config
from tests.tap_run import run_sync


def duplicates(ids: list[object]) -> list[object]:
    return [key for key, count in Counter(ids).items() if count > 1]


@pytest.fixture(scope="module")
def big_sandbox():
    account = SandboxAccount.generate(tickets=5000, seed=11)
    with SandboxServer(account).start() as server:
        yield account, server


@pytest.fixture(scope="module")
def full_sync(big_sandbox):
    _, server = big_sandbox
    server.reset_request_log()
    result = run_sync(tap_config(server), streams=set(STREAMS))
    result.requests = server.requests  # the sync's own, whatever other tests ask later
    return result


@pytest.mark.slow
@pytest.mark.parametrize("stream", STREAMS)
def test_full_sync_emits_every_record_exactly_once(big_sandbox, full_sync, stream) -> None:
    account, _ = big_sandbox
    emitted = [key_of(stream, record) for record in full_sync.records[stream]]
    expected = set(expected_records(account, stream))
    assert duplicates(emitted) == []
    assert set(emitted) == expected


@pytest.mark.slow
@pytest.mark.parametrize("stream", STREAMS)
def test_full_sync_records_equal_the_api_records(big_sandbox, full_sync, stream) -> None:
    """Every field the API returns reaches the target unchanged (the schema drops none)."""
    account, _ = big_sandbox
    expected = expected_records(account, stream)
    assert full_sync.records[stream]
    for record in full_sync.records[stream]:
        assert as_json(record) == expected[key_of(stream, record)]


@pytest.mark.slow
def test_full_sync_of_5000_tickets_includes_deleted_tickets(big_sandbox, full_sync) -> None:
    account, _ = big_sandbox
    deleted = {t["id"] for t in account.expected("tickets") if t["status"] == "deleted"}
    emitted_deleted = {t["id"] for t in full_sync.records["tickets"] if t["status"] == "deleted"}
    assert deleted
    assert emitted_deleted == deleted


@pytest.mark.slow
def test_full_sync_bookmarks_every_stream(full_sync) -> None:
    bookmarks = full_sync.state["bookmarks"]
    assert set(bookmarks) >= set(STREAMS)
    assert isinstance(bookmarks["tickets"]["replication_key_value"], int)
    assert bookmarks["tickets"]["after_cursor"]
    assert bookmarks["users"]["after_cursor"]
    assert isinstance(bookmarks["organizations"]["start_time"], int)


@pytest.mark.slow
def test_second_sync_emits_exactly_the_changed_records(zendesk_sandbox_factory) -> None:
    server = zendesk_sandbox_factory(tickets=800, seed=5)
    config = tap_config(server)
    first = run_sync(config, streams=set(STREAMS))
    changes = server.account.mutate(seed=2, fraction=0.05)
    server.reset_request_log()

    second = run_sync(config, state=first.state, streams=set(STREAMS))

    assert_at_the_floor(second, server.requests, server.account)

    for stream in STREAMS:
        emitted = [key_of(stream, record) for record in second.records[stream]]
        assert duplicates(emitted) == [], stream
        if stream in FULL_TABLE:
            assert set(emitted) == set(expected_records(server.account, stream)), stream
        else:
            assert set(emitted) == changes.keys(stream), stream
    for stream in STREAMS:
        current = expected_records(server.account, stream)
        for record in second.records[stream]:
            assert as_json(record) == current[key_of(stream, record)], stream


@pytest.mark.slow
def test_sync_after_no_changes_emits_nothing(zendesk_sandbox_factory) -> None:
    server = zendesk_sandbox_factory(tickets=300, seed=8)
    config = tap_config(server)
    first = run_sync(config, streams=set(STREAMS))

    second = run_sync(config, state=first.state, streams=set(STREAMS))

    incremental = [s for s in STREAMS if s not in FULL_TABLE]
    assert {s: len(second.records[s]) for s in incremental} == dict.fromkeys(incremental, 0)
    for stream in FULL_TABLE:
        assert len(second.records[stream]) == len(first.records[stream]), stream


def test_export_start_time_is_never_within_the_last_minute(zendesk_sandbox_factory) -> None:
    server = zendesk_sandbox_factory(tickets=50, seed=3)
    config = tap_config(server, start_date="2999-01-01T00:00:00Z")

    result = run_sync(config, streams={"tickets", "users", "organizations"})

    assert result.ids("tickets") == []
    export_requests = [r for r in server.requests if "/incremental/" in r.path]
    assert export_requests
    assert all(r.status == 200 for r in export_requests)


def test_end_date_bounds_a_backfill_and_its_bookmark(zendesk_sandbox_factory) -> None:
    server = zendesk_sandbox_factory(tickets=600, seed=12)
    tickets = server.account.expected("tickets")
    cut = sorted(t["generated_timestamp"] for t in tickets)[300]
    config = tap_config(server, end_date=to_iso(cut))

    result = run_sync(config, streams={"tickets", "organizations"})

    assert set(result.ids("tickets")) == {
        t["id"] for t in tickets if t["generated_timestamp"] < cut
    }
    bookmark = result.state["bookmarks"]["tickets"]
    assert bookmark["replication_key_value"] < cut
    assert "after_cursor" not in bookmark  # a later run must not skip what end_date held back
    assert all(to_epoch(o["updated_at"]) < cut for o in result.records["organizations"])


@pytest.mark.slow
def test_ticket_metrics_alone_reads_the_tickets_export_and_emits_only_metrics(
    zendesk_sandbox_factory,
) -> None:
    server = zendesk_sandbox_factory(tickets=1200, seed=14)

    result = run_sync(tap_config(server), streams={"ticket_metrics"})

    assert set(result.records) == {"ticket_metrics"}
    expected = {m["id"] for m in server.account.expected("ticket_metrics")}
    assert sorted(result.ids("ticket_metrics")) == sorted(expected)
    assert {r.path for r in server.requests} == {"/api/v2/incremental/tickets/cursor.json"}
    assert all(r.query.get("include") == "metric_sets" for r in server.requests)
    # The position is kept for the metrics, not for the unselected tickets stream.
    bookmarks = result.state["bookmarks"]
    assert bookmarks["ticket_metrics"]["after_cursor"]
    assert "after_cursor" not in bookmarks.get("tickets", {})


@pytest.mark.slow
def test_state_stays_small_with_no_per_ticket_bookmarks(full_sync) -> None:
    state = json.dumps(full_sync.state)
    assert "partitions" not in state
    assert len(state) < 4000


def test_metrics_are_not_requested_when_ticket_metrics_is_not_selected(
    zendesk_sandbox_factory,
) -> None:
    server = zendesk_sandbox_factory(tickets=300, seed=15)
    run_sync(tap_config(server), streams={"tickets"})
    assert all("include" not in r.query for r in server.requests)


@pytest.mark.slow
def test_ticket_comments_alone_reads_only_the_ticket_events_export(
    zendesk_sandbox_factory,
) -> None:
    server = zendesk_sandbox_factory(tickets=2500, seed=16)

    result = run_sync(tap_config(server), streams={"ticket_comments"})

    assert set(result.records) == {"ticket_comments"}
    expected = {c["id"] for c in server.account.expected("ticket_comments")}
    assert sorted(result.ids("ticket_comments")) == sorted(expected)
    paths = Counter(r.path for r in server.requests)
    assert set(paths) == {"/api/v2/incremental/ticket_events.json"}
    events = len(server.account.event_keys)  # one page per 1,000 events, +1 for the boundary
    assert paths["/api/v2/incremental/ticket_events.json"] in {
        -(-events // 1000),
        events // 1000 + 1,
    }


@pytest.mark.slow
@pytest.mark.parametrize(
    ("export", "streams"),
    [
        ("ticket_events", {"ticket_comments", "ticket_audits", "ticket_field_history"}),
        ("tickets/cursor", {"tickets", "ticket_metrics"}),
        ("users/cursor", {"users", "user_identities"}),
    ],
)
def test_one_read_of_an_export_feeds_every_selected_stream(
    zendesk_sandbox_factory, export, streams
) -> None:
    server = zendesk_sandbox_factory(tickets=1500, seed=17)
    path = f"/api/v2/incremental/{export}.json"
    run_sync(tap_config(server), streams={min(streams)})
    alone = sum(r.path == path for r in server.requests)
    server.reset_request_log()

    result = run_sync(tap_config(server), streams=streams)

    assert sum(r.path == path for r in server.requests) == alone
    assert {r.path for r in server.requests} == {path}
    for stream in streams:
        assert {key_of(stream, r) for r in result.records[stream]} == set(
            expected_records(server.account, stream)
        ), stream


def test_no_unsorted_stream_warning_for_streams_that_resume(zendesk_sandbox_factory, caplog):
    server = zendesk_sandbox_factory(tickets=200, seed=18)

    result = run_sync(tap_config(server), streams={"ticket_metrics", "user_identities", "groups"})

    assert result.records["ticket_metrics"]
    assert result.records["groups"]
    assert "assumed to be unsorted" not in caplog.text


def request_floor(result, account) -> dict[str, tuple[int, int]]:
    """Path -> (fewest requests the API allows for what the sync emitted, requests allowed).

    Exports: 1 per 1,000 items read, plus one: Zendesk's empty first `cursor=` page (which the
    sandbox reproduces) or a last page that was exactly full. Lists have no change filter, so
    every run reads them whole: 1 per 100 rows (at least 1), except a newest-first list, which
    stops at the first row it already has. Single pages: 1; a child: 1 per parent record.
    """
    floor = {}
    for stream_type in STREAM_TYPES:
        name = stream_type.name
        if issubclass(stream_type, CursorExportStream | TimeExportStream):
            export = stream_type.export
            owner = "ticket_audits" if export.records_key == "ticket_events" else export.records_key
            minimum = max(1, -(-len(result.records[owner]) // 1000))
            floor[f"/api/v2{export.path}"] = (minimum, minimum + 1)
            continue
        if stream_type.parent_stream_type is not None:
            minimum = len(account.expected(stream_type.parent_stream_type.name))
        elif issubclass(stream_type, SinglePageStream):
            minimum = 1
        elif issubclass(stream_type, NewestFirstListStream):
            rows = len(result.records[name])
            minimum = (
                -(-(rows + 1) // 100) if rows < len(account.expected(name)) else -(-rows // 100)
            )
        else:
            minimum = max(1, -(-len(account.expected(name)) // 100))
        floor[f"/api/v2{stream_type.path}"] = (minimum, minimum)
    return floor


def assert_at_the_floor(result, requests, account) -> None:
    floor = request_floor(result, account)
    made = requests_per_endpoint(requests, floor)
    assert set(made) == set(floor)
    over = {
        path: (made[path], allowed) for path, (_, allowed) in floor.items() if made[path] > allowed
    }
    assert over == {}
    assert sum(made.values()) <= 1.1 * sum(m for m, _ in floor.values())


def requests_per_endpoint(requests, floor) -> Counter[str]:
    """Requests per declared endpoint; a child's requests under its path template."""
    counts: Counter[str] = Counter()
    for request in requests:
        template = re.sub(r"/\d+/", "/{schedule_id}/", request.path)
        counts[template if template in floor else request.path] += 1
    return counts


@pytest.mark.slow
def test_a_full_sync_costs_the_fewest_requests_the_api_allows(big_sandbox, full_sync) -> None:
    account, _ = big_sandbox
    assert_at_the_floor(full_sync, full_sync.requests, account)
