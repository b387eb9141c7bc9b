"""One base stream per Zendesk pagination style.

- `CursorListStream`: list endpoints with cursor pagination (API reference §3.1).
- `CursorExportStream`: cursor-based incremental exports (§4.3).
- `TimeExportStream`: time-based incremental exports (§4.4).
"""

from __future__ import annotations

import sys
import time
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any, ClassVar

from tap_zendesk.client import ZendeskStream
from tap_zendesk.errors import InvalidCursorError, StartTimeTooRecentError
from tap_zendesk.pagination import (
    CursorListPaginator,
    ExportCursorPaginator,
    TimeExportPaginator,
)
from tap_zendesk.timestamps import latest_export_start, to_epoch

if sys.version_info >= (3, 12):
    from typing import override
else:
    from typing_extensions import override

if TYPE_CHECKING:
    from collections.abc import Iterable

    import requests
    from singer_sdk.helpers.types import Context
    from singer_sdk.pagination import BaseAPIPaginator
    from singer_sdk.streams.rest import HTTPRequest, PageContext

# How often one sync may fall back from a rejected cursor to the bookmark before giving up.
_MAX_CURSOR_RESTARTS = 3


class _BoundedStream(ZendeskStream):
    """Bookmark arithmetic shared by every incremental stream."""

    def bookmark_epoch(self, context: Context | None) -> int | None:
        """The stream's current bookmark in epoch seconds, if state holds a usable one."""
        state = self.get_context_state(context)
        value = state.get("replication_key_value")
        if state.get("replication_key") != self.replication_key or value in (None, ""):
            return None
        try:
            return to_epoch(value)
        except (TypeError, ValueError):
            self.logger.warning(
                "Ignoring the '%s' bookmark %r: not a timestamp; starting from start_date",
                self.name,
                value,
            )
            return None

    def start_date_epoch(self) -> int:
        """`start_date` in epoch seconds; 0 (the beginning of the account) when unset."""
        value = self.config.get("start_date")
        return to_epoch(value) if value else 0

    def end_date_epoch(self) -> int | None:
        """`end_date` in epoch seconds, when a bounded backfill was asked for."""
        value = self.config.get("end_date")
        return to_epoch(value) if value else None

    def row_epoch(self, row: dict[str, Any]) -> int | None:
        """The row's replication value in epoch seconds (None when it has none)."""
        value = row.get(self.replication_key) if self.replication_key else None
        try:
            return to_epoch(value) if value not in (None, "") else None
        except (TypeError, ValueError):
            return None  # reported and nulled by the conformer


class CursorListStream(_BoundedStream):
    """A list endpoint with cursor pagination: `page[size]=100`, then `links.next`.

    Lists have no server-side change filter and are not ordered by `updated_at` (API
    reference §8.6), so with a replication key the whole list is read, only rows changed
    since the bookmark are emitted, and the bookmark becomes final at the end of the list.
    """

    page_size: ClassVar[int] = 100
    #: Extra query parameters of the first request; `links.next` carries them on.
    list_params: ClassVar[dict[str, Any]] = {}
    #: The endpoint filters on `start_time` server-side (inclusive, epoch seconds).
    filter_by_start_time: ClassVar[bool] = False

    @override
    def get_new_paginator(self) -> BaseAPIPaginator:
        return CursorListPaginator()

    @override
    def get_http_request(self, *, page: PageContext) -> HTTPRequest:
        request = super().get_http_request(page=page)
        if page.next_page_token:
            # `links.next` already holds page[size], page[after] and our filters.
            request.url = page.next_page_token.geturl()
            request.params = {}
        else:
            request.params = {"page[size]": self.page_size, **self.list_params}
            if self.filter_by_start_time:
                # Inclusive: the bookmarked second comes again and post_process drops it.
                request.params["start_time"] = max(self._emit_after, 0)
        return request

    @override
    def read_records(self, context: Context | None) -> Iterable[dict[str, Any]]:
        bookmark = self.bookmark_epoch(context)
        # A bookmark is exclusive (that second was read); start_date is inclusive.
        self._emit_after = bookmark if bookmark is not None else self.start_date_epoch() - 1
        self._emit_before = self.end_date_epoch()
        yield from super().read_records(context)

    @override
    def post_process(self, row: dict, context: Context | None = None) -> dict | None:
        row = super().post_process(row, context)
        if row is None or not self.replication_key:
            return row
        changed = self.row_epoch(row)
        if changed is None:  # e.g. memberships without updated_at: always emitted
            return row
        if changed <= self._emit_after:
            return None
        if self._emit_before is not None and changed >= self._emit_before:
            return None
        return row

    @override
    def get_replication_key_signpost(self, context: Context | None = None) -> datetime | None:
        """One second before the list was read.

        A row changed during the second we read the list may or may not be in it; capping the
        bookmark there makes the next run read that second again.
        """
        if not self.replication_key:
            return None
        if not hasattr(self, "_signpost"):
            self._signpost = datetime.fromtimestamp(int(time.time()) - 1, tz=UTC)
        return self._signpost


