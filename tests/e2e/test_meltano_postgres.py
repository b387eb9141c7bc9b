"""`meltano run tap-zendesk target-postgres` into a real PostgreSQL server, then incrementally.

Every stream the tap has, with `emit_activate_version_messages` on and target-postgres's
defaults (soft deletes). The first run loads every stream row for row. After
`account.mutate()` a second run, from the state Meltano kept in the `e2e` environment, loads
the changes of the incremental streams and the whole of the full-table ones; the merged tables
equal the sandbox's current data, plus the rows Zendesk stopped serving: marked deleted where
a full-table version signals it, left as loaded where nothing can.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import pytest

from tap_zendesk.sandbox import ChangeSet, SandboxAccount, SandboxServer
from tap_zendesk.timestamps import to_epoch
from tests.e2e.meltano_project import ENVIRONMENT, MeltanoProject, MeltanoResult, tap_env
from tests.e2e.pg_server import PostgresServer
from tests.e2e.report import E2EReport
from tests.e2e.warehouse import (
    expected_deleted_at,
    expected_versions,
    keyed,
    select_rows,
)
from tests.expected import FULL_TABLE, STREAMS, expected_records, key_of

pytestmark = pytest.mark.e2e

TICKETS = 400
SCHEMA = "tap_zendesk"
STATE_ID = f"{ENVIRONMENT}:tap-zendesk-to-target-postgres:postgres"
INCREMENTAL = tuple(stream for stream in STREAMS if stream not in FULL_TABLE)
FULL = tuple(stream for stream in STREAMS if stream in FULL_TABLE)
CHILDREN_OF_TICKETS = ("ticket_metrics", "ticket_comments", "ticket_audits", "ticket_field_history")
"""Zendesk stops serving these for a deleted ticket; the metric events it keeps."""
EXTRA_COLUMNS = {
    "tickets": ("status", "subject"),
    **dict.fromkeys(CHILDREN_OF_TICKETS, ("ticket_id",)),
}


@dataclass
class Load:
    """One pipeline run and what the database and the sandbox held right after it."""

    result: MeltanoResult
    rows: dict[str, list[dict[str, Any]]]
    expected: dict[str, dict[Any, Any]]
    """Primary key -> version of every record the sandbox served."""
    deleted_at: dict[str, dict[Any, int | None]]
    """Primary key -> the `_sdc_deleted_at` the sandbox's records carry."""
    _by_key: dict[str, dict[Any, dict[str, Any]]] = field(default_factory=dict, repr=False)

    def keys(self, stream: str) -> list[Any]:
        return [key_of(stream, row) for row in self.rows[stream]]

    def by_key(self, stream: str) -> dict[Any, dict[str, Any]]:
        if stream not in self._by_key:
            self._by_key[stream] = keyed(stream, self.rows[stream])
        return self._by_key[stream]

    def versions(self, stream: str) -> dict[Any, Any]:
        return {key_of(stream, row): row["version"] for row in self.rows[stream]}


def load(
    project: MeltanoProject, postgres: PostgresServer, database: str, server: SandboxServer
) -> Load:
    result = project.run(
        f"--environment={ENVIRONMENT}",
        "run",
        "--state-id-suffix=postgres",
        "tap-zendesk",
        "target-postgres",
        env={
            **tap_env(server, emit_activate_version_messages=True),
            **postgres.target_env(database, SCHEMA),
        },
    ).check()
    account = server.account
    return Load(
        result,
        {
            stream: select_rows(postgres, database, SCHEMA, stream, EXTRA_COLUMNS.get(stream, ()))
            for stream in STREAMS
        },
        {stream: expected_versions(account, stream) for stream in STREAMS},
        {stream: expected_deleted_at(account, stream) for stream in STREAMS},
    )


