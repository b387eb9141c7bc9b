"""Ticket metric events: SLA and metric timelines (reply time, resolution time, breaches)."""

from __future__ import annotations

from tap_zendesk.deletions import DeletedWhen
from tap_zendesk.exports import Export
from tap_zendesk.schemas.ticket_metric_events import TICKET_METRIC_EVENT
from tap_zendesk.streams.base import TimeExportStream


class TicketMetricEventsStream(TimeExportStream):
    """Every metric event since the bookmark, from its own time-based export.

    Expensive on the export budget: about 20 events per ticket, so 1,000 tickets cost about
    20 export requests. Breach events are written ahead of time and come out once due;
    a breach cancelled by a fulfilment carries `deleted: true`.
    """

    name = "ticket_metric_events"
    export = Export(
        path="/incremental/ticket_metric_events.json",
        records_key="ticket_metric_events",
        position_field="time",
    )
    # The time-based form documents no per_page (zendesk-api-more §10); its default is 1000.
    per_page = None
    primary_keys = ("id",)
    replication_key = "time"
    schema = TICKET_METRIC_EVENT
    plan_gated = True
    # A breach cancelled by a fulfilment; the event's own time stands for the deletion.
    deleted_when = DeletedWhen("deleted", value=True, at="time")
