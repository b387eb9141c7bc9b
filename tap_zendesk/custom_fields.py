"""Custom fields: Zendesk field definitions -> typed schema properties, and values -> those types.

Zendesk sends a custom field's value in whatever JSON type it happens to hold (`12` in one
ticket, `"12"` in the next). The field definitions (`ticket_fields`, `user_fields`,
`organization_fields`) say what each field is, so discovery turns each field into a typed
property (API reference §6.17 for the value shapes):

- `tickets.custom_field_values`: an object beside the raw `custom_fields` list (which stays as
  Zendesk sends it), one property per custom ticket field, named by the field **id**, or by
  the name the `ticket_field_names` setting pins to that id. Ticket fields have no immutable
  readable name: a title changes with a rename, and a name derived from it would split one
  column into two on the next discovery; a pinned name is readable and changes only when the
  user changes it.
- `users.user_fields` and `organizations.organization_fields`: Zendesk's own objects, keyed by
  the field **key**, which is immutable (and readable), so those names are stable too.

A property's `title` is the field's title at discovery, for people reading the catalog.
Values are conformed to these types by `tap_zendesk.conform` (the tap's one conformance pass);
this module picks the values out and counts what that pass did to them.
"""

from __future__ import annotations

import copy
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

_NULL_STRING = {"type": ["string", "null"]}
_NULL_INTEGER = {"type": ["integer", "null"]}

FIELD_TYPES: dict[str, dict[str, Any]] = {
    "text": _NULL_STRING,
    "textarea": _NULL_STRING,
    "regexp": _NULL_STRING,
    "partialcreditcard": _NULL_STRING,
    "dropdown": _NULL_STRING,  # the chosen option's tag value (user and organization fields)
    "tagger": _NULL_STRING,  # the same for ticket fields
    "integer": _NULL_INTEGER,
    "decimal": {"type": ["number", "null"]},
    "checkbox": {"type": ["boolean", "null"]},
    "date": {"type": ["string", "null"], "format": "date"},
    "multiselect": {"type": ["array", "null"], "items": {"type": "string"}},
    "lookup": _NULL_INTEGER,  # the related record's id
}
"""JSON schema of a custom field's value by Zendesk field type. Other types (the ticket system
fields `subject`, `status`, ..., or a type Zendesk adds later) are not typed: their values stay
in the raw list or pass through the object untouched."""


@dataclass(frozen=True)
class FieldFamily:
    """Where one kind of custom field is defined, and where its values sit in a record."""

    definitions: str
    """The stream listing the field definitions."""
    values: str
    """The record property holding the typed values, by property name."""
    raw_list: str | None = None
    """Tickets: the raw `[{id, value}]` list the values are picked from."""
    label: str = "field"

    def property_name(
        self, definition: dict[str, Any], pinned: Mapping[str, str] | None = None
    ) -> str | None:
        """The definition's stable property name: its id or pinned name (tickets), or its key."""
        if self.raw_list is not None:
            field_id = definition.get("id")
            if not isinstance(field_id, int):
                return None
            return (pinned or {}).get(str(field_id), str(field_id))
        key = definition.get("key")
        return key if isinstance(key, str) and key else None


TICKET_FIELDS = FieldFamily("ticket_fields", "custom_field_values", "custom_fields", "ticket field")
USER_FIELDS = FieldFamily("user_fields", "user_fields", label="user field")
ORGANIZATION_FIELDS = FieldFamily(
    "organization_fields", "organization_fields", label="organization field"
)


def field_property(family: FieldFamily, definition: dict[str, Any]) -> dict[str, Any] | None:
    """The typed property of one field definition; None for a type that is not typed."""
    value_schema = FIELD_TYPES.get(definition.get("type"))  # type: ignore[arg-type]
    if value_schema is None:
        return None
    title = definition.get("title")
    state = "" if definition.get("active", True) else ", inactive at discovery"
    described = f"{family.label} {definition.get('id')} ({definition.get('type')}{state})"
    return {
        **copy.deepcopy(value_schema),
        **({"title": title} if isinstance(title, str) else {}),
        "description": f"Zendesk {described}.",
    }


