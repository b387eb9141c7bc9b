"""A ticket's field history: the sandbox's change model, its JSON form and its field-history rows.

A ticket's tracked attributes form a *state* (``{"status": "open", ..., 360000500001: "x"}``,
custom fields keyed by their integer id). History is a sequence of updates applied to that state;
each applied update yields :class:`FieldChange` children of one audit, so the history can never
disagree with the ticket's final values. Creation is stored compactly as one
:class:`~tap_zendesk.sandbox.factories.CreateSet` per ticket (one ``Create`` child per property
set, reference zendesk-api-more §8).
"""

from __future__ import annotations

import random
from collections.abc import Iterator, Mapping
from typing import Any, NamedTuple

from tap_zendesk.sandbox.factories import (
    CUSTOM_STATUS_IDS,
    SUBJECTS,
    TAGGER_OPTIONS,
    TAGS,
    TICKET_FIELD_IDS,
    TICKET_FORM_IDS,
    Audit,
    CreateSet,
    FieldChange,
    IdSequences,
    Record,
    iso,
)

State = dict[str | int, Any]
"""Tracked ticket attributes by name; custom fields by their integer field id."""

ATTRIBUTES = (
    "subject",
    "status",
    "priority",
    "type",
    "requester_id",
    "assignee_id",
    "group_id",
    "organization_id",
    "brand_id",
    "ticket_form_id",
    "custom_status_id",
    "tags",
)
"""Ticket attributes recorded by ``Create``/``Change`` children, in creation order."""

MUTABLE_KINDS = (
    "priority",
    "type",
    "group_id",
    "organization_id",
    "ticket_form_id",
    "subject",
    "tags",
    "custom_ticket_fields",
)
"""Change kinds a mutation spreads over its updated tickets (status and assignee always change)."""

STATUS_PATHS = {
    "new": ("new",),
    "open": ("new", "open"),
    "pending": ("new", "open", "pending"),
    "hold": ("new", "open", "hold"),
    "solved": ("new", "open", "solved"),
    "closed": ("new", "open", "solved", "closed"),
}
"""The statuses a generated ticket passes through to reach its final status."""

NOT_ATTRIBUTES = frozenset(
    ("id", "via", "via_reference_id", "event_type", "previous_value", "added_tags", "removed_tags")
)
"""Keys of a ``Create``/``Change`` child that are not a changed attribute."""


_FIELD_TUPLES: dict[tuple[str | int, ...], tuple[str | int, ...]] = {}


def ticket_state(ticket: Record) -> State:
    """Return the tracked attributes of a ticket record."""
    state: State = {name: ticket[name] for name in ATTRIBUTES}
    for entry in ticket["custom_fields"]:
        state[entry["id"]] = entry["value"]
    return state


def create_set(ids: IdSequences, state: State) -> CreateSet:
    """Return the creation children of ``state``: one per attribute that has a value."""
    pairs = [(k, v) for k, v in state.items() if v is not None and v != []]
    fields = tuple(k for k, _ in pairs)
    return CreateSet(
        ids.take_many("events", len(fields)),
        _FIELD_TUPLES.setdefault(fields, fields),
        tuple(v for _, v in pairs),
    )


def apply(state: State, update: Mapping[str | int, Any], ids: Iterator[int]) -> list[FieldChange]:
    """Apply ``update`` to ``state`` (in place); return one ``Change`` per attribute that moved."""
    changes = []
    for name, value in update.items():
        previous = state.get(name)
        if value != previous:
            changes.append(FieldChange("Change", next(ids), name, value, previous))
            state[name] = value
    return changes


def status_update(status: str) -> State:
    """Return the update that moves a ticket to ``status`` (its custom status follows)."""
    return {"status": status, "custom_status_id": CUSTOM_STATUS_IDS[status]}


def initial_state(rng: random.Random, final: State) -> State:
    """Return a plausible state at creation for a ticket that ends in ``final``.

    The ticket starts new and unassigned; some attributes start different (a renamed subject,
    another form, a tag later removed, custom fields filled in later).
    """
    state = dict(final)
    state.update(status_update("new"))
    state["assignee_id"] = None
    state["group_id"] = None
    if rng.random() < 0.1:
        state["subject"] = rng.choice(SUBJECTS)
    if rng.random() < 0.4:
        state["priority"] = rng.choice((None, "low", "normal"))
    if rng.random() < 0.4:
        state["type"] = None
    if rng.random() < 0.05:
        state["organization_id"] = None
    if rng.random() < 0.15:
        state["ticket_form_id"] = rng.choice(TICKET_FORM_IDS)
    tags = list(final["tags"])
    if tags and rng.random() < 0.4:
        tags.remove(rng.choice(tags))
    if rng.random() < 0.2:
        tags.append(rng.choice(TAGS))
    state["tags"] = sorted(set(tags))
    for field_id in TICKET_FIELD_IDS.values():
        if rng.random() < 0.2:
            state[field_id] = None
    tagger = TICKET_FIELD_IDS["tagger"]
    if final[tagger] is not None and rng.random() < 0.3:
        # Re-tiered later: a custom field change with a previous value.
        state[tagger] = rng.choice([o for o in TAGGER_OPTIONS if o != final[tagger]])
    return state


