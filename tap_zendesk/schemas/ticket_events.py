"""Ticket audits and field changes from the ticket-events export (reference §6.19, more §8)."""

from __future__ import annotations

from singer_sdk import typing as th

from tap_zendesk.schemas.common import ID, ID_LIST, METADATA

# `via` is a string ("Web form") on audits and on most child events of this export, but an
# object on comment children; child events carry the changed field under its own name.
_VIA_ANY = th.CustomType({"type": ["string", "object", "null"], "additionalProperties": True})
CHILD_EVENT = th.ObjectType(
    th.Property("id", ID),
    th.Property("event_type", th.StringType),
    th.Property("via", _VIA_ANY),
    th.Property("via_reference_id", ID),
    additional_properties=True,
)

TICKET_AUDIT = th.PropertiesList(
    th.Property("id", ID, required=True),
    th.Property("ticket_id", ID, required=True),
    th.Property("timestamp", th.IntegerType, description="Epoch seconds: the export's order."),
    th.Property("created_at", th.DateTimeType),
    th.Property("updater_id", ID, description="-1 for system updates."),
    th.Property("via", _VIA_ANY),
    th.Property("system", METADATA),
    th.Property("metadata", METADATA),
    th.Property("event_type", th.StringType, description="Always 'Audit'."),
    th.Property("child_events", th.ArrayType(CHILD_EVENT)),
    th.Property("merged_ticket_ids", ID_LIST),
).to_dict()

TICKET_FIELD_CHANGE = th.PropertiesList(
    th.Property("event_id", ID, required=True, description="The child event's id."),
    th.Property(
        "field_name",
        th.StringType,
        required=True,
        description="A ticket attribute (status, assignee_id, tags...) or a custom field's id.",
    ),
    th.Property("audit_id", ID),
    th.Property("ticket_id", ID),
    th.Property("value", th.StringType),
    th.Property("previous_value", th.StringType),
    th.Property("updated", th.DateTimeType, description="When the audit was created."),
    th.Property("updater_id", ID),
    th.Property("event_type", th.StringType, description="Create or Change."),
).to_dict()
