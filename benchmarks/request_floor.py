"""Where each stream's requests go, and the fewest requests the API allows for them.

Everything comes from the tap's own stream declarations: an export stream names its `export`,
a list or single-page stream its `path`, a child stream its parent. Streams that share an export
share its requests, so requests are attributed to endpoints, not to streams.

Floors (issue 8): 1 request per 1,000 items an export had to read, 1 per 100 records on a cursor
list, 1 for a single-page endpoint (per parent record for a child), 0 for what an export
carries beside its own items (sideloads, records derived from its items).
"""

from __future__ import annotations

import math
import re
from collections import Counter
from dataclasses import dataclass, field
from enum import StrEnum
from typing import TYPE_CHECKING, Any

from tap_zendesk.sandbox.api import endpoint_family
from tap_zendesk.streams.base import (
    CursorExportStream,
    CursorListStream,
    NewestFirstListStream,
    SinglePageStream,
    TimeExportStream,
)

if TYPE_CHECKING:
    from collections.abc import Callable, Iterable

    from singer_sdk import Stream

    from tap_zendesk.exports import Export
    from tap_zendesk.sandbox.server import LoggedRequest
    from tap_zendesk.tap import TapZendesk

ACCOUNT_REQUESTS_PER_MINUTE = 700
"""Zendesk's account-wide budget assumed for the real-account time (Enterprise plan)."""
EXPORT_REQUESTS_PER_MINUTE = 10
"""Zendesk's budget for the incremental exports (`/incremental/...`), within the above."""
EXPORT_PAGE = 1000
"""Most items an export page can hold (the API's limit, not the tap's choice)."""
LIST_PAGE = 100
"""Most records a cursor-list page can hold (`page[size]` maximum)."""
FLOOR = 1.1
"""Issue 8: each endpoint at most 1.1 x its minimum, full and incremental."""
OTHER = "(other endpoints)"


class Style(StrEnum):
    """How an endpoint pages, which decides its minimum."""

    EXPORT = "export"
    LIST = "list"
    NEWEST_FIRST = "list, newest first"
    SINGLE = "single page"
    CHILD = "per parent"
    UNKNOWN = "unclassified"


@dataclass(frozen=True)
class Endpoint:
    """One request family and the streams it feeds (several only for an export)."""

    family: str
    style: Style
    streams: tuple[str, ...]
    export: Export | None = None
    parent: str | None = None


def family_of(path: str) -> str:
    """A declared path (`/business_hours/schedules/{schedule_id}/holidays.json`) as the
    sandbox's request log names it (`business_hours/schedules/{id}/holidays`)."""
    return endpoint_family(re.sub(r"\{[^}/]+\}", "{id}", path))


def is_export_family(family: str) -> bool:
    """Whether a request family draws on the incremental-export budget."""
    return family.startswith("incremental/")


def _classify(stream: Stream) -> tuple[str, Style, Export | None, str | None]:
    export = getattr(stream, "export", None)
    if isinstance(stream, CursorExportStream | TimeExportStream) and export is not None:
        return family_of(export.path), Style.EXPORT, export, None
    parent = stream.parent_stream_type.name if stream.parent_stream_type else None
    if parent is not None:
        return family_of(stream.path), Style.CHILD, None, parent
    if isinstance(stream, SinglePageStream):
        return family_of(stream.path), Style.SINGLE, None, None
    if isinstance(stream, NewestFirstListStream):
        return family_of(stream.path), Style.NEWEST_FIRST, None, None
    if isinstance(stream, CursorListStream):
        return family_of(stream.path), Style.LIST, None, None
    return family_of(getattr(stream, "path", "") or stream.name), Style.UNKNOWN, None, None


def endpoints_of(tap: TapZendesk) -> list[Endpoint]:
    """Every stream of the tap, grouped by the endpoint its requests go to, in tap order."""
    grouped: dict[str, Endpoint] = {}
    for stream in tap.streams.values():
        family, style, export, parent = _classify(stream)
        known = grouped.get(family)
        if known is None:
            grouped[family] = Endpoint(family, style, (stream.name,), export, parent)
        else:
            grouped[family] = Endpoint(
                family, known.style, (*known.streams, stream.name), known.export, known.parent
            )
    return sorted(grouped.values(), key=_table_order(grouped.values()))


_STYLE_ORDER = (
    Style.EXPORT,
    Style.LIST,
    Style.NEWEST_FIRST,
    Style.SINGLE,
    Style.CHILD,
    Style.UNKNOWN,
)