def duplicates(keys: list[Any]) -> list[Any]:
    return sorted(key for key, count in Counter(keys).items() if count > 1)


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
        f"meltano run tap-zendesk target-postgres, full, {len(STREAMS)} streams "
        f"({TICKETS} tickets)",
        loaded.result.seconds,
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
        "target-postgres second run, incremental streams: records == ChangeSet.keys()",
        {stream: counts[stream] for stream in INCREMENTAL},
    )
    e2e_report.rows(
        "target-postgres second run, full-table streams: records == len(account.expected())",
        {stream: counts[stream] for stream in FULL},
    )
    e2e_report.rows(
        "target-postgres after merge: rows",
        {stream: len(loaded.rows[stream]) for stream in STREAMS},
    )
    e2e_report.rows(
        "target-postgres after merge: rows with _sdc_deleted_at",
        {
            stream: sum(row["deleted_at"] is not None for row in loaded.rows[stream])
            for stream in STREAMS
        },
    )
    return loaded


def vanished(first: Load, second: Load, stream: str) -> set[Any]:
    """Keys the sandbox served before the mutation and no longer serves."""
    return set(first.expected[stream]) - set(second.expected[stream])


# -- the first run ---------------------------------------------------------------------------


def test_first_run_creates_one_table_per_stream(
    first: Load, postgres: PostgresServer, database: str
) -> None:
    assert postgres.tables(database, SCHEMA) == set(STREAMS)


@pytest.mark.parametrize("stream", STREAMS)
def test_first_run_loads_every_record_once(first: Load, stream: str) -> None:
    assert duplicates(first.keys(stream)) == []
    assert len(first.rows[stream]) == len(first.expected[stream])
    assert set(first.keys(stream)) == set(first.expected[stream])


@pytest.mark.parametrize("stream", STREAMS)
def test_first_run_rows_carry_the_api_versions(first: Load, stream: str) -> None:
    assert first.versions(stream) == first.expected[stream]


@pytest.mark.parametrize("stream", STREAMS)
def test_first_run_rows_carry_the_api_deletion_marker(first: Load, stream: str) -> None:
    """`_sdc_deleted_at` as the tap derived it; null on every row of streams without one."""
    loaded = {key: row["deleted_at"] for key, row in first.by_key(stream).items()}

    assert loaded == first.deleted_at[stream]


# -- the incremental run ---------------------------------------------------------------------


def test_second_run_extracts_the_changes_and_every_full_table_stream_whole(
    second: Load, changes: ChangeSet
) -> None:
    counts = second.result.record_counts()

    assert {stream: counts[stream] for stream in STREAMS} == {
        stream: len(second.expected[stream]) if stream in FULL_TABLE else len(changes.keys(stream))
        for stream in STREAMS
    }


def test_second_run_moves_the_tickets_bookmark_to_the_change(
    second: Load, changes: ChangeSet, meltano_project: MeltanoProject
) -> None:
    bookmarks = meltano_project.state(STATE_ID)["bookmarks"]

    assert bookmarks["tickets"]["replication_key_value"] == changes.stamp


@pytest.mark.parametrize("stream", INCREMENTAL)
def test_second_run_leaves_untouched_rows_alone(
    first: Load, second: Load, changes: ChangeSet, stream: str
) -> None:
    before, after = first.by_key(stream), second.by_key(stream)
    untouched = set(before) - changes.keys(stream)

    reloaded = [key for key in untouched if after[key]["batched_at"] != before[key]["batched_at"]]

    assert untouched
    assert reloaded == []


@pytest.mark.parametrize("stream", INCREMENTAL)
def test_second_run_reloads_every_changed_row(
    first: Load, second: Load, changes: ChangeSet, stream: str
) -> None:
    first_batch = max(row["batched_at"] for row in first.rows[stream])
    after = second.by_key(stream)

    stale = [key for key in changes.keys(stream) if after[key]["batched_at"] <= first_batch]

    assert changes.keys(stream)
    assert stale == []


@pytest.mark.parametrize("stream", FULL)
def test_second_run_reloads_every_row_of_a_full_table_stream(
    first: Load, second: Load, stream: str
) -> None:
    first_batch = max(row["batched_at"] for row in first.rows[stream])
    after = second.by_key(stream)

    stale = [key for key in second.expected[stream] if after[key]["batched_at"] <= first_batch]

    assert stale == []


