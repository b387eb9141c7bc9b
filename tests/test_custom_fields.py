"""Custom fields as typed, named properties: discovery types them, a sync conforms their values."""

from __future__ import annotations

import copy
import io
import json
import logging
import re
from contextlib import redirect_stdout
from decimal import Decimal
from typing import Any

import pytest

from tap_zendesk.conform import Conformer
from tap_zendesk.custom_fields import (
    FIELD_TYPES,
    ORGANIZATION_FIELDS,
    TICKET_FIELDS,
    USER_FIELDS,
    ValueCounts,
    pick_values,
    typed_properties,
    with_catalog_values,
    with_typed_fields,
)
from tap_zendesk.sandbox.config_data import CUSTOM_TYPES
from tap_zendesk.sandbox.factories import TICKET_FIELD_IDS
from tap_zendesk.schemas.tickets import TICKET
from tap_zendesk.schemas.users import USER
from tap_zendesk.tap import TapZendesk
from tests.sandbox_config import tap_config
from tests.tap_run import SyncResult, parse_messages

TYPED = {
    "tickets": "custom_field_values",
    "users": "user_fields",
    "organizations": "organization_fields",
}
SUMMARY = re.compile(
    r"Custom fields of '(?P<stream>\w+)': (?P<fields>\d+) typed fields; of (?P<values>\d+) "
    r"values, (?P<as_sent>\d+) as sent, (?P<conformed>\d+) conformed to their field's type, "
    r"(?P<nulled>\d+) nulled \(not conformable\)$"
)
INTEGER = re.compile(r"^\s*-?\d+\s*$")
DEFINITIONS = {
    "tickets": "ticket_fields",
    "users": "user_fields",
    "organizations": "organization_fields",
}


def definition(field_type: str, field_id: int = 7, **extra: Any) -> dict[str, Any]:
    return {"id": field_id, "type": field_type, "title": f"A {field_type}", "active": True, **extra}


def ticket_conformer(field_type: str) -> tuple[Conformer, frozenset[str]]:
    """The conformance a sync applies to tickets whose one custom field has `field_type`."""
    schema = with_typed_fields(TICKET, TICKET_FIELDS, [definition(field_type)])
    return Conformer("tickets", schema, ("id",)), frozenset({"7"})


def conform_ticket_value(field_type: str, value: Any) -> Any:
    """The value a sync emits for a ticket whose custom field of `field_type` holds `value`."""
    conformer, names = ticket_conformer(field_type)
    record = {"id": 1, "custom_fields": [{"id": 7, "value": value}]}
    record["custom_field_values"] = pick_values(record["custom_fields"], names)
    return conformer(record)["custom_field_values"]["7"]


# -- schema ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("field_type", "schema"),
    [
        ("text", {"type": ["string", "null"]}),
        ("textarea", {"type": ["string", "null"]}),
        ("regexp", {"type": ["string", "null"]}),
        ("partialcreditcard", {"type": ["string", "null"]}),
        ("dropdown", {"type": ["string", "null"]}),
        ("tagger", {"type": ["string", "null"]}),
        ("integer", {"type": ["integer", "null"]}),
        ("decimal", {"type": ["number", "null"]}),
        ("checkbox", {"type": ["boolean", "null"]}),
        ("date", {"type": ["string", "null"], "format": "date"}),
        ("multiselect", {"type": ["array", "null"], "items": {"type": "string"}}),
        ("lookup", {"type": ["integer", "null"]}),
    ],
)
def test_each_zendesk_field_type_has_its_json_type(field_type, schema) -> None:
    [prop] = typed_properties(TICKET_FIELDS, [definition(field_type)]).values()

    assert {k: v for k, v in prop.items() if k not in {"title", "description"}} == schema


def test_ticket_system_fields_and_unknown_types_are_not_typed() -> None:
    definitions = [definition("subject", 1), definition("status", 2), definition("hologram", 3)]

    assert typed_properties(TICKET_FIELDS, definitions) == {}


