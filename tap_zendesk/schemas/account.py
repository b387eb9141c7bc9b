"""Account configuration: brands, tags, custom roles, schedules, satisfaction reasons.

API reference §6.13, §6.14; supplement §2.1, §3, §4.
"""

from __future__ import annotations

from singer_sdk import typing as th

from tap_zendesk.schemas.common import ATTACHMENT, ID, ID_LIST, timestamps

BRAND = th.PropertiesList(
    th.Property("id", ID, required=True),
    th.Property("url", th.StringType),
    th.Property("name", th.StringType),
    th.Property("brand_url", th.StringType),
    th.Property("subdomain", th.StringType),
    th.Property("host_mapping", th.StringType),
    th.Property("signature_template", th.StringType),
    th.Property("active", th.BooleanType),
    th.Property("default", th.BooleanType),
    th.Property("is_deleted", th.BooleanType),
    th.Property("has_help_center", th.BooleanType),
    th.Property("help_center_state", th.StringType, description="enabled, disabled, restricted."),
    th.Property("logo", ATTACHMENT),
    th.Property("ticket_form_ids", ID_LIST),
    *timestamps(),
).to_dict()

TAG = th.PropertiesList(
    th.Property("name", th.StringType, required=True),
    th.Property("count", th.IntegerType, description="Uses in the last 60 days."),
).to_dict()

CUSTOM_ROLE = th.PropertiesList(
    th.Property("id", ID, required=True),
    th.Property("name", th.StringType),
    th.Property("description", th.StringType),
    th.Property(
        "role_type",
        th.IntegerType,
        description="0 custom agent, 1 light agent, 2 chat agent, 3 contributor, 4 admin, "
        "5 billing admin.",
    ),
    th.Property("team_member_count", th.IntegerType),
    # About 40 permission keys, booleans and enum strings; Zendesk adds keys over time.
    th.Property("configuration", th.ObjectType(additional_properties=True)),
    *timestamps(),
).to_dict()

SCHEDULE = th.PropertiesList(
    th.Property("id", ID, required=True),
    th.Property("name", th.StringType),
    th.Property("time_zone", th.StringType, description="Rails zone name, not IANA."),
    th.Property(
        "intervals",
        th.ArrayType(
            th.ObjectType(
                th.Property("start_time", th.IntegerType),
                th.Property("end_time", th.IntegerType),
            )
        ),
        description="Minutes since Sunday 00:00 in the schedule's zone.",
    ),
    *timestamps(),
).to_dict()

SCHEDULE_HOLIDAY = th.PropertiesList(
    th.Property("id", ID, required=True),
    th.Property("schedule_id", ID, description="Added by the tap: the schedule read."),
    th.Property("name", th.StringType),
    th.Property("start_date", th.DateType),
    th.Property("end_date", th.DateType),
).to_dict()

SATISFACTION_REASON = th.PropertiesList(
    th.Property("id", ID, required=True),
    th.Property("url", th.StringType),
    th.Property("value", th.StringType),
    th.Property("raw_value", th.StringType),
    th.Property("reason_code", th.IntegerType),
    *timestamps(),
    th.Property("deleted_at", th.DateTimeType),
).to_dict()
