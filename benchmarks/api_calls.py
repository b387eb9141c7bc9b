"""Request-count benchmark: how many API requests the tap needs, against the minimum.

Generates a sandbox account, runs a full sync of every stream in-process, applies a batch of
changes, runs an incremental sync from the full sync's state, and reports per stream the
records emitted, the requests made (from the sandbox's request log), the fewest requests those
records could have cost, and how long a real account would take under Zendesk's rate limits.
It also measures two alternatives on the same sandbox: comments per ticket
(`/tickets/{id}/comments`) and memberships per group (`/groups/{id}/memberships`).

    .venv/bin/python benchmarks/api_calls.py [--tickets 20000] [--comments-per-ticket 4]
        [--change-fraction 0.02] [--seed 1] [--json out.json] [--markdown]
        [--no-empty-page-quirk] [--verbose]

See benchmarks/README.md for what each number means.
"""

from __future__ import annotations

import argparse
import io
import json
import logging
import math
import sys
import time
from collections import Counter
from contextlib import redirect_stdout
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import requests

from tap_zendesk.sandbox import ChangeSet, Credentials, SandboxAccount, SandboxServer
from tap_zendesk.sandbox.api import endpoint_family
from tap_zendesk.tap import TapZendesk

ACCOUNT_REQUESTS_PER_MINUTE = 700
"""Zendesk's account-wide budget assumed for the real-account estimate (Enterprise plan)."""
EXPORT_REQUESTS_PER_MINUTE = 10
"""Zendesk's budget for the incremental exports (`/incremental/...`), within the above."""
EXPORT_PAGE = 1000
LIST_PAGE = 100


@dataclass(frozen=True)
class StreamSpec:
    """A tap stream, the endpoint family its requests go to and its page size."""

    name: str
    endpoint: str | None  # None: sideloaded, no request of its own
    page_size: int


STREAMS = (
    StreamSpec("tickets", "incremental/tickets/cursor", EXPORT_PAGE),
    StreamSpec("ticket_metrics", None, 0),
    StreamSpec("ticket_comments", "incremental/ticket_events", EXPORT_PAGE),
    StreamSpec("users", "incremental/users/cursor", EXPORT_PAGE),
    StreamSpec("organizations", "incremental/organizations", EXPORT_PAGE),
    StreamSpec("organization_memberships", "organization_memberships", LIST_PAGE),
    StreamSpec("groups", "groups", LIST_PAGE),
    StreamSpec("group_memberships", "group_memberships", LIST_PAGE),
    StreamSpec("satisfaction_ratings", "satisfaction_ratings", LIST_PAGE),
)
STREAM_OF_ENDPOINT = {s.endpoint: s.name for s in STREAMS if s.endpoint}
OTHER = "(other endpoints)"


def is_export(path: str) -> bool:
    """Whether a request path draws on the incremental-export budget."""
    return "/incremental/" in path


def real_minutes(requests_made: int, export_requests: int) -> float:
    """Minutes a real account needs for these requests under both rate limits."""
    return max(
        export_requests / EXPORT_REQUESTS_PER_MINUTE,
        requests_made / ACCOUNT_REQUESTS_PER_MINUTE,
    )


def minimum_requests(spec: StreamSpec, units: int) -> int:
    """Fewest requests for `units` items: full pages, at least one per endpoint read."""
    if spec.endpoint is None:
        return 0
    return max(1, math.ceil(units / spec.page_size))


def fmt_minutes(minutes: float) -> str:
    """`12.5 min`, or seconds below one minute."""
    if minutes >= 1:
        return f"{minutes:.1f} min"
    seconds = minutes * 60
    return f"{seconds:.1f} s" if seconds < 10 else f"{seconds:.0f} s"


def fmt_ratio(value: float | None) -> str:
    """A ratio with two decimals, `-` when undefined."""
    return "-" if value is None else f"{value:.2f}"


# -- running the tap ----------------------------------------------------------------------


class _MessageSink(io.TextIOBase):
    """Stands in for stdout: parses Singer messages line by line, keeps ids, not records."""

    def __init__(self) -> None:
        super().__init__()
        self._buffer = ""
        self.ids: dict[str, list[Any]] = {s.name: [] for s in STREAMS}
        self.ticket_status: dict[int, str] = {}
        self.state: dict[str, Any] = {}

    def writable(self) -> bool:
        return True

    def write(self, text: str) -> int:
        self._buffer += text
        *lines, self._buffer = self._buffer.split("\n")
        for line in lines:
            if line.strip():
                self._handle(json.loads(line))
        return len(text)

    def _handle(self, message: dict[str, Any]) -> None:
        if message["type"] == "RECORD":
            record = message["record"]
            self.ids.setdefault(message["stream"], []).append(record.get("id"))
            if message["stream"] == "tickets":
                self.ticket_status[record["id"]] = record.get("status")
        elif message["type"] == "STATE":
            self.state = message["value"]