def as_text(value: Any) -> str | None:
    """Return a field-history value as text: lists space-joined, booleans lower case."""
    if value is None:
        return None
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list | tuple):
        return " ".join(as_text(v) or "" for v in value)
    return str(value)


def history_rows(audit: Audit) -> Iterator[Record]:
    """Yield the ``ticket_field_history`` rows of one audit: one per changed attribute."""
    updated = iso(audit.timestamp)
    for change in audit.field_changes():
        yield {
            "audit_id": audit.id,
            "event_id": change.id,
            "ticket_id": audit.ticket_id,
            "field_name": str(change.field),
            "value": as_text(change.value),
            "previous_value": as_text(change.previous_value),
            "updated": updated,
            "updater_id": audit.updater_id,
            "event_type": change.event_type,
        }


class Step(NamedTuple):
    """One planned update of a generated ticket: when, by whom, and the new values."""

    at: int
    update: State
    by_system: bool = False


def planned_steps(
    rng: random.Random, final: State, *, created: int, solved_at: int | None, updated: int
) -> list[Step]:
    """Return the updates that take a ticket from its initial state to ``final``, in order.

    An agent takes the ticket (assignee, group, status open, priority, type) within four hours,
    then triages it (tags, custom fields, form, subject, organization); a pending or on-hold
    ticket is parked at its last update; a solved one is solved at ``solved_at``; a closed one
    is closed by an automation at ``updated``.
    """
    path = STATUS_PATHS[final["status"]]
    limit = solved_at or updated
    triage_from = created + 1
    steps = []
    assignment = {"priority": final["priority"], "type": final["type"]}
    if "open" in path:
        assign_at = rng.randint(created + 1, max(created + 1, min(limit, created + 14_400)))
        assignment.update(
            status_update("open"),
            assignee_id=final["assignee_id"],
            group_id=final["group_id"],
        )
        steps.append(Step(assign_at, assignment))
        triage_from = assign_at
        assignment = {}
    triage = {k: v for k, v in final.items() if k not in ATTRIBUTES or k in _TRIAGED}
    steps.append(Step(rng.randint(triage_from, max(triage_from, limit)), {**assignment, **triage}))
    if path[-1] in ("pending", "hold"):
        steps.append(Step(updated, status_update(path[-1])))
    if solved_at is not None:
        steps.append(Step(solved_at, status_update("solved")))
    if path[-1] == "closed":
        steps.append(Step(updated, status_update("closed"), by_system=True))
    return steps


_TRIAGED = frozenset(("tags", "ticket_form_id", "subject", "organization_id"))


def kind_update(
    rng: random.Random,
    kind: str,
    state: State,
    *,
    choices: Mapping[str, list[Any]],
    new_fields: list[Record],
) -> State:
    """Return an update of one change kind (:data:`MUTABLE_KINDS`) that moves the value.

    ``choices`` gives candidate values for ``group_id``, ``organization_id`` and ``subject``;
    ``new_fields`` is a fresh set of custom field values to draw from.
    """
    if kind == "priority":
        return {
            kind: rng.choice([p for p in ("low", "normal", "high", "urgent") if p != state[kind]])
        }
    if kind == "type":
        options = ("question", "incident", "problem", "task")
        return {kind: rng.choice([t for t in options if t != state[kind]])}
    if kind == "ticket_form_id":
        return {kind: next(f for f in TICKET_FORM_IDS if f != state[kind])}
    if kind in choices:
        return {kind: rng.choice([v for v in choices[kind] if v != state[kind]])}
    if kind == "tags":
        tags = set(state["tags"])
        if tags:
            tags.discard(rng.choice(sorted(tags)))
        tags.add(rng.choice([t for t in TAGS if t not in state["tags"]]))
        return {"tags": sorted(tags)}
    moved = [e for e in new_fields if e["value"] != state[e["id"]]]
    return {e["id"]: e["value"] for e in rng.sample(moved, min(2, len(moved)))}
