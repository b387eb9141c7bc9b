"""How the tap answers Zendesk's responses, case by case (API reference §7)."""

from __future__ import annotations

import logging
import time

import pytest
import requests

from tap_zendesk.client import ZendeskStream
from tap_zendesk.errors import RetryAfterError
from tap_zendesk.streams.base import CursorListStream
from tap_zendesk.tap import TapZendesk
from tests.sandbox_config import tap_config
from tests.tap_run import run_sync


def test_403_on_a_plan_gated_stream_skips_it_with_a_warning(zendesk_sandbox_factory, caplog):
    server = zendesk_sandbox_factory(tickets=100, seed=2)
    server.account.set_forbidden("satisfaction_ratings")

    result = run_sync(tap_config(server), streams={"satisfaction_ratings", "groups"})

    assert result.ids("satisfaction_ratings") == []
    assert len(result.ids("groups")) == 25
    assert "Skipping stream 'satisfaction_ratings': no access" in caplog.text


def test_403_on_a_core_stream_fails_the_sync(zendesk_sandbox_factory, caplog):
    server = zendesk_sandbox_factory(tickets=100, seed=2)
    server.account.set_forbidden("tickets")

    with pytest.raises(SystemExit) as exit_info:
        run_sync(tap_config(server), streams={"tickets"})

    assert exit_info.value.code == 1
    assert "Sync of 'tickets' failed: no access to 'tickets' (403 Forbidden" in caplog.text


def test_401_is_fatal_and_names_no_secret(zendesk_sandbox_factory, caplog):
    server = zendesk_sandbox_factory(tickets=50, seed=2)
    config = tap_config(server, api_token="wrong-token-0123456789")

    with pytest.raises(SystemExit):
        run_sync(config, streams={"groups"})

    assert "Zendesk rejected the credentials (401 Unauthorized for /api/v2/groups.json" in (
        caplog.text
    )
    assert "wrong-token-0123456789" not in caplog.text
    assert [r.status for r in server.requests] == [401]  # not retried


def test_invalid_saved_cursor_restarts_from_the_bookmarked_timestamp(zendesk_sandbox_factory):
    server = zendesk_sandbox_factory(tickets=300, seed=6)
    tickets = server.account.expected("tickets")
    bookmark = sorted(t["generated_timestamp"] for t in tickets)[200]
    state = {
        "bookmarks": {
            "tickets": {
                "replication_key": "generated_timestamp",
                "replication_key_value": bookmark,
                "after_cursor": "bm90LWEtY3Vyc29y",
                "export_position": bookmark,
            }
        }
    }

    result = run_sync(tap_config(server), state=state, streams={"tickets"})

    assert set(result.ids("tickets")) == {
        t["id"] for t in tickets if t["generated_timestamp"] >= bookmark
    }
    statuses = [(r.query.get("cursor") is not None, r.status) for r in server.requests]
    assert statuses[0] == (True, 400)
    assert server.requests[1].query["start_time"] == str(bookmark)


def test_too_recent_start_time_means_no_new_data(zendesk_sandbox_factory, caplog):
    caplog.set_level(logging.INFO)
    # The sandbox's clock runs ten minutes behind ours: every start_time we may send is
    # "within the last minute" for it, and it answers 422.
    server = zendesk_sandbox_factory(tickets=50, seed=2, clock=lambda: time.time() - 600)
    config = tap_config(server, start_date="2030-01-01T00:00:00Z")

    result = run_sync(config, streams={"tickets", "organizations"})

    assert result.ids("tickets") == []
    assert [r.status for r in server.requests] == [422, 422]
    assert "'tickets': nothing older than a minute has changed" in caplog.text


def test_404_on_the_child_of_a_deleted_ticket_is_skipped(zendesk_sandbox_factory, caplog):
    """A per-ticket endpoint answers 404 once the ticket is deleted: skip it, keep going."""
    server = zendesk_sandbox_factory(tickets=60, seed=9)
    deleted = next(iter(server.account.mutate(seed=3, fraction=0.2).deleted_tickets))

    class CommentsOfOneTicket(CursorListStream):
        name = "comments_of_one_ticket"
        path = "/tickets/{ticket_id}/comments.json"
        records_key = "comments"
        primary_keys = ("id",)
        schema = {"type": "object", "properties": {"id": {"type": "integer"}}}  # noqa: RUF012

    tap = TapZendesk(config=tap_config(server), parse_env_config=False)
    stream = CommentsOfOneTicket(tap=tap)

    assert list(stream.get_records({"ticket_id": deleted})) == []
    assert f"Skipping /api/v2/tickets/{deleted}/comments.json: the parent is gone" in caplog.text


def test_retry_wait_is_exactly_retry_after() -> None:
    response = requests.Response()
    response.status_code = 429
    response.headers["Retry-After"] = "7"
    error = RetryAfterError("429", response, 7.0)
    assert [ZendeskStream.retry_wait(error, attempt) for attempt in (1, 2, 5)] == [7.0] * 3


def test_429_without_retry_after_waits_out_the_minute() -> None:
    response = requests.Response()
    response.status_code = 429
    assert ZendeskStream.retry_wait(RetryAfterError("429", response, None), 1) == 60.0


def test_other_retries_back_off_exponentially_with_bounded_jitter() -> None:
    waits = [ZendeskStream.retry_wait(ConnectionError(), attempt) for attempt in (1, 2, 3, 9)]
    bases = [1.0, 2.0, 4.0, 60.0]
    # The jitter is taken off the base, never added: no wait passes the documented 60 s cap.
    assert all(base * 0.75 <= wait <= base for wait, base in zip(waits, bases, strict=True))
