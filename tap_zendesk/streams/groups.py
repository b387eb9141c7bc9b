"""Groups."""

from __future__ import annotations

from tap_zendesk.schemas.groups import GROUP
from tap_zendesk.streams.base import CursorListStream


class GroupsStream(CursorListStream):
    """All groups, deleted ones included (`deleted: true`), emitted when changed."""

    name = "groups"
    path = "/groups.json"
    records_key = "groups"
    primary_keys = ("id",)
    replication_key = "updated_at"
    schema = GROUP
    # Zendesk hides deleted groups by default; a warehouse needs to see the deletion.
    list_params = {"exclude_deleted": "false"}  # noqa: RUF012
