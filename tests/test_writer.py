"""The tap's message writer: msgspec's encoding, the same messages as the SDK's default writer."""

from __future__ import annotations

import io
import json
import re
from collections import Counter
from contextlib import redirect_stdout
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

from singer_sdk.singerlib import RecordMessage, StateMessage
from singer_sdk.singerlib.encoding.simple import SimpleSingerWriter

from tap_zendesk.tap import TapZendesk
from tap_zendesk.writer import MessageWriter
from tests.sandbox_config import tap_config


def literal(line: str) -> Any:
    """A JSON line parsed with every number kept as its text: `0.10` and `0.1` differ."""
    return json.loads(line, parse_float=str, parse_int=str)


def written(messages: list[Any]) -> tuple[str, MessageWriter]:
    """What `MessageWriter` writes to stdout for `messages`, and the writer."""
    writer = MessageWriter()
    out = io.StringIO()
    with redirect_stdout(out):
        for message in messages:
            writer.write_message(message)
    return out.getvalue(), writer


def test_every_message_of_a_sync_reads_as_the_default_writers(zendesk_sandbox_factory) -> None:
    default = SimpleSingerWriter()
    expected: list[str] = []

    class BesideTheDefault(TapZendesk.message_writer_class):  # type: ignore[misc,valid-type]
        def write_message(self, message: Any) -> None:
            expected.append(default.serialize_message(message))
            super().write_message(message)

    class Tap(TapZendesk):
        message_writer_class = BesideTheDefault

    server = zendesk_sandbox_factory(tickets=40, seed=9)
    out = io.StringIO()
    with redirect_stdout(out):
        Tap(config=tap_config(server), parse_env_config=False).sync_all()
    lines = out.getvalue().split("\n")[:-1]

    assert [literal(line) for line in lines] == [literal(line) for line in expected]
    # The sandbox's records exercise what could differ: decimals, dates, non-ASCII text.
    assert any(re.search(r'":-?\d+\.\d+[,}]', line) for line in lines)  # a decimal number
    assert any(re.search(r'_at":"\d{4}-\d\d-\d\dT', line) for line in lines)
    assert any(not line.isascii() for line in lines)


def test_decimals_dates_and_unicode_are_written_as_the_default_writes_them() -> None:
    record = {
        "decimals": [Decimal("0.10"), Decimal("1E+2"), Decimal("-0"), Decimal("1E-7")],
        "big": 2**70,
        "not_a_number": float("nan"),
        "due_at": "2024-01-02T03:04:05Z",
        "date": "2024-01-02",
        "text": 'héllo 😀 \u2028 "quoted" \x00',
    }
    extracted = datetime(2024, 1, 2, 3, 4, 5, 678, tzinfo=UTC)
    message = RecordMessage(stream="tickets", record=record, time_extracted=extracted)

    text, _ = written([message])

    assert text == (
        '{"type":"RECORD","stream":"tickets","record":{'
        '"decimals":[0.10,1E+2,-0,1E-7],"big":1180591620717411303424,"not_a_number":null,'
        '"due_at":"2024-01-02T03:04:05Z","date":"2024-01-02",'
        '"text":"héllo 😀 \u2028 \\"quoted\\" \\u0000"},'
        '"time_extracted":"2024-01-02T03:04:05.000678+00:00"}\n'
    )
    assert literal(text) == literal(SimpleSingerWriter().serialize_message(message))


def test_the_writer_counts_records_for_the_progress_lines_and_summary() -> None:
    _, writer = written(
        [
            RecordMessage(stream="tickets", record={"id": 1}),
            RecordMessage(stream="tickets", record={"id": 2}),
            StateMessage(value={"bookmarks": {}}),
            RecordMessage(stream="users", record={"id": 3}),
        ]
    )

    assert writer.progress.records == Counter({"tickets": 2, "users": 1})
