"""Tickets and their metrics: one read of the tickets export feeds both."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from tap_zendesk.custom_fields import TICKET_FIELDS
from tap_zendesk.deletions import DeletedWhen
from tap_zendesk.exports import Export
from tap_zendesk.schemas.tickets import TICKET, TICKET_METRIC
from tap_zendesk.streams.base import CursorExportStream
from tap_zendesk.streams.custom_fields import CustomFieldsMixin

if TYPE_CHECKING:
    from collections.abc import Iterable

# The export compares `generated_timestamp`, which moves on every change including system
# updates, not `updated_at` (API reference §4.4).
TICKETS_EXPORT = Export(
    path="/incremental/tickets/cursor.json",
    records_key="tickets",
    position_field="generated_timestamp",
)


class TicketsStream(CustomFieldsMixin, CursorExportStream):
    """Every ticket changed since the bookmark, deleted ones with `status: "deleted"`."""

    name = "tickets"
    export = TICKETS_EXPORT
    primary_keys = ("id",)
    replication_key = "generated_timestamp"
    schema = TICKET
    custom_fields = TICKET_FIELDS
    # A deleted ticket's updated_at is its deletion time.
    deleted_when = DeletedWhen("status", "deleted", at="updated_at")

    def derive(self, items: list[dict[str, Any]], page: dict[str, Any]) -> Iterable[dict]:  # noqa: ARG002
        """The tickets, without the `metric_set` sideload (that is `ticket_metrics`' record)."""
        for ticket in items:
            if "metric_set" in ticket:
                # A copy: the same item feeds ticket_metrics.
                yield {k: v for k, v in ticket.items() if k != "metric_set"}
            else:
                yield ticket


class TicketMetricsStream(CursorExportStream):
    """One metrics record per ticket, from the tickets export's `metric_sets` sideload.

    No request of its own. Archived tickets keep their metrics this way; `/ticket_metrics`
    leaves them out. Deleted tickets have none.
    """

    name = "ticket_metrics"
    export = TICKETS_EXPORT
    include = "metric_sets"
    primary_keys = ("id",)
    replication_key = "updated_at"
    schema = TICKET_METRIC
    # Metrics change with their ticket but their updated_at is not the export's order.
    is_sorted = False

    def derive(self, items: list[dict[str, Any]], page: dict[str, Any]) -> Iterable[dict]:  # noqa: ARG002
        """Each ticket's embedded metric set."""
        for ticket in items:
            if isinstance(metric_set := ticket.get("metric_set"), dict):
                yield metric_set
