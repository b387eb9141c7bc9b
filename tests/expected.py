"""What a sync must deliver, from the sandbox's own view of its data."""

from __future__ import annotations

import copy
import json
from collections.abc import Callable
from decimal import Decimal
from typing import Any

from tap_zendesk.conform import Conformer
from tap_zendesk.custom_fields import pick_values, typed_names, with_typed_fields
from tap_zendesk.sandbox import SandboxAccount
from tap_zendesk.streams import STREAM_TYPES
from tap_zendesk.timestamps import to_epoch

STREAMS = tuple(stream_type.name for stream_type in STREAM_TYPES)
# On a class, the SDK's `replication_key` is a property unless the stream sets a name.
REPLICATION_KEYS = {
    t.name: t.replication_key if isinstance(t.replication_key, str) else None for t in STREAM_TYPES
}
DELETED_WHEN = {stream_type.name: stream_type.deleted_when for stream_type in STREAM_TYPES}
FULL_TABLE = frozenset(name for name, key in REPLICATION_KEYS.items() if key is None)
"""Streams emitted whole on every run (ACTIVATE_VERSION signals what vanished)."""
PRIMARY_KEYS = {stream_type.name: tuple(stream_type.primary_keys) for stream_type in STREAM_TYPES}

VERSION_COLUMN = {name: key or "updated_at" for name, key in REPLICATION_KEYS.items()}
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


def expected_records(
    account: SandboxAccount, stream: str, *, typed: bool = False
) -> dict[Any, dict[str, Any]]:
    """The sandbox's records of `stream` by primary key, as the tap emits them.

    Memberships without `updated_at` get their `created_at` (MembershipsStream); streams that
    see deletions carry `_sdc_deleted_at` (`deletions.py`). `typed`: as
    a sync with a discovered catalog emits them, custom field values typed (tickets,
    users, organizations; see `custom_field_typing`).
    """
    typing = custom_field_typing(account, stream) if typed else None
    records = {}
    for record in account.expected(stream):
        emitted = dict(record)
        if stream.endswith("_memberships") and emitted.get("updated_at") is None:
            emitted["updated_at"] = emitted["created_at"]
        if typing is not None:
            emitted = typing(emitted)
        if (deleted_when := DELETED_WHEN[stream]) is not None:
            deleted_when.mark(emitted)
        records[key_of(stream, emitted)] = as_json(emitted)
    return records


def custom_field_typing(
    account: SandboxAccount, stream: str
) -> Callable[[dict[str, Any]], dict[str, Any]] | None:
    """What a discovered catalog makes of a record's custom fields, None for other streams.

    The conversions themselves are pinned in tests/test_custom_fields.py; this applies the
    tap's own to the account's definitions, for tests of whole records through a pipeline.
    """
    stream_type = next(t for t in STREAM_TYPES if t.name == stream)
    family = getattr(stream_type, "custom_fields", None)
    if family is None:
        return None
    schema = with_typed_fields(stream_type.schema, family, account.expected(family.definitions))
    names = typed_names(family, schema)
    conformer = Conformer(stream, schema, stream_type.primary_keys)

    def typed(record: dict[str, Any]) -> dict[str, Any]:
        record = copy.deepcopy(record)
        if family.raw_list is not None:
            record[family.values] = pick_values(record.get(family.raw_list), names)
        return conformer(record) or record

    return typed


def versions(account: SandboxAccount, stream: str) -> dict[Any, int | None]:
    """Primary key -> the record's version field in epoch seconds (None: it has none)."""
    column = VERSION_COLUMN[stream]
    return {
        key: to_epoch(r[column]) if r.get(column) is not None else None
        for key, r in expected_records(account, stream).items()
    }