class MembershipsStream(CursorListStream):
    """A membership list: like any cursor list, but `updated_at` is sometimes missing.

    Zendesk omits `updated_at` on some memberships (API reference §8.12). Such a row has
    not changed since it was created, so `created_at` stands in for it: the row is emitted
    once, not on every run.
    """

    @override
    def post_process(self, row: dict, context: Context | None = None) -> dict | None:
        if row.get("updated_at") is None:
            row["updated_at"] = row.get("created_at")
        return super().post_process(row, context)


class _ExportStream(_BoundedStream):
    """What both incremental export styles share.

    - `start_time` comes from the bookmark or `start_date`, and is never newer than
      now - 61 s (Zendesk answers 422 within the last minute, API reference §4.2).
    - After every page the exact resume point (`resume_key`) and the export position it
      stands for (`export_position`, epoch seconds) are checkpointed in the state of every
      stream that emits the export's records (itself and selected sideloaded children), and
      a STATE message is written: a crash re-reads at most one page.
    - A rejected cursor restarts from the bookmark; a too-recent `start_time` means no news.
    """

    per_page: ClassVar[int] = 1000
    #: The state key holding the exact point to resume from.
    resume_key: ClassVar[str]
    # Exports are ordered by the timestamp they compare, so the bookmark advances with
    # every record written and an interrupted sync resumes where it stopped.
    is_sorted = True

    def export_params(self, context: Context | None) -> dict[str, Any]:  # noqa: ARG002
        """Query parameters sent with every request of the export (`include`, ...)."""
        return {}

    def export_consumers(self) -> list[ZendeskStream]:
        """The selected streams whose records come from this export."""
        children = [c for c in self.child_streams if isinstance(c, SideloadedStream)]
        return [s for s in (self, *children) if s.selected]

    def consumer_position(self, consumer: ZendeskStream) -> int | None:
        """How far `consumer` has read this export, in epoch seconds (None: not at all)."""
        position = consumer.stream_state.get("export_position")
        if isinstance(position, int) and not isinstance(position, bool):
            return position
        return self.bookmark_epoch(None) if consumer is self else None

    def export_start_time(self, context: Context | None) -> int:  # noqa: ARG002
        """`start_time` for a first request: where the least advanced consumer stands.

        Never before `start_date`, never within the last minute.
        """
        positions = [self.consumer_position(c) for c in self.export_consumers()]
        known = [p for p in positions if p is not None]
        start = min(known) if known and len(known) == len(positions) else 0
        start = max(start, self.start_date_epoch())
        return max(0, min(start, latest_export_start()))

    def saved_resume_point(self, context: Context | None) -> Any:  # noqa: ARG002
        """The resume point every consumer agrees on, when it can still be trusted."""
        consumers = self.export_consumers()
        points = {repr(c.stream_state.get(self.resume_key)) for c in consumers}
        if len(points) != 1:
            return None  # consumers stand at different points: restart from the earliest
        value = consumers[0].stream_state.get(self.resume_key)
        positions = [self.consumer_position(c) for c in consumers]
        if value is None or any(p is None or p < self.start_date_epoch() for p in positions):
            # No position to trust, or start_date was moved past it: start_date wins.
            return None
        return value

    def checkpoint(self, resume_point: Any) -> None:
        """Save the resume point and emit STATE, after a page's records were written.

        The SDK writes STATE only every 10,000 records; it offers no public call to
        checkpoint at a page boundary, hence its private `_write_state_message`.
        """
        if self.end_date_epoch() is not None:
            # A bounded backfill stops mid-export: only the bookmark may be trusted later.
            return
        for consumer in self.export_consumers():
            consumer.stream_state[self.resume_key] = resume_point
            if self._page_position is not None:
                consumer.stream_state["export_position"] = self._page_position
        self._write_state_message()

    def forget_resume_point(self) -> None:
        """Drop a resume point Zendesk no longer accepts."""
        for consumer in self.export_consumers():
            consumer.stream_state.pop(self.resume_key, None)

    @override
    def read_records(self, context: Context | None) -> Iterable[dict[str, Any]]:
        self._emit_before = self.end_date_epoch()
        self._reached_end_date = False
        self._page_position: int | None = None
        for restart in range(_MAX_CURSOR_RESTARTS + 1):
            try:
                yield from super().read_records(context)
            except StartTimeTooRecentError:
                self.logger.info("'%s': nothing older than a minute has changed", self.name)
            except InvalidCursorError as exc:
                if restart == _MAX_CURSOR_RESTARTS:
                    raise
                self.logger.warning(
                    "'%s': Zendesk rejected the export position (%s); restarting from the "
                    "bookmarked timestamp",
                    self.name,
                    exc,
                )
                self.forget_resume_point()
                continue
            return

    @override
    def parse_response(self, response: requests.Response) -> Iterable[dict]:
        last = None
        for row in super().parse_response(response):
            last = row
            yield row
        if last is not None and (position := self.row_epoch(last)) is not None:
            self._page_position = position

    @override
    def post_process(self, row: dict, context: Context | None = None) -> dict | None:
        row = super().post_process(row, context)
        if row is not None and self._emit_before is not None:
            changed = self.row_epoch(row)
            if changed is not None and changed >= self._emit_before:
                self._reached_end_date = True
                return None
        return row

    def has_read_enough(self) -> bool:
        """Whether the export can stop early: `end_date` was passed."""
        return self._reached_end_date

    def _paginator_options(self) -> dict[str, Any]:
        return {"on_page": self.checkpoint, "stop": self.has_read_enough}