def test_ticket_fields_are_named_by_id_and_titled_by_their_title() -> None:
    properties = typed_properties(TICKET_FIELDS, [definition("integer", 360_000_500_003)])

    assert list(properties) == ["360000500003"]
    assert properties["360000500003"]["title"] == "A integer"


def test_a_renamed_ticket_field_keeps_its_property_name() -> None:
    before = typed_properties(TICKET_FIELDS, [definition("integer", title="Units affected")])
    after = typed_properties(TICKET_FIELDS, [definition("integer", title="Units impacted")])

    assert list(before) == list(after) == ["7"]
    assert after["7"]["title"] == "Units impacted"


def test_user_and_organization_fields_are_named_by_their_key() -> None:
    fields = [definition("integer", key="lifetime_orders", title="Lifetime orders (renamed)")]

    assert list(typed_properties(USER_FIELDS, fields)) == ["lifetime_orders"]
    assert list(typed_properties(ORGANIZATION_FIELDS, fields)) == ["lifetime_orders"]


def test_inactive_fields_stay_typed_and_say_so() -> None:
    [prop] = typed_properties(TICKET_FIELDS, [definition("integer", active=False)]).values()

    assert prop["type"] == ["integer", "null"]
    assert prop["description"] == "Zendesk ticket field 7 (integer, inactive at discovery)."


def test_tickets_get_typed_values_beside_the_raw_list() -> None:
    schema = with_typed_fields(TICKET, TICKET_FIELDS, [definition("integer")])

    assert schema["properties"]["custom_fields"] == TICKET["properties"]["custom_fields"]
    assert schema["properties"]["custom_field_values"]["properties"] == {
        "7": {
            "type": ["integer", "null"],
            "title": "A integer",
            "description": "Zendesk ticket field 7 (integer).",
        }
    }
    assert schema["properties"]["custom_field_values"]["additionalProperties"] is False
    assert "custom_field_values" not in TICKET["properties"]  # the untyped shape is untouched


def test_user_fields_are_typed_in_place_and_pass_unknown_keys_through() -> None:
    schema = with_typed_fields(USER, USER_FIELDS, [definition("checkbox", key="newsletter")])

    user_fields = schema["properties"]["user_fields"]
    assert user_fields["properties"]["newsletter"]["type"] == ["boolean", "null"]
    assert user_fields["additionalProperties"] is True


def test_only_the_custom_values_property_is_taken_from_the_catalog() -> None:
    catalog = with_typed_fields(TICKET, TICKET_FIELDS, [definition("integer")])
    del catalog["properties"]["subject"]  # a catalog from an older version, say

    schema = with_catalog_values(TICKET, TICKET_FIELDS, catalog)

    assert schema["properties"]["custom_field_values"]["properties"]["7"]["type"] == [
        "integer",
        "null",
    ]
    assert schema["properties"]["subject"] == TICKET["properties"]["subject"]


# -- values ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("field_type", "sent", "emitted"),
    [
        ("integer", 12, 12),
        ("integer", "12", 12),
        ("integer", " -5 ", -5),
        ("integer", Decimal("12.0"), 12),
        ("lookup", "2792", 2792),
        ("decimal", "3.5", Decimal("3.5")),
        ("decimal", 3, 3),
        ("decimal", Decimal("959.5"), Decimal("959.5")),
        ("checkbox", "true", True),
        ("checkbox", "false", False),
        ("checkbox", True, True),
        ("checkbox", 0, False),
        ("date", "2024-06-22", "2024-06-22"),
        ("date", "2012-07-23T00:00:00Z", "2012-07-23"),
        ("date", "2018-11-04T00:00:00+00:00", "2018-11-04"),
        ("text", "Order #A-1042", "Order #A-1042"),
        ("text", 4711, "4711"),
        ("text", "", ""),
        ("tagger", "tier_platinum", "tier_platinum"),  # an option deleted since: kept
        ("multiselect", ["product_web", "region_eu"], ["product_web", "region_eu"]),
        ("multiselect", [], []),
        ("integer", None, None),
        ("multiselect", None, None),
    ],
)
def test_values_are_conformed_to_their_fields_type(field_type, sent, emitted) -> None:
    value = conform_ticket_value(field_type, sent)

    assert value == emitted
    assert type(value) is type(emitted)


