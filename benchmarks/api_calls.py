"""Request-count benchmark: how many API requests the tap needs, against the minimum.

Generates a sandbox account, runs a full sync of every stream the tap declares in-process,
applies a batch of changes, runs an incremental sync from the full sync's state, and reports per
endpoint the requests made (from the sandbox's request log), the fewest requests the API allows
for what was read, the records each stream fed by it emitted, and how long a real account would
take under Zendesk's rate limits. Streams are classified by their base class (export, cursor
list, single page, child), so a new stream needs no change here. It also measures two
alternatives on the same sandbox: comments per ticket (`/tickets/{id}/comments`) and
memberships per group (`/groups/{id}/memberships`).

    .venv/bin/python benchmarks/api_calls.py [--tickets 20000] [--comments-per-ticket 4]
        [--change-fraction 0.02] [--seed 1] [--json out.json] [--markdown]
        [--no-empty-page-quirk] [--verbose]

See benchmarks/README.md for what each number means.
"""

from __future__ import annotations

import argparse
import json
import logging
import sys
import time
from pathlib import Path
from typing import TYPE_CHECKING, Any

from alternatives import Comparison, compare_comments, compare_group_memberships
from record_checks import check_full, check_incremental, expected_keys
from request_floor import (
    ACCOUNT_REQUESTS_PER_MINUTE,
    EXPORT_REQUESTS_PER_MINUTE,
    FLOOR,
    EndpointRow,
    Style,
    SyncReport,
    build_report,
    endpoints_of,
)
from sync_run import run_tap

from tap_zendesk.sandbox import SandboxAccount, SandboxServer
from tap_zendesk.tap import TapZendesk

if TYPE_CHECKING:
    from record_checks import CheckResult
    from sync_run import TapRun

    from tap_zendesk.sandbox import ChangeSet


def fmt_minutes(minutes: float) -> str:
    """`12.5 min`, or seconds below one minute."""
    if minutes >= 1:
        return f"{minutes:.1f} min"
    seconds = minutes * 60
    return f"{seconds:.1f} s" if seconds < 10 else f"{seconds:.0f} s"


def fmt_ratio(value: float | None) -> str:
    """A ratio with two decimals, `-` when undefined."""
    return "-" if value is None else f"{value:.2f}"


# -- output -------------------------------------------------------------------------------

SYNC_HEADERS = [
    "endpoint",
    "stream",
    "records",
    "requests",
    "minimum",
    "requests/minimum",
    "floor",
    "real-account time",
    "minimum counts",
]
SYNC_RIGHT = {2, 3, 4, 5, 7}


def _stream_cell(name: str, status: str) -> str:
    return name if status == "ok" else f"{name} ({status})"


def _floor_cell(row: EndpointRow) -> str:
    if row.ratio is None:
        return "-"
    return f"above {FLOOR:.2f}" if row.above_floor else "ok"


def endpoint_rows(row: EndpointRow, code: str) -> list[list[str]]:
    """An endpoint's line, then one per stream when it feeds several (at +0 requests each)."""
    family = f"{code}{row.endpoint.family}{code}"
    costs = [
        f"{row.requests:,}",
        f"{row.minimum:,}",
        fmt_ratio(row.ratio),
        _floor_cell(row),
        fmt_minutes(row.real_minutes),
        row.basis,
    ]
    if len(row.streams) == 1:
        stream = row.streams[0]
        return [[family, _stream_cell(stream.name, stream.status), f"{stream.records:,}", *costs]]
    lines = [[family, f"{len(row.streams)} streams" if row.streams else "", "", *costs]]
    lines += [
        ["", _stream_cell(s.name, s.status), f"{s.records:,}", "+0", "", "", "", "", ""]
        for s in row.streams
    ]
    return lines


