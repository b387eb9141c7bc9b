"""Business rules: macros, triggers, automations, views and SLA policies.

API reference §6.15, §6.16; supplement §1.
"""

from __future__ import annotations

from singer_sdk import typing as th

from tap_zendesk.schemas.common import ANY_VALUE, ID, ID_LIST, timestamps

# `value` is a string, an id (often as a string), or a list (notification recipient, subject,
# body), depending on the field.
CONDITION = th.ObjectType(
    th.Property("field", th.StringType),
    th.Property("operator", th.StringType),
    th.Property("value", ANY_VALUE),
)
CONDITIONS = th.ObjectType(
    th.Property("all", th.ArrayType(CONDITION)),
    th.Property("any", th.ArrayType(CONDITION)),
)
ACTIONS = th.ArrayType(
    th.ObjectType(th.Property("field", th.StringType), th.Property("value", ANY_VALUE))
)
# Who may use the rule; null means everyone.
RESTRICTION = th.ObjectType(
    th.Property("type", th.StringType, description="Group or User."),
    th.Property("id", ID),
    th.Property("ids", ID_LIST),
)


def _rule_common() -> tuple[th.Property, ...]:
    """Properties macros, triggers, automations and views share."""
    return (
        th.Property("id", ID, required=True),
        th.Property("url", th.StringType),
        th.Property("title", th.StringType),
        th.Property("raw_title", th.StringType),
        th.Property("active", th.BooleanType),
        th.Property("default", th.BooleanType),
        th.Property("position", th.IntegerType),
        *timestamps(),
    )


MACRO = th.PropertiesList(
    *_rule_common(),
    th.Property("description", th.StringType),
    th.Property("actions", ACTIONS),
    th.Property("restriction", RESTRICTION),
).to_dict()

TRIGGER = th.PropertiesList(
    *_rule_common(),
    th.Property("description", th.StringType),
    th.Property("conditions", CONDITIONS),
    th.Property("actions", ACTIONS),
    th.Property("restriction", RESTRICTION),
    th.Property("category_id", th.StringType, description="A string id (trigger categories)."),
    th.Property("brand_id", ID),
    # Deprecated copies of `conditions.all` / `conditions.any` that older accounts still send.
    th.Property("all", th.ArrayType(CONDITION)),
    th.Property("any", th.ArrayType(CONDITION)),
).to_dict()

AUTOMATION = th.PropertiesList(
    *_rule_common(),
    th.Property("conditions", CONDITIONS),
    th.Property("actions", ACTIONS),
).to_dict()

# A view column: `id` is a string for system columns ("status") and an integer for custom
# fields, which also carry `type` and `url`.
_VIEW_COLUMN = th.ObjectType(
    th.Property("id", th.CustomType({"type": ["string", "integer", "null"]})),
    th.Property("title", th.StringType),
    th.Property("type", th.StringType),
    th.Property("url", th.StringType),
)
_VIEW_ORDER = th.ObjectType(
    th.Property("id", th.CustomType({"type": ["string", "integer", "null"]})),
    th.Property("title", th.StringType),
    th.Property("order", th.StringType),
)
VIEW = th.PropertiesList(
    *_rule_common(),
    th.Property("description", th.StringType),
    th.Property("conditions", CONDITIONS),
    th.Property("restriction", RESTRICTION),
    th.Property(
        "execution",
        th.ObjectType(
            th.Property("group_by", th.StringType),
            th.Property("group_order", th.StringType),
            th.Property("sort_by", th.StringType),
            th.Property("sort_order", th.StringType),
            th.Property("group", _VIEW_ORDER),
            th.Property("sort", _VIEW_ORDER),
            th.Property("columns", th.ArrayType(_VIEW_COLUMN)),
            th.Property("fields", th.ArrayType(_VIEW_COLUMN)),
            th.Property("custom_fields", th.ArrayType(_VIEW_COLUMN)),
        ),
    ),
).to_dict()

SLA_POLICY = th.PropertiesList(
    th.Property("id", ID, required=True),
    th.Property("url", th.StringType),
    th.Property("title", th.StringType),
    th.Property("description", th.StringType),
    th.Property("position", th.IntegerType),
    th.Property("filter", CONDITIONS),
    th.Property(
        "policy_metrics",
        th.ArrayType(
            th.ObjectType(
                th.Property("priority", th.StringType),
                th.Property("metric", th.StringType),
                th.Property("target", th.IntegerType, description="Minutes."),
                th.Property("target_in_seconds", th.IntegerType),
                th.Property("business_hours", th.BooleanType),
            )
        ),
    ),
    th.Property("metric_settings", th.ObjectType(additional_properties=True)),
    *timestamps(),
).to_dict()
