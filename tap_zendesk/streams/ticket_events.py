"""Ticket audits, comments and field history: one read of the ticket-events export feeds all three.

`/incremental/ticket_events.json` holds every ticket update ("audit") with its child events,
archived tickets included (which `/ticket_audits` leaves out), about 1,000 audits per request.
Reading comments or audits per ticket would cost at least one request per changed ticket and
re-read every old comment of it (README: "Why comments come from ticket events").
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from tap_zendesk.exports import Export
from tap_zendesk.schemas.ticket_events import TICKET_AUDIT, TICKET_FIELD_CHANGE
from tap_zendesk.schemas.tickets import TICKET_COMMENT
from tap_zendesk.streams.base import TimeExportStream

if TYPE_CHECKING:
    from collections.abc import Iterable

TICKET_EVENTS_EXPORT = Export(
    path="/incremental/ticket_events.json",
    records_key="ticket_events",
    position_field="timestamp",
)

# `include=comment_events` puts whole comments in the events instead of two booleans.
_COMMENT_EVENTS = "comment_events"
_COMMENT_TYPES = frozenset({"Comment", "VoiceComment"})
_NOT_COMMENT = frozenset({"event_type", "via_reference_id"})
_FIELD_EVENT_TYPES = frozenset({"Create", "Change"})
# Child-event keys that describe the event rather than name a changed field
# (zendesk-api-more §8); `added_tags`/`removed_tags` restate the `tags` change.
_NOT_FIELDS = frozenset(
    {"id", "via", "via_reference_id", "event_type", "previous_value", "added_tags", "removed_tags"}
)


class TicketAuditsStream(TimeExportStream):
    """Every ticket update with all its child events, as the ticket-events export holds it."""

    name = "ticket_audits"
    export = TICKET_EVENTS_EXPORT
    # Always whole comments: an audit's shape must not depend on which streams are selected.
    include = _COMMENT_EVENTS
    primary_keys = ("id",)
    replication_key = "created_at"
    schema = TICKET_AUDIT


class TicketCommentsStream(TimeExportStream):
    """Every comment, with its `ticket_id`, as `/tickets/{id}/comments` shows it."""

    name = "ticket_comments"
    export = TICKET_EVENTS_EXPORT
    include = _COMMENT_EVENTS
    primary_keys = ("id",)
    replication_key = "created_at"
    schema = TICKET_COMMENT
    # A comment's created_at is its audit's timestamp, the export's order; if Zendesk ever
    # disagreed by a second, that must not stop the sync.
    check_sorted = False

    def derive(self, items: list[dict[str, Any]], page: dict[str, Any]) -> Iterable[dict]:  # noqa: ARG002
        """The comment child events of each audit."""
        for event in items:
            for child in event.get("child_events") or ():
                if isinstance(child, dict) and child.get("event_type") in _COMMENT_TYPES:
                    comment = {
                        k: v
                        for k, v in child.items()
                        if k not in {"event_type", "via_reference_id"}
                    }
                    comment.setdefault("created_at", event.get("created_at"))
                    comment.setdefault("metadata", event.get("metadata"))
                    comment["ticket_id"] = event.get("ticket_id")
                    yield comment


class TicketFieldHistoryStream(TimeExportStream):
    """One row per field a ticket update set or changed.

    Status, priority, assignee, group, tags, form, custom fields...: the table time-in-status,
    reassignment and SLA reporting start from.

    Custom fields are named by their id (`"360012"`): join `ticket_fields` for their titles.
    Values are strings as Zendesk records them in audits: tags and multi-select values joined
    by spaces (Zendesk tags hold none), booleans `"true"`/`"false"`.
    """

    name = "ticket_field_history"
    export = TICKET_EVENTS_EXPORT
    primary_keys = ("event_id", "field_name")
    replication_key = "updated"
    schema = TICKET_FIELD_CHANGE

    def derive(self, items: list[dict[str, Any]], page: dict[str, Any]) -> Iterable[dict]:  # noqa: ARG002
        """A row per changed field of each `Create`/`Change` child event."""
        for audit in items:
            for child in audit.get("child_events") or ():
                if not isinstance(child, dict) or child.get("event_type") not in _FIELD_EVENT_TYPES:
                    continue
                base = {
                    "audit_id": audit.get("id"),
                    "event_id": child.get("id"),
                    "ticket_id": audit.get("ticket_id"),
                    "updated": audit.get("created_at"),
                    "updater_id": audit.get("updater_id"),
                    "event_type": child["event_type"],
                }
                previous = _as_text(child.get("previous_value"))
                for key, value in child.items():
                    if key in _NOT_FIELDS:
                        continue
                    if key == "custom_ticket_fields" and isinstance(value, dict):
                        for field_id, field_value in value.items():
                            yield {
                                **base,
                                "field_name": str(field_id),
                                "value": _as_text(field_value),
                                "previous_value": previous,
                            }
                    else:
                        yield {
                            **base,
                            "field_name": key,
                            "value": _as_text(value),
                            "previous_value": previous,
                        }


def _as_text(value: Any) -> str | None:
    """A changed value as text: lists space-joined, booleans lower-case, null kept."""
    if value is None:
        return None
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        return " ".join(t for t in (_as_text(v) for v in value) if t is not None)
    return str(value)
