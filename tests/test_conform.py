"""The tap's one conformance pass: every depth the schema declares, and the SDK's work too."""

from __future__ import annotations

import copy
import io
import logging
from contextlib import redirect_stdout
from decimal import Decimal

import pytest
from singer_sdk import Stream
from singer_sdk import typing as th
from singer_sdk.helpers._typing import conform_record_data_types
from singer_sdk.helpers.conform import TypeConformanceLevel

from tap_zendesk.client import ZendeskStream
from tap_zendesk.conform import WARNINGS_PER_FIELD, Conformer
from tap_zendesk.tap import TapZendesk
from tests.sandbox_config import tap_config
from tests.tap_run import SyncResult, catalog_selecting, parse_messages

NAN, INF = float("nan"), float("inf")
# Deselected in the catalog of the full-sync comparison, at the top level and nested.
DESELECTED = {"tickets": [("subject",), ("via", "source")], "users": [("email",)]}
# The streams with the deepest schemas (tickets, comments, ratings) and the lists.
STREAMS = {
    "tickets",
    "ticket_metrics",
    "ticket_comments",
    "users",
    "organizations",
    "organization_memberships",
    "groups",
    "group_memberships",
    "satisfaction_ratings",
}

SCHEMA = th.PropertiesList(
    th.Property("id", th.IntegerType, required=True),
    th.Property("score", th.NumberType),
    th.Property("created_at", th.DateTimeType),
    th.Property("open", th.BooleanType),
    th.Property("tags", th.ArrayType(th.StringType)),
    th.Property(
        "via",
        th.ObjectType(
            th.Property("channel", th.StringType),
            th.Property(
                "source",
                th.ObjectType(
                    th.Property("at", th.DateTimeType),
                    th.Property("count", th.IntegerType),
                    additional_properties=False,
                ),
            ),
        ),
    ),
    th.Property(
        "custom_fields",
        th.ArrayType(
            th.ObjectType(
                th.Property("id", th.IntegerType),
                th.Property("value", th.CustomType({"type": ["string", "number", "null"]})),
            )
        ),
    ),
    th.Property("metadata", th.ObjectType(additional_properties=True)),
).to_dict()


def conform(record: dict, caplog=None) -> tuple[dict | None, list[str]]:
    conformer = Conformer("things", SCHEMA, ("id",))
    if caplog is None:
        return conformer(record), []
    with caplog.at_level(logging.WARNING, logger="tap_zendesk.conform"):
        caplog.clear()
        result = conformer(record)
    return result, [r.getMessage() for r in caplog.records]


def test_a_good_record_is_unchanged() -> None:
    record = {
        "id": 1,
        "score": Decimal("4.5"),
        "created_at": "2024-01-02T03:04:05Z",
        "open": True,
        "tags": ["a", "b"],
        "via": {"channel": "web", "source": {"at": "2024-01-02T03:04:05Z", "count": 2}},
        "custom_fields": [{"id": 5, "value": "x"}, {"id": 6, "value": None}],
        "metadata": {"anything": [1, {"x": 2}]},
    }
    assert conform(copy.deepcopy(record)) == (record, [])


def test_nan_in_the_id_skips_the_record_with_warnings(caplog) -> None:
    result, warnings = conform({"id": NAN, "score": 1}, caplog)
    assert result is None
    assert warnings == [
        "'things' record nan: field 'id' holds a float (nan) the schema does not allow; "
        "emitting null",
        "Skipping a 'things' record without a usable primary key (id is missing or null)",
    ]


@pytest.mark.parametrize("record", [{"score": 1}, {"id": None, "score": 1}])
def test_a_record_without_an_id_is_skipped_and_counted(caplog, record) -> None:
    conformer = Conformer("things", SCHEMA, ("id",))
    assert conformer(record) is None
    assert conformer(dict(record)) is None
    assert conformer.skipped == 2


@pytest.mark.parametrize(
    ("record", "path", "shown"),
    [
        ({"id": 1, "score": NAN}, "score", "float (nan)"),
        ({"id": 1, "score": -INF}, "score", "float (-inf)"),
        ({"id": 1, "created_at": "garbage-date"}, "created_at", "str"),
        ({"id": 1, "via": {"source": {"at": "garbage-date"}}}, "via.source.at", "str"),
        ({"id": 1, "via": {"source": {"count": INF}}}, "via.source.count", "float (inf)"),
        ({"id": 1, "custom_fields": [{"id": NAN}]}, "custom_fields[].id", "float (nan)"),
        (
            {"id": 1, "custom_fields": [{"id": 2, "value": NAN}]},
            "custom_fields[].value",
            "float (nan)",
        ),
        ({"id": 1, "tags": ["a", ["b"]]}, "tags[]", "list"),
        ({"id": 1, "via": "web"}, "via", "str"),
        ({"id": 1, "tags": "a,b"}, "tags", "str"),
    ],
)
def test_values_without_a_clear_meaning_are_nulled_at_any_depth(caplog, record, path, shown):
    result, warnings = conform(record, caplog)
    assert warnings == [
        f"'things' record 1: field '{path}' holds a {shown} the schema does not allow; "
        "emitting null"
    ]
    assert result is not None
    assert str(result).count("None") == 1


