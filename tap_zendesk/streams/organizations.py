"""Organizations."""

from __future__ import annotations

from tap_zendesk.custom_fields import ORGANIZATION_FIELDS
from tap_zendesk.deletions import DeletedWhen
from tap_zendesk.exports import Export
from tap_zendesk.schemas.organizations import ORGANIZATION, ORGANIZATION_MEMBERSHIP
from tap_zendesk.streams.base import MembershipsStream, TimeExportStream
from tap_zendesk.streams.custom_fields import CustomFieldsMixin


class OrganizationsStream(CustomFieldsMixin, TimeExportStream):
    """Every organization changed since the bookmark (time-based: no cursor export exists)."""

    name = "organizations"
    export = Export(
        path="/incremental/organizations.json",
        records_key="organizations",
        position_field="updated_at",
    )
    primary_keys = ("id",)
    replication_key = "updated_at"
    schema = ORGANIZATION
    custom_fields = ORGANIZATION_FIELDS
    deleted_when = DeletedWhen("deleted_at")


class OrganizationMembershipsStream(MembershipsStream):
    """Which users belong to which organizations, from the account-wide list.

    Full table, like group memberships: a removed membership vanishes from the list.
    """

    name = "organization_memberships"
    path = "/organization_memberships.json"
    records_key = "organization_memberships"
    primary_keys = ("id",)
    schema = ORGANIZATION_MEMBERSHIP