@dataclass
class TapRun:
    """What one tap run emitted: record ids per stream, ticket statuses, final state."""

    ids: dict[str, list[Any]]
    ticket_status: dict[int, str]
    state: dict[str, Any]
    seconds: float


def run_tap(config: dict[str, Any], state: dict[str, Any] | None) -> TapRun:
    """Sync every stream in-process (default catalog: all selected)."""
    started = time.perf_counter()
    tap = TapZendesk(config=dict(config), state=state, parse_env_config=False)
    sink = _MessageSink()
    with redirect_stdout(sink):
        tap.sync_all()
    return TapRun(sink.ids, sink.ticket_status, sink.state, time.perf_counter() - started)


# -- one sync's report --------------------------------------------------------------------


@dataclass
class StreamRow:
    """One stream of one sync."""

    stream: str
    records: int
    requests: int
    minimum: int
    minimum_basis: str

    @property
    def ratio(self) -> float | None:
        """Requests over the minimum (None when the minimum is 0)."""
        return self.requests / self.minimum if self.minimum else None


@dataclass
class SyncReport:
    """Per-stream rows and totals of one sync."""

    label: str
    rows: list[StreamRow]
    export_requests: int
    failed_requests: int
    seconds: float
    problems: list[str] = field(default_factory=list)

    @property
    def records(self) -> int:
        """Records emitted, all streams."""
        return sum(r.records for r in self.rows)

    @property
    def requests(self) -> int:
        """Requests made, all endpoints."""
        return sum(r.requests for r in self.rows)

    @property
    def minimum(self) -> int:
        """Sum of the per-stream minimums."""
        return sum(r.minimum for r in self.rows)

    @property
    def ratio(self) -> float:
        """Total requests over the total minimum."""
        return self.requests / self.minimum

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

    def to_json(self) -> dict[str, Any]:
        """Everything, totals included, for `--json`."""
        return {
            "label": self.label,
            "streams": [
                {
                    "stream": r.stream,
                    "records": r.records,
                    "requests": r.requests,
                    "minimum": r.minimum,
                    "minimum_basis": r.minimum_basis,
                    "ratio": r.ratio,
                }
                for r in self.rows
            ],
            "records": self.records,
            "requests": self.requests,
            "export_requests": self.export_requests,
            "failed_requests": self.failed_requests,
            "minimum": self.minimum,
            "ratio": self.ratio,
            "records_per_request": self.records_per_request,
            "real_account_minutes": self.real_minutes,
            "measured_seconds": self.seconds,
            "problems": self.problems,
        }


def build_report(
    label: str, run: TapRun, log: list[Any], events_read: int, problems: list[str]
) -> SyncReport:
    """Attribute the logged requests to streams and set each stream's minimum."""
    per_endpoint = Counter(STREAM_OF_ENDPOINT.get(endpoint_family(r.path), OTHER) for r in log)
    rows = []
    for spec in STREAMS:
        records = len(run.ids.get(spec.name, []))
        if spec.endpoint is None:
            units, basis = 0, "sideload of the tickets export"
        elif spec.name == "ticket_comments":
            units, basis = events_read, f"{events_read:,} ticket events / {spec.page_size}"
        else:
            units, basis = records, f"{records:,} records / {spec.page_size}"
        rows.append(
            StreamRow(
                spec.name,
                records,
                per_endpoint.get(spec.name, 0),
                minimum_requests(spec, units),
                basis,
            )
        )
    if per_endpoint.get(OTHER):
        rows.append(StreamRow(OTHER, 0, per_endpoint[OTHER], 0, "not needed"))
    return SyncReport(
        label=label,
        rows=rows,
        export_requests=sum(1 for r in log if is_export(r.path)),
        failed_requests=sum(1 for r in log if r.status >= 400),
        seconds=run.seconds,
        problems=problems,
    )


# -- what the account holds, for minimums and checks -------------------------------------