def _table_order(endpoints: Iterable[Endpoint]) -> Callable[[Endpoint], tuple[int, str, int]]:
    """Exports, then lists, then single pages, by endpoint; a child right after its parent."""
    home = {name: e for e in endpoints for name in e.streams}

    def key(endpoint: Endpoint) -> tuple[int, str, int]:
        parent = home.get(endpoint.parent or "")
        if parent is not None:
            return _STYLE_ORDER.index(parent.style), parent.family, 1
        return _STYLE_ORDER.index(endpoint.style), endpoint.family, 0

    return key


def real_minutes(requests_made: int, export_requests: int) -> float:
    """Minutes a real account needs for these requests under both rate limits."""
    return max(
        export_requests / EXPORT_REQUESTS_PER_MINUTE,
        requests_made / ACCOUNT_REQUESTS_PER_MINUTE,
    )


# -- one sync --------------------------------------------------------------------------------


@dataclass
class StreamOutcome:
    """What one stream did in one sync."""

    name: str
    records: int
    #: "ok", "skipped" (a logged skip: plan-gated 403, no Help Center) or "failed".
    status: str = "ok"
    reason: str = ""
    #: Other warnings the stream logged (conformed values, skipped rows, ...), and the first.
    warnings: int = 0
    first_warning: str = ""


@dataclass
class EndpointRow:
    """One endpoint in one sync: its requests against its minimum, and the streams it fed."""

    endpoint: Endpoint
    streams: list[StreamOutcome]
    requests: int
    failed_requests: int
    minimum: int
    basis: str
    #: Items read (exports) or records (lists) the minimum counts.
    units: int
    #: Requests on the 10-per-minute export budget.
    export_requests: int

    @property
    def ratio(self) -> float | None:
        """Requests over the minimum (None when the minimum is 0)."""
        return self.requests / self.minimum if self.minimum else None

    @property
    def above_floor(self) -> bool:
        """Whether the endpoint needed more than 1.1 x its minimum."""
        ratio = self.ratio
        return ratio is not None and ratio > FLOOR + 1e-9

    @property
    def real_minutes(self) -> float:
        """Real-account time of this endpoint's requests alone."""
        return real_minutes(self.requests, self.export_requests)

    @property
    def records(self) -> int:
        """Records emitted by all the streams it fed."""
        return sum(s.records for s in self.streams)


@dataclass
class SyncReport:
    """The endpoint rows and totals of one sync."""

    label: str
    rows: list[EndpointRow]
    seconds: float
    #: Why the run ended non-zero, if it did (the tap's last line).
    run_failure: str | None = None
    problems: list[str] = field(default_factory=list)
    unchecked: list[str] = field(default_factory=list)
    #: Warnings the tap logged outside any stream.
    tap_warnings: list[str] = field(default_factory=list)

    @property
    def records(self) -> int:
        """Records emitted, all streams."""
        return sum(r.records for r in self.rows)

    @property
    def requests(self) -> int:
        """Requests made, all endpoints."""
        return sum(r.requests for r in self.rows)

    @property
    def export_requests(self) -> int:
        """Requests on the export budget."""
        return sum(r.export_requests for r in self.rows)

    @property
    def minimum(self) -> int:
        """Sum of the per-endpoint minimums."""
        return sum(r.minimum for r in self.rows)

    @property
    def ratio(self) -> float | None:
        """Total requests over the total minimum."""
        return self.requests / self.minimum if self.minimum else None

    @property
    def records_per_request(self) -> float:
        """Records emitted per request made."""
        return self.records / self.requests if self.requests else 0.0

    @property
    def real_minutes(self) -> float:
        """Real-account time under 700 requests/min and 10 export requests/min."""
        return real_minutes(self.requests, self.export_requests)

    @property
    def bound(self) -> str:
        """Which budget sets the real-account time."""
        exports = self.export_requests / EXPORT_REQUESTS_PER_MINUTE
        account = self.requests / ACCOUNT_REQUESTS_PER_MINUTE
        return "export budget" if exports >= account else "account budget"

    @property
    def streams(self) -> list[StreamOutcome]:
        """Every stream's outcome, in table order."""
        return [s for r in self.rows for s in r.streams]

    def to_json(self) -> dict[str, Any]:
        """Everything, totals included, for `--json`."""
        return {
            "label": self.label,
            "endpoints": [
                {
                    "endpoint": r.endpoint.family,
                    "style": str(r.endpoint.style),
                    "streams": [vars(s) for s in r.streams],
                    "requests": r.requests,
                    "non_2xx_responses": r.failed_requests,
                    "minimum": r.minimum,
                    "minimum_basis": r.basis,
                    "ratio": r.ratio,
                    "above_floor": r.above_floor,
                    "real_account_minutes": r.real_minutes,
                }
                for r in self.rows
            ],
            "records": self.records,
            "requests": self.requests,
            "export_requests": self.export_requests,
            "minimum": self.minimum,
            "ratio": self.ratio,
            "records_per_request": self.records_per_request,
            "real_account_minutes": self.real_minutes,
            "measured_seconds": self.seconds,
            "run_failure": self.run_failure,
            "tap_warnings": self.tap_warnings,
            "problems": self.problems,
            "unchecked": self.unchecked,
        }


