"""Live tests against a real Zendesk subdomain.

They run only when TAP_ZENDESK_SUBDOMAIN and credentials (TAP_ZENDESK_EMAIL +
TAP_ZENDESK_API_TOKEN, or TAP_ZENDESK_ACCESS_TOKEN) are set, e.g. from CI secrets.
"""

from __future__ import annotations

import os
from datetime import UTC, datetime, timedelta

import pytest

from tests.tap_run import run_sync


def live_config() -> dict[str, str] | None:
    env = {
        key: os.environ.get(f"TAP_ZENDESK_{key.upper()}")
        for key in ("subdomain", "email", "api_token", "access_token")
    }
    if not env["subdomain"]:
        return None
    credentials = (
        {"access_token": env["access_token"]}
        if env["access_token"]
        else {"email": env["email"], "api_token": env["api_token"]}
    )
    if not all(credentials.values()):
        return None
    week_ago = datetime.now(tz=UTC) - timedelta(days=7)
    return {
        "subdomain": env["subdomain"],
        "start_date": week_ago.strftime("%Y-%m-%dT%H:%M:%SZ"),
        **credentials,
    }


CONFIG = live_config()
pytestmark = [
    pytest.mark.live,
    pytest.mark.skipif(
        CONFIG is None,
        reason="live tests need TAP_ZENDESK_SUBDOMAIN and TAP_ZENDESK_EMAIL + "
        "TAP_ZENDESK_API_TOKEN (or TAP_ZENDESK_ACCESS_TOKEN)",
    ),
]


def test_live_groups_sync_with_unique_ids() -> None:
    result = run_sync(CONFIG, streams={"groups"})
    ids = result.ids("groups")
    assert len(ids) == len(set(ids))
    assert "groups" in result.state["bookmarks"]


def test_live_second_run_reads_only_tickets_changed_since_the_bookmark() -> None:
    first = run_sync(CONFIG, streams={"tickets"})
    bookmark = first.state["bookmarks"]["tickets"]["replication_key_value"]
    older = [t for t in first.records["tickets"] if t["generated_timestamp"] < bookmark]
    if not older:
        pytest.skip("the account changed no ticket in the last week before the newest one")

    second = run_sync(CONFIG, state=first.state, streams={"tickets"})

    # Ignoring the bookmark would bring back the week's older tickets.
    assert [t["id"] for t in second.records["tickets"] if t["generated_timestamp"] < bookmark] == []
