"""Tickets (API reference §6.1)."""

from __future__ import annotations

from singer_sdk import typing as th

from tap_zendesk.schemas.common import (
    ATTACHMENT,
    CUSTOM_FIELDS,
    ID,
    ID_LIST,
    METADATA,
    STRING_LIST,
    VIA,
    timestamps,
)

TICKET = th.PropertiesList(
    th.Property("id", ID, required=True),
    th.Property("url", th.StringType),
    th.Property("external_id", th.StringType),
    th.Property("type", th.StringType),
    th.Property("subject", th.StringType),
    th.Property("raw_subject", th.StringType),
    th.Property("description", th.StringType),
    th.Property("priority", th.StringType),
    th.Property("status", th.StringType, description="Exports also say 'deleted'."),
    th.Property("custom_status_id", ID),
    th.Property("recipient", th.StringType),
    th.Property("requester_id", ID),
    th.Property("submitter_id", ID),
    th.Property("assignee_id", ID),
    th.Property("organization_id", ID),
    th.Property("group_id", ID),
    th.Property("brand_id", ID),
    th.Property("ticket_form_id", ID),
    th.Property("problem_id", ID),
    th.Property("forum_topic_id", ID),
    th.Property("collaborator_ids", ID_LIST),
    th.Property("follower_ids", ID_LIST),
    th.Property("email_cc_ids", ID_LIST),
    th.Property("followup_ids", ID_LIST),
    th.Property("sharing_agreement_ids", ID_LIST),
    th.Property("tags", STRING_LIST),
    th.Property("custom_fields", CUSTOM_FIELDS),
    th.Property("fields", CUSTOM_FIELDS, description="Zendesk's alias of custom_fields."),
    th.Property("via", VIA),
    th.Property(
        "satisfaction_rating",
        # An object on CSAT plans ({"score": "unoffered"} or a full rating); a string or
        # null elsewhere.
        th.CustomType({"type": ["object", "string", "null"], "additionalProperties": True}),
    ),
    th.Property("has_incidents", th.BooleanType),
    th.Property("is_public", th.BooleanType),
    th.Property("allow_channelback", th.BooleanType),
    th.Property("allow_attachments", th.BooleanType),
    th.Property("from_messaging_channel", th.BooleanType),
    th.Property("due_at", th.DateTimeType),
    *timestamps(),
    th.Property(
        "generated_timestamp",
        th.IntegerType,
        required=True,
        description="Epoch seconds; moves on every change, system updates included.",
    ),
    th.Property("encoded_id", th.StringType),
    th.Property("satisfaction_probability", th.DecimalType),
).to_dict()

_MINUTES = th.ObjectType(
    th.Property("calendar", th.IntegerType),
    th.Property("business", th.IntegerType),
)

TICKET_METRIC = th.PropertiesList(
    th.Property("id", ID, required=True),
    th.Property("ticket_id", ID),
    th.Property("url", th.StringType),
    *timestamps(),
    th.Property("assigned_at", th.DateTimeType),
    th.Property("initially_assigned_at", th.DateTimeType),
    th.Property("assignee_updated_at", th.DateTimeType),
    th.Property("requester_updated_at", th.DateTimeType),
    th.Property("status_updated_at", th.DateTimeType),
    th.Property("custom_status_updated_at", th.DateTimeType),
    th.Property("latest_comment_added_at", th.DateTimeType),
    th.Property("solved_at", th.DateTimeType),
    th.Property("assignee_stations", th.IntegerType),
    th.Property("group_stations", th.IntegerType),
    th.Property("reopens", th.IntegerType),
    th.Property("replies", th.IntegerType),
    th.Property("reply_time_in_minutes", _MINUTES),
    th.Property("reply_time_in_seconds", _MINUTES),
    th.Property("first_resolution_time_in_minutes", _MINUTES),
    th.Property("full_resolution_time_in_minutes", _MINUTES),
    th.Property("agent_wait_time_in_minutes", _MINUTES),
    th.Property("requester_wait_time_in_minutes", _MINUTES),
    th.Property("on_hold_time_in_minutes", _MINUTES),
).to_dict()

TICKET_COMMENT = th.PropertiesList(
    th.Property("id", ID, required=True),
    th.Property("ticket_id", ID, required=True),
    th.Property("audit_id", ID),
    th.Property("type", th.StringType, description="Comment or VoiceComment."),
    th.Property("author_id", ID),
    th.Property("body", th.StringType),
    th.Property("html_body", th.StringType),
    th.Property("plain_body", th.StringType),
    th.Property("public", th.BooleanType),
    th.Property("attachments", th.ArrayType(ATTACHMENT)),
    th.Property("via", VIA),
    th.Property("metadata", METADATA),
    th.Property("data", th.ObjectType(additional_properties=True), description="Voice only."),
    th.Property("created_at", th.DateTimeType),
).to_dict()
