"""Each Zendesk pagination style against the sandbox, quirks included."""

from __future__ import annotations

from collections import Counter

import pytest

from tap_zendesk.timestamps import to_epoch
from tests.sandbox_config import tap_config
from tests.tap_run import run_sync


def test_time_export_reads_a_tie_group_larger_than_a_page_once(zendesk_sandbox_factory):
    """1,200 organizations share one second: more than the 1,000 a page holds."""
    server = zendesk_sandbox_factory(tickets=100, seed=31, org_tie_group=1200)
    expected = {o["id"] for o in server.account.expected("organizations")}

    result = run_sync(tap_config(server), streams={"organizations"})

    ids = result.ids("organizations")
    assert len(ids) == len(expected) == len(set(ids))
    assert set(ids) == expected
    starts = [int(r.query["start_time"]) for r in server.requests]
    assert len(starts) == len(set(starts))  # never asked for the same page twice


def test_time_export_stops_on_end_of_stream_not_on_next_page(zendesk_sandbox_factory):
    server = zendesk_sandbox_factory(tickets=100, seed=32)

    result = run_sync(tap_config(server), streams={"organizations"})

    assert len(result.ids("organizations")) == len(server.account.expected("organizations"))
    assert len(server.requests) == 1  # one page with end_of_stream: true and a next_page
    newest = max(to_epoch(o["updated_at"]) for o in server.account.expected("organizations"))
    # The next run starts one second past the newest record: it re-reads nothing.
    assert result.state["bookmarks"]["organizations"]["start_time"] == newest + 1


@pytest.mark.slow
def test_time_export_drops_the_boundary_duplicates_of_the_next_page(zendesk_sandbox_factory):
    server = zendesk_sandbox_factory(tickets=11000, seed=33)  # 1,100 organizations: 2 pages

    result = run_sync(tap_config(server), streams={"organizations"})

    ids = result.ids("organizations")
    assert len(server.requests) == 2
    assert [i for i, n in Counter(ids).items() if n > 1] == []
    assert set(ids) == {o["id"] for o in server.account.expected("organizations")}


@pytest.mark.slow
def test_cursor_export_goes_on_after_an_empty_page(zendesk_sandbox_factory):
    """The sandbox answers the first follow-up with no tickets and end_of_stream: false."""
    server = zendesk_sandbox_factory(tickets=2500, seed=34)

    result = run_sync(tap_config(server), streams={"tickets"})

    assert len(result.ids("tickets")) == 2500
    assert len(server.requests) == 4  # 1,000 + empty + 1,000 + 500


def test_cursor_list_follows_links_next_until_has_more_is_false(zendesk_sandbox_factory):
    server = zendesk_sandbox_factory(tickets=1000, seed=35)
    expected = server.account.expected("organization_memberships")

    result = run_sync(tap_config(server), streams={"organization_memberships"})

    assert sorted(result.ids("organization_memberships")) == sorted(m["id"] for m in expected)
    assert len(server.requests) == -(-len(expected) // 100)
    assert all(r.query.get("page[size]") == "100" for r in server.requests)
