"""The two alternatives other connectors use, measured on the same sandbox account.

- Comments: the ticket-events export (the tap) against `GET /tickets/{id}/comments` per ticket.
- Group memberships: the account-wide `/group_memberships` list (the tap) against
  `GET /groups/{id}/memberships` per group.

Each is skipped when the tap no longer has the stream or endpoint it compares against.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import requests
from request_floor import LIST_PAGE, EndpointRow, SyncReport, real_minutes

from tap_zendesk.sandbox import Credentials

if TYPE_CHECKING:
    from sync_run import TapRun

    from tap_zendesk.sandbox import SandboxServer

TICKET_EVENTS = "incremental/ticket_events"
GROUP_MEMBERSHIPS = "group_memberships"


@dataclass
class Approach:
    """One way to fetch a stream: requests, rows fetched, time."""

    name: str
    requests: int
    fetched: int
    export_requests: int
    seconds: float
    note: str

    @property
    def real_minutes(self) -> float:
        """Real-account time of these requests alone."""
        return real_minutes(self.requests, self.export_requests)


@dataclass
class Comparison:
    """Two approaches to the same records in the same sync."""

    title: str
    unit: str
    approaches: list[Approach]

    def to_json(self) -> dict[str, Any]:
        """For `--json`."""
        return {
            "title": self.title,
            "unit": self.unit,
            "approaches": [
                {
                    "name": a.name,
                    "requests": a.requests,
                    "fetched": a.fetched,
                    "export_requests": a.export_requests,
                    "real_account_minutes": a.real_minutes,
                    "measured_seconds": a.seconds,
                    "note": a.note,
                }
                for a in self.approaches
            ],
        }


@dataclass
class Fetched:
    """What a batch of plain list reads cost."""

    requests: int
    rows: int
    not_found: int
    seconds: float


def fetch_each(server: SandboxServer, paths: list[str], key: str) -> Fetched:
    """Read every page of each cursor list with plain `requests`.

    `page[size]=100`, then `links.next` while `meta.has_more`; a 404 ends that list. The
    count is cross-checked against the server's request log.
    """
    credentials = Credentials()
    session = requests.Session()
    session.auth = (f"{credentials.email}/token", credentials.api_token)
    server.reset_request_log()
    sent = rows = not_found = 0
    started = time.perf_counter()
    with session:
        for path in paths:
            url: str | None = f"{server.url}/api/v2/{path}"
            params: dict[str, Any] | None = {"page[size]": LIST_PAGE}
            while url:
                response = session.get(url, params=params, timeout=60)
                sent += 1
                if response.status_code == 404:
                    not_found += 1
                    break
                response.raise_for_status()
                body = response.json()
                rows += len(body.get(key) or [])
                more = (body.get("meta") or {}).get("has_more")
                url, params = ((body.get("links") or {}).get("next") if more else None), None
    seconds = time.perf_counter() - started
    logged = len(server.requests)
    if logged != sent:
        msg = f"{sent} requests sent but {logged} logged by the sandbox"
        raise RuntimeError(msg)
    return Fetched(sent, rows, not_found, seconds)


def _row(report: SyncReport, family: str, stream: str) -> EndpointRow | None:
    """The report's row for `family` if it fed `stream` and the stream synced."""
    for row in report.rows:
        if row.endpoint.family == family and any(
            s.name == stream and s.status == "ok" for s in row.streams
        ):
            return row
    return None


def compare_comments(server: SandboxServer, report: SyncReport, run: TapRun) -> Comparison | None:
    """Ticket-events export (the tap) vs `/tickets/{id}/comments` per ticket it exported."""
    row = _row(report, TICKET_EVENTS, "ticket_comments")
    if row is None:
        return None
    comments = next(s.records for s in row.streams if s.name == "ticket_comments")
    fed = ", ".join(f"{s.records:,} {s.name}" for s in row.streams)
    live = sorted(i for i, status in run.ticket_status.items() if status != "deleted")
    deleted = len(run.ticket_status) - len(live)
    fetched = fetch_each(server, [f"tickets/{i}/comments.json" for i in live], "comments")
    return Comparison(
        title=f"Comments ({report.label})",
        unit="comments",
        approaches=[
            Approach(
                "tap: /incremental/ticket_events?include=comment_events",
                row.requests,
                comments,
                row.export_requests,
                0.0,
                f"{row.units:,} ticket events read; the same requests emitted {fed}",
            ),
            Approach(
                "/tickets/{id}/comments?page[size]=100, per ticket",
                fetched.requests,
                fetched.rows,
                0,
                fetched.seconds,
                f"{len(live):,} tickets from the tickets export ({deleted:,} deleted ones "
                f"skipped, {fetched.not_found} answered 404); all their comments, old ones too; "
                "comments only, no audits or field history",
            ),
        ],
    )


def compare_group_memberships(
    server: SandboxServer, report: SyncReport, group_ids: list[int]
) -> Comparison | None:
    """Account-wide `/group_memberships` (the tap) vs `/groups/{id}/memberships` per group."""
    row = _row(report, GROUP_MEMBERSHIPS, "group_memberships")
    if row is None or not group_ids:
        return None
    with server.account.lock:
        listed = len(server.account.group_memberships)
    paths = [f"groups/{i}/memberships.json" for i in group_ids]
    fetched = fetch_each(server, paths, "group_memberships")
    return Comparison(
        title=f"Group memberships ({report.label})",
        unit="memberships",
        approaches=[
            Approach(
                "tap: /group_memberships (account-wide)",
                row.requests,
                listed,
                0,
                0.0,
                f"the whole list is read; {row.records:,} emitted",
            ),
            Approach(
                "/groups/{id}/memberships?page[size]=100, per group",
                fetched.requests,
                fetched.rows,
                0,
                fetched.seconds,
                f"{len(group_ids)} groups the groups stream emitted so far (deleted ones "
                "included); every group's list is read, no change filter either",
            ),
        ],
    )
