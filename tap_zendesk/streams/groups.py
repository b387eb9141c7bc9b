"""Groups."""

from __future__ import annotations

from tap_zendesk.deletions import DeletedWhen
from tap_zendesk.schemas.groups import GROUP, GROUP_MEMBERSHIP
from tap_zendesk.streams.base import CursorListStream, MembershipsStream


class GroupsStream(CursorListStream):
    """All groups, deleted ones included (`deleted: true`), emitted when changed."""

    name = "groups"
    path = "/groups.json"
    records_key = "groups"
    primary_keys = ("id",)
    replication_key = "updated_at"
    schema = GROUP
    deleted_when = DeletedWhen("deleted", value=True, at="updated_at")
    # Zendesk hides deleted groups by default; a warehouse needs to see the deletion.
    list_params = {"exclude_deleted": "false"}  # noqa: RUF012


class GroupMembershipsStream(MembershipsStream):
    """Which agents are in which groups, from the account-wide list.

    One request per 100 memberships, where `/groups/{id}/memberships` costs at least one per
    group (README: "Requests per stream"). Full table: the whole list is read every run
    anyway, and a removed membership simply vanishes, which only `ACTIVATE_VERSION` can tell.
    """

    name = "group_memberships"
    path = "/group_memberships.json"
    records_key = "group_memberships"
    primary_keys = ("id",)
    schema = GROUP_MEMBERSHIP
