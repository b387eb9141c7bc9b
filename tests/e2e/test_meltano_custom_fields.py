"""Custom fields land as typed PostgreSQL columns through Meltano with flattening.

Meltano discovers (the tap types each custom field from the definitions), the tap flattens
`custom_field_values`, `user_fields` and `organization_fields` one level deep, and
target-postgres makes each field its own column of the field's type. After `mutate()` renames
a ticket field, a second run rediscovers and loads into the same column.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from decimal import Decimal
from typing import Any

import pytest

from tap_zendesk.sandbox import SandboxAccount, SandboxServer
from tap_zendesk.sandbox.factories import TICKET_FIELD_IDS
from tests.e2e.meltano_project import ENVIRONMENT, MeltanoProject, MeltanoResult, tap_env
from tests.e2e.pg_server import PostgresServer
from tests.e2e.report import E2EReport

pytestmark = pytest.mark.e2e

TICKETS = 300
INTEGER = re.compile(r"^\s*-?\d+\s*$")
"""An integer field's text that the tap reads as an integer."""
SCHEMA = "custom"
SETTINGS = {"flattening_enabled": True, "flattening_max_depth": 1}
SELECT = ["tickets.*", "users.*", "organizations.*"]
TICKET_COLUMN = {kind: f"custom_field_values__{i}" for kind, i in TICKET_FIELD_IDS.items()}

# PostgreSQL type of each ticket field's column. Multi-select is `text` holding a JSON array:
# the SDK's flattening writes every list as JSON text (`::jsonb` reads it back).
TICKET_COLUMN_TYPES = {
    "text": "text",
    "textarea": "text",
    "integer": "bigint",
    "decimal": "numeric",
    "checkbox": "boolean",
    "multiselect": "text",
    "tagger": "text",
    "date": "date",
    "regexp": "text",
    "lookup": "bigint",
    "unused": "text",
}


@pytest.fixture(scope="module")
def sandbox() -> Iterator[SandboxServer]:
    with SandboxServer(SandboxAccount.generate(tickets=TICKETS, seed=71)).start() as server:
        yield server


@pytest.fixture(scope="module")
def database(postgres: PostgresServer) -> str:
    return postgres.create_database("custom_fields")


def run(
    project: MeltanoProject, postgres: PostgresServer, database: str, server: SandboxServer
) -> MeltanoResult:
    return project.run(
        f"--environment={ENVIRONMENT}",
        "run",
        "--state-id-suffix=custom-fields",
        "tap-zendesk",
        "target-postgres",
        env={
            **tap_env(server, **SETTINGS),
            **postgres.target_env(database, SCHEMA),
            "TAP_ZENDESK__SELECT": json.dumps(SELECT),
        },
    ).check()


@pytest.fixture(scope="module")
def first(
    postgres: PostgresServer,
    meltano_project: MeltanoProject,
    database: str,
    sandbox: SandboxServer,
    e2e_report: E2EReport,
) -> dict[str, str]:
    result = run(meltano_project, postgres, database, sandbox)
    e2e_report.timing(
        f"meltano run tap-zendesk target-postgres, typed custom fields ({TICKETS} tickets)",
        result.seconds,
    )
    return postgres.columns(database, SCHEMA, "tickets")


@pytest.fixture(scope="module")
def renamed(
    first: dict[str, str],
    postgres: PostgresServer,
    meltano_project: MeltanoProject,
    database: str,
    sandbox: SandboxServer,
) -> tuple[int, set[int]]:
    """The ticket field `mutate()` renamed, and the tickets the second run loaded."""
    before = {f["id"]: f["title"] for f in sandbox.account.expected("ticket_fields")}
    changes = sandbox.account.mutate(seed=3, fraction=0.1)
    after = {f["id"]: f["title"] for f in sandbox.account.expected("ticket_fields")}
    [field_id] = [i for i in before if after[i] != before[i]]
    run(meltano_project, postgres, database, sandbox)
    return field_id, set(changes.changed["tickets"])


def raw_values(sandbox: SandboxServer, kind: str) -> dict[int, Any]:
    """Ticket id -> the raw value of the custom field `kind`, as the sandbox serves it."""
    field_id = TICKET_FIELD_IDS[kind]
    return {
        t["id"]: next(v["value"] for v in t["custom_fields"] if v["id"] == field_id)
        for t in sandbox.account.expected("tickets")
    }


def test_each_ticket_field_is_a_column_of_its_type(first: dict[str, str]) -> None:
    assert {kind: first.get(column) for kind, column in TICKET_COLUMN.items()} == (
        TICKET_COLUMN_TYPES
    )


