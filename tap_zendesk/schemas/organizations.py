"""Organizations and organization memberships (API reference §6.3, §6.6)."""

from __future__ import annotations

from singer_sdk import typing as th

from tap_zendesk.schemas.common import FIELD_VALUES, ID, STRING_LIST, timestamps

ORGANIZATION = th.PropertiesList(
    th.Property("id", ID, required=True),
    th.Property("url", th.StringType),
    th.Property("name", th.StringType),
    th.Property("details", th.StringType),
    th.Property("notes", th.StringType),
    th.Property("external_id", th.StringType),
    th.Property("domain_names", STRING_LIST),
    th.Property("tags", STRING_LIST),
    th.Property("group_id", ID),
    th.Property("shared_tickets", th.BooleanType),
    th.Property("shared_comments", th.BooleanType),
    th.Property("organization_fields", FIELD_VALUES),
    *timestamps(),
    th.Property("deleted_at", th.DateTimeType),
).to_dict()

ORGANIZATION_MEMBERSHIP = th.PropertiesList(
    th.Property("id", ID, required=True),
    th.Property("url", th.StringType),
    th.Property("user_id", ID),
    th.Property("organization_id", ID),
    th.Property("organization_name", th.StringType),
    th.Property("default", th.BooleanType, description="Null, not false, when not default."),
    th.Property("view_tickets", th.BooleanType),
    *timestamps(),
).to_dict()
