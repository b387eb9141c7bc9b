"""One paginator per Zendesk pagination style (API reference §3.1, §4.3, §4.4).

Each refuses to follow a position it has followed before: a server that repeats a `next`
link or an export cursor, or whose time-based export stops advancing, would else keep the
run going forever (the SDK notices only an immediate repeat, with a traceback). The request
fails with `PaginationStalledError` naming the position; the stream's state keeps the last
page that was written.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Hashable
from typing import TYPE_CHECKING, Any, TypeVar
from urllib.parse import parse_qs

from singer_sdk.pagination import BaseAPIPaginator, BaseHATEOASPaginator

from tap_zendesk.errors import PaginationStalledError
from tap_zendesk.payload import json_object

if TYPE_CHECKING:
    from urllib.parse import ParseResult

    import requests

logger = logging.getLogger(__name__)

T = TypeVar("T")


class _Followed:
    """The positions a paginator has followed, each of which it follows only once."""

    def __init__(self) -> None:
        self._positions: set[Hashable] = set()

    def add(self, position: Hashable, name: str) -> None:
        """Record `position` (described as `name`).

        Raises:
            PaginationStalledError: when it was followed before.
        """
        if position in self._positions:
            msg = f"pagination does not advance: Zendesk sent {name} again, a page already read"
            raise PaginationStalledError(msg)
        self._positions.add(position)


class CursorListPaginator(BaseHATEOASPaginator):
    """Cursor pagination of list endpoints: follow `links.next` while `meta.has_more`."""

    def __init__(self) -> None:
        super().__init__()
        self._followed = _Followed()

    def get_next_url(self, response: requests.Response) -> str | None:
        """The next page's URL, or None on the last page."""
        body = json_object(response)
        if not (body.get("meta") or {}).get("has_more"):
            return None
        return (body.get("links") or {}).get("next")

    def get_next(self, response: requests.Response) -> ParseResult | None:
        """The next page's URL, once: a `next` link seen before would loop."""
        url = super().get_next(response)
        if url is not None:
            # The cursor names the position; the rest of the query is ours or filters.
            after = parse_qs(url.query).get("page[after]")
            self._followed.add(url.geturl(), f"page[after]={after[0]}" if after else url.path)
        return url


class _ExportPaginator(BaseAPIPaginator[T]):
    """Shared by both export styles: stop on `end_of_stream`, never on an empty page.

    Zendesk can answer an empty page with `end_of_stream: false` mid-stream; the SDK stops
    on an empty page unless `continue_if_empty` says otherwise.

    After every page, once all its records have been written (the SDK advances the
    paginator only then), `on_page` receives the exact point to resume from, so the stream
    can checkpoint it. `stop` lets the stream end early (an `end_date` was reached).
    """

    def __init__(
        self,
        start_value: T,
        *,
        on_page: Callable[[T], None] | None = None,
        stop: Callable[[], bool] | None = None,
    ) -> None:
        super().__init__(start_value)
        self._on_page = on_page
        self._stop = stop

    def has_more(self, response: requests.Response) -> bool:
        """Zendesk's own verdict; `next_page` is set even after the end (§4.4)."""
        if self._stop and self._stop():
            return False
        return not json_object(response).get("end_of_stream", True)

    def continue_if_empty(self, response: requests.Response) -> bool:
        """An empty page is not the end unless Zendesk says so."""
        return self.has_more(response)

    def advance(self, response: requests.Response) -> None:
        """Move to the next page, then report where a later run should resume."""
        super().advance(response)
        if self._on_page:
            self._on_page(self.resume_point(response))

    def resume_point(self, response: requests.Response) -> T:
        """Where to start to read what follows this page (called after `advance`)."""
        raise NotImplementedError


class ExportCursorPaginator(_ExportPaginator[str | None]):
    """Cursor-based incremental exports: the token is `after_cursor` (None: use start_time).

    At `end_of_stream` the last `after_cursor` is still a valid start for the next run.
    """

    def __init__(self, start_value: str | None, **kwargs: Any) -> None:
        super().__init__(start_value, **kwargs)
        self._followed = _Followed()
        if start_value:
            self._followed.add(start_value, f"after_cursor={start_value}")

    def get_next(self, response: requests.Response) -> str | None:
        """The cursor that continues after this page; a cursor followed before would loop."""
        cursor = json_object(response).get("after_cursor")
        if cursor:
            self._followed.add(cursor, f"after_cursor={cursor}")
        return cursor

    def resume_point(self, response: requests.Response) -> str | None:
        """This page's `after_cursor`, also at the end of the stream."""
        return json_object(response).get("after_cursor") or self.current_value


class TimeExportPaginator(_ExportPaginator[int]):
    """Time-based incremental exports: the token is the next `start_time`.

    `start_time` is inclusive, so the next page starts at this page's `end_time` and repeats
    the records that share that second (the stream drops them). Zendesk extends a page so a
    tie group is never split; a page made of one tie group therefore has `end_time` equal to
    its `start_time`, and asking again would return it forever: move one second on instead.
    """

    def get_next(self, response: requests.Response) -> int | None:
        """The next page's `start_time`.

        Raises:
            PaginationStalledError: when the page ends before its start, or is empty and ends
                at its start: asking again would bring the same page forever.
        """
        body = json_object(response)
        end_time = body.get("end_time")
        if not isinstance(end_time, int):
            return None
        items = body.get("count")
        if end_time == self.current_value and isinstance(items, int) and items > 0:
            logger.info(
                "Export page at start_time=%s was one tie group of %s records; moving on",
                self.current_value,
                items,
            )
            return self.current_value + 1
        if end_time <= self.current_value:
            msg = (
                f"the export does not advance at start_time={self.current_value}: Zendesk "
                f"answered end_time={end_time} with {items} items and end_of_stream false"
            )
            raise PaginationStalledError(msg)
        return end_time

    def resume_point(self, response: requests.Response) -> int:
        """Mid-stream, the next `start_time`; at the end, one second past the last record.

        At `end_of_stream` every record up to `end_time` has been read (tie groups are never
        split) and anything that changes later gets a newer timestamp, so the next run can
        start after `end_time` and read nothing twice.
        """
        if not self.finished:
            return self.current_value
        body = json_object(response)
        end_time = body.get("end_time")
        items = body.get("count") or 0
        if isinstance(end_time, int) and items and end_time >= self.current_value:
            return end_time + 1
        return self.current_value
