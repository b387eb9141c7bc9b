"""Deletions reach the warehouse: `_sdc_deleted_at`, and ACTIVATE_VERSION for rows that vanish."""

from __future__ import annotations

import pytest

from tap_zendesk.sandbox import SandboxAccount, SandboxServer
from tests.sandbox_config import tap_config
from tests.tap_run import run_sync

DELETION_STREAMS = {"tickets", "users", "organizations", "groups"}


def by_id(records: list[dict]) -> dict[int, dict]:
    return {record["id"]: record for record in records}


@pytest.fixture(scope="module")
def synced():
    account = SandboxAccount.generate(tickets=600, seed=41)
    with SandboxServer(account).start() as server:
        yield server, run_sync(tap_config(server), streams=DELETION_STREAMS)


@pytest.mark.parametrize(
    ("stream", "is_deleted", "deleted_at"),
    [
        ("tickets", lambda r: r["status"] == "deleted", "updated_at"),
        ("users", lambda r: r["active"] is False, "updated_at"),
        ("organizations", lambda r: r["deleted_at"] is not None, "deleted_at"),
        ("groups", lambda r: r["deleted"] is True, "updated_at"),
    ],
)
def test_records_zendesk_marks_deleted_carry_sdc_deleted_at(
    synced, stream, is_deleted, deleted_at
) -> None:
    server, result = synced
    expected = {
        r["id"]: (r[deleted_at] if is_deleted(r) else None) for r in server.account.expected(stream)
    }
    emitted = {r["id"]: r["_sdc_deleted_at"] for r in result.records[stream]}
    assert emitted == expected
    if stream != "organizations":  # the sandbox's organizations are never deleted
        assert any(expected.values()), f"the sandbox should hold deleted {stream}"
    assert "_sdc_deleted_at" in result.schemas[stream]["properties"]


def test_a_ticket_deleted_between_runs_comes_with_its_deletion_time(
    zendesk_sandbox_factory,
) -> None:
    server = zendesk_sandbox_factory(tickets=300, seed=42)
    config = tap_config(server)
    first = run_sync(config, streams={"tickets"})
    live = [
        t["id"]
        for t in first.records["tickets"]
        if t["_sdc_deleted_at"] is None and t["id"] not in server.account.archived
    ]
    server.account.delete_tickets(live[:3])

    second = run_sync(config, state=first.state, streams={"tickets"})

    deleted = by_id(second.records["tickets"])
    assert set(deleted) == set(live[:3])
    assert all(t["status"] == "deleted" for t in deleted.values())
    assert all(t["_sdc_deleted_at"] == t["updated_at"] for t in deleted.values())


@pytest.mark.parametrize("stream", ["group_memberships", "organization_memberships"])
def test_removed_memberships_are_left_out_of_the_newest_table_version(
    zendesk_sandbox_factory, stream
) -> None:
    server = zendesk_sandbox_factory(tickets=300, seed=43)
    config = tap_config(server, emit_activate_version_messages=True)
    first = run_sync(config, streams={stream})
    removed = [m["id"] for m in first.records[stream][:2]]
    server.account.remove_memberships(stream, removed)

    second = run_sync(config, state=first.state, streams={stream})

    versions = [
        m["version"]
        for m in second.messages
        if m["type"] == "ACTIVATE_VERSION" and m["stream"] == stream
    ]
    assert len(versions) == 1
    emitted = {r["id"] for r in second.records[stream]}
    assert emitted == {m["id"] for m in server.account.expected(stream)}
    assert not emitted & set(removed)
    records = [m for m in second.messages if m["type"] == "RECORD" and m["stream"] == stream]
    assert {m["version"] for m in records} == set(versions)
