"""Tickets and what is read alongside them."""

from __future__ import annotations

from tap_zendesk.schemas.tickets import TICKET
from tap_zendesk.streams.base import CursorExportStream


class TicketsStream(CursorExportStream):
    """Every ticket changed since the bookmark, deleted ones with `status: "deleted"`.

    The export compares `generated_timestamp`, which moves on every change including
    system updates, not `updated_at` (API reference §4.4).
    """

    name = "tickets"
    path = "/incremental/tickets/cursor.json"
    records_key = "tickets"
    primary_keys = ("id",)
    replication_key = "generated_timestamp"
    schema = TICKET
