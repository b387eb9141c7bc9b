"""Suspended tickets and ticket skips: messages held back and tickets agents passed on.

Both lists grow with traffic and can't be filtered by time, so they are incremental on
`updated_at`: the whole list is read (100 per request) and only rows changed since the
bookmark are emitted (`CursorListStream`).
"""

from __future__ import annotations

from tap_zendesk.schemas.triage import SUSPENDED_TICKET, TICKET_SKIP
from tap_zendesk.streams.base import CursorListStream


class SuspendedTicketsStream(CursorListStream):
    """Suspended tickets, emitted when suspended.

    A recovered or deleted suspended ticket leaves the list without a trace (a recovered
    one becomes a ticket); the target keeps the last copy it saw.
    """

    name = "suspended_tickets"
    path = "/suspended_tickets.json"
    records_key = "suspended_tickets"
    primary_keys = ("id",)
    replication_key = "updated_at"
    schema = SUSPENDED_TICKET


class TicketSkipsStream(CursorListStream):
    """Tickets agents skipped in guided mode, with the ticket as it was, emitted when new."""

    name = "ticket_skips"
    path = "/skips.json"
    records_key = "skips"
    primary_keys = ("id",)
    replication_key = "updated_at"
    schema = TICKET_SKIP
