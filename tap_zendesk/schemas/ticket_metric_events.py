"""Ticket metric events (reference §6.18, more §10)."""

from __future__ import annotations

from singer_sdk import typing as th

from tap_zendesk.schemas.common import ID

_MINUTES = th.ObjectType(
    th.Property("calendar", th.IntegerType),
    th.Property("business", th.IntegerType),
)
_SLA = th.ObjectType(
    th.Property("target", th.IntegerType),
    th.Property("target_in_seconds", th.IntegerType),
    th.Property("business_hours", th.BooleanType),
    th.Property(
        "policy",
        th.ObjectType(
            th.Property("id", ID),
            th.Property("title", th.StringType),
            th.Property("description", th.StringType),
        ),
    ),
    additional_properties=True,
)

TICKET_METRIC_EVENT = th.PropertiesList(
    th.Property("id", ID, required=True),
    th.Property("ticket_id", ID),
    th.Property("metric", th.StringType),
    th.Property("instance_id", th.IntegerType),
    th.Property("type", th.StringType),
    th.Property("time", th.DateTimeType, required=True),
    th.Property("sla", _SLA, description="apply_sla events only."),
    th.Property("group_sla", _SLA, description="apply_group_sla events only."),
    th.Property("status", _MINUTES, description="update_status events only."),
    th.Property("deleted", th.BooleanType, description="A cancelled breach."),
).to_dict()