@pytest.mark.parametrize(
    ("table", "column", "data_type"),
    [
        ("users", "user_fields__plan", "text"),
        ("users", "user_fields__lifetime_orders", "bigint"),
        ("users", "user_fields__nps_score", "numeric"),
        ("users", "user_fields__newsletter", "boolean"),
        ("users", "user_fields__birthday", "date"),
        ("users", "user_fields__interests", "text"),
        ("organizations", "organization_fields__seats", "bigint"),
        ("organizations", "organization_fields__arr", "numeric"),
        ("organizations", "organization_fields__is_partner", "boolean"),
        ("organizations", "organization_fields__renewal_date", "date"),
    ],
)
def test_user_and_organization_fields_are_columns_of_their_type(
    first: dict[str, str],
    postgres: PostgresServer,
    database: str,
    table: str,
    column: str,
    data_type: str,
) -> None:
    assert postgres.columns(database, SCHEMA, table)[column] == data_type


def test_sum_of_an_integer_field_counts_numeric_strings_too(
    first: dict[str, str], postgres: PostgresServer, database: str, sandbox: SandboxServer
) -> None:
    values = raw_values(sandbox, "integer").values()
    conformable = [int(v) for v in values if isinstance(v, int) or INTEGER.match(str(v))]
    assert any(isinstance(v, str) for v in values)

    total = postgres.scalar(
        f"SELECT sum({TICKET_COLUMN['integer']}) FROM {SCHEMA}.tickets", database
    )

    assert total == sum(conformable)


def test_an_integer_field_holding_text_is_null_in_its_row(
    first: dict[str, str], postgres: PostgresServer, database: str, sandbox: SandboxServer
) -> None:
    text = {i for i, v in raw_values(sandbox, "integer").items() if isinstance(v, str) and " " in v}
    nulls = postgres.rows(
        f"SELECT id FROM {SCHEMA}.tickets WHERE {TICKET_COLUMN['integer']} IS NULL", database
    )

    assert text
    assert text <= {row["id"] for row in nulls}


def test_sum_of_a_decimal_field_is_exact(
    first: dict[str, str], postgres: PostgresServer, database: str, sandbox: SandboxServer
) -> None:
    values = [Decimal(str(v)) for v in raw_values(sandbox, "decimal").values() if v is not None]

    total = postgres.scalar(
        f"SELECT sum({TICKET_COLUMN['decimal']})::text FROM {SCHEMA}.tickets", database
    )

    assert Decimal(total) == sum(values)


def test_checkbox_strings_count_as_booleans(
    first: dict[str, str], postgres: PostgresServer, database: str, sandbox: SandboxServer
) -> None:
    values = raw_values(sandbox, "checkbox").values()
    checked = sum(1 for v in values if v is True or v == "true")
    assert "true" in values

    count = postgres.scalar(
        f"SELECT count(*) FROM {SCHEMA}.tickets WHERE {TICKET_COLUMN['checkbox']}", database
    )

    assert count == checked


def test_multiselect_values_read_back_as_json_arrays(
    first: dict[str, str], postgres: PostgresServer, database: str, sandbox: SandboxServer
) -> None:
    values = raw_values(sandbox, "multiselect")
    rows = postgres.rows(
        f"SELECT id, {TICKET_COLUMN['multiselect']}::jsonb AS v FROM {SCHEMA}.tickets", database
    )

    assert {row["id"]: row["v"] for row in rows} == values


def test_dates_are_dates(
    first: dict[str, str], postgres: PostgresServer, database: str, sandbox: SandboxServer
) -> None:
    values = [v for v in raw_values(sandbox, "date").values() if v is not None]

    latest = postgres.scalar(
        f"SELECT max({TICKET_COLUMN['date']})::text FROM {SCHEMA}.tickets", database
    )

    assert latest == max(values)


def test_a_renamed_field_keeps_its_column(
    first: dict[str, str],
    renamed: tuple[int, set[int]],
    postgres: PostgresServer,
    database: str,
    sandbox: SandboxServer,
) -> None:
    field_id, changed = renamed
    column = f"custom_field_values__{field_id}"
    current = {
        t["id"]: next(v["value"] for v in t["custom_fields"] if v["id"] == field_id)
        for t in sandbox.account.expected("tickets")
        if t["id"] in changed
    }
    loaded = postgres.rows(
        f"SELECT id, {column}::text AS v FROM {SCHEMA}.tickets "
        f"WHERE id IN ({','.join(map(str, changed))})",
        database,
    )

    assert postgres.columns(database, SCHEMA, "tickets") == first
    assert {row["id"] for row in loaded if row["v"] is not None} <= {
        i for i, value in current.items() if value is not None
    }
    assert any(row["v"] is not None for row in loaded)