def test_clear_cases_are_coerced_at_any_depth() -> None:
    record = {
        "id": "12",
        "score": "2.50",
        "created_at": 1704153600,
        "open": "false",
        "tags": [7],
        "via": {"channel": 4, "source": {"at": "2024-01-02 00:00:00", "count": Decimal("3.0")}},
        "custom_fields": [{"id": "9", "value": "v"}],
    }
    assert conform(record)[0] == {
        "id": 12,
        "score": Decimal("2.50"),
        "created_at": "2024-01-02T00:00:00Z",
        "open": False,
        "tags": ["7"],
        "via": {"channel": "4", "source": {"at": "2024-01-02 00:00:00", "count": 3}},
        "custom_fields": [{"id": 9, "value": "v"}],
    }


def test_undeclared_properties_are_removed_at_any_depth_with_one_warning(caplog) -> None:
    record = {"id": 1, "extra": 1, "via": {"source": {"count": 1, "new": 2}}, "metadata": {"k": 1}}
    result, warnings = conform(record, caplog)
    assert result == {"id": 1, "via": {"source": {"count": 1}}, "metadata": {"k": 1}}
    assert warnings == [
        "Properties ('via.source.new',) were present in the 'things' stream but not found "
        "in catalog schema. Ignoring.",
        "Properties ('extra',) were present in the 'things' stream but not found "
        "in catalog schema. Ignoring.",
    ]


def test_deselected_properties_are_removed_silently_at_any_depth(caplog) -> None:
    mask = {
        (): True,
        ("properties", "score"): False,
        ("properties", "via", "properties", "source"): False,
    }
    conformer = Conformer("things", SCHEMA, ("id",), mask)
    record = {"id": 1, "score": 2, "via": {"channel": "web", "source": {"count": 1}}}
    with caplog.at_level(logging.WARNING, logger="tap_zendesk.conform"):
        assert conformer(record) == {"id": 1, "via": {"channel": "web"}}
    assert caplog.records == []


def test_warnings_per_field_are_capped_and_every_value_counted(caplog) -> None:
    conformer = Conformer("things", SCHEMA, ("id",))
    with caplog.at_level(logging.WARNING, logger="tap_zendesk.conform"):
        for record_id in range(WARNINGS_PER_FIELD + 5):
            conformer({"id": record_id, "score": NAN})
    assert len(caplog.records) == WARNINGS_PER_FIELD
    assert (
        caplog.records[-1]
        .getMessage()
        .endswith("emitting null (further ones in 'score' are only counted)")
    )
    assert conformer.nulled == {"score": WARNINGS_PER_FIELD + 5}


def catalog(config: dict) -> dict:
    """The STREAMS selected, with the DESELECTED properties left out."""
    result = catalog_selecting(config, STREAMS)
    for entry in result["streams"]:
        for path in DESELECTED.get(entry["tap_stream_id"], []):
            breadcrumb = [part for name in path for part in ("properties", name)]
            entry["metadata"].append({"breadcrumb": breadcrumb, "metadata": {"selected": False}})
    return result


def sync(config: dict) -> SyncResult:
    tap = TapZendesk(config=config, catalog=catalog(config), parse_env_config=False)
    out = io.StringIO()
    with redirect_stdout(out):
        tap.sync_all()
    return parse_messages(out.getvalue().split("\n"))


@pytest.fixture(scope="module")
def sandbox_records():
    """Every stream's records from one sandbox, with and without the SDK's own passes."""
    from tap_zendesk.sandbox import SandboxAccount, SandboxServer  # noqa: PLC0415

    with SandboxServer(SandboxAccount.generate(tickets=150, seed=11)).start() as server:
        ours = sync(tap_config(server))
        with pytest.MonkeyPatch.context() as patch:
            patch.setattr(ZendeskStream, "TYPE_CONFORMANCE_LEVEL", TypeConformanceLevel.RECURSIVE)
            patch.setattr(
                ZendeskStream, "_generate_record_messages", Stream._generate_record_messages
            )
            both = sync(tap_config(server))
    return ours, both


@pytest.mark.slow
def test_the_sdk_passes_would_change_nothing_in_a_full_sync(sandbox_records) -> None:
    ours, both = sandbox_records
    assert sum(len(records) for records in ours.records.values()) > 1000
    assert ours.records == both.records


@pytest.mark.slow
def test_deselected_properties_are_not_emitted(sandbox_records) -> None:
    ours, _ = sandbox_records
    tickets, users = ours.records["tickets"], ours.records["users"]
    assert tickets
    assert users
    assert not any("subject" in t or "source" in t.get("via", {}) for t in tickets)
    assert not any("email" in u for u in users)
    assert all("channel" in t["via"] for t in tickets)


@pytest.mark.slow
def test_every_record_of_a_full_sync_is_already_what_the_sdk_would_emit(sandbox_records) -> None:
    ours, _ = sandbox_records
    log = logging.getLogger("test")
    for stream, records in ours.records.items():
        schema = ours.schemas[stream]
        for record in records:
            conformed = conform_record_data_types(
                stream, copy.deepcopy(record), schema, TypeConformanceLevel.RECURSIVE, log
            )
            assert conformed == record, stream
