"""Records per second and peak memory of the tap process on a full sync of a sandbox account.

The sandbox runs in this process; the tap runs as a child process writing its Singer messages
to a pipe that is only counted. The child reports its own peak resident memory (`VmHWM`, which
starts afresh at exec, unlike `ru_maxrss`, which would count the forked parent's pages).

    .venv/bin/python benchmarks/throughput.py [--tickets 20000]
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from tap_zendesk.sandbox import SandboxAccount, SandboxServer


def main() -> None:
    """Generate, serve, sync once, print records, seconds, records/s and peak RSS."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tickets", type=int, default=20_000)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()

    account = SandboxAccount.generate(tickets=args.tickets, seed=args.seed)
    with SandboxServer(account).start() as server, tempfile.TemporaryDirectory() as tmp:
        config = Path(tmp) / "config.json"
        # The sandbox does not enforce the 10-per-minute export budget: measure the tap, not
        # its pacing.
        config.write_text(json.dumps({**server.tap_config(), "export_requests_per_minute": 10**5}))
        started = time.perf_counter()
        log = Path(tmp) / "tap.log"
        with log.open("wb") as stderr:
            process = subprocess.Popen(
                [sys.executable, "-c", _TAP_WITH_PEAK_MEMORY, "--config", str(config)],
                stdout=subprocess.PIPE,
                stderr=stderr,
            )
            assert process.stdout is not None
            records = sum(1 for line in process.stdout if line.startswith(b'{"type":"RECORD"'))
            process.wait()
        seconds = time.perf_counter() - started
        stderr_text = log.read_text(encoding="utf-8", errors="replace")
    peak_kb = int(stderr_text.rsplit("PEAK_KB=", 1)[1].split()[0])
    print(f"tickets in the account: {args.tickets:,}")
    print(f"records: {records:,} in {seconds:.1f} s ({records / seconds:,.0f} records/s)")
    print(f"tap peak resident memory: {peak_kb / 1024:.0f} MB")
    sys.exit(process.returncode)


# Runs the tap's CLI and, on exit, prints the process's own peak resident memory.
_TAP_WITH_PEAK_MEMORY = """
import atexit, re, sys
def peak():
    status = open("/proc/self/status").read()
    sys.stderr.write("PEAK_KB=" + re.search(r"VmHWM:\\s+(\\d+)", status).group(1) + "\\n")
atexit.register(peak)
sys.argv[0] = "tap-zendesk"
from tap_zendesk.tap import TapZendesk
TapZendesk.cli()
"""


if __name__ == "__main__":
    main()
