"""The tap's CPU beside a bare JSON floor, records per second and peak memory, in one run.

A sandbox account is served from this process; the tap runs as a child process, twice: the
`tickets` stream alone, then a full sync of every stream. Its Singer messages go to a pipe
that is only counted. For each run:

- **tap**: the child's CPU seconds (user + system, from `wait4`), split into start-up
  (interpreter, imports, catalog) and the sync itself (`sync_all`), and its peak resident
  memory (`VmHWM`, which starts afresh at exec, unlike `ru_maxrss`, which would count the
  forked parent's pages).
- **floor**: the same pages, fetched again once the tap is done (the account does not change),
  then timed on this thread alone: `json.loads` of each page and `json.dumps` of each record,
  no tap. For the tickets stream a page's records are its `tickets`; for the full sync, every
  object in every top-level list of every page.
- **ratio**: the tap's sync CPU over the floor's CPU (and its whole process's, start-up
  included). Issue 11's goal: the tickets stream at most 2 x its floor.

    .venv/bin/python benchmarks/throughput.py [--tickets 20000]
    .venv/bin/python benchmarks/throughput.py --writer sdk          # the SDK's default writer
    .venv/bin/python benchmarks/throughput.py --tap-path /tmp/old    # another checkout's tap
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import requests

from tap_zendesk.sandbox import SandboxAccount, SandboxServer


@dataclass
class TapRun:
    """One child run of the tap."""

    records: int
    wall: float
    cpu: float  # the whole process
    sync_cpu: float  # inside sync_all
    peak_mb: float
    package: str  # where the child imported tap_zendesk from
    pages: list[tuple[str, dict[str, str]]]  # (path, query) of every GET it made


@dataclass
class Floor:
    """json.loads of every page and json.dumps of every record, timed on this thread."""

    pages: int
    records: int
    cpu: float


def main() -> None:
    """Generate and serve the account, run the tap and the floor, print the table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tickets", type=int, default=20_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument(
        "--writer",
        choices=["tap", "sdk"],
        default="tap",
        help="the tap's own message writer, or the SDK's default (simplejson) with its counts",
    )
    parser.add_argument(
        "--tap-path",
        type=Path,
        help="import tap_zendesk for the tap runs from this checkout (the sandbox stays this one)",
    )
    parser.add_argument("--skip-tickets", action="store_true", help="only the full sync")
    parser.add_argument("--skip-full", action="store_true", help="only the tickets stream")
    args = parser.parse_args()

    account = SandboxAccount.generate(tickets=args.tickets, seed=args.seed)
    with SandboxServer(account).start() as server, tempfile.TemporaryDirectory() as tmp:
        # The sandbox does not enforce the 10-per-minute export budget: measure the tap, not
        # its pacing.
        config = {**server.tap_config(), "export_requests_per_minute": 10**5}
        config_path = Path(tmp) / "config.json"
        config_path.write_text(json.dumps(config))
        rows: list[tuple[str, TapRun, Floor]] = []
        if not args.skip_tickets:
            catalog_path = Path(tmp) / "catalog.json"
            catalog = catalog_selecting(config_path, "tickets", args, tmp)
            catalog_path.write_text(json.dumps(catalog))
            run = run_tap(
                server, args, ["--config", str(config_path), "--catalog", str(catalog_path)], tmp
            )
            rows.append(("tickets stream", run, floor(server, config, run.pages, "tickets")))
        if not args.skip_full:
            run = run_tap(server, args, ["--config", str(config_path)], tmp)
            rows.append(("full sync", run, floor(server, config, run.pages, None)))

    print(f"sandbox: {args.tickets:,} tickets (seed {args.seed}); writer: {args.writer}", end="")
    print(f"; tap_zendesk from {rows[0][1].package}" if rows else "")
    for name, run, base in rows:
        print(f"\n{name}")
        print(
            f"  floor: {base.cpu:6.2f} s CPU  {base.records:>9,} items from {base.pages:,} pages"
            f"  ({base.records / base.cpu:,.0f} items per CPU s)"
        )
        print(
            f"  tap:   {run.sync_cpu:6.2f} s CPU  {run.records:>9,} records"
            f"  ({run.records / run.sync_cpu:,.0f} records per CPU s; {run.records / run.wall:,.0f}"
            f" records/s over {run.wall:.1f} s wall)"
        )
        print(
            f"         {run.cpu:6.2f} s CPU for the whole process "
            f"({run.cpu - run.sync_cpu:.2f} s start-up)"
        )
        print(
            f"  ratio: {run.sync_cpu / base.cpu:.2f} x the floor "
            f"({run.cpu / base.cpu:.2f} x with start-up)"
        )
        print(f"  peak RSS: {run.peak_mb:.0f} MB")


