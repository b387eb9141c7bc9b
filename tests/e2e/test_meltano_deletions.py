"""Deletions through Meltano into PostgreSQL: `_sdc_deleted_at` and ACTIVATE_VERSION.

Between two runs the sandbox deletes two tickets (`account.delete_tickets`) and removes two
rows of each membership list (`account.remove_memberships`: no tombstone, they just vanish).
Three pipelines, each into its own database:

- `off`: `emit_activate_version_messages` false (the default): removed rows stay, unmarked;
- `soft`: on, target-postgres defaults: removed rows get `_sdc_deleted_at`;
- `hard`: on, target-postgres `hard_delete: true`: removed rows are deleted.

target-postgres 0.8.1 applies `hard_delete` to ACTIVATE_VERSION only (`PostgresSink.
activate_version`); a record that arrives with `_sdc_deleted_at` is upserted like any other, so
a deleted ticket keeps its row, marked, in every mode.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest

from tap_zendesk.sandbox import SandboxAccount, SandboxServer
from tap_zendesk.timestamps import to_epoch
from tests.e2e.meltano_project import ENVIRONMENT, MeltanoProject, MeltanoResult, tap_env
from tests.e2e.pg_server import PostgresServer
from tests.e2e.report import E2EReport
from tests.e2e.warehouse import keyed, select_rows
from tests.expected import expected_records

pytestmark = pytest.mark.e2e

TICKETS = 150
SCHEMA = "deletions"
MEMBERSHIPS = ("group_memberships", "organization_memberships")
STREAMS = ("tickets", *MEMBERSHIPS)
REMOVED_PER_STREAM = 2
EXTRAS = {"tickets": ("status",)}
MODES = {
    "off": ({"emit_activate_version_messages": False}, {}),
    "soft": ({"emit_activate_version_messages": True}, {}),
    "hard": ({"emit_activate_version_messages": True}, {"TARGET_POSTGRES_HARD_DELETE": "true"}),
}
"""Mode -> (tap settings, target variables)."""
REMOVED_ROW = {"off": "live", "soft": "marked", "hard": "gone"}
"""What each mode makes of a row that vanished from a full-table stream."""


@dataclass
class Deletions:
    """Two runs around the deletions, and the rows each left."""

    mode: str
    first: dict[str, dict[Any, dict[str, Any]]]
    second: dict[str, dict[Any, dict[str, Any]]]
    deleted_tickets: list[int]
    removed: dict[str, list[int]]


def run(
    project: MeltanoProject,
    postgres: PostgresServer,
    server: SandboxServer,
    mode: str,
) -> MeltanoResult:
    tap_settings, target_env = MODES[mode]
    return project.run(
        f"--environment={ENVIRONMENT}",
        "run",
        f"--state-id-suffix=deletions-{mode}",
        "tap-zendesk",
        "target-postgres",
        env={
            **tap_env(server, **tap_settings),
            **postgres.target_env(f"deletions_{mode}", SCHEMA),
            **target_env,
            "TAP_ZENDESK__SELECT": json.dumps([f"{stream}.*" for stream in STREAMS]),
        },
    ).check()


def loaded(postgres: PostgresServer, mode: str) -> dict[str, dict[Any, dict[str, Any]]]:
    database = f"deletions_{mode}"
    return {
        stream: keyed(
            stream, select_rows(postgres, database, SCHEMA, stream, EXTRAS.get(stream, ()))
        )
        for stream in STREAMS
    }


@pytest.fixture(scope="module", params=list(MODES))
def mode(request: pytest.FixtureRequest) -> str:
    return request.param


@pytest.fixture(scope="module")
def sandbox(mode: str) -> Iterator[SandboxServer]:
    with SandboxServer(SandboxAccount.generate(tickets=TICKETS, seed=71)).start() as server:
        yield server


@pytest.fixture(scope="module")
def deletions(
    mode: str,
    postgres: PostgresServer,
    meltano_project: MeltanoProject,
    sandbox: SandboxServer,
    e2e_report: E2EReport,
) -> Deletions:
    postgres.create_database(f"deletions_{mode}")
    account = sandbox.account
    result = run(meltano_project, postgres, sandbox, mode)
    e2e_report.timing(f"deletions ({mode}): first run, {', '.join(STREAMS)}", result.seconds)
    first = loaded(postgres, mode)

    live = [
        t["id"]
        for t in account.expected("tickets")
        if t["status"] != "deleted" and t["id"] not in account.archived
    ]
    deleted_tickets = live[:2]
    account.delete_tickets(deleted_tickets)
    removed = {
        stream: [m["id"] for m in account.expected(stream)[:REMOVED_PER_STREAM]]
        for stream in MEMBERSHIPS
    }
    for stream, ids in removed.items():
        account.remove_memberships(stream, ids)

    result = run(meltano_project, postgres, sandbox, mode)
    e2e_report.timing(f"deletions ({mode}): second run", result.seconds)
    second = loaded(postgres, mode)
    e2e_report.rows(
        f"deletions ({mode}) after the second run: rows",
        {stream: len(second[stream]) for stream in STREAMS},
    )
    return Deletions(mode, first, second, deleted_tickets, removed)


def row_states(
    before: dict[Any, dict[str, Any]], after: dict[Any, dict[str, Any]]
) -> dict[Any, str]:
    """Key -> live, marked (`_sdc_deleted_at` set) or gone, for every row ever loaded."""
    states = dict.fromkeys(before, "gone")
    states |= {key: "marked" if row["deleted_at"] else "live" for key, row in after.items()}
    return states


def test_deleted_tickets_carry_sdc_deleted_at_after_the_next_run(
    deletions: Deletions, sandbox: SandboxServer
) -> None:
    """Marked as of the ticket's `updated_at` (tap_zendesk/deletions.py), in every mode."""
    tickets = deletions.second["tickets"]
    current = expected_records(sandbox.account, "tickets")

    assert {
        i: (tickets[i]["status"], tickets[i]["deleted_at"]) for i in deletions.deleted_tickets
    } == {i: ("deleted", to_epoch(current[i]["updated_at"])) for i in deletions.deleted_tickets}


def test_deleted_tickets_are_the_only_newly_marked_tickets(deletions: Deletions) -> None:
    newly_marked = {
        key
        for key, row in deletions.second["tickets"].items()
        if row["deleted_at"] and not deletions.first["tickets"][key]["deleted_at"]
    }

    assert newly_marked == set(deletions.deleted_tickets)


@pytest.mark.parametrize("stream", MEMBERSHIPS)
def test_first_run_loads_every_membership_live(deletions: Deletions, stream: str) -> None:
    """Before the removals every membership is loaded and unmarked: what follows is the second
    run's doing."""
    states = row_states({}, deletions.first[stream])

    assert set(deletions.removed[stream]) <= set(states)
    assert set(states.values()) == {"live"}


@pytest.mark.parametrize("stream", MEMBERSHIPS)
def test_removed_memberships_are_kept_marked_or_deleted_by_mode(
    deletions: Deletions, sandbox: SandboxServer, stream: str
) -> None:
    states = row_states(deletions.first[stream], deletions.second[stream])
    remaining = {m["id"] for m in sandbox.account.expected(stream)}

    assert len(deletions.removed[stream]) == REMOVED_PER_STREAM
    assert states == {
        **dict.fromkeys(remaining, "live"),
        **dict.fromkeys(deletions.removed[stream], REMOVED_ROW[deletions.mode]),
    }
