"""Suspended tickets and ticket skips (supplement §7.3, §7.4)."""

from __future__ import annotations

from singer_sdk import typing as th

from tap_zendesk.schemas.common import ATTACHMENT, ID, VIA, timestamps
from tap_zendesk.schemas.tickets import TICKET

SUSPENDED_TICKET = th.PropertiesList(
    th.Property("id", ID, required=True),
    th.Property("url", th.StringType),
    th.Property("ticket_id", ID, description="Set when the message belongs to a ticket."),
    th.Property("brand_id", ID),
    th.Property("subject", th.StringType),
    th.Property("content", th.StringType),
    th.Property("recipient", th.StringType),
    th.Property("message_id", th.StringType),
    th.Property("cause", th.StringType),
    th.Property("cause_id", th.IntegerType),
    th.Property(
        "author",
        th.ObjectType(
            th.Property("id", ID),
            th.Property("name", th.StringType),
            th.Property("email", th.StringType),
        ),
    ),
    th.Property("via", VIA),
    th.Property("attachments", th.ArrayType(ATTACHMENT)),
    th.Property("error_messages", th.ArrayType(th.ObjectType(additional_properties=True))),
    *timestamps(),
).to_dict()

# The skipped ticket as it was, with the properties of the tickets stream.
_SKIPPED_TICKET = th.CustomType({"type": ["object", "null"], "properties": TICKET["properties"]})

TICKET_SKIP = th.PropertiesList(
    th.Property("id", ID, required=True),
    th.Property("ticket_id", ID),
    th.Property("user_id", ID, description="The agent who skipped the ticket."),
    th.Property("reason", th.StringType),
    th.Property("ticket", _SKIPPED_TICKET),
    *timestamps(),
).to_dict()
