"""Satisfaction ratings, legacy CSAT (API reference §6.8)."""

from __future__ import annotations

from singer_sdk import typing as th

from tap_zendesk.schemas.common import ID, timestamps

SATISFACTION_RATING = th.PropertiesList(
    th.Property("id", ID, required=True),
    th.Property("url", th.StringType),
    th.Property("ticket_id", ID),
    th.Property("assignee_id", ID),
    th.Property("group_id", ID),
    th.Property("requester_id", ID),
    th.Property("score", th.StringType, description="offered, unoffered, good or bad."),
    th.Property("comment", th.StringType),
    th.Property("reason", th.StringType),
    th.Property("reason_code", th.IntegerType),
    th.Property("reason_id", ID),
    *timestamps(),
).to_dict()
