"""Groups and group memberships (API reference §6.4, §6.5)."""

from __future__ import annotations

from singer_sdk import typing as th

from tap_zendesk.schemas.common import ID, timestamps

GROUP = th.PropertiesList(
    th.Property("id", ID, required=True),
    th.Property("url", th.StringType),
    th.Property("name", th.StringType),
    th.Property("description", th.StringType),
    th.Property("default", th.BooleanType),
    th.Property("deleted", th.BooleanType),
    th.Property("is_public", th.BooleanType),
    *timestamps(),
).to_dict()

GROUP_MEMBERSHIP = th.PropertiesList(
    th.Property("id", ID, required=True),
    th.Property("url", th.StringType),
    th.Property("user_id", ID),
    th.Property("group_id", ID),
    th.Property("default", th.BooleanType),
    th.Property("created_at", th.DateTimeType),
    th.Property(
        "updated_at",
        th.DateTimeType,
        description="Zendesk omits it on some memberships; the tap then fills in created_at.",
    ),
).to_dict()
