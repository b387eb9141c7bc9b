"""How far a run has got: a line per stream at a steady interval, and one summary at the end.

A long sync (78,712 comments, 20 minutes under Zendesk's export budget) otherwise says
nothing between "Beginning sync" and its last metric. Records are counted where every RECORD
passes, the message writer; requests where every response passes, the HTTP session.
"""

from __future__ import annotations

import logging
import time
from collections import Counter
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from singer_sdk.io_base import SingerWriter
from singer_sdk.singerlib import RecordMessage

if TYPE_CHECKING:
    import requests

#: Seconds between two progress lines of one stream.
PROGRESS_INTERVAL = 30.0

logger = logging.getLogger("tap-zendesk")


class RunProgress:
    """Counts one run's records per stream and its requests, and logs them."""

    def __init__(
        self, interval: float = PROGRESS_INTERVAL, clock: Callable[[], float] = time.monotonic
    ) -> None:
        self._interval = interval
        self._clock = clock
        self.started = clock()
        self.records: Counter[str] = Counter()
        self.requests = 0
        self.failed_requests = 0
        self._stream_started: dict[str, float] = {}
        self._next_line: dict[str, float] = {}

    def record(self, stream: str) -> None:
        """Count one record; log the stream's progress when its interval has passed."""
        self.records[stream] += 1
        now = self._clock()
        due = self._next_line.get(stream)
        if due is None:
            self._stream_started[stream] = now
            self._next_line[stream] = now + self._interval
        elif now >= due:
            self._next_line[stream] = now + self._interval
            count = self.records[stream]
            seconds = now - self._stream_started[stream]
            logger.info(
                "Progress of '%s': %s records so far (%s records/s)",
                stream,
                f"{count:,}",
                f"{count / seconds:,.0f}" if seconds > 0 else "-",
            )

    def response(self, response: requests.Response, *_: Any, **__: Any) -> None:
        """A `requests` response hook: count every answer Zendesk gave, and the errors."""
        self.requests += 1
        if response.status_code >= 400:
            self.failed_requests += 1

    def summary(
        self, nulled: dict[str, Counter[str]], skipped: Counter[str], failed: list[str]
    ) -> list[str]:
        """The run's summary lines: one per stream with records or fixes, then the totals."""
        lines = []
        for stream in sorted(set(self.records) | set(nulled) | set(skipped)):
            line = f"Summary of '{stream}': {self.records[stream]:,} records"
            if skipped[stream]:
                line += f", {skipped[stream]:,} skipped without a primary key"
            if nulled.get(stream):
                fields = ", ".join(f"{path} {n:,}" for path, n in sorted(nulled[stream].items()))
                line += f", values nulled: {fields}"
            lines.append(line)
        seconds = self._clock() - self.started
        total = sum(self.records.values())
        last = (
            f"Run summary: {total:,} records in {seconds:,.1f} s, {self.requests:,} requests "
            f"({self.failed_requests:,} answered with an error)"
        )
        if failed:
            last += f"; failed streams: {', '.join(failed)}"
        return [*lines, last]


class ProgressWriter(SingerWriter):
    """The SDK's message writer, counting each RECORD for `RunProgress`."""

    def __init__(self) -> None:
        super().__init__()
        self.progress = RunProgress()

    def write_message(self, message: Any) -> None:
        """Write `message`, then count it if it is a record."""
        super().write_message(message)
        if type(message) is RecordMessage:
            self.progress.record(message.stream)


class _NoUnsortedWarning(logging.Filter):
    """Drops the SDK's "Stream is assumed to be unsorted, progress is not resumable" warning.

    It is logged once per unsorted stream per run and is wrong for this tap: an export-fed
    stream checkpoints its export position after every page whatever its own order, and a
    list is read whole on every run anyway, so an interrupted list loses nothing either.
    """

    def filter(self, record: logging.LogRecord) -> bool:
        return not record.getMessage().startswith("Stream is assumed to be unsorted")


def quiet_misleading_sdk_warnings() -> None:
    """Install `_NoUnsortedWarning` on the SDK's logger (once)."""
    sdk_logger = logging.getLogger("singer_sdk")
    if not any(isinstance(f, _NoUnsortedWarning) for f in sdk_logger.filters):
        sdk_logger.addFilter(_NoUnsortedWarning())
