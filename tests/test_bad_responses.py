"""API responses with unexpected types, extra fields or broken bodies."""

from __future__ import annotations

import json

import pytest

from tests.stub_server import stub_server
from tests.tap_run import run_sync

CONFIG = {"subdomain": "acme", "email": "me@example.com", "api_token": "tok-abcdef0123456789"}
JSON = {"Content-Type": "application/json"}


def groups_page(*groups: object) -> bytes:
    return json.dumps({"groups": list(groups), "meta": {"has_more": False}, "links": {}}).encode()


def sync_groups(body: bytes, **config: object):
    with stub_server(lambda path, headers: (200, JSON, body)) as (url, log):
        result = run_sync({**CONFIG, "api_url": url, **config}, streams={"groups"})
    return result, log


def groups(result) -> list[dict]:
    """The groups emitted, without the deletion marker every record carries."""
    return [
        {k: v for k, v in record.items() if k != "_sdc_deleted_at"}
        for record in result.records["groups"]
    ]


def test_values_of_the_wrong_type_are_coerced_when_the_meaning_is_clear() -> None:
    body = groups_page(
        {"id": "12", "name": 5, "deleted": "false", "updated_at": 1704153600},
    )
    result, _ = sync_groups(body)
    assert groups(result) == [
        {"id": 12, "name": "5", "deleted": False, "updated_at": "2024-01-02T00:00:00Z"}
    ]


def test_values_with_no_clear_meaning_become_null_with_a_warning(caplog) -> None:
    body = groups_page({"id": 7, "default": "maybe", "updated_at": "2024-01-02T00:00:00Z"})
    result, _ = sync_groups(body)
    assert result.records["groups"][0]["default"] is None
    assert "'groups' record 7: field 'default' holds a str the schema does not allow" in (
        caplog.text
    )


def test_fields_missing_from_the_schema_are_reported(caplog) -> None:
    body = groups_page({"id": 7, "brand_new": 1, "updated_at": "2024-01-02T00:00:00Z"})
    result, _ = sync_groups(body)
    assert groups(result) == [{"id": 7, "updated_at": "2024-01-02T00:00:00Z"}]
    assert "Properties ('brand_new',) were present in the 'groups' stream" in caplog.text


def test_nan_ids_and_missing_ids_are_skipped_and_bad_dates_nulled(caplog) -> None:
    # Python's json module reads NaN and Infinity, as a lenient server may write them.
    body = (
        b'{"groups": ['
        b'{"id": NaN, "updated_at": "2024-01-02T00:00:00Z"},'
        b'{"updated_at": "2024-01-02T00:00:00Z"},'
        b'{"id": null, "updated_at": "2024-01-02T00:00:00Z"},'
        b'{"id": 8, "updated_at": "2024-01-02T00:00:00Z", "created_at": "garbage-date"},'
        b'{"id": Infinity, "updated_at": "2024-01-02T00:00:00Z"}'
        b'], "meta": {"has_more": false}, "links": {}}'
    )
    result, _ = sync_groups(body)
    assert groups(result) == [
        {"id": 8, "updated_at": "2024-01-02T00:00:00Z", "created_at": None},
    ]
    assert caplog.text.count("Skipping a 'groups' record without a usable primary key") == 4
    assert (
        "'groups' record 8: field 'created_at' holds a str the schema does not allow; "
        "emitting null" in caplog.text
    )
    assert result.state["bookmarks"]["groups"]["replication_key_value"]


def test_items_that_are_not_objects_are_skipped_with_a_warning(caplog) -> None:
    body = groups_page("junk", {"id": 8, "updated_at": "2024-01-02T00:00:00Z"})
    result, _ = sync_groups(body)
    assert result.ids("groups") == [8]
    assert "Skipping a 'groups' item that is a str, not an object" in caplog.text


@pytest.mark.slow
@pytest.mark.parametrize(
    ("body", "problem"),
    [
        (b'{"groups": [{"id": 1,', "the body is not valid JSON"),
        (b'{"groups": {"id": 1}}', "the body has no 'groups' list"),
        (b"[]", "the body is not valid JSON (expected a JSON object, got list)"),
        (b"<html>Bad gateway</html>", "the body is not valid JSON"),
    ],
)
def test_a_malformed_body_is_retried_then_fails_clearly(caplog, body, problem) -> None:
    with pytest.raises(SystemExit):
        sync_groups(body, max_retries=1)
    assert f"Sync of 'groups' failed: 200 OK for /api/v2/groups.json: {problem}" in caplog.text
    assert caplog.text.count("Retrying groups") == 1
