"""What a sync must deliver, from the sandbox's own view of its data."""

from __future__ import annotations

import json
from decimal import Decimal
from typing import Any

from tap_zendesk.sandbox import SandboxAccount
from tap_zendesk.streams import STREAM_TYPES
from tap_zendesk.timestamps import to_epoch

STREAMS = tuple(stream_type.name for stream_type in STREAM_TYPES)
FULL_TABLE = frozenset(t.name for t in STREAM_TYPES if not t.replication_key)
"""Streams emitted whole on every run (ACTIVATE_VERSION signals what vanished)."""
PRIMARY_KEYS = {stream_type.name: tuple(stream_type.primary_keys) for stream_type in STREAM_TYPES}

VERSION_COLUMN = {
    stream_type.name: stream_type.replication_key or "updated_at" for stream_type in STREAM_TYPES
}
"""The field that changes whenever a record does: a record carrying its value is current."""


def key_of(stream: str, record: dict[str, Any]) -> Any:
    """The record's primary key: its value, or a tuple of values for a compound key."""
    keys = PRIMARY_KEYS[stream]
    if len(keys) == 1:
        return record[keys[0]]
    return tuple(record[k] for k in keys)


def as_json(value: object) -> Any:
    """A record as a Singer target sees it (after a JSON round trip)."""
    return json.loads(
        json.dumps(value, default=lambda v: float(v) if isinstance(v, Decimal) else v)
    )


def expected_records(account: SandboxAccount, stream: str) -> dict[Any, dict[str, Any]]:
    """The sandbox's records of `stream` by primary key, as the tap emits them.

    Memberships without `updated_at` get their `created_at` (MembershipsStream).
    """
    records = {}
    for record in account.expected(stream):
        emitted = dict(record)
        if stream.endswith("_memberships") and emitted.get("updated_at") is None:
            emitted["updated_at"] = emitted["created_at"]
        records[key_of(stream, emitted)] = as_json(emitted)
    return records


def versions(account: SandboxAccount, stream: str) -> dict[Any, int | None]:
    """Primary key -> the record's version field in epoch seconds (None: it has none)."""
    column = VERSION_COLUMN[stream]
    return {
        key: to_epoch(r[column]) if r.get(column) is not None else None
        for key, r in expected_records(account, stream).items()
    }