@pytest.mark.parametrize(
    ("field_type", "sent"),
    [
        ("integer", "12 units"),
        ("integer", True),
        ("integer", Decimal("2.5")),
        ("decimal", "about 3"),
        ("checkbox", "yes"),
        ("date", "next Tuesday"),
        ("multiselect", "product_web"),
        ("text", {"nested": 1}),
    ],
)
def test_an_unconformable_value_becomes_null(field_type, sent) -> None:
    assert conform_ticket_value(field_type, sent) is None


def test_an_unconformable_value_gets_one_warning_naming_stream_record_and_field(caplog) -> None:
    conformer, names = ticket_conformer("integer")
    record = {"id": 42, "custom_fields": [{"id": 7, "value": "12 units"}]}
    record["custom_field_values"] = pick_values(record["custom_fields"], names)

    with caplog.at_level(logging.WARNING):
        conformer(record)

    assert [r.getMessage() for r in caplog.records] == [
        "'tickets' record 42: field 'custom_field_values.7' holds a str the schema does not "
        "allow; emitting null"
    ]
    assert conformer.nulled == {"custom_field_values.7": 1}


def test_the_raw_list_stays_as_zendesk_sent_it() -> None:
    conformer, names = ticket_conformer("integer")
    raw = [{"id": 7, "value": "12"}, {"id": 8, "value": "new field"}]
    record = {"id": 1, "custom_fields": copy.deepcopy(raw)}
    record["custom_field_values"] = pick_values(record["custom_fields"], names)

    conformer(record)

    assert record["custom_fields"] == raw
    assert record["custom_field_values"] == {"7": 12}


def test_values_of_fields_created_after_discovery_stay_only_in_the_raw_list() -> None:
    values = pick_values([{"id": 7, "value": 1}, {"id": 99, "value": 2}], frozenset({"7"}))

    assert values == {"7": 1}


def test_counts_tell_values_as_sent_conformed_and_nulled() -> None:
    names = frozenset({"a", "b", "c", "d", "e"})
    counts = ValueCounts()
    sent = {"a": 1, "b": "2", "c": "x", "d": None, "e": ["p", 3]}
    before = ValueCounts.snapshot(sent, names)

    counts.count(before, {"a": 1, "b": 2, "c": None, "d": None, "e": ["p", "3"]})

    assert counts.counts == {"as_sent": 1, "conformed": 2, "nulled": 1}


# -- discovery and sync against the sandbox ----------------------------------------------------


def discover(config: dict[str, Any]) -> dict[str, Any]:
    # As `--discover` builds it: the config is not validated.
    tap = TapZendesk(
        config=copy.deepcopy(config),
        parse_env_config=False,
        validate_config=False,
        setup_mapper=False,
    )
    with redirect_stdout(io.StringIO()):
        return json.loads(tap.run_discovery())


def typed(catalog: dict[str, Any], stream: str) -> dict[str, Any]:
    [entry] = [e for e in catalog["streams"] if e["tap_stream_id"] == stream]
    return entry["schema"]["properties"][TYPED[stream]]


def sync(config: dict[str, Any], catalog: dict[str, Any], state: dict | None = None) -> SyncResult:
    catalog = copy.deepcopy(catalog)
    for entry in catalog["streams"]:
        for meta in entry["metadata"]:
            if not meta["breadcrumb"]:
                meta["metadata"]["selected"] = entry["tap_stream_id"] in TYPED
    tap = TapZendesk(
        config=copy.deepcopy(config), catalog=catalog, state=state, parse_env_config=False
    )
    out = io.StringIO()
    with redirect_stdout(out):
        tap.sync_all()
    return parse_messages(out.getvalue().split("\n"))


