"""One base stream per Zendesk pagination style.

- `CursorListStream`: list endpoints with cursor pagination (API reference §3.1).
- `CursorExportStream`: cursor-based incremental exports (§4.3).
- `TimeExportStream`: time-based incremental exports (§4.4), one read per run shared by every
  stream an export feeds (`tap_zendesk.exports`).
"""

from __future__ import annotations

import sys
import time
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any, ClassVar

from tap_zendesk.client import ZendeskStream
from tap_zendesk.errors import (
    InvalidCursorError,
    RecordNotFoundError,
    StartTimeTooRecentError,
    StreamUnavailableError,
)
from tap_zendesk.pagination import (
    CursorListPaginator,
    ExportCursorPaginator,
    TimeExportPaginator,
)
from tap_zendesk.payload import json_object
from tap_zendesk.timestamps import latest_export_start, to_epoch

if sys.version_info >= (3, 12):
    from typing import override
else:
    from typing_extensions import override

if TYPE_CHECKING:
    from collections.abc import Callable, Iterable

    import requests
    from singer_sdk.helpers.types import Context
    from singer_sdk.pagination import BaseAPIPaginator
    from singer_sdk.streams.rest import HTTPRequest, PageContext

    from tap_zendesk.exports import Export, ExportWalk

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
    not changed since it was created, so `created_at` stands in for it.
    """

    @override
    def post_process(self, row: dict, context: Context | None = None) -> dict | None:
        if row.get("updated_at") is None:
            row["updated_at"] = row.get("created_at")
        return super().post_process(row, context)


class _ExportStream(_BoundedStream):
    """A stream fed by an incremental export; see `tap_zendesk.exports` for the shared walk.

    A leaf declares its `export`, the sideload it needs (`include`) and, when its records are
    not the export's items themselves, `derive`. Everything else is shared:

    - `start_time` comes from the least advanced selected stream of the export (or
      `start_date`), and is never newer than now - 61 s (Zendesk answers 422 within the last
      minute, API reference §4.2).
    - After every page this stream wrote, its exact resume point (`resume_key`) and the export
      position it stands for (`export_position`, epoch seconds) are saved in its state and a
      STATE message is written: a crash re-reads at most one page.
    - A rejected cursor restarts from the positions; a too-recent `start_time` means no news.
    """

    #: The export this stream's records come from.
    export: ClassVar[Export]
    #: The sideload (`include=`) this stream needs from the export, if any.
    include: ClassVar[str | None] = None
    #: `per_page` sent with every request (None: the endpoint documents none).
    per_page: ClassVar[int | None] = 1000
    #: The state key holding the exact point to resume from.
    resume_key: ClassVar[str]
    # Records follow the export's order (their replication key is its position): the bookmark
    # advances with every record written and an interrupted sync resumes where it stopped.
    is_sorted = True

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        if "export" in cls.__dict__:
            cls.path = cls.export.path
            cls.records_key = cls.export.records_key

    def derive(self, items: list[dict[str, Any]], page: dict[str, Any]) -> Iterable[dict]:  # noqa: ARG002
        """This stream's records from a page's `items` (already cut to its window) and body."""
        return items

    # Where each stream of the export stands

    def export_peers(self) -> list[_ExportStream]:
        """The selected streams fed by this stream's export, this one included."""
        return [
            stream
            for stream in self._tap.streams.values()
            if isinstance(stream, _ExportStream)
            and stream.export is self.export
            and stream.selected
        ]

    def export_position(self) -> int | None:
        """How far this stream has read its export, in epoch seconds (None: not at all).

        A bookmark written without a position (an older version, another tap) stands for one
        when the replication key is the export's order.
        """
        position = self.stream_state.get("export_position")
        if isinstance(position, int) and not isinstance(position, bool):
            return position
        return self.bookmark_epoch(None) if self.is_sorted else None

    def window_start(self) -> int:
        """The first export position this stream emits: its own position or `start_date`."""
        position = self.export_position()
        start = self.start_date_epoch()
        return start if position is None else max(position, start)

    def item_position(self, item: dict[str, Any]) -> int | None:
        """An export item's position in epoch seconds (None when it has none)."""
        value = item.get(self.export.position_field)
        try:
            return to_epoch(value) if value not in (None, "") else None
        except (TypeError, ValueError, OverflowError):
            return None

    def export_params(self) -> dict[str, Any]:
        """Query parameters sent with every request: the sideloads the selected streams need."""
        params: dict[str, Any] = {}
        if self.per_page is not None:
            params["per_page"] = self.per_page
        includes = sorted({s.include for s in self._peers if s.include})
        if includes:
            params["include"] = ",".join(includes)
        return params

    def export_start_time(self) -> int:
        """`start_time` of a first request: where the least advanced stream's window starts."""
        start = min(self._starts.values())
        return max(0, min(start, latest_export_start()))

    def saved_resume_point(self) -> Any:
        """The resume point every selected stream of the export agrees on, if trustworthy."""
        points = {repr(s.stream_state.get(self.resume_key)) for s in self._peers}
        if len(points) != 1:
            return None  # the streams stand at different points: start from the earliest
        value = self.stream_state.get(self.resume_key)
        positions = [s.export_position() for s in self._peers]
        if value is None or any(p is None or p < self.start_date_epoch() for p in positions):
            # No position to trust, or start_date was moved past it: start_date wins.
            return None
        return value

    def save_position(self, resume_point: Any, position: int | None) -> None:
        """Checkpoint after a page's records were written.

        The SDK writes STATE only every 10,000 records; it offers no public call to
        checkpoint at a page boundary, hence its private `_write_state_message`.
        """
        if self.end_date_epoch() is not None:
            # A bounded backfill stops mid-export: only the bookmark may be trusted later.
            return
        self.stream_state[self.resume_key] = resume_point
        if position is not None:
            self.stream_state["export_position"] = position
        self._write_state_message()

    # Reading: walk the export, or replay what the walk spooled

    @override
    def read_records(self, context: Context | None) -> Iterable[dict[str, Any]]:
        walk = self._tap.export_walk(self.export)
        if walk.walker is not None:
            yield from self._replay(walk)
            return
        self._peers = self.export_peers()  # this stream included: only selected ones sync
        self._starts = {s.name: s.window_start() for s in self._peers}
        walk.begin(self.name, [s.name for s in self._peers if s is not self])
        self._walk = walk
        # The page parsed last, until its records are out and it is checkpointed.
        self._pending: dict[str, list[dict[str, Any]]] | None = None
        self._last_response: requests.Response | None = None
        self._emit_before = self.end_date_epoch()
        self._reached_end_date = False
        self._page_position: int | None = None
        try:
            yield from self._walk_export(context)
        except BaseException:
            walk.fail(f"the {self.export.path} export failed while '{self.name}' read it")
            raise

    def _walk_export(self, context: Context | None) -> Iterable[dict[str, Any]]:
        for restart in range(_MAX_CURSOR_RESTARTS + 1):
            try:
                yield from super().read_records(context)
                if self._pending is not None and self._last_response is not None:
                    # The SDK stops on a last page with none of this stream's records without
                    # advancing the paginator; other streams may have records on it.
                    self._paginator.advance(self._last_response)
            except StartTimeTooRecentError:
                self.logger.info("'%s': nothing older than a minute has changed", self.name)
            except InvalidCursorError as exc:
                if restart == _MAX_CURSOR_RESTARTS:
                    raise
                self.logger.warning(
                    "'%s': Zendesk rejected the export position (%s); restarting from the "
                    "saved positions",
                    self.name,
                    exc,
                )
                self.stream_state.pop(self.resume_key, None)
                continue
            return

    def _replay(self, walk: ExportWalk) -> Iterable[dict[str, Any]]:
        if walk.failure is not None:
            self._fail(walk.failure)
        if self.name not in walk.spooled:
            return
        for page in walk.replay(self.name):
            yield from page.records
            # The SDK asks for the next record only after writing this one: the page is out.
            self.save_position(page.resume_point, page.position)

    def page_items(self, response: requests.Response) -> list[dict[str, Any]]:
        """The export items of a page (object items only)."""
        return list(super().parse_response(response))

    @override
    def parse_response(self, response: requests.Response) -> Iterable[dict]:
        """Derive the page's records for every stream of the export; emit this stream's."""
        items = self.page_items(response)
        positions = [self.item_position(item) for item in items]
        if known := [p for p in positions if p is not None]:
            self._page_position = known[-1]
        end = self._emit_before
        if end is not None and any(p is not None and p >= end for p in positions):
            self._reached_end_date = True
        body = json_object(response)
        pages: dict[str, list[dict[str, Any]]] = {}
        for stream in self._peers:
            start = self._starts[stream.name]
            window = [
                item
                for item, p in zip(items, positions, strict=True)
                if p is None or (p >= start and (end is None or p < end))
            ]
            pages[stream.name] = list(stream.derive(window, body)) if window else []
        own = pages.pop(self.name, [])
        self._pending = pages
        self._last_response = response
        yield from own

    def checkpoint(self, resume_point: Any) -> None:
        """After a page: save this stream's position, and spool the page for the others."""
        self.save_position(resume_point, self._page_position)
        self._walk.spool(self._pending or {}, resume_point, self._page_position)
        self._pending = None

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
        cursor = self.saved_resume_point()
        if cursor is not None and not isinstance(cursor, str):
            self.logger.warning("Ignoring a malformed saved cursor for '%s'", self.name)
            cursor = None
        self._paginator = ExportCursorPaginator(cursor, **self._paginator_options())
        return self._paginator

    @override
    def get_http_request(self, *, page: PageContext) -> HTTPRequest:
        request = super().get_http_request(page=page)
        params = self.export_params()
        if page.next_page_token:
            params["cursor"] = page.next_page_token
        else:
            params["start_time"] = self.export_start_time()
        request.params = params
        return request


