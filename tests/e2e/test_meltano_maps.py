"""Stream maps and schema flattening, set through Meltano, shape the PostgreSQL tables.

One run of tickets, users and groups with `flattening_enabled: true`, `flattening_max_depth: 1`
and stream maps that drop `users.email`, keep only live tickets and rename `groups`.
"""

from __future__ import annotations

import json
from collections.abc import Iterator

import pytest

from tap_zendesk.sandbox import SandboxAccount, SandboxServer
from tests.e2e.meltano_project import ENVIRONMENT, MeltanoProject, MeltanoResult, tap_env
from tests.e2e.pg_server import PostgresServer
from tests.e2e.report import E2EReport
from tests.expected import expected_records

pytestmark = pytest.mark.e2e

TICKETS = 300
SCHEMA = "mapped"
STREAM_MAPS = {
    "users": {"email": "__NULL__"},
    "tickets": {"__filter__": "status != 'deleted'"},
    "groups": {"__alias__": "zendesk_groups"},
}


@pytest.fixture(scope="module")
def sandbox() -> Iterator[SandboxServer]:
    with SandboxServer(SandboxAccount.generate(tickets=TICKETS, seed=61)).start() as server:
        yield server


@pytest.fixture(scope="module")
def database(postgres: PostgresServer) -> str:
    return postgres.create_database("mapped")


@pytest.fixture(scope="module")
def mapped_run(
    postgres: PostgresServer,
    meltano_project: MeltanoProject,
    database: str,
    sandbox: SandboxServer,
    e2e_report: E2EReport,
) -> MeltanoResult:
    settings = {"flattening_enabled": True, "flattening_max_depth": 1, "stream_maps": STREAM_MAPS}
    result = meltano_project.run(
        f"--environment={ENVIRONMENT}",
        "run",
        "--state-id-suffix=maps",
        "tap-zendesk",
        "target-postgres",
        env={
            **tap_env(sandbox, **settings),
            **postgres.target_env(database, SCHEMA),
            "TAP_ZENDESK__SELECT": json.dumps(["tickets.*", "users.*", "groups.*"]),
        },
    ).check()
    e2e_report.timing(
        f"meltano run tap-zendesk target-postgres, flattened + stream maps ({TICKETS} tickets)",
        result.seconds,
    )
    return result


def test_only_the_selected_streams_land_groups_under_their_alias(
    mapped_run: MeltanoResult, postgres: PostgresServer, database: str
) -> None:
    assert postgres.tables(database, SCHEMA) == {"tickets", "users", "zendesk_groups"}


def test_nested_via_is_flattened_into_columns(
    mapped_run: MeltanoResult, postgres: PostgresServer, database: str
) -> None:
    columns = postgres.columns(database, SCHEMA, "tickets")

    assert {"via__channel", "via__source"} <= set(columns)
    assert "via" not in columns


def test_objects_below_max_depth_stay_json_text(
    mapped_run: MeltanoResult, postgres: PostgresServer, database: str, sandbox: SandboxServer
) -> None:
    expected = expected_records(sandbox.account, "tickets")
    rows = postgres.rows(f"SELECT id, via__source FROM {SCHEMA}.tickets", database)

    assert postgres.columns(database, SCHEMA, "tickets")["via__source"] == "text"
    assert {row["id"]: json.loads(row["via__source"]) for row in rows} == {
        row["id"]: expected[row["id"]]["via"]["source"] for row in rows
    }


def test_flattened_columns_hold_the_nested_values(
    mapped_run: MeltanoResult, postgres: PostgresServer, database: str, sandbox: SandboxServer
) -> None:
    expected = expected_records(sandbox.account, "tickets")
    rows = postgres.rows(f"SELECT id, via__channel FROM {SCHEMA}.tickets", database)

    assert {row["id"]: row["via__channel"] for row in rows} == {
        row["id"]: expected[row["id"]]["via"]["channel"] for row in rows
    }


def test_stream_map_drops_the_user_email_column(
    mapped_run: MeltanoResult, postgres: PostgresServer, database: str
) -> None:
    columns = postgres.columns(database, SCHEMA, "users")

    assert "email" not in columns
    assert {"id", "name", "photo__content_url"} <= set(columns)


def test_stream_map_filter_keeps_only_live_tickets(
    mapped_run: MeltanoResult,
    postgres: PostgresServer,
    database: str,
    sandbox: SandboxServer,
    e2e_report: E2EReport,
) -> None:
    tickets = sandbox.account.expected("tickets")
    live = {t["id"] for t in tickets if t["status"] != "deleted"}
    rows = postgres.rows(f"SELECT id FROM {SCHEMA}.tickets", database)
    e2e_report.rows(
        f"mapped tickets: {len(tickets) - len(live)} deleted filtered out", {"tickets": len(rows)}
    )

    assert len(live) < len(tickets)
    assert sorted(row["id"] for row in rows) == sorted(live)


def test_aliased_groups_table_holds_every_group(
    mapped_run: MeltanoResult, postgres: PostgresServer, database: str, sandbox: SandboxServer
) -> None:
    rows = postgres.rows(f"SELECT id FROM {SCHEMA}.zendesk_groups", database)

    assert sorted(row["id"] for row in rows) == sorted(
        group["id"] for group in sandbox.account.expected("groups")
    )