def events_after(account: SandboxAccount, after: int) -> int:
    """Ticket events (audits) in the export newer than `after` (epoch seconds)."""
    with account.lock:
        return sum(1 for timestamp, _ in account.event_keys if timestamp > after)


def newest_event(account: SandboxAccount) -> int:
    """Timestamp of the newest ticket event in the export."""
    with account.lock:
        return account.event_keys[-1][0] if account.event_keys else 0


def expected_counts(account: SandboxAccount) -> dict[str, int]:
    """What a full sync must emit per stream (deleted tickets have no metrics or comments)."""
    with account.lock:
        live = [i for i, t in account.tickets.rows.items() if t["status"] != "deleted"]
        return {
            "tickets": len(account.tickets),
            "ticket_metrics": len(account.metric_sets),
            "ticket_comments": sum(len(account.comments.get(i, ())) for i in live),
            "users": len(account.users),
            "organizations": len(account.organizations),
            "organization_memberships": len(account.organization_memberships),
            "groups": len(account.groups),
            "group_memberships": len(account.group_memberships),
            "satisfaction_ratings": len(account.satisfaction_ratings),
        }


def check_full(run: TapRun, expected: dict[str, int]) -> list[str]:
    """Every record exactly once."""
    problems = []
    for stream, count in expected.items():
        ids = run.ids.get(stream, [])
        if len(set(ids)) != count:
            problems.append(f"{stream}: {len(set(ids)):,} distinct records, expected {count:,}")
        if len(ids) != len(set(ids)):
            problems.append(f"{stream}: {len(ids) - len(set(ids)):,} duplicates")
    return problems


def check_incremental(run: TapRun, changes: ChangeSet) -> list[str]:
    """Every created or changed record emitted."""
    problems = []
    for spec in STREAMS:
        missing = changes.keys(spec.name) - set(run.ids.get(spec.name, []))
        if missing:
            problems.append(f"{spec.name}: {len(missing):,} changed records not emitted")
    return problems


# -- the alternatives, fetched with plain requests ----------------------------------------


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


def compare_comments(
    server: SandboxServer, report: SyncReport, run: TapRun, events_read: int
) -> Comparison:
    """Ticket-events export (the tap) vs `/tickets/{id}/comments` per ticket it exported."""
    tap_row = next(r for r in report.rows if r.stream == "ticket_comments")
    live = sorted(i for i, status in run.ticket_status.items() if status != "deleted")
    deleted = len(run.ticket_status) - len(live)
    fetched = fetch_each(server, [f"tickets/{i}/comments.json" for i in live], "comments")
    return Comparison(
        title=f"Comments ({report.label})",
        unit="comments",
        approaches=[
            Approach(
                "tap: /incremental/ticket_events?include=comment_events",
                tap_row.requests,
                tap_row.records,
                tap_row.requests,
                0.0,
                f"{events_read:,} ticket events read, {tap_row.records:,} comments emitted",
            ),
            Approach(
                "/tickets/{id}/comments?page[size]=100, per ticket",
                fetched.requests,
                fetched.rows,
                0,
                fetched.seconds,
                f"{len(live):,} tickets from the tickets export ({deleted:,} deleted ones "
                f"skipped, {fetched.not_found} answered 404); all their comments, old ones too",
            ),
        ],
    )


def compare_group_memberships(
    server: SandboxServer, report: SyncReport, group_ids: list[int]
) -> Comparison:
    """Account-wide `/group_memberships` (the tap) vs `/groups/{id}/memberships` per group."""
    tap_row = next(r for r in report.rows if r.stream == "group_memberships")
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
                tap_row.requests,
                listed,
                0,
                0.0,
                f"the whole list is read; {tap_row.records:,} changed since the bookmark emitted",
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


# -- output -------------------------------------------------------------------------------


def text_table(headers: list[str], rows: list[list[str]], right: set[int]) -> str:
    """A plain aligned table."""
    widths = [max(len(row[i]) for row in [headers, *rows]) for i in range(len(headers))]

    def line(row: list[str]) -> str:
        cells = (
            c.rjust(w) if i in right else c.ljust(w)
            for i, (c, w) in enumerate(zip(row, widths, strict=True))
        )
        return "  ".join(cells).rstrip()

    rule = "  ".join("-" * w for w in widths)
    return "\n".join([line(headers), rule, *(line(r) for r in rows)])