class TimeExportStream(_ExportStream):
    """A time-based incremental export (`/incremental/{resource}.json`).

    Each page starts at the previous page's `end_time`, inclusive, so items of that second
    come twice: the copies already read on the previous page are dropped.
    """

    resume_key = "start_time"

    @override
    def get_new_paginator(self) -> BaseAPIPaginator:
        start = self.saved_resume_point()
        if not isinstance(start, int) or isinstance(start, bool):
            if start is not None:
                self.logger.warning("Ignoring a malformed saved start_time for '%s'", self.name)
            start = self.export_start_time()
        self._previous_page: set[tuple[Any, Any]] = set()
        self._paginator = TimeExportPaginator(start, **self._paginator_options())
        return self._paginator

    @override
    def get_http_request(self, *, page: PageContext) -> HTTPRequest:
        request = super().get_http_request(page=page)
        request.params = {
            **self.export_params(),
            "start_time": max(0, min(page.next_page_token, latest_export_start())),
        }
        return request

    @override
    def page_items(self, response: requests.Response) -> list[dict[str, Any]]:
        items = []
        page: set[tuple[Any, Any]] = set()
        for item in super().page_items(response):
            key = (item.get("id"), item.get(self.export.position_field))
            page.add(key)
            if key not in self._previous_page:
                items.append(item)
        self._previous_page = page
        return items


