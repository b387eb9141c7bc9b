"""Users."""

from __future__ import annotations

from tap_zendesk.schemas.users import USER
from tap_zendesk.streams.base import CursorExportStream


class UsersStream(CursorExportStream):
    """Every user changed since the bookmark; deleted users come with `active: false`."""

    name = "users"
    path = "/incremental/users/cursor.json"
    records_key = "users"
    primary_keys = ("id",)
    replication_key = "updated_at"
    schema = USER