def sync_rows(report: SyncReport, *, bold: bool = False) -> list[list[str]]:
    """Stream rows plus the total row."""
    rows = [
        [r.stream, f"{r.records:,}", f"{r.requests:,}", f"{r.minimum:,}", fmt_ratio(r.ratio)]
        for r in report.rows
    ]
    total = [
        "total",
        f"{report.records:,}",
        f"{report.requests:,}",
        f"{report.minimum:,}",
        fmt_ratio(report.ratio),
    ]
    rows.append([f"**{c}**" for c in total] if bold else total)
    return rows


def summary_lines(report: SyncReport) -> list[str]:
    """The totals under a sync's table."""
    above = [f"{r.stream} {r.ratio:.2f}" for r in report.rows if r.ratio and r.ratio > 1.1]
    return [
        f"requests / minimum: {report.ratio:.2f} (target <= 1.10)"
        + (f"; streams above 1.10: {', '.join(above)}" if above else ""),
        f"records per request: {report.records_per_request:,.0f}"
        + (" (target >= 400)" if report.label == "full sync" else ""),
        f"real-account time: {fmt_minutes(report.real_minutes)} ({report.export_requests:,} "
        f"export requests at {EXPORT_REQUESTS_PER_MINUTE}/min, {report.requests:,} requests at "
        f"{ACCOUNT_REQUESTS_PER_MINUTE}/min; {report.bound} sets it)",
        f"measured wall time (sandbox, this machine): {report.seconds:.1f} s"
        + (f"; non-2xx responses: {report.failed_requests}" if report.failed_requests else ""),
    ]


SYNC_HEADERS = ["stream", "records", "requests", "minimum", "requests/minimum"]
COMPARISON_HEADERS = ["approach", "requests", "fetched", "real-account time", "measured"]


def comparison_rows(comparison: Comparison) -> list[list[str]]:
    """One row per approach."""
    return [
        [
            a.name,
            f"{a.requests:,}",
            f"{a.fetched:,} {comparison.unit}",
            fmt_minutes(a.real_minutes),
            f"{a.seconds:.1f} s" if a.seconds else "(in the sync)",
        ]
        for a in comparison.approaches
    ]


def print_text(reports: list[SyncReport], comparisons: list[Comparison]) -> None:
    """The human-readable report."""
    for report in reports:
        print(f"\n== {report.label} ==")
        print(text_table(SYNC_HEADERS, sync_rows(report), right={1, 2, 3, 4}))
        for line in summary_lines(report):
            print(f"  {line}")
        for problem in report.problems:
            print(f"  CHECK FAILED: {problem}")
        if not report.problems:
            print("  check: every expected record emitted")
    for comparison in comparisons:
        print(f"\n== {comparison.title} ==")
        print(text_table(COMPARISON_HEADERS, comparison_rows(comparison), right={1, 2, 3, 4}))
        for a in comparison.approaches:
            print(f"  {a.name}: {a.note}")


def markdown_table(headers: list[str], rows: list[list[str]], right: set[int]) -> str:
    """A GitHub-flavoured markdown table."""
    align = ["---:" if i in right else "---" for i in range(len(headers))]
    escaped = [[c.replace("|", "\\|") for c in row] for row in [headers, *rows]]
    lines = [f"| {' | '.join(escaped[0])} |", f"| {' | '.join(align)} |"]
    lines += [f"| {' | '.join(row)} |" for row in escaped[1:]]
    return "\n".join(lines)


def print_markdown(
    reports: list[SyncReport], comparisons: list[Comparison], params: dict[str, Any]
) -> None:
    """The same results as markdown, for the README."""
    print(
        f"\n<!-- benchmarks/api_calls.py --tickets {params['tickets']} --comments-per-ticket "
        f"{params['comments_per_ticket']} --change-fraction {params['change_fraction']} "
        f"--seed {params['seed']}"
        + ("" if params["empty_page_quirk"] else " --no-empty-page-quirk")
        + " -->"
    )
    for report in reports:
        print(f"\n**{report.label.capitalize()}**\n")
        print(markdown_table(SYNC_HEADERS, sync_rows(report, bold=True), right={1, 2, 3, 4}))
        print()
        for line in summary_lines(report):
            print(f"- {line}")
    for comparison in comparisons:
        print(f"\n**{comparison.title}**\n")
        headers = ["approach", "requests", comparison.unit, "real-account time"]
        rows = [
            [f"`{a.name}`", f"{a.requests:,}", f"{a.fetched:,}", fmt_minutes(a.real_minutes)]
            for a in comparison.approaches
        ]
        print(markdown_table(headers, rows, right={1, 2, 3}))


