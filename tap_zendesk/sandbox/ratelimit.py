"""Zendesk-style rate limiting of ``/api/v2`` requests (reference §4.8, §5), as a middleware.

Two budgets over **fixed windows** aligned to the server clock (window ``n`` covers
``[n * window_seconds, (n + 1) * window_seconds)`` in epoch seconds): the account budget, drawn on
by every ``/api/v2`` request, and the incremental-export budget, drawn on by
``/api/v2/incremental/`` requests as well. A request is counted only if it is served; a throttled
one (429) draws on neither budget.

With limits off the account budget is still counted and reported (700 per minute) but never
enforced, and the export header is left out, so a client pacing by headers is never slowed down
by a budget the sandbox does not apply.
"""

from __future__ import annotations

import math
import threading
from collections.abc import Callable, Mapping
from dataclasses import dataclass

from tap_zendesk.sandbox.api import Next, Request, Response

DEFAULT_REQUESTS_PER_WINDOW = 700
"""Requests per minute announced when limits are off (Enterprise plan, reference §5.1)."""
EXPORT_PREFIX = "/api/v2/incremental/"
TOO_MANY_REQUESTS = b"Number of allowed API requests per minute exceeded"
"""Zendesk's plain-text 429 body (reference §5.4)."""


@dataclass(frozen=True)
class RateLimits:
    """The budgets to enforce: requests per window for the account and for exports."""

    requests_per_window: int = 700
    export_requests_per_window: int = 10
    window_seconds: float = 60.0

    def __post_init__(self) -> None:
        """Reject budgets a client could never get a request through."""
        if self.requests_per_window < 1 or self.export_requests_per_window < 1:
            msg = "rate limits must allow at least one request per window"
            raise ValueError(msg)
        if not self.window_seconds > 0:
            msg = "window_seconds must be positive"
            raise ValueError(msg)


def is_export(path: str) -> bool:
    """Return whether a request path draws on the incremental-export budget."""
    return path.startswith(EXPORT_PREFIX)


def too_many_requests(retry_after: int, headers: Mapping[str, str] | None = None) -> Response:
    """Return Zendesk's 429: plain text, ``Retry-After`` in whole seconds."""
    return Response(
        429,
        TOO_MANY_REQUESTS,
        {
            "Content-Type": "text/plain; charset=utf-8",
            "Retry-After": str(retry_after),
            **(headers or {}),
        },
    )


class _FixedWindow:
    """Requests counted in the current fixed window of a budget."""

    def __init__(self, limit: int, seconds: float) -> None:
        self.limit = limit
        self.seconds = seconds
        self.index: int | None = None
        self.used = 0

    def roll(self, now: float) -> None:
        """Start a new, empty window if ``now`` lies past the current one."""
        index = math.floor(now / self.seconds)
        if index != self.index:
            self.index, self.used = index, 0

    @property
    def remaining(self) -> int:
        return max(0, self.limit - self.used)

    def reset(self, now: float) -> int:
        """Whole seconds until this window ends, at least 1."""
        end = ((self.index or 0) + 1) * self.seconds
        return max(1, math.ceil(end - now))


class RateLimiter:
    """Counts ``/api/v2`` requests, adds rate-limit headers and, if enforcing, answers 429."""

    def __init__(self, limits: RateLimits | None, *, clock: Callable[[], float]) -> None:
        """Enforce ``limits``, or with None only report the default account budget."""
        self.limits = limits
        budget = limits or RateLimits(requests_per_window=DEFAULT_REQUESTS_PER_WINDOW)
        self._account = _FixedWindow(budget.requests_per_window, budget.window_seconds)
        self._export = _FixedWindow(budget.export_requests_per_window, budget.window_seconds)
        self._clock = clock
        self._lock = threading.Lock()
        self._throttled = 0

    @property
    def enforcing(self) -> bool:
        """Whether over-budget requests get a 429."""
        return self.limits is not None

    def throttled_count(self) -> int:
        """Return how many 429s this limiter has answered."""
        with self._lock:
            return self._throttled

    def __call__(self, request: Request, next_: Next) -> Response:
        """The middleware: count the request, throttle it or pass it on, add the headers."""
        if request.endpoint is None:
            return next_(request)
        export = is_export(request.path)
        with self._lock:
            now = self._clock()
            self._account.roll(now)
            self._export.roll(now)
            throttled_by = None
            if self.enforcing and self._account.remaining == 0:
                throttled_by = self._account
            elif self.enforcing and export and self._export.remaining == 0:
                throttled_by = self._export
            else:
                self._account.used += 1
                if export:
                    self._export.used += 1
            headers = self._headers(now, export=export)
            if throttled_by is not None:
                self._throttled += 1
                return too_many_requests(throttled_by.reset(now), headers)
        response = next_(request)
        response.headers.update(headers)
        return response

    def _headers(self, now: float, *, export: bool) -> dict[str, str]:
        """The account headers, plus the export bucket's on exports when enforcing."""
        account = self._account
        limit, remaining, reset = str(account.limit), str(account.remaining), account.reset(now)
        headers = {
            "X-Rate-Limit": limit,
            "X-Rate-Limit-Remaining": remaining,
            "ratelimit-limit": limit,
            "ratelimit-remaining": remaining,
            "ratelimit-reset": str(reset),
        }
        if export and self.enforcing:
            bucket = self._export
            headers["zendesk-ratelimit-incremental-exports"] = (
                f"total={bucket.limit}; remaining={bucket.remaining}; resets={bucket.reset(now)}"
            )
        return headers
