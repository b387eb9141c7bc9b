"""What custom field ids and status ids mean: field, form and status definitions.

Small lists read whole on every run, so they are full table: a field deleted in Zendesk
disappears from the list, and a full-table version lets the target drop it.
"""

from __future__ import annotations

from tap_zendesk.schemas.definitions import (
    CUSTOM_STATUS,
    ORGANIZATION_FIELD,
    TICKET_FIELD,
    TICKET_FORM,
    USER_FIELD,
)
from tap_zendesk.streams.base import CursorListStream, SinglePageStream


class TicketFieldsStream(CursorListStream):
    """System and custom ticket fields, inactive ones included. Full table."""

    name = "ticket_fields"
    path = "/ticket_fields.json"
    records_key = "ticket_fields"
    primary_keys = ("id",)
    replication_key = None
    schema = TICKET_FIELD
    # Who created each field (a user, or -1 and the app's name) comes only when asked for.
    list_params = {"creator": "true"}  # noqa: RUF012


class TicketFormsStream(SinglePageStream):
    """Ticket forms, one request. Full table; 403 (one form only on the plan) skips it."""

    name = "ticket_forms"
    path = "/ticket_forms.json"
    records_key = "ticket_forms"
    primary_keys = ("id",)
    replication_key = None
    schema = TICKET_FORM
    plan_gated = True


class UserFieldsStream(CursorListStream):
    """Custom user fields (the keys of `users.user_fields`). Full table."""

    name = "user_fields"
    path = "/user_fields.json"
    records_key = "user_fields"
    primary_keys = ("id",)
    replication_key = None
    schema = USER_FIELD


class OrganizationFieldsStream(CursorListStream):
    """Custom organization fields (the keys of `organizations.organization_fields`). Full table."""

    name = "organization_fields"
    path = "/organization_fields.json"
    records_key = "organization_fields"
    primary_keys = ("id",)
    replication_key = None
    schema = ORGANIZATION_FIELD


class CustomStatusesStream(SinglePageStream):
    """Custom ticket statuses (`tickets.custom_status_id`), one request. Full table."""

    name = "custom_statuses"
    path = "/custom_statuses.json"
    records_key = "custom_statuses"
    primary_keys = ("id",)
    replication_key = None
    schema = CUSTOM_STATUS
