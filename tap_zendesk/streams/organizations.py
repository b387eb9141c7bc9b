"""Organizations."""

from __future__ import annotations

from tap_zendesk.schemas.organizations import ORGANIZATION
from tap_zendesk.streams.base import TimeExportStream


class OrganizationsStream(TimeExportStream):
    """Every organization changed since the bookmark (time-based: no cursor export exists)."""

    name = "organizations"
    path = "/incremental/organizations.json"
    records_key = "organizations"
    primary_keys = ("id",)
    replication_key = "updated_at"
    schema = ORGANIZATION
