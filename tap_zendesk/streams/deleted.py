"""Deleted users and deleted tickets: where deletions become visible.

Both lists grow with the account and can't be filtered by time, so they are incremental on
the deletion's timestamp and emit only rows deleted since the bookmark. Deleted users are
read whole (100 per request; their list sorts only by id); deleted tickets newest first,
up to the bookmark.
"""

from __future__ import annotations

from tap_zendesk.schemas.deleted import DELETED_TICKET, DELETED_USER
from tap_zendesk.streams.base import CursorListStream, NewestFirstListStream


class DeletedUsersStream(CursorListStream):
    """Soft- and permanently deleted users, emitted when deleted (`updated_at`)."""

    name = "deleted_users"
    path = "/deleted_users.json"
    records_key = "deleted_users"
    primary_keys = ("id",)
    replication_key = "updated_at"
    schema = DELETED_USER


class DeletedTicketsStream(NewestFirstListStream):
    """Deleted tickets not yet scrubbed (about 30 days), emitted when deleted (`deleted_at`).

    Read newest deletion first, so an incremental run stops at the bookmark. The tickets
    stream already carries them as `status: deleted`; this adds who deleted them and the
    status they had.
    """

    name = "deleted_tickets"
    path = "/deleted_tickets.json"
    records_key = "deleted_tickets"
    primary_keys = ("id",)
    replication_key = "deleted_at"
    schema = DELETED_TICKET
