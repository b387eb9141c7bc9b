"""``tap-zendesk-sandbox``: serve a generated Zendesk account until interrupted."""

from __future__ import annotations

import argparse
import gc
import logging
import signal
import threading
import time
from collections.abc import Sequence
from types import FrameType

from tap_zendesk.sandbox.auth import Credentials
from tap_zendesk.sandbox.data import SandboxAccount
from tap_zendesk.sandbox.server import SandboxServer


def _parser() -> argparse.ArgumentParser:
    defaults = Credentials()
    parser = argparse.ArgumentParser(
        prog="tap-zendesk-sandbox",
        description="Serve a local, generated Zendesk Support account (sandbox-only credentials).",
    )
    parser.add_argument(
        "--host", default="127.0.0.1", help="interface to bind (default: %(default)s)"
    )
    parser.add_argument(
        "--port", type=int, default=8080, help="TCP port, 0 for any (default: %(default)s)"
    )
    parser.add_argument(
        "--tickets", type=int, default=5000, help="number of tickets (default: %(default)s)"
    )
    parser.add_argument("--seed", type=int, default=1, help="random seed (default: %(default)s)")
    parser.add_argument(
        "--comments-per-ticket",
        type=int,
        default=4,
        help="average comments per ticket (default: %(default)s)",
    )
    parser.add_argument(
        "--org-tie-group",
        type=int,
        default=0,
        help="extra organizations sharing one updated_at second (default: %(default)s)",
    )
    parser.add_argument(
        "--no-empty-page-quirk",
        action="store_true",
        help="do not answer the first cursor request of an export with an empty page",
    )
    parser.add_argument("--email", default=defaults.email)
    parser.add_argument("--api-token", default=defaults.api_token)
    parser.add_argument("--access-token", default=defaults.access_token)
    parser.add_argument("--verbose", action="store_true", help="log every request")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Generate the account, serve it and block until SIGINT or SIGTERM."""
    args = _parser().parse_args(argv)
    logging.basicConfig(level=logging.DEBUG if args.verbose else logging.WARNING)
    started = time.perf_counter()
    account = SandboxAccount.generate(
        tickets=args.tickets,
        seed=args.seed,
        comments_per_ticket=args.comments_per_ticket,
        org_tie_group=args.org_tie_group,
    )
    # The account lives as long as this process: move it out of the collector's sight so
    # cyclic GC passes don't walk millions of records while serving.
    gc.freeze()
    credentials = Credentials(
        email=args.email, api_token=args.api_token, access_token=args.access_token
    )
    server = SandboxServer(
        account,
        host=args.host,
        port=args.port,
        credentials=credentials,
        empty_page_quirk=not args.no_empty_page_quirk,
    ).start()
    elapsed = time.perf_counter() - started
    print(f"Zendesk sandbox: {args.tickets} tickets (seed {args.seed}) ready in {elapsed:.1f}s")
    print(f"  base URL:     {server.url}")
    print(f"  email:        {credentials.email}")
    print(f"  api_token:    {credentials.api_token}")
    print(f"  access_token: {credentials.access_token}")
    print(f"  mutate:       curl -X POST '{server.url}/__sandbox/mutate?seed=2&fraction=0.02'")
    print("Press Ctrl+C to stop.", flush=True)

    stopping = threading.Event()

    def request_stop(_signum: int, _frame: FrameType | None) -> None:
        stopping.set()

    signal.signal(signal.SIGINT, request_stop)
    signal.signal(signal.SIGTERM, request_stop)
    try:
        while not stopping.wait(0.5):
            pass
    finally:
        server.stop()
    return 0
