"""Loaded rows keyed by each stream's primary key, next to what the sandbox says they must be.

A row is compared on its version (the field that changes whenever the record does) and its
`_sdc_deleted_at`, both as plain values: timestamps in epoch seconds, dates as text.
"""

from __future__ import annotations

from typing import Any

from tap_zendesk.sandbox import SandboxAccount
from tap_zendesk.streams import STREAM_TYPES
from tap_zendesk.timestamps import to_epoch
from tests.e2e.pg_server import PostgresServer
from tests.expected import PRIMARY_KEYS, VERSION_COLUMN, expected_records, key_of

SCHEMAS = {stream_type.name: stream_type.schema for stream_type in STREAM_TYPES}
VERSION = {**VERSION_COLUMN, "tags": "count", "schedule_holidays": "end_date"}
"""The field that changes with the record; tags and holidays have no timestamp of their own."""
DELETED_AT = "_sdc_deleted_at"


def _format(stream: str, column: str) -> str | None:
    return SCHEMAS[stream]["properties"][column].get("format")


def version_sql(stream: str) -> str:
    """The version column of `stream` as a SELECT expression: epoch seconds, or the value."""
    column = VERSION[stream]
    if _format(stream, column) == "date-time":
        return f"extract(epoch FROM {column})::bigint"
    if _format(stream, column) == "date":
        return f"{column}::text"
    return column


def version_of(stream: str, record: dict[str, Any]) -> Any:
    """A record's version as `version_sql` reads it back from its row."""
    value = record.get(VERSION[stream])
    if value is None or _format(stream, VERSION[stream]) != "date-time":
        return value
    return to_epoch(value)


def expected_versions(account: SandboxAccount, stream: str) -> dict[Any, Any]:
    """Primary key -> version of every record the sandbox serves for `stream` right now."""
    return {
        key: version_of(stream, record) for key, record in expected_records(account, stream).items()
    }


def expected_deleted_at(account: SandboxAccount, stream: str) -> dict[Any, int | None]:
    """Primary key -> `_sdc_deleted_at` in epoch seconds (None: live, or no deletion marker)."""
    return {
        key: to_epoch(record[DELETED_AT]) if record.get(DELETED_AT) is not None else None
        for key, record in expected_records(account, stream).items()
    }


def select_rows(
    postgres: PostgresServer,
    database: str,
    schema: str,
    stream: str,
    extras: tuple[str, ...] = (),
) -> list[dict[str, Any]]:
    """Every row of `schema.stream`: its key columns, `version`, `deleted_at` (epoch seconds),
    `batched_at` (`_sdc_batched_at` in epoch seconds) and the `extras` columns."""
    columns = ", ".join(
        (
            *PRIMARY_KEYS[stream],
            f"{version_sql(stream)} AS version",
            f"extract(epoch FROM {DELETED_AT})::bigint AS deleted_at",
            "extract(epoch FROM _sdc_batched_at) AS batched_at",
            *extras,
        )
    )
    return postgres.rows(f"SELECT {columns} FROM {schema}.{stream}", database)


def keyed(stream: str, rows: list[dict[str, Any]]) -> dict[Any, dict[str, Any]]:
    """Rows by primary key (a tuple for compound keys); a duplicate key raises."""
    by_key: dict[Any, dict[str, Any]] = {}
    for row in rows:
        key = key_of(stream, row)
        if key in by_key:
            msg = f"{stream}: primary key {key!r} loaded twice"
            raise AssertionError(msg)
        by_key[key] = row
    return by_key