@pytest.mark.parametrize("stream", STREAMS)
def test_merged_table_has_unique_keys(second: Load, stream: str) -> None:
    assert duplicates(second.keys(stream)) == []


@pytest.mark.parametrize("stream", STREAMS)
def test_merged_table_equals_the_sandbox_plus_the_rows_it_stopped_serving(
    first: Load, second: Load, stream: str
) -> None:
    versions = second.versions(stream)

    assert set(versions) - set(second.expected[stream]) == vanished(first, second, stream)
    assert {key: versions[key] for key in second.expected[stream]} == second.expected[stream]


@pytest.mark.parametrize("stream", STREAMS)
def test_merged_rows_carry_the_api_deletion_marker(second: Load, stream: str) -> None:
    rows = second.by_key(stream)

    assert {key: rows[key]["deleted_at"] for key in second.deleted_at[stream]} == (
        second.deleted_at[stream]
    )


def test_the_trigger_mutate_deleted_is_the_one_row_gone_from_a_full_table_stream(
    first: Load, second: Load
) -> None:
    gone = {stream: keys for stream in FULL if (keys := vanished(first, second, stream))}

    assert set(gone) == {"triggers"}
    assert len(gone["triggers"]) == 1


def test_rows_gone_from_full_table_streams_are_marked_deleted(first: Load, second: Load) -> None:
    """ACTIVATE_VERSION: target-postgres stamps `_sdc_deleted_at` on rows of older versions."""
    gone = {stream: vanished(first, second, stream) for stream in FULL}

    marked = {
        stream: {key for key in keys if second.by_key(stream)[key]["deleted_at"] is not None}
        for stream, keys in gone.items()
    }

    assert gone["triggers"]
    assert marked == gone


def test_rows_gone_from_incremental_streams_stay_as_loaded(first: Load, second: Load) -> None:
    """Nothing signals them (the README's streams table says so): same row, still unmarked.

    They are the deleted tickets' metrics, comments, audits and field changes, and the
    suspended ticket that `mutate` recovers.
    """
    gone = {stream: keys for stream in INCREMENTAL if (keys := vanished(first, second, stream))}

    after = {
        stream: {key: second.by_key(stream)[key] for key in keys} for stream, keys in gone.items()
    }

    assert set(gone) == {*CHILDREN_OF_TICKETS, "suspended_tickets"}
    assert after == {
        stream: {key: first.by_key(stream)[key] for key in keys} for stream, keys in gone.items()
    }


@pytest.mark.parametrize("stream", CHILDREN_OF_TICKETS)
def test_rows_of_deleted_tickets_stay_in_child_tables(
    first: Load, second: Load, changes: ChangeSet, stream: str
) -> None:
    """What vanishes from these streams is exactly what belonged to the deleted tickets."""
    of_deleted = {
        key_of(stream, row)
        for row in first.rows[stream]
        if row["ticket_id"] in changes.deleted_tickets
    }

    assert changes.deleted_tickets
    assert vanished(first, second, stream) == of_deleted


def test_deleted_tickets_are_marked_deleted_as_of_their_last_update(
    second: Load, changes: ChangeSet, sandbox: SandboxServer
) -> None:
    """`_sdc_deleted_at` is the deleted ticket's `updated_at` (tap_zendesk/deletions.py)."""
    current = expected_records(sandbox.account, "tickets")
    tickets = second.by_key("tickets")

    assert changes.deleted_tickets
    assert {
        i: (tickets[i]["status"], tickets[i]["deleted_at"]) for i in changes.deleted_tickets
    } == {i: ("deleted", to_epoch(current[i]["updated_at"])) for i in changes.deleted_tickets}


def test_changed_tickets_carry_the_new_subject_and_status(
    second: Load, changes: ChangeSet, sandbox: SandboxServer
) -> None:
    current = expected_records(sandbox.account, "tickets")
    tickets = second.by_key("tickets")

    assert {i: (tickets[i]["subject"], tickets[i]["status"]) for i in changes.keys("tickets")} == {
        i: (current[i]["subject"], current[i]["status"]) for i in changes.keys("tickets")
    }