def catalog_selecting(
    config_path: Path, stream: str, args: argparse.Namespace, cwd: str
) -> dict[str, Any]:
    """The measured tap's own catalog (its discovery), with only `stream` selected."""
    discovered = subprocess.run(
        [sys.executable, "-c", _CLI, "--config", str(config_path), "--discover"],
        capture_output=True,
        check=True,
        env=child_env(args),
        cwd=cwd,
    )
    catalog = json.loads(discovered.stdout)
    for entry in catalog["streams"]:
        for meta in entry["metadata"]:
            if not meta["breadcrumb"]:
                meta["metadata"]["selected"] = entry["tap_stream_id"] == stream
    return catalog


def child_env(args: argparse.Namespace) -> dict[str, str]:
    """This environment, with `--tap-path` first on the child's PYTHONPATH."""
    env = dict(os.environ)
    if args.tap_path:
        env["PYTHONPATH"] = os.pathsep.join(
            filter(None, [str(args.tap_path), env.get("PYTHONPATH")])
        )
    return env


def run_tap(
    server: SandboxServer, args: argparse.Namespace, cli_args: list[str], cwd: str
) -> TapRun:
    """Run the tap's CLI in a child process; count its records; read its CPU and memory."""
    code = _CHILD.replace("SDK_WRITER", repr(args.writer == "sdk"))
    server.reset_request_log()
    started = time.perf_counter()
    process = subprocess.Popen(
        [sys.executable, "-c", code, *cli_args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=child_env(args),
        cwd=cwd,  # not this checkout: `python -c` puts the working directory first on sys.path
    )
    assert process.stdout is not None
    assert process.stderr is not None
    stderr: list[bytes] = []
    drain = threading.Thread(target=lambda: stderr.append(process.stderr.read()))  # type: ignore[union-attr]
    drain.start()
    records = sum(1 for line in process.stdout if line.startswith(b'{"type":"RECORD"'))
    _, status, usage = os.wait4(process.pid, 0)
    wall = time.perf_counter() - started
    drain.join()
    process.returncode = os.waitstatus_to_exitcode(status)
    log = b"".join(stderr).decode("utf-8", "replace")
    if process.returncode != 0 or "BENCH " not in log:
        sys.exit(f"the tap failed (exit {process.returncode}):\n{log[-3000:]}")
    marks = dict(item.split("=") for item in log.rsplit("BENCH ", 1)[1].split())
    pages = [(r.path, r.query) for r in server.requests if r.method == "GET" and r.status == 200]
    return TapRun(
        records=records,
        wall=wall,
        cpu=usage.ru_utime + usage.ru_stime,
        sync_cpu=float(marks["sync_cpu"]),
        peak_mb=int(marks["peak_kb"]) / 1024,
        pages=pages,
        package=marks["package"],
    )


def floor(
    server: SandboxServer,
    config: dict[str, Any],
    pages: list[tuple[str, dict[str, str]]],
    records_key: str | None,
) -> Floor:
    """Fetch the tap's pages again (untimed), then time parsing them and dumping their records."""
    with requests.Session() as session:
        session.auth = (f"{config['email']}/token", config["api_token"])
        bodies = []
        for path, query in pages:
            response = session.get(server.url + path, params=query, timeout=60)
            response.raise_for_status()
            bodies.append(response.content)
    records = 0
    started = time.thread_time()
    for body in bodies:
        page = json.loads(body)
        for key, value in page.items():
            if (records_key is None or key == records_key) and isinstance(value, list):
                for record in value:
                    if isinstance(record, dict):
                        json.dumps(record)
                        records += 1
    return Floor(len(bodies), records, time.thread_time() - started)


# The tap's CLI as its console script runs it.
_CLI = """
import sys
sys.argv[0] = "tap-zendesk"
from tap_zendesk.tap import TapZendesk
TapZendesk.cli()
"""

# The tap's CLI, reporting the CPU spent in sync_all and the process's peak resident memory.
_CHILD = """
import atexit, re, sys, time
import tap_zendesk
from tap_zendesk.tap import TapZendesk
if SDK_WRITER:
    from tap_zendesk.progress import ProgressWriter
    TapZendesk.message_writer_class = ProgressWriter
marks = {"sync_cpu": 0.0}
sync_all = TapZendesk.sync_all
def timed_sync_all(self):
    started = time.process_time()
    try:
        return sync_all(self)
    finally:
        marks["sync_cpu"] = time.process_time() - started
TapZendesk.sync_all = timed_sync_all
def report():
    peak = re.search(r"VmHWM:\\s+(\\d+)", open("/proc/self/status").read()).group(1)
    sys.stderr.write(
        f"BENCH sync_cpu={marks['sync_cpu']} peak_kb={peak} package={tap_zendesk.__path__[0]}\\n"
    )
atexit.register(report)
sys.argv[0] = "tap-zendesk"
TapZendesk.cli()
"""


if __name__ == "__main__":
    main()
