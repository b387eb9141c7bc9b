"""What a pipeline must deliver, from the sandbox's own view of its data."""

from __future__ import annotations

import json
from typing import Any

from tap_zendesk.sandbox import SandboxAccount
from tap_zendesk.timestamps import to_epoch

STREAMS = (
    "tickets",
    "ticket_metrics",
    "ticket_comments",
    "users",
    "organizations",
    "organization_memberships",
    "groups",
    "group_memberships",
    "satisfaction_ratings",
)

VERSION_COLUMN = dict.fromkeys(STREAMS, "updated_at") | {
    "tickets": "generated_timestamp",
    "ticket_comments": "created_at",
}
"""The column that changes whenever a record does: a row carrying the current value is current."""


def expected_records(account: SandboxAccount, stream: str) -> dict[int, dict[str, Any]]:
    """The sandbox's records of `stream` by id, as the tap emits them.

    Memberships without `updated_at` get their `created_at` (MembershipsStream).
    """
    records = {}
    for record in account.expected(stream):
        if stream.endswith("_memberships") and record.get("updated_at") is None:
            record["updated_at"] = record["created_at"]
        records[record["id"]] = json.loads(json.dumps(record))
    return records


def versions(account: SandboxAccount, stream: str) -> dict[int, int]:
    """id -> the record's version column in epoch seconds."""
    column = VERSION_COLUMN[stream]
    return {id_: to_epoch(r[column]) for id_, r in expected_records(account, stream).items()}
