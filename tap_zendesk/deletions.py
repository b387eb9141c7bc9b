"""Deletions as Singer targets understand them: the `_sdc_deleted_at` column.

Zendesk marks deleted records in many ways: tickets get `status: "deleted"`, users
`active: false`, organizations `deleted_at`, groups `deleted: true`, brands `is_deleted`,
cancelled SLA breaches `deleted: true`. A stream declares which (`ZendeskStream.deleted_when`)
and each such record carries `_sdc_deleted_at`, the column SQL targets keep as the deletion
marker. Records that simply vanish (a removed membership, a deleted macro) are signalled by
full-table streams with `ACTIVATE_VERSION` instead (setting `emit_activate_version_messages`):
the target marks, or with `target-postgres`'s `hard_delete` removes, the rows missing from the
newest version.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from singer_sdk import typing as th

#: The column added to the schema of every stream that declares `deleted_when`.
DELETED_AT = "_sdc_deleted_at"
DELETED_AT_PROPERTY = th.Property(
    DELETED_AT,
    th.DateTimeType,
    description="When Zendesk marked the record deleted; null while it is live.",
).to_dict()[DELETED_AT]  # to_dict() is {name: schema}


@dataclass(frozen=True)
class DeletedWhen:
    """How a stream's records say they are deleted, and when."""

    #: The field that says so.
    field: str
    #: The value of `field` that means deleted; None: any non-null value (a timestamp).
    value: Any = None
    #: The field holding the time of deletion; None: `field` itself is that time.
    at: str | None = None

    def deleted_at(self, record: dict[str, Any]) -> Any:
        """The record's deletion time, or None while it is live."""
        flag = record.get(self.field)
        if self.value is None:
            deleted = flag is not None
        else:
            deleted = flag == self.value and type(flag) is type(self.value)
        if not deleted:
            return None
        return record.get(self.at) if self.at else flag

    def mark(self, record: dict[str, Any]) -> dict[str, Any]:
        """`record` with `_sdc_deleted_at` set (in place)."""
        record[DELETED_AT] = self.deleted_at(record)
        return record

    def describe(self) -> str:
        """For the README's streams table."""
        if self.value is None:
            return f"`_sdc_deleted_at` from `{self.field}`"
        value = str(self.value).lower() if isinstance(self.value, bool) else self.value
        return f"`_sdc_deleted_at` when `{self.field}` is `{value}`"