class SinglePageStream(ZendeskStream):
    """An endpoint that answers everything in one response: no page parameters are sent.

    `/slas/policies`, `/custom_statuses`, `/business_hours/schedules`, ... list the whole
    resource with `next_page: null` (API reference §6.16, supplement §2-§4). One request per
    run (per parent for a child), so these streams are full table.
    """

    #: On a parent: the context key under which each record's `id` is handed to its children.
    child_context_key: ClassVar[str | None] = None
    #: Set by a 403: a plan-gated child answers it for every parent alike, so one is enough.
    _unavailable: bool = False

    @override
    def read_records(self, context: Context | None) -> Iterable[dict[str, Any]]:
        if self._unavailable:
            return
        try:
            yield from super().read_records(context)
        except StreamUnavailableError:
            self._unavailable = True
            raise

    @override
    def get_new_paginator(self) -> BaseAPIPaginator | None:
        return None  # the SDK's single-page paginator

    @override
    def get_child_context(self, record: dict, context: Context | None) -> dict | None:
        if self.child_context_key is None:
            return super().get_child_context(record, context)
        return {self.child_context_key: record["id"]}

    @override
    def post_process(self, row: dict, context: Context | None = None) -> dict | None:
        # A child's records lack their parent's id (a holiday has no `schedule_id`).
        return super().post_process({**row, **(context or {})}, context)


class HelpCenterStream(CursorListStream):
    """A Help Center (Guide) list under `/help_center/`.

    Accounts without Guide answer 404 for the whole family (supplement §9): like a
    plan-gated 403, that skips the stream with one warning and the run goes on.
    """

    @override
    def read_records(self, context: Context | None) -> Iterable[dict[str, Any]]:
        try:
            yield from super().read_records(context)
        except RecordNotFoundError as exc:
            self.logger.warning(
                "Skipping stream '%s': the account has no Help Center (%s)", self.name, exc
            )


class _UntilPaginator(CursorListPaginator):
    """Cursor pagination that also ends when the stream says it has read enough."""

    def __init__(self, done: Callable[[], bool]) -> None:
        super().__init__()
        self._done = done

    @override
    def get_next_url(self, response: requests.Response) -> str | None:
        return None if self._done() else super().get_next_url(response)


class NewestFirstListStream(CursorListStream):
    """A cursor list Zendesk sorts by the replication key: read newest first.

    `/deleted_tickets` honours `sort=-deleted_at` (supplement §7.2), so an incremental read
    stops after the first page that reaches the bookmark (everything after it is older): one
    request per 100 changes instead of one per 100 rows, which matters on an endpoint limited
    to 10 requests a minute.
    """

    @override
    def get_new_paginator(self) -> BaseAPIPaginator:
        self._reached_bookmark = False
        return _UntilPaginator(lambda: self._reached_bookmark)

    @override
    def get_http_request(self, *, page: PageContext) -> HTTPRequest:
        request = super().get_http_request(page=page)
        if not page.next_page_token:
            request.params["sort"] = f"-{self.replication_key}"
        return request

    @override
    def post_process(self, row: dict, context: Context | None = None) -> dict | None:
        changed = self.row_epoch(row)
        if changed is not None and changed <= self._emit_after:
            self._reached_bookmark = True
        return super().post_process(row, context)