def fits(value: Any, schema: dict[str, Any]) -> bool:
    """Whether a value, as a target reads it from JSON, has the property's type."""
    if value is None:
        return True
    kind = next(t for t in schema["type"] if t != "null")
    if kind == "array":
        return isinstance(value, list) and all(isinstance(item, str) for item in value)
    python = {"integer": int, "number": (int, float), "boolean": bool, "string": str}[kind]
    return isinstance(value, python) and (kind == "boolean" or not isinstance(value, bool))


@pytest.mark.parametrize("stream", sorted(TYPED))
def test_discovery_types_every_custom_field_of_the_sandbox(zendesk_sandbox, stream) -> None:
    definitions = zendesk_sandbox.account.expected(DEFINITIONS[stream])
    custom = [d for d in definitions if d["type"] in CUSTOM_TYPES | {"dropdown"}]

    properties = typed(discover(tap_config(zendesk_sandbox)), stream)["properties"]

    name = (lambda d: str(d["id"])) if stream == "tickets" else (lambda d: d["key"])
    assert {name(d): properties[name(d)]["type"] for d in custom} == {
        name(d): FIELD_TYPES[d["type"]]["type"] for d in custom
    }
    assert set(properties) == {name(d) for d in custom}


def test_discovery_reads_each_definition_list_once(zendesk_sandbox) -> None:
    discover(tap_config(zendesk_sandbox))

    assert sorted(r.path for r in zendesk_sandbox.requests) == [
        "/api/v2/organization_fields.json",
        "/api/v2/ticket_fields.json",
        "/api/v2/user_fields.json",
    ]


def test_discovery_without_credentials_keeps_the_untyped_shape(zendesk_sandbox, caplog) -> None:
    credentials = {"email", "api_token"}
    config = {k: v for k, v in tap_config(zendesk_sandbox).items() if k not in credentials}

    with caplog.at_level(logging.WARNING):
        catalog = discover(config)

    assert typed(catalog, "users") == USER["properties"]["user_fields"]
    assert "custom_field_values" not in _properties(catalog, "tickets")
    assert zendesk_sandbox.requests == []
    assert [r.getMessage() for r in caplog.records if r.levelno == logging.WARNING] == [
        "Custom fields stay untyped (a JSON object or list of any values): no credentials: set "
        "email and api_token, access_token, client_id and client_secret, or client_id, "
        "refresh_token and oauth_token_file"
    ]


def test_a_403_on_one_list_leaves_only_its_stream_untyped(zendesk_sandbox, caplog) -> None:
    zendesk_sandbox.account.set_forbidden("ticket_fields")

    with caplog.at_level(logging.WARNING):
        catalog = discover(tap_config(zendesk_sandbox))

    assert "custom_field_values" not in _properties(catalog, "tickets")
    assert typed(catalog, "users")["properties"]
    assert typed(catalog, "organizations")["properties"]
    [warning] = [r.getMessage() for r in caplog.records if "untyped" in r.getMessage()]
    assert warning.startswith("Custom fields stay untyped in tickets: ticket_fields: ")
    assert "403" in warning


def test_rejected_credentials_do_not_fail_discovery(zendesk_sandbox, caplog) -> None:
    config = tap_config(zendesk_sandbox, api_token="wrong-token")

    with caplog.at_level(logging.WARNING):
        catalog = discover(config)

    assert "custom_field_values" not in _properties(catalog, "tickets")
    assert len([r for r in caplog.records if "untyped" in r.getMessage()]) == 1
    assert "wrong-token" not in caplog.text
    assert len(zendesk_sandbox.requests) == 1  # the other lists would be rejected too


