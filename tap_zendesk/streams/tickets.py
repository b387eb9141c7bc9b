"""Tickets, and what is read alongside them: their metrics and their comments."""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING, Any, ClassVar

from tap_zendesk.schemas.tickets import TICKET, TICKET_COMMENT, TICKET_METRIC
from tap_zendesk.streams.base import CursorExportStream, SideloadedStream, TimeExportStream

if sys.version_info >= (3, 12):
    from typing import override
else:
    from typing_extensions import override

if TYPE_CHECKING:
    from collections.abc import Iterable

    import requests
    from singer_sdk.helpers.types import Context


class TicketsStream(CursorExportStream):
    """Every ticket changed since the bookmark, deleted ones with `status: "deleted"`.

    The export compares `generated_timestamp`, which moves on every change including
    system updates, not `updated_at` (API reference §4.4). When `ticket_metrics` is selected
    the export also brings each ticket's metrics (`include=metric_sets`), at no extra request.

    Its children are synced once per page of tickets, not once per ticket: `ticket_metrics`
    takes the page's sideloaded metric sets, `ticket_comments` reads the ticket-events export
    on its first sync of the run.
    """

    name = "tickets"
    path = "/incremental/tickets/cursor.json"
    records_key = "tickets"
    primary_keys = ("id",)
    replication_key = "generated_timestamp"
    schema = TICKET

    def _metrics_selected(self) -> bool:
        return any(isinstance(c, TicketMetricsStream) and c.selected for c in self.child_streams)

    @override
    def export_params(self, context: Context | None) -> dict[str, Any]:
        return {"include": "metric_sets"} if self._metrics_selected() else {}

    @override
    def parse_response(self, response: requests.Response) -> Iterable[dict]:
        # The whole page is sorted before its first ticket is written, so the metrics child
        # can take the page's metric sets in one go.
        tickets = list(super().parse_response(response))
        metric_sets = [ticket.pop("metric_set", None) for ticket in tickets]
        if self._metrics_selected():
            self.sideloads.put(TicketMetricsStream.name, [m for m in metric_sets if m])
        yield from tickets

    @override
    def generate_child_contexts(
        self, record: dict, context: Context | None
    ) -> Iterable[Context | None]:
        """A child context when a child has work: once per page, not once per ticket."""
        if self.sideloads.pending() or self._comments_waiting():
            yield {"tickets_page": self._page_position}

    def _comments_waiting(self) -> bool:
        return any(
            isinstance(c, TicketCommentsStream) and c.selected and not c.done
            for c in self.child_streams
        )

    @override
    def has_read_enough(self) -> bool:
        """Also stop once only `ticket_comments` wanted the export, and it has been synced.

        With neither tickets nor their metrics selected, the tickets export is read only
        to sync its child `ticket_comments`: one page is enough.
        """
        if super().has_read_enough():
            return True
        return not self.export_consumers() and not self._comments_waiting()


class TicketMetricsStream(SideloadedStream):
    """One metrics record per ticket, from the tickets export's `metric_sets` sideload.

    Archived tickets keep their metrics this way; `/ticket_metrics` leaves them out. Deleted
    tickets have none. Selecting only this stream still reads the tickets export, and emits
    only the metrics.
    """

    name = "ticket_metrics"
    parent_stream_type = TicketsStream
    primary_keys = ("id",)
    replication_key = "updated_at"
    schema = TICKET_METRIC


class TicketCommentsStream(TimeExportStream):
    """Every comment, with its `ticket_id`, from the ticket-events export.

    A child of `tickets` (a comment changes its ticket, so a run that finds no changed ticket
    has no new comment either), but not read per ticket: on its first sync of the run it reads
    the ticket-events export from its own bookmark to the end. `include=comment_events` puts
    whole comments in the events: about one request per 1,000 events, against at least one per
    changed ticket for `/tickets/{id}/comments`, which also re-reads the ticket's old comments
    (README: "Why comments come from ticket events").
    """

    name = "ticket_comments"
    parent_stream_type = TicketsStream
    # One bookmark and one export position for the stream, whatever the parent page.
    state_partitioning_keys: ClassVar[list[str]] = []  # type: ignore[misc]
    done = False
    path = "/incremental/ticket_events.json"
    records_key = "ticket_events"
    primary_keys = ("id",)
    replication_key = "created_at"
    schema = TICKET_COMMENT
    # A comment's created_at is its audit's timestamp, the export's order; if Zendesk ever
    # disagreed by a second, that must not stop the sync.
    check_sorted = False

    @override
    def export_params(self, context: Context | None) -> dict[str, Any]:
        return {"include": "comment_events"}

    @override
    def read_records(self, context: Context | None) -> Iterable[dict[str, Any]]:
        """The whole export on the first sync of the run; later page contexts add nothing."""
        if self.done:
            return
        self.done = True
        yield from super().read_records(context)

    @override
    def parse_response(self, response: requests.Response) -> Iterable[dict]:
        for event in super().parse_response(response):
            for child in event.get("child_events") or []:
                if isinstance(child, dict) and child.get("event_type") in {
                    "Comment",
                    "VoiceComment",
                }:
                    yield self.comment_from_event(event, child)

    @staticmethod
    def comment_from_event(event: dict, child: dict) -> dict:
        """The comment as `/tickets/{id}/comments` shows it, plus `ticket_id`."""
        comment = {k: v for k, v in child.items() if k not in {"event_type", "via_reference_id"}}
        comment.setdefault("created_at", event.get("created_at"))
        comment.setdefault("metadata", event.get("metadata"))
        comment["ticket_id"] = event.get("ticket_id")
        return comment
