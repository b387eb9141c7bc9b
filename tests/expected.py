"""What a sync must deliver, from the sandbox's own view of its data."""

from __future__ import annotations

import json
from decimal import Decimal
from typing import Any

from tap_zendesk.sandbox import SandboxAccount
from tap_zendesk.streams import STREAM_TYPES
from tap_zendesk.timestamps import to_epoch

STREAMS = tuple(stream_type.name for stream_type in STREAM_TYPES)

VERSION_COLUMN = dict.fromkeys(STREAMS, "updated_at") | {
    "tickets": "generated_timestamp",
    "ticket_comments": "created_at",
}
"""The field that changes whenever a record does: a record carrying its value is current."""


def as_json(value: object) -> Any:
    """A record as a Singer target sees it (after a JSON round trip)."""
    return json.loads(
        json.dumps(value, default=lambda v: float(v) if isinstance(v, Decimal) else v)
    )


def expected_records(account: SandboxAccount, stream: str) -> dict[int, dict[str, Any]]:
    """The sandbox's records of `stream` by id, as the tap emits them.

    Memberships without `updated_at` get their `created_at` (MembershipsStream).
    """
    records = {}
    for record in account.expected(stream):
        emitted = dict(record)
        if stream.endswith("_memberships") and emitted.get("updated_at") is None:
            emitted["updated_at"] = emitted["created_at"]
        records[emitted["id"]] = as_json(emitted)
    return records


def versions(account: SandboxAccount, stream: str) -> dict[int, int]:
    """id -> the record's version field in epoch seconds."""
    column = VERSION_COLUMN[stream]
    return {id_: to_epoch(r[column]) for id_, r in expected_records(account, stream).items()}
