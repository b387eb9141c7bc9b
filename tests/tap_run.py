"""Run the tap in-process and collect its Singer messages."""

from __future__ import annotations

import copy
import io
import json
from collections import defaultdict
from contextlib import redirect_stdout
from dataclasses import dataclass, field
from typing import Any

from tap_zendesk.tap import TapZendesk


@dataclass
class SyncResult:
    """What one run wrote to stdout."""

    records: dict[str, list[dict[str, Any]]] = field(default_factory=lambda: defaultdict(list))
    schemas: dict[str, dict[str, Any]] = field(default_factory=dict)
    states: list[dict[str, Any]] = field(default_factory=list)
    messages: list[dict[str, Any]] = field(default_factory=list)

    @property
    def state(self) -> dict[str, Any]:
        """The last STATE message's value."""
        return self.states[-1] if self.states else {}

    def ids(self, stream: str, key: str = "id") -> list[Any]:
        """Primary keys of the stream's records, in emission order (duplicates kept)."""
        return [record[key] for record in self.records.get(stream, [])]


def parse_messages(lines: list[str]) -> SyncResult:
    """Sort Singer messages by type."""
    result = SyncResult()
    for line in lines:
        if not line.strip():
            continue
        message = json.loads(line)
        result.messages.append(message)
        if message["type"] == "RECORD":
            result.records[message["stream"]].append(message["record"])
        elif message["type"] == "SCHEMA":
            result.schemas[message["stream"]] = message["schema"]
        elif message["type"] == "STATE":
            result.states.append(message["value"])
    return result


def catalog_selecting(config: dict[str, Any], streams: set[str] | None) -> dict[str, Any] | None:
    """A catalog with only `streams` selected (None: the default, everything)."""
    if streams is None:
        return None
    catalog = TapZendesk(config=config, parse_env_config=False).catalog_dict
    for entry in catalog["streams"]:
        for meta in entry["metadata"]:
            if not meta["breadcrumb"]:
                meta["metadata"]["selected"] = entry["tap_stream_id"] in streams
    return catalog


def run_sync(
    config: dict[str, Any],
    *,
    state: dict[str, Any] | None = None,
    streams: set[str] | None = None,
) -> SyncResult:
    """One full tap run against `config`, optionally from `state` and for some streams."""
    tap = TapZendesk(
        config=copy.deepcopy(config),
        state=copy.deepcopy(state) if state else None,
        catalog=catalog_selecting(config, streams),
        parse_env_config=False,
    )
    out = io.StringIO()
    with redirect_stdout(out):
        tap.sync_all()
    # Singer messages are separated by "\n" only: the msgspec writer leaves U+2028 and other
    # characters `str.splitlines` would also split on unescaped inside strings.
    return parse_messages(out.getvalue().split("\n"))