def typed_properties(
    family: FieldFamily,
    definitions: list[dict[str, Any]],
    pinned: Mapping[str, str] | None = None,
) -> dict[str, dict[str, Any]]:
    """Property name -> typed schema for every definition of a typed kind.

    Inactive fields are included: records keep their values after a field is deactivated.
    """
    properties: dict[str, dict[str, Any]] = {}
    for definition in sorted(definitions, key=_position):
        name = family.property_name(definition, pinned)
        prop = field_property(family, definition)
        if name is not None and prop is not None and name not in properties:
            properties[name] = prop
    return properties


def _position(definition: dict[str, Any]) -> tuple[int, int]:
    position, field_id = definition.get("position"), definition.get("id")
    return (
        position if isinstance(position, int) else 0,
        field_id if isinstance(field_id, int) else 0,
    )


def with_typed_fields(
    schema: dict[str, Any],
    family: FieldFamily,
    definitions: list[dict[str, Any]],
    pinned: Mapping[str, str] | None = None,
) -> dict[str, Any]:
    """A copy of a stream's `schema` whose custom field values are typed properties."""
    typed = copy.deepcopy(schema)
    properties = typed.setdefault("properties", {})
    described = {
        "description": properties.get(family.values, {}).get("description")
        or f"Custom {family.label} values, typed from the {family.definitions} definitions.",
    }
    properties[family.values] = {
        "type": ["object", "null"],
        **described,
        "properties": typed_properties(family, definitions, pinned),
        # The raw list keeps values of fields created after discovery; Zendesk's own objects
        # pass them through untyped.
        "additionalProperties": family.raw_list is None,
    }
    return typed


def with_catalog_values(
    schema: dict[str, Any], family: FieldFamily, catalog_schema: dict[str, Any]
) -> dict[str, Any]:
    """`schema` whose custom field values property is the catalog's (typed at discovery).

    Only that property comes from the catalog: the rest of the record is checked against the
    stream's own schema, like every other stream's.
    """
    spec = catalog_schema.get("properties", {}).get(family.values)
    if spec is None:
        return schema
    return {**schema, "properties": {**schema.get("properties", {}), family.values: spec}}


def typed_names(family: FieldFamily, schema: dict[str, Any]) -> frozenset[str]:
    """The custom field properties `schema` (a catalog's, say) types; empty when untyped."""
    spec = schema.get("properties", {}).get(family.values)
    if not isinstance(spec, dict):
        return frozenset()
    return frozenset(spec.get("properties") or {})


def pick_values(
    raw: Any, names: frozenset[str], pinned: Mapping[str, str] | None = None
) -> dict[str, Any] | None:
    """Ticket `custom_fields` (`[{id, value}]`) -> `{name: value}` for the typed fields, one pass.

    A field's name is its id, or the name `pinned` gives that id. Values of fields the schema
    does not type (one created after discovery) stay only in the raw list.
    """
    if not isinstance(raw, list):
        return None
    pinned = pinned or {}
    values = {}
    for item in raw:
        if not isinstance(item, dict):
            continue
        field_id = str(item.get("id"))
        if (name := pinned.get(field_id, field_id)) in names:
            values[name] = item.get("value")
    return values


def _signature(value: Any) -> Any:
    """What a value is, type included (`12` is not `"12"`, `True` is not `1`)."""
    if isinstance(value, list):
        return tuple((type(item), item) for item in value)
    return (type(value), value)


class ValueCounts:
    """What conformance did to the custom field values of one stream, for the run's summary."""

    def __init__(self) -> None:
        self.counts: Counter[str] = Counter()
        """`as_sent`, `conformed`, `nulled`: values that were not null when read."""

    @staticmethod
    def snapshot(values: Any, names: frozenset[str]) -> dict[str, Any]:
        """The typed, non-null values of `values` before conformance."""
        if not isinstance(values, dict):
            return {}
        return {
            name: _signature(value)
            for name, value in values.items()
            if name in names and value is not None
        }

    def count(self, before: dict[str, Any], values: Any) -> None:
        """Compare a snapshot with the conformed values."""
        after = values if isinstance(values, dict) else {}
        for name, signature in before.items():
            value = after.get(name)
            if value is None:
                self.counts["nulled"] += 1
            elif _signature(value) == signature:
                self.counts["as_sent"] += 1
            else:
                self.counts["conformed"] += 1
