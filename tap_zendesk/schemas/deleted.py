"""Deleted users and deleted tickets (supplement §7.1, §7.2)."""

from __future__ import annotations

from singer_sdk import typing as th

from tap_zendesk.schemas.common import ATTACHMENT, ID, timestamps

DELETED_USER = th.PropertiesList(
    th.Property("id", ID, required=True),
    th.Property("url", th.StringType),
    th.Property("name", th.StringType, description="'Permanently Deleted User' once scrubbed."),
    th.Property("email", th.StringType),
    th.Property("phone", th.StringType),
    th.Property("shared_phone_number", th.BooleanType),
    th.Property("photo", ATTACHMENT),
    th.Property("locale", th.StringType),
    th.Property("locale_id", ID),
    th.Property("organization_id", ID),
    th.Property("role", th.StringType),
    th.Property("time_zone", th.StringType),
    th.Property("active", th.BooleanType),
    *timestamps(),
).to_dict()

DELETED_TICKET = th.PropertiesList(
    th.Property("id", ID, required=True),
    th.Property("subject", th.StringType),
    th.Property("description", th.StringType),
    th.Property(
        "actor",
        th.ObjectType(th.Property("id", ID), th.Property("name", th.StringType)),
        description="Who deleted the ticket.",
    ),
    th.Property("deleted_at", th.DateTimeType),
    th.Property("previous_state", th.StringType, description="The status before deletion."),
).to_dict()
