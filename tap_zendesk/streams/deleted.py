"""Deleted users and deleted tickets: where deletions become visible.

Both lists grow with the account and can't be filtered by time, so they are incremental on
the deletion's timestamp: the whole list is read (100 per request) and only rows deleted
since the bookmark are emitted (`CursorListStream`).
"""

from __future__ import annotations

from tap_zendesk.schemas.deleted import DELETED_TICKET, DELETED_USER
from tap_zendesk.streams.base import CursorListStream


class DeletedUsersStream(CursorListStream):
    """Soft- and permanently deleted users, emitted when deleted (`updated_at`)."""

    name = "deleted_users"
    path = "/deleted_users.json"
    records_key = "deleted_users"
    primary_keys = ("id",)
    replication_key = "updated_at"
    schema = DELETED_USER


class DeletedTicketsStream(CursorListStream):
    """Deleted tickets not yet scrubbed (about 30 days), emitted when deleted (`deleted_at`).

    The tickets stream already carries them as `status: deleted`; this adds who deleted them
    and the status they had.
    """

    name = "deleted_tickets"
    path = "/deleted_tickets.json"
    records_key = "deleted_tickets"
    primary_keys = ("id",)
    replication_key = "deleted_at"
    schema = DELETED_TICKET
