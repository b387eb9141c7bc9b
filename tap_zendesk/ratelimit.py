"""One request budget for the whole tap, shared by every stream.

Zendesk limits requests per account per minute (200 to 2,500 by plan) and, separately,
incremental exports to 10 per minute (30 with the High Volume add-on); API reference §4.8, §5.
The SDK paces nothing and reads no rate-limit header, and every stream has its own
`requests.Session`, so the budget lives in a transport adapter that all sessions mount: it
sees every request, retries included, and every response's headers.
"""

from __future__ import annotations

import logging
import re
import threading
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from tap_zendesk.deadline import DeadlineAdapter

if TYPE_CHECKING:
    import requests

logger = logging.getLogger(__name__)

WINDOW_SECONDS = 60.0
DEFAULT_EXPORT_REQUESTS_PER_MINUTE = 10
# Requests left in the account window below which we wait for the window to reset rather
# than spend the last ones; other clients of the same account share the budget.
ACCOUNT_RESERVE = 2
_BUCKET_FIELD = re.compile(r"(total|remaining|resets)=(\d+)")


def is_export(url: str) -> bool:
    """Whether a request URL draws on the incremental-export budget."""
    return "/incremental/" in urlsplit(url).path


@dataclass
class _Window:
    """At most `limit` events in any `window` seconds (a sliding log of send times)."""

    limit: int
    window: float
    sent: deque[float] = field(default_factory=deque)

    def wait_time(self, now: float) -> float:
        while self.sent and self.sent[0] <= now - self.window:
            self.sent.popleft()
        if len(self.sent) < self.limit:
            return 0.0
        return self.sent[0] + self.window - now


@dataclass
class RateLimitStats:
    """What the limiter did, for logs and benchmarks."""

    requests: int = 0
    export_requests: int = 0
    waits: int = 0
    waited_seconds: float = 0.0
    throttled_responses: int = 0


class RateLimiter:
    """Paces requests under the account budget and the export budget.

    Two sources of truth: our own count of what we sent in the last window (the configured
    budgets), and Zendesk's headers (`X-Rate-Limit-Remaining` / `ratelimit-remaining` with
    `ratelimit-reset`, and `zendesk-ratelimit-incremental-exports`), which also count requests
    other clients of the account made.
    """

    def __init__(
        self,
        *,
        requests_per_minute: int | None = None,
        export_requests_per_minute: int = DEFAULT_EXPORT_REQUESTS_PER_MINUTE,
        window: float = WINDOW_SECONDS,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self._account = _Window(requests_per_minute, window) if requests_per_minute else None
        self._export = _Window(export_requests_per_minute, window)
        self._window = window
        self._clock = clock
        self._sleep = sleep
        self._lock = threading.Lock()
        # Moments before which the server told us its budget is spent.
        self._account_blocked_until = 0.0
        self._export_blocked_until = 0.0
        self.stats = RateLimitStats()

    def acquire(self, url: str) -> None:
        """Block until a request to `url` fits every budget, then count it as sent."""
        export = is_export(url)
        with self._lock:
            while True:
                now = self._clock()
                wait = max(
                    self._account.wait_time(now) if self._account else 0.0,
                    self._account_blocked_until - now,
                    self._export.wait_time(now) if export else 0.0,
                    (self._export_blocked_until - now) if export else 0.0,
                )
                if wait <= 0:
                    break
                self.stats.waits += 1
                self.stats.waited_seconds += wait
                logger.log(
                    logging.INFO if wait >= 1 else logging.DEBUG,
                    "Rate limit: waiting %.1f s before the next request",
                    wait,
                )
                self._sleep(wait)
            now = self._clock()
            if self._account:
                self._account.sent.append(now)
            self.stats.requests += 1
            if export:
                self._export.sent.append(now)
                self.stats.export_requests += 1

    def observe(self, response: requests.Response) -> None:
        """Learn the server's view of the budgets from a response's headers."""
        headers = response.headers
        now = self._clock()
        with self._lock:
            if response.status_code == 429:
                self.stats.throttled_responses += 1
            remaining = _int(
                headers.get("ratelimit-remaining") or headers.get("X-Rate-Limit-Remaining")
            )
            # A window resets within one window: a larger `reset` is not Zendesk's, and
            # would stall the run for as long as it says.
            if remaining is not None and remaining <= ACCOUNT_RESERVE:
                reset = _int(headers.get("ratelimit-reset"))
                wait = min(reset if reset is not None else self._window, self._window)
                self._account_blocked_until = now + wait
            bucket = _bucket(headers.get("zendesk-ratelimit-incremental-exports"))
            if bucket.get("remaining") == 0:
                wait = min(bucket.get("resets", self._window), self._window)
                self._export_blocked_until = now + wait


class RateLimitedAdapter(DeadlineAdapter):
    """A requests transport that asks the shared limiter before every send.

    The wait for the budget comes before the request's deadline starts.
    """

    def __init__(self, limiter: RateLimiter, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.limiter = limiter

    def send(self, request: requests.PreparedRequest, **kwargs: Any) -> requests.Response:  # type: ignore[override]
        """Wait for the budget, send, and read the response's rate-limit headers."""
        self.limiter.acquire(request.url or "")
        response = super().send(request, **kwargs)
        self.limiter.observe(response)
        return response


def _int(value: str | None) -> int | None:
    try:
        return int(value) if value is not None else None
    except ValueError:
        return None


def _bucket(value: str | None) -> dict[str, int]:
    """Parse Zendesk's `total=10; remaining=9; resets=2` endpoint-bucket header."""
    return {key: int(number) for key, number in _BUCKET_FIELD.findall(value or "")}
