"""Run the tap in-process and keep what the benchmark needs from the run.

Per stream: the primary keys of the records written, and whether the stream was skipped or
failed (from the tap's own log lines). Per export: the items each page carried, seen through a
response hook on the tap's session, so that an export's minimum counts the items it had to read
(ticket events: audits, not comments) rather than what one of its streams emitted.
"""

from __future__ import annotations

import io
import json
import logging
import re
import time
from contextlib import redirect_stdout
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from request_floor import Endpoint, StreamOutcome

from tap_zendesk.errors import SyncFailedError
from tap_zendesk.payload import json_object
from tap_zendesk.sandbox.api import endpoint_family
from tap_zendesk.tap import TapZendesk
from tap_zendesk.timestamps import to_epoch

if TYPE_CHECKING:
    import requests

    from tap_zendesk.exports import Export

_FAILED = re.compile(r"^Sync of '([^']+)' failed: (.*)", re.DOTALL)
_SKIPPED = re.compile(r"^Skipping stream '([^']+)': (.*)", re.DOTALL)


def key_of(primary_keys: tuple[str, ...], record: dict[str, Any]) -> Any:
    """A record's primary key: its value, or a tuple of values for a compound key."""
    if len(primary_keys) == 1:
        return record.get(primary_keys[0])
    return tuple(record.get(k) for k in primary_keys)


class MessageSink(io.TextIOBase):
    """Stands in for stdout: parses Singer messages line by line, keeps keys, not records."""

    def __init__(self, primary_keys: dict[str, tuple[str, ...]]) -> None:
        super().__init__()
        self._buffer = ""
        self._primary_keys = primary_keys
        self.keys: dict[str, list[Any]] = {name: [] for name in primary_keys}
        self.ticket_status: dict[int, str] = {}
        self.state: dict[str, Any] = {}

    def writable(self) -> bool:
        return True

    @property
    def buffer(self) -> _BinarySide:
        """The bytes side of stdout, which the SDK's msgspec writer writes to."""
        return _BinarySide(self)

    def write(self, text: str) -> int:
        self._buffer += text
        *lines, self._buffer = self._buffer.split("\n")
        for line in lines:
            if line.strip():
                self._handle(json.loads(line))
        return len(text)

    def _handle(self, message: dict[str, Any]) -> None:
        if message["type"] == "RECORD":
            stream, record = message["stream"], message["record"]
            keys = self._primary_keys.get(stream, ("id",))
            self.keys.setdefault(stream, []).append(key_of(keys, record))
            if stream == "tickets":
                # For the per-ticket comments alternative: deleted tickets answer 404 there.
                self.ticket_status[record["id"]] = record.get("status")
        elif message["type"] == "STATE":
            self.state = message["value"]


class _BinarySide(io.RawIOBase):
    """`sys.stdout.buffer` of a `MessageSink`: UTF-8 lines handed on to the sink."""

    def __init__(self, sink: MessageSink) -> None:
        super().__init__()
        self._sink = sink

    def writable(self) -> bool:
        return True

    def write(self, data: bytes) -> int:  # type: ignore[override]
        # A record may be split across writes only at a line end: the writer sends whole
        # messages, so each chunk decodes on its own.
        self._sink.write(bytes(data).decode())
        return len(data)


class ExportItems:
    """A response hook: the distinct items of every export page the tap read.

    Items are told apart by (id, position): a time-based export repeats the boundary second's
    items on the next page, and those repeats are overhead, not items to read.
    """

    def __init__(self, exports: dict[str, Export]) -> None:
        self._exports = exports
        self.items: dict[str, set[tuple[Any, Any]]] = {family: set() for family in exports}

    def __call__(self, response: requests.Response, *_args: Any, **_kwargs: Any) -> None:
        family = endpoint_family(urlsplit(response.url).path)
        export = self._exports.get(family)
        if export is None or response.status_code != 200:
            return
        try:
            body = json_object(response)  # memoised on the response: the tap won't parse again
        except ValueError:
            return
        page = body.get(export.records_key)
        for item in page if isinstance(page, list) else ():
            if isinstance(item, dict):
                self.items[family].add((item.get("id"), item.get(export.position_field)))

    def read_since(self, family: str, horizon: int) -> int:
        """Distinct items at or after `horizon` (epoch seconds): what the export had to read.

        Zendesk's `start_time` is inclusive, so the horizon's own second is part of the read.
        """
        count = 0
        for _, position in self.items.get(family, ()):
            try:
                if position is None or to_epoch(position) >= horizon:
                    count += 1
            except (TypeError, ValueError):
                count += 1
        return count


