"""Field and status definitions: what custom field ids and status ids mean.

Ticket fields (API reference §6.11), ticket forms (§6.12), user and organization fields and
custom statuses (supplement §2.2, §5).
"""

from __future__ import annotations

from singer_sdk import typing as th

from tap_zendesk.schemas.common import ID, ID_LIST, timestamps

# Option of a tagger/multiselect (ticket) or dropdown/multiselect (user, organization) field.
FIELD_OPTION = th.ObjectType(
    th.Property("id", ID),
    th.Property("url", th.StringType),
    th.Property("name", th.StringType),
    th.Property("raw_name", th.StringType),
    th.Property("value", th.StringType),
    th.Property("position", th.IntegerType),
    th.Property("default", th.BooleanType),
    th.Property("allow_solving", th.BooleanType),
)

# Lookup fields restrict their targets with a condition tree of Zendesk's own shape.
RELATIONSHIP_FILTER = th.ObjectType(additional_properties=True)

# A form's conditions: show/require child fields when a parent field has a value.
FORM_CONDITIONS = th.ArrayType(th.ObjectType(additional_properties=True))


def _field_common() -> tuple[th.Property, ...]:
    """Properties every kind of field definition has."""
    return (
        th.Property("id", ID, required=True),
        th.Property("url", th.StringType),
        th.Property("type", th.StringType),
        th.Property("title", th.StringType),
        th.Property("raw_title", th.StringType),
        th.Property("description", th.StringType),
        th.Property("raw_description", th.StringType),
        th.Property("position", th.IntegerType),
        th.Property("active", th.BooleanType),
        th.Property("regexp_for_validation", th.StringType),
        th.Property("tag", th.StringType),
        th.Property("custom_field_options", th.ArrayType(FIELD_OPTION)),
        th.Property("relationship_target_type", th.StringType),
        th.Property("relationship_filter", RELATIONSHIP_FILTER),
        *timestamps(),
    )


TICKET_FIELD = th.PropertiesList(
    *_field_common(),
    th.Property("key", th.StringType),
    th.Property("title_in_portal", th.StringType),
    th.Property("raw_title_in_portal", th.StringType),
    th.Property("agent_description", th.StringType),
    th.Property("sub_type_id", th.IntegerType),
    th.Property("required", th.BooleanType),
    th.Property("required_in_portal", th.BooleanType),
    th.Property("visible_in_portal", th.BooleanType),
    th.Property("editable_in_portal", th.BooleanType),
    th.Property("collapsed_for_agents", th.BooleanType),
    th.Property("removable", th.BooleanType),
    th.Property("agent_can_edit", th.BooleanType),
    th.Property(
        "system_field_options",
        th.ArrayType(
            th.ObjectType(th.Property("name", th.StringType), th.Property("value", th.StringType))
        ),
    ),
    th.Property(
        "custom_statuses",
        th.ArrayType(th.ObjectType(additional_properties=True)),
        description="Only on the custom_status system field.",
    ),
    th.Property("creator_user_id", th.IntegerType, description="-1 when an app created it."),
    th.Property("creator_app_name", th.StringType),
).to_dict()

# User and organization fields share one shape; `key` names the value in
# `user.user_fields` / `organization.organization_fields`.
_CUSTOMER_FIELD = th.PropertiesList(
    *_field_common(),
    th.Property("key", th.StringType),
    th.Property("system", th.BooleanType),
)
USER_FIELD = _CUSTOMER_FIELD.to_dict()
ORGANIZATION_FIELD = _CUSTOMER_FIELD.to_dict()

TICKET_FORM = th.PropertiesList(
    th.Property("id", ID, required=True),
    th.Property("url", th.StringType),
    th.Property("name", th.StringType),
    th.Property("raw_name", th.StringType),
    th.Property("display_name", th.StringType),
    th.Property("raw_display_name", th.StringType),
    th.Property("position", th.IntegerType),
    th.Property("active", th.BooleanType),
    th.Property("default", th.BooleanType),
    th.Property("end_user_visible", th.BooleanType),
    th.Property("in_all_brands", th.BooleanType),
    th.Property("ticket_field_ids", ID_LIST),
    th.Property("restricted_brand_ids", ID_LIST),
    th.Property("agent_conditions", FORM_CONDITIONS),
    th.Property("end_user_conditions", FORM_CONDITIONS),
    *timestamps(),
    th.Property("deleted_at", th.DateTimeType),
).to_dict()

CUSTOM_STATUS = th.PropertiesList(
    th.Property("id", ID, required=True),
    th.Property("url", th.StringType),
    th.Property("status_category", th.StringType, description="new, open, pending, hold, solved."),
    th.Property("agent_label", th.StringType),
    th.Property("raw_agent_label", th.StringType),
    th.Property("end_user_label", th.StringType),
    th.Property("raw_end_user_label", th.StringType),
    th.Property("description", th.StringType),
    th.Property("raw_description", th.StringType),
    th.Property("end_user_description", th.StringType),
    th.Property("raw_end_user_description", th.StringType),
    th.Property("active", th.BooleanType),
    th.Property("default", th.BooleanType),
    *timestamps(),
).to_dict()