def _minimum(
    endpoint: Endpoint,
    outcomes: list[StreamOutcome],
    items_read: int,
    parents: int,
    list_rows: int | None = None,
) -> tuple[int, str, int]:
    """(minimum, its basis in words, the units it counts) for one endpoint in one sync.

    A list Zendesk offers no change filter or order for must be read whole to find what
    changed: `list_rows`, the rows the whole list holds, sets its minimum when known. A
    newest-first list stops after the first row it already had.
    """
    records = sum(s.records for s in outcomes)
    if endpoint.style is Style.EXPORT:
        # The tap has to ask at least once, even when nothing changed.
        minimum = max(1, math.ceil(items_read / EXPORT_PAGE))
        return minimum, f"export: {items_read:,} items read / {EXPORT_PAGE:,}", items_read
    if endpoint.style is Style.LIST and list_rows is not None and list_rows > records:
        minimum = max(1, math.ceil(list_rows / LIST_PAGE))
        basis = f"list, no change filter, read whole: {list_rows:,} rows / {LIST_PAGE}"
        return minimum, basis, list_rows
    if endpoint.style is Style.NEWEST_FIRST and list_rows is not None and list_rows > records:
        minimum = math.ceil((records + 1) / LIST_PAGE)
        basis = f"list, newest first: {records:,} records + the first one already had / {LIST_PAGE}"
        return minimum, basis, records + 1
    if endpoint.style in {Style.LIST, Style.NEWEST_FIRST}:
        minimum = max(1, math.ceil(records / LIST_PAGE))
        return minimum, f"list: {records:,} records / {LIST_PAGE}", records
    if endpoint.style is Style.SINGLE:
        return 1, "single page", records
    if endpoint.style is Style.CHILD:
        return parents, f"1 per {endpoint.parent} record ({parents:,})", parents
    return 0, "unclassified: no floor known", records


def build_report(
    label: str,
    endpoints: list[Endpoint],
    log: list[LoggedRequest],
    outcomes: dict[str, StreamOutcome],
    items_read: dict[str, int],
    seconds: float,
    list_rows: dict[str, int] | None = None,
) -> SyncReport:
    """Attribute the logged requests to endpoints and set each endpoint's minimum.

    `items_read` holds, per export family, the items the export had to read in this sync.
    """
    by_family = {e.family: e for e in endpoints}
    sent = Counter(endpoint_family(r.path) for r in log)
    refused = Counter(endpoint_family(r.path) for r in log if not 200 <= r.status < 300)
    rows = []
    for endpoint in endpoints:
        streams = [outcomes[name] for name in endpoint.streams]
        parents = outcomes[endpoint.parent].records if endpoint.parent in outcomes else 0
        minimum, basis, units = _minimum(
            endpoint,
            streams,
            items_read.get(endpoint.family, 0),
            parents,
            (list_rows or {}).get(endpoint.family),
        )
        rows.append(
            EndpointRow(
                endpoint,
                streams,
                sent[endpoint.family],
                refused[endpoint.family],
                minimum,
                basis,
                units,
                sent[endpoint.family] if is_export_family(endpoint.family) else 0,
            )
        )
    others = {family: n for family, n in sent.items() if family not in by_family}
    if others:
        other = Endpoint(OTHER, Style.UNKNOWN, ())
        detail = ", ".join(f"{family} {n}" for family, n in sorted(others.items()))
        rows.append(
            EndpointRow(
                other,
                [],
                sum(others.values()),
                sum(refused[f] for f in others),
                0,
                f"not needed: {detail}",
                0,
                sum(n for f, n in others.items() if is_export_family(f)),
            )
        )
    return SyncReport(label, rows, seconds)