def _properties(catalog: dict[str, Any], stream: str) -> dict[str, Any]:
    [entry] = [e for e in catalog["streams"] if e["tap_stream_id"] == stream]
    return entry["schema"]["properties"]


@pytest.fixture
def typed_run(zendesk_sandbox) -> tuple[dict[str, Any], SyncResult]:
    catalog = discover(tap_config(zendesk_sandbox))
    return catalog, sync(tap_config(zendesk_sandbox), catalog)


@pytest.mark.parametrize("stream", sorted(TYPED))
def test_a_sync_emits_every_custom_value_in_its_fields_type(typed_run, stream) -> None:
    catalog, result = typed_run
    properties = typed(catalog, stream)["properties"]

    wrong = [
        (record["id"], name, value)
        for record in result.records[stream]
        for name, value in (record[TYPED[stream]] or {}).items()
        if name in properties and not fits(value, properties[name])
    ]

    assert result.records[stream]
    assert wrong == []


def test_a_sync_nulls_exactly_the_unconformable_values(typed_run, zendesk_sandbox) -> None:
    _, result = typed_run
    integer = str(TICKET_FIELD_IDS["integer"])
    raw = {
        t["id"]: next(v["value"] for v in t["custom_fields"] if v["id"] == int(integer))
        for t in zendesk_sandbox.account.expected("tickets")
    }
    unconformable = {i for i, v in raw.items() if isinstance(v, str) and not INTEGER.match(v)}

    nulled = {
        t["id"]
        for t in result.records["tickets"]
        if raw[t["id"]] is not None and t["custom_field_values"][integer] is None
    }

    assert unconformable
    assert nulled == unconformable


def test_a_sync_maps_every_ticket_value_by_field_id(typed_run, zendesk_sandbox) -> None:
    _, result = typed_run
    expected = {t["id"]: t for t in zendesk_sandbox.account.expected("tickets")}

    for ticket in result.records["tickets"]:
        raw = {str(v["id"]): v["value"] for v in expected[ticket["id"]]["custom_fields"]}
        assert ticket["custom_field_values"].keys() == raw.keys()
        assert ticket["custom_fields"] == json.loads(
            json.dumps(expected[ticket["id"]]["custom_fields"], default=float)
        )


def test_a_sync_logs_its_custom_field_summary(zendesk_sandbox, caplog) -> None:
    catalog = discover(tap_config(zendesk_sandbox))

    with caplog.at_level(logging.INFO):
        sync(tap_config(zendesk_sandbox), catalog)

    messages = [r.getMessage() for r in caplog.records]
    summaries = {
        match["stream"]: {k: int(v) for k, v in match.groupdict().items() if k != "stream"}
        for match in map(SUMMARY.match, messages)
        if match
    }
    nulled_warnings = [m for m in messages if "'custom_field_values." in m and "null" in m]

    assert set(summaries) == set(TYPED)
    assert summaries["tickets"]["fields"] == 11
    assert summaries["users"]["fields"] == summaries["organizations"]["fields"] == 7
    for counts in summaries.values():
        assert counts["as_sent"] + counts["conformed"] + counts["nulled"] == counts["values"]
        assert counts["conformed"] > 0
    assert summaries["tickets"]["nulled"] == len(nulled_warnings) > 0


def test_a_renamed_field_keeps_its_column_between_two_runs(zendesk_sandbox) -> None:
    config = tap_config(zendesk_sandbox)
    first_catalog = discover(config)
    first = sync(config, first_catalog)
    before = {f["id"]: f["title"] for f in zendesk_sandbox.account.expected("ticket_fields")}

    zendesk_sandbox.account.mutate(seed=5, fraction=0.2)
    after = {f["id"]: f["title"] for f in zendesk_sandbox.account.expected("ticket_fields")}
    [renamed] = [i for i in before if after.get(i) != before[i]]
    second_catalog = discover(config)
    second = sync(config, second_catalog, state=first.state)

    old, new = typed(first_catalog, "tickets"), typed(second_catalog, "tickets")
    assert list(new["properties"]) == list(old["properties"])
    assert new["properties"][str(renamed)]["title"] == after[renamed]
    assert old["properties"][str(renamed)]["title"] == before[renamed]
    raw = {t["id"]: t for t in zendesk_sandbox.account.expected("tickets")}
    changed = second.records["tickets"]
    assert changed
    assert all(
        str(renamed) in t["custom_field_values"]
        for t in changed
        if any(v["id"] == renamed for v in raw[t["id"]]["custom_fields"])
    )