class CursorExportStream(_ExportStream):
    """A cursor-based incremental export (`/incremental/{resource}/cursor.json`)."""

    resume_key = "after_cursor"

    @override
    def get_new_paginator(self) -> BaseAPIPaginator:
        context = self.context
        cursor = self.saved_resume_point(context)
        if cursor is not None and not isinstance(cursor, str):
            self.logger.warning("Ignoring a malformed saved cursor for '%s'", self.name)
            cursor = None
        return ExportCursorPaginator(cursor, **self._paginator_options())

    @override
    def get_http_request(self, *, page: PageContext) -> HTTPRequest:
        request = super().get_http_request(page=page)
        params = {"per_page": self.per_page, **self.export_params(page.stream_context)}
        if page.next_page_token:
            params["cursor"] = page.next_page_token
        else:
            params["start_time"] = self.export_start_time(page.stream_context)
        request.params = params
        return request


class TimeExportStream(_ExportStream):
    """A time-based incremental export (`/incremental/{resource}.json`).

    Each page starts at the previous page's `end_time`, inclusive, so records of that second
    come twice: the copies already emitted on the previous page are dropped.
    """

    resume_key = "start_time"

    @override
    def get_new_paginator(self) -> BaseAPIPaginator:
        context = self.context
        start = self.saved_resume_point(context)
        if not isinstance(start, int) or isinstance(start, bool):
            if start is not None:
                self.logger.warning("Ignoring a malformed saved start_time for '%s'", self.name)
            start = self.export_start_time(context)
        self._previous_page: set[tuple[Any, Any]] = set()
        return TimeExportPaginator(start, **self._paginator_options())

    @override
    def get_http_request(self, *, page: PageContext) -> HTTPRequest:
        request = super().get_http_request(page=page)
        request.params = {
            "per_page": self.per_page,
            "start_time": max(0, min(page.next_page_token, latest_export_start())),
            **self.export_params(page.stream_context),
        }
        return request

    @override
    def parse_response(self, response: requests.Response) -> Iterable[dict]:
        page: set[tuple[Any, Any]] = set()
        for row in super().parse_response(response):
            key = (row.get("id"), row.get(self.replication_key))
            page.add(key)
            if key not in self._previous_page:
                yield row
        self._previous_page = page


class SideloadedStream(ZendeskStream):
    """Records that arrive inside the parent's responses (`include=`): no request of its own.

    The parent leaves each page's sideloaded records in `sideloads` and yields one child
    context per page, so the SDK syncs this stream once per parent page rather than once
    per parent record. One bookmark for the stream, not one per page.
    """

    state_partitioning_keys: ClassVar[list[str]] = []  # type: ignore[misc]

    @override
    def get_new_paginator(self) -> BaseAPIPaginator | None:
        return None

    @override
    def read_records(self, context: Context | None) -> Iterable[dict[str, Any]]:
        yield from self.sideloads.take(self.name)