def sync_rows(report: SyncReport, *, markdown: bool = False) -> list[list[str]]:
    """Endpoint and stream rows plus the total row."""
    rows = [line for row in report.rows for line in endpoint_rows(row, "`" if markdown else "")]
    total = [
        "total",
        f"{len(report.streams)} streams",
        f"{report.records:,}",
        f"{report.requests:,}",
        f"{report.minimum:,}",
        fmt_ratio(report.ratio),
        "",
        fmt_minutes(report.real_minutes),
        "",
    ]
    rows.append([f"**{c}**" if c else c for c in total] if markdown else total)
    return rows


def summary_lines(report: SyncReport) -> list[str]:
    """The totals and outcomes under a sync's table."""
    above = [f"{r.endpoint.family} {fmt_ratio(r.ratio)}" for r in report.rows if r.above_floor]
    refused = sum(r.failed_requests for r in report.rows)
    lines = [
        f"requests / minimum: {fmt_ratio(report.ratio)}; endpoints above {FLOOR:.2f}: "
        + (", ".join(above) if above else "none"),
        f"records per request: {report.records_per_request:,.0f}",
        f"real-account time: {fmt_minutes(report.real_minutes)} ({report.export_requests:,} "
        f"export requests at {EXPORT_REQUESTS_PER_MINUTE}/min, {report.requests:,} requests at "
        f"{ACCOUNT_REQUESTS_PER_MINUTE}/min; {report.bound} sets it)",
        f"measured wall time (sandbox, this machine): {report.seconds:.1f} s"
        + (f"; non-2xx responses: {refused:,}" if refused else ""),
    ]
    lines += [f"{s.name} {s.status}: {s.reason}" for s in report.streams if s.status != "ok"]
    lines += [
        f"{s.name} logged {s.warnings:,} warning{'s' if s.warnings > 1 else ''}, the first: "
        f"{s.first_warning}"
        for s in report.streams
        if s.warnings
    ]
    if report.tap_warnings:
        count = len(report.tap_warnings)
        lines.append(
            f"the tap logged {count:,} warning{'s' if count > 1 else ''} outside any stream, "
            f"the first: {report.tap_warnings[0]}"
        )
    if report.run_failure:
        lines.append(f"the tap's last line: {report.run_failure}")
    lines += [f"CHECK FAILED: {problem}" for problem in report.problems]
    checked = len(report.streams) - len(report.unchecked)
    if not report.problems:
        lines.append(f"record check: passed for {checked} streams")
    if report.unchecked:
        lines.append(f"not checked (the sandbox has no expectation): {', '.join(report.unchecked)}")
    return lines


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


def markdown_table(headers: list[str], rows: list[list[str]], right: set[int]) -> str:
    """A GitHub-flavoured markdown table."""
    align = ["---:" if i in right else "---" for i in range(len(headers))]
    escaped = [[c.replace("|", "\\|") for c in row] for row in [headers, *rows]]
    lines = [f"| {' | '.join(escaped[0])} |", f"| {' | '.join(align)} |"]
    lines += [f"| {' | '.join(row)} |" for row in escaped[1:]]
    return "\n".join(lines)


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
        print(text_table(SYNC_HEADERS, sync_rows(report), SYNC_RIGHT))
        for line in summary_lines(report):
            print(f"  {line}")
    for comparison in comparisons:
        print(f"\n== {comparison.title} ==")
        print(text_table(COMPARISON_HEADERS, comparison_rows(comparison), right={1, 2, 3, 4}))
        for a in comparison.approaches:
            print(f"  {a.name}: {a.note}")


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
        print(markdown_table(SYNC_HEADERS, sync_rows(report, markdown=True), SYNC_RIGHT))
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
    parser.add_argument("--verbose", action="store_true", help="show the SDK's and tap's log")
    return parser.parse_args(argv)


def report_of(
    label: str, run: TapRun, server: SandboxServer, endpoints: list[Any], check: CheckResult
) -> SyncReport:
    """A sync's report with its record check."""
    report = build_report(
        label,
        endpoints,
        server.requests,
        run.outcomes,
        run.items_read,
        run.seconds,
        list_rows(server.account, endpoints),
    )
    report.run_failure = run.failure
    report.tap_warnings = run.tap_warnings
    report.problems = check.problems
    report.unchecked = check.unchecked
    return report