def test_a_field_missing_from_the_catalog_keeps_its_values_in_the_raw_list(
    zendesk_sandbox,
) -> None:
    config = tap_config(zendesk_sandbox)
    catalog = discover(config)
    dropped = str(TICKET_FIELD_IDS["integer"])
    for entry in catalog["streams"]:
        if entry["tap_stream_id"] == "tickets":
            del entry["schema"]["properties"]["custom_field_values"]["properties"][dropped]

    result = sync(config, catalog)

    assert all(dropped not in t["custom_field_values"] for t in result.records["tickets"])
    assert all(
        any(v["id"] == int(dropped) for v in t["custom_fields"]) for t in result.records["tickets"]
    )


def test_a_sync_without_a_typed_catalog_emits_the_untyped_shape(zendesk_sandbox) -> None:
    config = tap_config(zendesk_sandbox)
    untyped = TapZendesk(config=config, parse_env_config=False).catalog_dict

    result = sync(config, untyped)

    assert all("custom_field_values" not in t for t in result.records["tickets"])


# Pinned readable names (`ticket_field_names`)


def test_a_pinned_name_replaces_the_id_of_that_field_only() -> None:
    properties = typed_properties(
        TICKET_FIELDS,
        [definition("integer", 11), definition("checkbox", 12)],
        {"11": "units_affected"},
    )

    assert list(properties) == ["units_affected", "12"]


def test_values_are_picked_by_id_into_their_pinned_names() -> None:
    raw = [{"id": 11, "value": "4"}, {"id": 12, "value": True}, {"id": 13, "value": "x"}]

    picked = pick_values(raw, frozenset({"units_affected", "12"}), {"11": "units_affected"})

    assert picked == {"units_affected": "4", "12": True}


def test_user_and_organization_fields_ignore_ticket_field_names() -> None:
    properties = typed_properties(
        USER_FIELDS, [definition("integer", 11, key="orders")], {"11": "units_affected"}
    )

    assert list(properties) == ["orders"]


def test_pinned_names_stay_through_a_rename_and_carry_the_values(zendesk_sandbox) -> None:
    integer, checkbox = TICKET_FIELD_IDS["integer"], TICKET_FIELD_IDS["checkbox"]
    pinned = {str(integer): "units_affected", str(checkbox): "escalated"}
    config = tap_config(zendesk_sandbox, ticket_field_names=pinned)
    first_catalog = discover(config)
    first = sync(config, first_catalog)
    zendesk_sandbox.account.mutate(seed=5, fraction=0.2)  # renames a ticket field
    second_catalog = discover(config)

    names = list(typed(first_catalog, "tickets")["properties"])
    assert {"units_affected", "escalated"} <= set(names)
    assert str(integer) not in names
    assert str(checkbox) not in names
    assert list(typed(second_catalog, "tickets")["properties"]) == names
    raw = {t["id"]: t["custom_fields"] for t in zendesk_sandbox.account.expected("tickets")}
    for ticket in first.records["tickets"][:200]:
        sent = {v["id"]: v["value"] for v in raw[ticket["id"]]}
        values = ticket["custom_field_values"]
        assert values["escalated"] == (
            None if sent.get(checkbox) is None else sent[checkbox] in (True, "true")
        )
        assert ("units_affected" in values) == (integer in sent)
