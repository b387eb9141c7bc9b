"""One paginator per Zendesk pagination style (API reference §3.1, §4.3, §4.4)."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import TYPE_CHECKING, TypeVar

from singer_sdk.pagination import BaseAPIPaginator, BaseHATEOASPaginator

from tap_zendesk.payload import json_object

if TYPE_CHECKING:
    import requests

logger = logging.getLogger(__name__)

T = TypeVar("T")


class CursorListPaginator(BaseHATEOASPaginator):
    """Cursor pagination of list endpoints: follow `links.next` while `meta.has_more`."""

    def get_next_url(self, response: requests.Response) -> str | None:
        """The next page's URL, or None on the last page."""
        body = json_object(response)
        if not (body.get("meta") or {}).get("has_more"):
            return None
        return (body.get("links") or {}).get("next")


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

    def get_next(self, response: requests.Response) -> str | None:
        """The cursor that continues after this page."""
        return json_object(response).get("after_cursor")

    def resume_point(self, response: requests.Response) -> str | None:
        """This page's `after_cursor`, also at the end of the stream."""
        return self.get_next(response) or self.current_value


class TimeExportPaginator(_ExportPaginator[int]):
    """Time-based incremental exports: the token is the next `start_time`.

    `start_time` is inclusive, so the next page starts at this page's `end_time` and repeats
    the records that share that second (the stream drops them). Zendesk extends a page so a
    tie group is never split; a page made of one tie group therefore has `end_time` equal to
    its `start_time`, and asking again would return it forever: move one second on instead.
    """

    def get_next(self, response: requests.Response) -> int | None:
        """The next page's `start_time`."""
        end_time = json_object(response).get("end_time")
        if not isinstance(end_time, int):
            return None
        if end_time <= self.current_value:
            logger.info(
                "Export page at start_time=%s was one tie group of %s records; moving on",
                self.current_value,
                json_object(response).get("count"),
            )
            return self.current_value + 1
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
