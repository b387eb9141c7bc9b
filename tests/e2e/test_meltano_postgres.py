"""`meltano run tap-zendesk target-postgres` into a real PostgreSQL server, then incrementally.

The first run loads every stream row for row. After `account.mutate()` a second run, from the
state Meltano kept in the `e2e` environment, loads only the changes, and the merged tables
equal the sandbox's current data.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest

from tap_zendesk.sandbox import ChangeSet, SandboxAccount, SandboxServer
from tests.e2e.meltano_project import ENVIRONMENT, MeltanoProject, MeltanoResult, tap_env
from tests.e2e.pg_server import PostgresServer
from tests.e2e.report import E2EReport
from tests.expected import STREAMS, VERSION_COLUMN, expected_records, versions

pytestmark = pytest.mark.e2e

TICKETS = 400
SCHEMA = "tap_zendesk"
STATE_ID = f"{ENVIRONMENT}:tap-zendesk-to-target-postgres:postgres"
CHILDREN_OF_TICKETS = ("ticket_metrics", "ticket_comments")
EXTRA_COLUMNS = {
    "tickets": ("status", "subject"),
    "ticket_metrics": ("ticket_id",),
    "ticket_comments": ("ticket_id",),
}


@dataclass
class Load:
    """One pipeline run and what the database and the sandbox held right after it."""

    result: MeltanoResult
    rows: dict[str, list[dict[str, Any]]]
    expected: dict[str, dict[int, int]]

    def ids(self, stream: str) -> list[int]:
        return [row["id"] for row in self.rows[stream]]

    def by_id(self, stream: str) -> dict[int, dict[str, Any]]:
        return {row["id"]: row for row in self.rows[stream]}

    def versions(self, stream: str) -> dict[int, int]:
        return {row["id"]: row["version"] for row in self.rows[stream]}


def select_rows(postgres: PostgresServer, database: str, stream: str) -> list[dict[str, Any]]:
    """id, version (epoch seconds), load metadata and a few values of every row."""
    column = VERSION_COLUMN[stream]
    version = column if column == "generated_timestamp" else f"extract(epoch FROM {column})"
    extras = "".join(f", {name}" for name in EXTRA_COLUMNS.get(stream, ()))
    return postgres.rows(
        f"SELECT id, ({version})::bigint AS version, _sdc_batched_at, _sdc_extracted_at{extras} "
        f"FROM {SCHEMA}.{stream}",
        database,
    )


def load(
    project: MeltanoProject, postgres: PostgresServer, database: str, server: SandboxServer
) -> Load:
    result = project.run(
        f"--environment={ENVIRONMENT}",
        "run",
        "--state-id-suffix=postgres",
        "tap-zendesk",
        "target-postgres",
        env={**tap_env(server), **postgres.target_env(database, SCHEMA)},
    ).check()
    return Load(
        result,
        {stream: select_rows(postgres, database, stream) for stream in STREAMS},
        {stream: versions(server.account, stream) for stream in STREAMS},
    )


def duplicates(ids: list[int]) -> list[int]:
    return sorted(key for key, count in Counter(ids).items() if count > 1)


@pytest.fixture(scope="module")
def sandbox() -> Iterator[SandboxServer]:
    with SandboxServer(SandboxAccount.generate(tickets=TICKETS, seed=51)).start() as server:
        yield server


@pytest.fixture(scope="module")
def database(postgres: PostgresServer) -> str:
    return postgres.create_database("pipeline")


@pytest.fixture(scope="module")
def first(
    postgres: PostgresServer,
    meltano_project: MeltanoProject,
    database: str,
    sandbox: SandboxServer,
    e2e_report: E2EReport,
) -> Load:
    loaded = load(meltano_project, postgres, database, sandbox)
    e2e_report.timing(
        f"meltano run tap-zendesk target-postgres, full ({TICKETS} tickets)", loaded.result.seconds
    )
    e2e_report.rows(
        "target-postgres first run: rows == len(account.expected())",
        {stream: len(loaded.rows[stream]) for stream in STREAMS},
    )
    return loaded


@pytest.fixture(scope="module")
def changes(first: Load, sandbox: SandboxServer) -> ChangeSet:
    return sandbox.account.mutate(seed=7, fraction=0.05)


@pytest.fixture(scope="module")
def second(
    changes: ChangeSet,
    postgres: PostgresServer,
    meltano_project: MeltanoProject,
    database: str,
    sandbox: SandboxServer,
    e2e_report: E2EReport,
) -> Load:
    loaded = load(meltano_project, postgres, database, sandbox)
    e2e_report.timing(
        "meltano run tap-zendesk target-postgres, incremental after mutate(fraction=0.05)",
        loaded.result.seconds,
    )
    counts = loaded.result.record_counts()
    e2e_report.rows(
        "target-postgres second run: records extracted == ChangeSet.keys()",
        {stream: counts[stream] for stream in STREAMS},
    )
    e2e_report.rows(
        "target-postgres after merge: rows",
        {stream: len(loaded.rows[stream]) for stream in STREAMS},
    )
    e2e_report.rows(
        "sandbox after mutate: len(account.expected())",
        {stream: len(loaded.expected[stream]) for stream in STREAMS},
    )
    return loaded


def live_rows(loaded: Load, stream: str, deleted_tickets: set[int]) -> dict[int, int]:
    """id -> version of the rows not belonging to a deleted ticket."""
    return {
        row["id"]: row["version"]
        for row in loaded.rows[stream]
        if row.get("ticket_id") not in deleted_tickets
    }


# -- the first run ---------------------------------------------------------------------------


def test_first_run_creates_one_table_per_stream(
    first: Load, postgres: PostgresServer, database: str
) -> None:
    assert postgres.tables(database, SCHEMA) == set(STREAMS)


@pytest.mark.parametrize("stream", STREAMS)
def test_first_run_loads_every_record_once(first: Load, stream: str) -> None:
    assert duplicates(first.ids(stream)) == []
    assert len(first.rows[stream]) == len(first.expected[stream])
    assert set(first.ids(stream)) == set(first.expected[stream])


@pytest.mark.parametrize("stream", STREAMS)
def test_first_run_rows_carry_the_api_versions(first: Load, stream: str) -> None:
    assert first.versions(stream) == first.expected[stream]


# -- the incremental run ---------------------------------------------------------------------


def test_second_run_extracts_exactly_the_changed_records(second: Load, changes: ChangeSet) -> None:
    counts = second.result.record_counts()

    assert {stream: counts[stream] for stream in STREAMS} == {
        stream: len(changes.keys(stream)) for stream in STREAMS
    }


def test_second_run_moves_the_tickets_bookmark_to_the_change(
    second: Load, changes: ChangeSet, meltano_project: MeltanoProject
) -> None:
    bookmarks = meltano_project.state(STATE_ID)["bookmarks"]

    assert bookmarks["tickets"]["replication_key_value"] == changes.stamp


@pytest.mark.parametrize("stream", STREAMS)
def test_second_run_leaves_untouched_rows_alone(
    first: Load, second: Load, changes: ChangeSet, stream: str
) -> None:
    before, after = first.by_id(stream), second.by_id(stream)
    untouched = set(before) - changes.keys(stream)

    reloaded = [
        row_id
        for row_id in untouched
        if after[row_id]["_sdc_batched_at"] != before[row_id]["_sdc_batched_at"]
    ]

    assert untouched
    assert reloaded == []


@pytest.mark.parametrize("stream", STREAMS)
def test_second_run_reloads_every_changed_row(
    first: Load, second: Load, changes: ChangeSet, stream: str
) -> None:
    first_batch = max(row["_sdc_batched_at"] for row in first.rows[stream])
    after = second.by_id(stream)

    stale = [
        row_id for row_id in changes.keys(stream) if after[row_id]["_sdc_batched_at"] <= first_batch
    ]

    assert changes.keys(stream)
    assert stale == []


@pytest.mark.parametrize("stream", STREAMS)
def test_merged_table_has_unique_ids(second: Load, stream: str) -> None:
    assert duplicates(second.ids(stream)) == []


@pytest.mark.parametrize("stream", STREAMS)
def test_merged_table_equals_the_sandbox(second: Load, changes: ChangeSet, stream: str) -> None:
    """Same ids, same versions; children of deleted tickets aside (see the next test)."""
    assert live_rows(second, stream, changes.deleted_tickets) == second.expected[stream]


@pytest.mark.parametrize("stream", CHILDREN_OF_TICKETS)
def test_rows_of_deleted_tickets_stay_in_child_tables(
    first: Load, second: Load, changes: ChangeSet, stream: str
) -> None:
    """The tap sends no deletions: metrics and comments of a deleted ticket stay loaded."""
    of_deleted = {
        row["id"] for row in first.rows[stream] if row["ticket_id"] in changes.deleted_tickets
    }

    assert changes.deleted_tickets
    assert set(second.ids(stream)) - set(second.expected[stream]) == of_deleted


def test_deleted_tickets_are_marked_deleted(second: Load, changes: ChangeSet) -> None:
    tickets = second.by_id("tickets")

    assert {tickets[i]["status"] for i in changes.deleted_tickets} == {"deleted"}


def test_changed_tickets_carry_the_new_subject_and_status(
    second: Load, changes: ChangeSet, sandbox: SandboxServer
) -> None:
    current = expected_records(sandbox.account, "tickets")
    tickets = second.by_id("tickets")

    assert {i: (tickets[i]["subject"], tickets[i]["status"]) for i in changes.keys("tickets")} == {
        i: (current[i]["subject"], current[i]["status"]) for i in changes.keys("tickets")
    }