def list_rows(account: SandboxAccount, endpoints: list[Any]) -> dict[str, int]:
    """Rows each list holds now: what a list with no change filter must be read whole for."""
    rows = {}
    for endpoint in endpoints:
        if endpoint.style in {Style.LIST, Style.NEWEST_FIRST}:
            rows[endpoint.family] = sum(len(account.expected(s)) for s in endpoint.streams)
    return rows


def changes_line(changes: ChangeSet, streams: list[str]) -> str:
    """How many records of each stream the sandbox's change batch touched."""
    counts = []
    for stream in streams:
        try:
            counts.append(f"{stream} {len(changes.keys(stream)):,}")
        except ValueError:
            continue
    return ", ".join(counts)


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark; exit 1 when a stream failed or a sync missed records."""
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
    comparisons: list[Comparison | None] = []
    quirk = not args.no_empty_page_quirk
    # The alternatives go to a second server over the same account: the same data, but their
    # thousands of requests don't spend the per-minute budget the tap's server announces in
    # X-Rate-Limit-Remaining (the tap would honour it and wait).
    with (
        SandboxServer(account, empty_page_quirk=quirk).start() as server,
        SandboxServer(account, empty_page_quirk=quirk).start() as raw,
    ):
        config = {**server.tap_config(), "export_requests_per_minute": 100_000}
        declared = TapZendesk(config=dict(config), parse_env_config=False)
        endpoints = endpoints_of(declared)
        primary_keys = {s.name: tuple(s.primary_keys or ()) for s in declared.streams.values()}
        streams = list(primary_keys)

        expected = expected_keys(account, primary_keys)
        server.reset_request_log()
        full = run_tap(config, None, endpoints, verbose=args.verbose)
        full_report = report_of("full sync", full, server, endpoints, check_full(full, expected))
        reports.append(full_report)
        comparisons.append(compare_comments(raw, full_report, full))
        full_groups = sorted(set(full.keys.get("groups", [])))
        comparisons.append(compare_group_memberships(raw, full_report, full_groups))

        changes = account.mutate(seed=args.seed + 1, fraction=args.change_fraction)
        server.reset_request_log()
        incremental = run_tap(config, full.state, endpoints, verbose=args.verbose)
        incremental_report = report_of(
            "incremental sync",
            incremental,
            server,
            endpoints,
            check_incremental(incremental, changes, streams),
        )
        reports.append(incremental_report)
        comparisons.append(compare_comments(raw, incremental_report, incremental))
        all_groups = sorted(set(full_groups) | set(incremental.keys.get("groups", [])))
        comparisons.append(compare_group_memberships(raw, incremental_report, all_groups))

    print(f"changes: fraction {args.change_fraction} -> {changes_line(changes, streams)}")
    measured = [c for c in comparisons if c is not None]
    print_text(reports, measured)
    params = {
        "tickets": args.tickets,
        "comments_per_ticket": args.comments_per_ticket,
        "change_fraction": args.change_fraction,
        "seed": args.seed,
        "empty_page_quirk": quirk,
    }
    if args.markdown:
        print_markdown(reports, measured, params)
    if args.json:
        results = {
            "params": params,
            "limits": {
                "account_requests_per_minute": ACCOUNT_REQUESTS_PER_MINUTE,
                "export_requests_per_minute": EXPORT_REQUESTS_PER_MINUTE,
            },
            "syncs": [r.to_json() for r in reports],
            "comparisons": [c.to_json() for c in measured],
            "total_seconds": time.perf_counter() - started,
        }
        args.json.write_text(json.dumps(results, indent=2) + "\n")
    print(f"\nbenchmark wall time: {time.perf_counter() - started:.1f} s")
    failed = any(s.status == "failed" for r in reports for s in r.streams)
    return 1 if failed or any(r.problems for r in reports) else 0


if __name__ == "__main__":
    sys.exit(main())
