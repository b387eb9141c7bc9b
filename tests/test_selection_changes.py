"""Streams added, dropped and re-added between runs, from any earlier state, sync completely."""

from __future__ import annotations

import pytest

from tap_zendesk.timestamps import to_epoch
from tests.expected import expected_records, key_of
from tests.sandbox_config import tap_config
from tests.tap_run import SyncResult, run_sync


def keys(result: SyncResult, stream: str) -> set[object]:
    return {key_of(stream, record) for record in result.records[stream]}


@pytest.mark.slow
def test_adding_ticket_metrics_to_a_tickets_pipeline_backfills_metrics_only(
    zendesk_sandbox_factory,
) -> None:
    server = zendesk_sandbox_factory(tickets=1200, seed=31)
    config = tap_config(server)
    first = run_sync(config, streams={"tickets"})

    second = run_sync(config, state=first.state, streams={"tickets", "ticket_metrics"})

    assert keys(second, "tickets") <= {
        t["id"]
        for t in server.account.expected("tickets")
        if t["generated_timestamp"] == first.state["bookmarks"]["tickets"]["export_position"]
    }  # at most the last second again, never the whole account
    assert keys(second, "ticket_metrics") == set(expected_records(server.account, "ticket_metrics"))

    third = run_sync(config, state=second.state, streams={"tickets", "ticket_metrics"})
    assert keys(third, "tickets") == keys(third, "ticket_metrics") == set()


@pytest.mark.slow
def test_an_older_taps_bookmark_plus_a_new_stream_syncs_both(zendesk_sandbox_factory) -> None:
    server = zendesk_sandbox_factory(tickets=900, seed=32)
    tickets = server.account.expected("tickets")
    middle = sorted(t["generated_timestamp"] for t in tickets)[450]
    singer_io_state = {"bookmarks": {"tickets": {"generated_timestamp": middle}}}

    result = run_sync(
        tap_config(server), state=singer_io_state, streams={"tickets", "ticket_metrics"}
    )

    assert keys(result, "tickets") == {
        t["id"] for t in tickets if t["generated_timestamp"] >= middle
    }
    assert keys(result, "ticket_metrics") == set(expected_records(server.account, "ticket_metrics"))


@pytest.mark.slow
def test_ticket_event_streams_added_and_dropped_over_four_runs(zendesk_sandbox_factory) -> None:
    server = zendesk_sandbox_factory(tickets=800, seed=33)
    account = server.account
    config = tap_config(server)
    everything = {
        s: set(expected_records(account, s)) for s in ("ticket_comments", "ticket_audits")
    }

    first = run_sync(config, streams={"ticket_comments"})
    assert keys(first, "ticket_comments") == everything["ticket_comments"]

    # ticket_audits joins: it backfills, comments re-emit nothing they already have.
    second = run_sync(config, state=first.state, streams={"ticket_comments", "ticket_audits"})
    assert keys(second, "ticket_audits") == everything["ticket_audits"]
    assert keys(second, "ticket_comments") <= at_position(
        account, first, "ticket_comments", "created_at"
    )

    changes = account.mutate(seed=4, fraction=0.05)
    # comments are dropped, field history joins: history backfills, audits get the changes.
    third = run_sync(config, state=second.state, streams={"ticket_audits", "ticket_field_history"})
    assert keys(third, "ticket_field_history") == set(
        expected_records(account, "ticket_field_history")
    )
    # audits stand further on: the changes, and perhaps their last second read again.
    again = at_position(account, second, "ticket_audits", "created_at")
    assert changes.keys("ticket_audits") <= keys(third, "ticket_audits")
    assert keys(third, "ticket_audits") <= changes.keys("ticket_audits") | again

    # comments come back: the changes since their own position, nothing else.
    fourth = run_sync(config, state=third.state, streams={"ticket_comments"})
    again = at_position(account, second, "ticket_comments", "created_at")
    assert changes.keys("ticket_comments") <= keys(fourth, "ticket_comments")
    assert keys(fourth, "ticket_comments") <= changes.keys("ticket_comments") | again
    assert keys(fourth, "ticket_audits") == set()


def test_user_identities_dropped_and_readded_get_what_changed_meanwhile(
    zendesk_sandbox_factory,
) -> None:
    server = zendesk_sandbox_factory(tickets=600, seed=34)
    config = tap_config(server)
    first = run_sync(config, streams={"users", "user_identities"})
    changes = server.account.mutate(seed=5, fraction=0.05)
    second = run_sync(config, state=first.state, streams={"users"})
    assert keys(second, "users") == changes.keys("users")

    third = run_sync(config, state=second.state, streams={"users", "user_identities"})

    # users stand further on: they may read their last second again, nothing before it.
    position = second.state["bookmarks"]["users"]["export_position"]
    assert keys(third, "users") <= {
        u["id"] for u in server.account.expected("users") if to_epoch(u["updated_at"]) == position
    }
    # identities come with their users: those of the users at their last position again.
    users_again = at_position(server.account, first, "user_identities", "updated_at", "users")
    again = {
        i["id"] for i in server.account.expected("user_identities") if i["user_id"] in users_again
    }
    assert changes.keys("user_identities") <= keys(third, "user_identities")
    assert keys(third, "user_identities") <= changes.keys("user_identities") | again


def at_position(
    account, result: SyncResult, stream: str, field: str, records_of: str | None = None
) -> set[object]:
    """Keys of the records (of `records_of`, default `stream`) in the second `stream` stood at.

    A stream further on than the run's least advanced stream may read that second again.
    """
    position = result.state["bookmarks"][stream]["export_position"]
    source = records_of or stream
    return {key_of(source, r) for r in account.expected(source) if to_epoch(r[field]) == position}