# -- main ---------------------------------------------------------------------------------


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    """Command-line options."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tickets", type=int, default=20_000)
    parser.add_argument("--comments-per-ticket", type=int, default=4)
    parser.add_argument("--change-fraction", type=float, default=0.02)
    parser.add_argument("--seed", type=int, default=1, help="account seed (mutation: seed + 1)")
    parser.add_argument("--json", type=Path, help="also write the results to this file")
    parser.add_argument("--markdown", action="store_true", help="also print markdown tables")
    parser.add_argument(
        "--no-empty-page-quirk",
        action="store_true",
        help="turn off the sandbox's empty first cursor page of each cursor-export traversal",
    )
    parser.add_argument("--verbose", action="store_true", help="show the SDK's log")
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark; exit 1 when a sync missed records."""
    args = parse_args(argv)
    if args.verbose:
        logging.basicConfig(level=logging.INFO)
    else:
        # The SDK warns once per cursor list that it is unsorted; that is by design here.
        logging.getLogger("singer_sdk").setLevel(logging.ERROR)

    started = time.perf_counter()
    account = SandboxAccount.generate(
        tickets=args.tickets, seed=args.seed, comments_per_ticket=args.comments_per_ticket
    )
    print(
        f"sandbox: {args.tickets:,} tickets, ~{args.comments_per_ticket} comments each, seed "
        f"{args.seed} (generated in {time.perf_counter() - started:.1f} s)"
    )
    reports: list[SyncReport] = []
    comparisons: list[Comparison] = []
    quirk = not args.no_empty_page_quirk
    # The alternatives go to a second server over the same account: the same data, but their
    # thousands of requests don't spend the per-minute budget the tap's server announces in
    # X-Rate-Limit-Remaining (the tap would honour it and wait).
    with (
        SandboxServer(account, empty_page_quirk=quirk).start() as server,
        SandboxServer(account, empty_page_quirk=quirk).start() as raw,
    ):
        config = {**server.tap_config(), "export_requests_per_minute": 100_000}

        expected = expected_counts(account)
        events_full = events_after(account, -1)
        server.reset_request_log()
        full = run_tap(config, state=None)
        full_report = build_report(
            "full sync", full, server.requests, events_full, check_full(full, expected)
        )
        reports.append(full_report)
        horizon = newest_event(account)
        comparisons.append(compare_comments(raw, full_report, full, events_full))
        full_groups = sorted(set(full.ids["groups"]))
        comparisons.append(compare_group_memberships(raw, full_report, full_groups))

        changes = account.mutate(seed=args.seed + 1, fraction=args.change_fraction)
        events_incremental = events_after(account, horizon)
        server.reset_request_log()
        incremental = run_tap(config, state=full.state)
        incremental_report = build_report(
            "incremental sync",
            incremental,
            server.requests,
            events_incremental,
            check_incremental(incremental, changes),
        )
        reports.append(incremental_report)
        comparisons.append(
            compare_comments(raw, incremental_report, incremental, events_incremental)
        )
        all_groups = sorted(set(full_groups) | set(incremental.ids["groups"]))
        comparisons.append(compare_group_memberships(raw, incremental_report, all_groups))

    print(
        f"changes: fraction {args.change_fraction} -> "
        + ", ".join(f"{s.name} {len(changes.keys(s.name)):,}" for s in STREAMS)
    )
    print_text(reports, comparisons)
    params = {
        "tickets": args.tickets,
        "comments_per_ticket": args.comments_per_ticket,
        "change_fraction": args.change_fraction,
        "seed": args.seed,
        "empty_page_quirk": quirk,
    }
    if args.markdown:
        print_markdown(reports, comparisons, params)
    if args.json:
        results = {
            "params": params,
            "limits": {
                "account_requests_per_minute": ACCOUNT_REQUESTS_PER_MINUTE,
                "export_requests_per_minute": EXPORT_REQUESTS_PER_MINUTE,
            },
            "syncs": [r.to_json() for r in reports],
            "comparisons": [c.to_json() for c in comparisons],
            "total_seconds": time.perf_counter() - started,
        }
        args.json.write_text(json.dumps(results, indent=2) + "\n")
    print(f"\nbenchmark wall time: {time.perf_counter() - started:.1f} s")
    return 1 if any(r.problems for r in reports) else 0


if __name__ == "__main__":
    sys.exit(main())