class _StreamLog(logging.Handler):
    """Collects the tap's 'Sync of ... failed' and 'Skipping stream ...' lines per stream."""

    def __init__(self, tap_name: str) -> None:
        super().__init__(level=logging.WARNING)
        self._prefix = f"{tap_name}."
        self.failed: dict[str, str] = {}
        self.skipped: dict[str, str] = {}
        #: Any other warning, per stream (the logger's name): how many, and the first.
        self.warnings: dict[str, list[str]] = {}

    def emit(self, record: logging.LogRecord) -> None:
        message = record.getMessage()
        if match := _FAILED.match(message):
            self.failed[match[1]] = match[2]
        elif match := _SKIPPED.match(message):
            self.skipped[match[1]] = match[2]
        else:
            stream = record.name.removeprefix(self._prefix)
            self.warnings.setdefault(stream, []).append(message)


@dataclass
class TapRun:
    """What one tap run emitted and did."""

    keys: dict[str, list[Any]]
    outcomes: dict[str, StreamOutcome]
    ticket_status: dict[int, str]
    state: dict[str, Any]
    #: Per export family: the items it had to read (at or after the run's starting point).
    items_read: dict[str, int]
    seconds: float
    #: The tap's last line when the run ended non-zero (a failed stream, say).
    failure: str | None = None
    #: Warnings the tap logged outside any stream.
    tap_warnings: list[str] = field(default_factory=list)


def export_horizon(state: dict[str, Any] | None, streams: tuple[str, ...]) -> int:
    """Epoch seconds from which a sync must read an export: the least advanced stream's
    saved `export_position` (0, the account's beginning, if any stream has none)."""
    bookmarks = (state or {}).get("bookmarks", {})
    positions = [bookmarks.get(name, {}).get("export_position") for name in streams]
    if not positions or any(not isinstance(p, int) for p in positions):
        return 0
    return min(positions)


def run_tap(
    config: dict[str, Any],
    state: dict[str, Any] | None,
    endpoints: list[Endpoint],
    *,
    verbose: bool,
) -> TapRun:
    """Sync every stream in-process (default catalog: all selected); a failed stream is kept
    as that stream's outcome instead of ending the benchmark."""
    started = time.perf_counter()
    tap = TapZendesk(config=dict(config), state=state, parse_env_config=False)
    exports = {e.family: e.export for e in endpoints if e.export is not None}
    items = ExportItems(exports)
    tap.connection.session.hooks["response"].append(items)
    primary_keys = {s.name: tuple(s.primary_keys or ("id",)) for s in tap.streams.values()}
    sink = MessageSink(primary_keys)
    log = _StreamLog(tap.name)
    tap_logger = logging.getLogger(tap.name)
    tap_logger.addHandler(log)
    # Without a handler of its own the tap's warnings would go to stderr (logging's last
    # resort); the benchmark reports them per stream instead.
    propagate, tap_logger.propagate = tap_logger.propagate, verbose
    failure = None
    try:
        with redirect_stdout(sink):
            tap.sync_all()
    except SyncFailedError as exc:
        failure = exc.message
    finally:
        tap_logger.removeHandler(log)
        tap_logger.propagate = propagate
    outcomes = {}
    for name, keys in sink.keys.items():
        warnings = log.warnings.get(name, [])
        outcome = StreamOutcome(
            name, len(keys), warnings=len(warnings), first_warning=next(iter(warnings), "")
        )
        if name in log.failed:
            outcome.status, outcome.reason = "failed", log.failed[name]
        elif name in log.skipped:
            outcome.status, outcome.reason = "skipped", log.skipped[name]
        outcomes[name] = outcome
    items_read = {
        e.family: items.read_since(e.family, export_horizon(state, e.streams))
        for e in endpoints
        if e.export is not None
    }
    return TapRun(
        sink.keys,
        outcomes,
        sink.ticket_status,
        sink.state,
        items_read,
        time.perf_counter() - started,
        failure,
        log.warnings.get(tap.name, []),
    )
