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
from tap_zendesk.sandbox.faults import FAULT_KINDS, FaultPlan
from tap_zendesk.sandbox.ratelimit import RateLimits
from tap_zendesk.sandbox.server import SandboxServer


def _kinds(value: str) -> tuple[str, ...]:
    """Parse ``--fault-kinds``: comma-separated fault kinds."""
    kinds = tuple(part.strip() for part in value.split(",") if part.strip())
    unknown = sorted(set(kinds).difference(FAULT_KINDS))
    if unknown or not kinds:
        msg = f"unknown fault kinds {', '.join(unknown) or '(none given)'}"
        raise argparse.ArgumentTypeError(msg)
    return kinds


def _prefixes(value: str) -> tuple[str, ...]:
    """Parse ``--fault-paths``: comma-separated path prefixes."""
    return tuple(part.strip() for part in value.split(",") if part.strip())


def _add_fault_options(parser: argparse.ArgumentParser) -> None:
    group = parser.add_argument_group("fault injection (off unless --fault-rate > 0)")
    group.add_argument(
        "--fault-rate",
        type=float,
        default=0.0,
        help="fraction of /api/v2 requests that fault (default: %(default)s)",
    )
    group.add_argument(
        "--fault-kinds",
        type=_kinds,
        default=FAULT_KINDS,
        help=f"comma-separated kinds among {','.join(FAULT_KINDS)} (default: all)",
    )
    group.add_argument(
        "--fault-seed", type=int, default=1, help="seed of the fault choice (default: %(default)s)"
    )
    group.add_argument(
        "--fault-paths",
        type=_prefixes,
        default=(),
        help="comma-separated path prefixes that may fault (default: every /api/v2 path)",
    )
    group.add_argument(
        "--fault-max-consecutive",
        type=int,
        default=2,
        help="never fault more requests in a row (default: %(default)s)",
    )
    group.add_argument(
        "--fault-slow-seconds",
        type=float,
        default=3.0,
        help="delay of a 'slow' response (default: %(default)s)",
    )


def _add_rate_limit_options(parser: argparse.ArgumentParser) -> None:
    group = parser.add_argument_group("rate limiting (off unless one of these is given)")
    group.add_argument(
        "--rate-limit", type=int, help="account requests per window (enforced default: 700)"
    )
    group.add_argument(
        "--export-rate-limit",
        type=int,
        help="incremental-export requests per window (enforced default: 10)",
    )
    group.add_argument(
        "--rate-window", type=float, help="window length in seconds (enforced default: 60)"
    )


def fault_plan(args: argparse.Namespace) -> FaultPlan | None:
    """Return the fault plan the parsed arguments ask for, or None (``--fault-rate`` 0)."""
    if args.fault_rate <= 0:
        return None
    return FaultPlan(
        rate=args.fault_rate,
        kinds=args.fault_kinds,
        seed=args.fault_seed,
        paths=args.fault_paths,
        max_consecutive=args.fault_max_consecutive,
        slow_seconds=args.fault_slow_seconds,
    )


def rate_limits(args: argparse.Namespace) -> RateLimits | None:
    """Return the budgets the parsed arguments ask for, or None when none is given."""
    given = {
        "requests_per_window": args.rate_limit,
        "export_requests_per_window": args.export_rate_limit,
        "window_seconds": args.rate_window,
    }
    given = {name: value for name, value in given.items() if value is not None}
    return RateLimits(**given) if given else None


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
    parser.add_argument("--client-id", default=defaults.client_id)
    parser.add_argument("--client-secret", default=defaults.client_secret)
    parser.add_argument(
        "--refresh-token", default=defaults.refresh_token, help="the initial OAuth refresh token"
    )
    parser.add_argument(
        "--token-lifetime",
        type=int,
        default=3600,
        help="expires_in of OAuth access tokens, in seconds (default: %(default)s)",
    )
    parser.add_argument("--verbose", action="store_true", help="log every request")
    _add_fault_options(parser)
    _add_rate_limit_options(parser)
    return parser


def parse_args(argv: Sequence[str] | None = None) -> argparse.Namespace:
    """Parse the command line (exits with a usage message on bad arguments)."""
    parser = _parser()
    args = parser.parse_args(argv)
    try:
        args.faults = fault_plan(args)
        args.rate_limits = rate_limits(args)
    except ValueError as error:
        parser.error(str(error))
    return args


def main(argv: Sequence[str] | None = None) -> int:
    """Generate the account, serve it and block until SIGINT or SIGTERM."""
    args = parse_args(argv)
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
        email=args.email,
        api_token=args.api_token,
        access_token=args.access_token,
        client_id=args.client_id,
        client_secret=args.client_secret,
        refresh_token=args.refresh_token,
    )
    server = SandboxServer(
        account,
        host=args.host,
        port=args.port,
        credentials=credentials,
        empty_page_quirk=not args.no_empty_page_quirk,
        faults=args.faults,
        rate_limits=args.rate_limits,
        token_lifetime=args.token_lifetime,
    ).start()
    elapsed = time.perf_counter() - started
    print(f"Zendesk sandbox: {args.tickets} tickets (seed {args.seed}) ready in {elapsed:.1f}s")
    print(f"  base URL:     {server.url}")
    print(f"  email:        {credentials.email}")
    print(f"  api_token:    {credentials.api_token}")
    print(f"  access_token: {credentials.access_token}")
    print(f"  client_id:    {credentials.client_id}")
    print(f"  client_secret: {credentials.client_secret}")
    print(f"  refresh_token: {credentials.refresh_token}")
    print(f"  token URL:    {server.url}/oauth/tokens")
    if args.faults is not None:
        plan = args.faults
        print(f"  faults:       rate {plan.rate} of {','.join(plan.kinds)} (seed {plan.seed})")
    if args.rate_limits is not None:
        limits = args.rate_limits
        print(
            f"  rate limits:  {limits.requests_per_window} requests, "
            f"{limits.export_requests_per_window} exports per {limits.window_seconds:g}s"
        )
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
