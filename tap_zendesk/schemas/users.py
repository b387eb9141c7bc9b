"""Users (API reference §6.2)."""

from __future__ import annotations

from singer_sdk import typing as th

from tap_zendesk.schemas.common import ATTACHMENT, FIELD_VALUES, ID, STRING_LIST, timestamps

USER = th.PropertiesList(
    th.Property("id", ID, required=True),
    th.Property("url", th.StringType),
    th.Property("name", th.StringType),
    th.Property("email", th.StringType),
    th.Property("alias", th.StringType),
    th.Property("phone", th.StringType),
    th.Property("details", th.StringType),
    th.Property("notes", th.StringType),
    th.Property("signature", th.StringType),
    th.Property("external_id", th.StringType),
    th.Property("role", th.StringType),
    th.Property("role_type", th.IntegerType),
    th.Property("custom_role_id", ID),
    th.Property("default_group_id", ID),
    th.Property("organization_id", ID),
    th.Property("locale_id", ID),
    th.Property("locale", th.StringType),
    th.Property("time_zone", th.StringType),
    th.Property("iana_time_zone", th.StringType),
    th.Property("active", th.BooleanType),
    th.Property("verified", th.BooleanType),
    th.Property("suspended", th.BooleanType),
    th.Property("moderator", th.BooleanType),
    th.Property("only_private_comments", th.BooleanType),
    th.Property("restricted_agent", th.BooleanType),
    th.Property("shared", th.BooleanType),
    th.Property("shared_agent", th.BooleanType),
    th.Property("chat_only", th.BooleanType),
    th.Property("report_csv", th.BooleanType),
    th.Property("shared_phone_number", th.BooleanType),
    th.Property("two_factor_auth_enabled", th.BooleanType),
    th.Property("ticket_restriction", th.StringType),
    th.Property("tags", STRING_LIST),
    th.Property("user_fields", FIELD_VALUES),
    th.Property("photo", ATTACHMENT),
    th.Property("last_login_at", th.DateTimeType),
    *timestamps(),
    th.Property("permanently_deleted", th.BooleanType),
).to_dict()

# zendesk-api-more §6.
USER_IDENTITY = th.PropertiesList(
    th.Property("id", ID, required=True),
    th.Property("user_id", ID, required=True),
    th.Property("url", th.StringType),
    th.Property("type", th.StringType, description="email, phone_number, twitter, facebook, ..."),
    th.Property("value", th.StringType),
    th.Property("primary", th.BooleanType),
    th.Property("verified", th.BooleanType),
    th.Property("verification_method", th.StringType),
    th.Property("verified_at", th.DateTimeType),
    th.Property("deliverable_state", th.StringType),
    th.Property("undeliverable_count", th.IntegerType),
    *timestamps(),
).to_dict()
