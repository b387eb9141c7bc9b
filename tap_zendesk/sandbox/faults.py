"""Fault injection: a middleware that makes a share of ``/api/v2`` requests fail (reference §5).

HTTP-level faults (500, 502, 503, 429 bursts, cut JSON) are ordinary responses. Socket-level ones
(``drop``, ``slow``, ``truncated``) come back as a :class:`FaultResponse` whose fields tell the
server's handler how to misbehave while writing.

Which requests fault is decided in arrival order from one seeded random stream, so the same
plan and the same sequence of requests give the same faults. Faults sit in front of the rate
limiter: a request answered by a fault is neither counted against the budget nor given its
headers ("slow", "truncated" and "invalid_json" wrap the real, counted response).
"""

from __future__ import annotations

import random
import threading
from collections import Counter
from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass

from tap_zendesk.sandbox.api import Next, Request, Response
from tap_zendesk.sandbox.ratelimit import too_many_requests

FAULT_KINDS = ("500", "502", "503", "429", "drop", "slow", "truncated", "invalid_json")
"""Every kind of fault, in the canonical order used for the seeded choice."""

GATEWAY_PAGE = (
    b"<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n"
    b"<center><h1>502 Bad Gateway</h1></center>\r\n<hr><center>sandbox-gateway</center>\r\n"
    b"</body>\r\n</html>\r\n"
)
RETRY_AFTER_SECONDS = 1

_PLAIN_FAULTS: dict[str, Callable[[], Response]] = {
    "500": lambda: Response.json(500, {"error": "InternalServerError"}),
    "502": lambda: Response(502, GATEWAY_PAGE, {"Content-Type": "text/html; charset=utf-8"}),
    "503": lambda: Response.json(
        503, {"error": "ServiceUnavailable"}, {"Retry-After": str(RETRY_AFTER_SECONDS)}
    ),
    "429": lambda: too_many_requests(RETRY_AFTER_SECONDS),
}
"""Faults answered instead of the API, as fresh responses."""


@dataclass(frozen=True)
class FaultPlan:
    """Which ``/api/v2`` requests fault, and how.

    Attributes:
        rate: Fraction of eligible requests that start a fault (0 turns injection off).
        kinds: The kinds to choose from (a subset of :data:`FAULT_KINDS`, any order; stored as a
            tuple in canonical order).
        seed: Seed of the random stream deciding which requests fault and with which kind.
        paths: Path prefixes of the eligible requests (e.g. ``("/api/v2/incremental/",)``);
            empty: every ``/api/v2`` request. Other requests neither fault nor use the stream.
        max_consecutive: Never fault more than this many eligible requests in a row; it also
            cuts a 429 burst short.
        burst: Extra requests answered 429 after a request picked for "429".
        slow_seconds: Delay of a "slow" response.
    """

    rate: float = 0.0
    kinds: Collection[str] = FAULT_KINDS
    seed: int = 1
    paths: Sequence[str] = ()
    max_consecutive: int = 2
    burst: int = 2
    slow_seconds: float = 3.0

    def __post_init__(self) -> None:
        """Normalise ``kinds`` and ``paths`` to tuples and reject impossible values."""
        kinds = {self.kinds} if isinstance(self.kinds, str) else set(self.kinds)
        unknown = kinds.difference(FAULT_KINDS)
        if unknown or not kinds:
            msg = f"fault kinds must be a non-empty subset of {', '.join(FAULT_KINDS)}"
            raise ValueError(msg)
        object.__setattr__(self, "kinds", tuple(k for k in FAULT_KINDS if k in kinds))
        paths = (self.paths,) if isinstance(self.paths, str) else tuple(self.paths)
        object.__setattr__(self, "paths", paths)
        if not 0.0 <= self.rate <= 1.0:
            msg = f"fault rate must lie between 0 and 1, not {self.rate}"
            raise ValueError(msg)
        if self.max_consecutive < 1 or self.burst < 0 or self.slow_seconds < 0:
            msg = "max_consecutive must be at least 1, burst and slow_seconds not negative"
            raise ValueError(msg)

    def applies_to(self, path: str) -> bool:
        """Return whether a ``/api/v2`` request path is eligible for faults."""
        return not self.paths or any(path.startswith(prefix) for prefix in self.paths)


@dataclass
class FaultResponse(Response):
    """A response the handler must write wrongly.

    Attributes:
        fault: The fault kind, for logs.
        hang_up: Close the connection without writing anything.
        delay: Seconds to wait before writing (given up if the client hangs up meanwhile).
        cut: Write only this many body bytes (after the full ``Content-Length``), then close.
    """

    fault: str = ""
    hang_up: bool = False
    delay: float = 0.0
    cut: int | None = None

    @classmethod
    def wrapping(
        cls, response: Response, fault: str, *, delay: float = 0.0, cut: int | None = None
    ) -> FaultResponse:
        """Return ``response`` to be written late (``delay``) or cut short (``cut``)."""
        return cls(
            response.status, response.body, response.headers, fault=fault, delay=delay, cut=cut
        )


class FaultInjector:
    """The middleware carrying out a :class:`FaultPlan`, with counters per kind."""

    def __init__(self, plan: FaultPlan) -> None:
        """Start the plan's random stream from its seed."""
        self.plan = plan
        self._kinds = tuple(plan.kinds)
        self._rng = random.Random(plan.seed)  # noqa: S311 - test behaviour, not cryptography
        self._lock = threading.Lock()
        self._streak = 0
        self._burst_left = 0
        self._counts: Counter[str] = Counter()

    def counts(self) -> Counter[str]:
        """Return how many requests got each kind of fault (a 429 burst counts each request)."""
        with self._lock:
            return Counter(self._counts)

    def choose(self) -> str | None:
        """Decide the fault of the next eligible request (None: none) and count it.

        Every call draws the same two numbers from the stream, faulted or not, so the decision
        for the n-th eligible request depends only on the seed and the earlier decisions.
        """
        plan = self.plan
        with self._lock:
            roll, pick = self._rng.random(), self._rng.random()
            kind: str | None = None
            if self._streak >= plan.max_consecutive:
                self._burst_left = 0
            elif self._burst_left > 0:
                kind = "429"
                self._burst_left -= 1
            elif roll < plan.rate:
                kind = self._kinds[int(pick * len(self._kinds))]
                if kind == "429":
                    self._burst_left = plan.burst
            if kind is None:
                self._streak = 0
            else:
                self._streak += 1
                self._counts[kind] += 1
            return kind

    def __call__(self, request: Request, next_: Next) -> Response:
        """The middleware: pass the request on, or answer it with the chosen fault."""
        if request.endpoint is None or not self.plan.applies_to(request.path):
            return next_(request)
        kind = self.choose()
        if kind is None:
            return next_(request)
        return self._fault(kind, request, next_)

    def _fault(self, kind: str, request: Request, next_: Next) -> Response:
        """Build the response of one fault."""
        if kind in _PLAIN_FAULTS:
            return _PLAIN_FAULTS[kind]()
        if kind == "drop":
            return FaultResponse(0, fault=kind, hang_up=True)
        response = next_(request)
        if kind == "slow":
            return FaultResponse.wrapping(response, kind, delay=self.plan.slow_seconds)
        if kind == "truncated":
            return FaultResponse.wrapping(response, kind, cut=len(response.body) // 2)
        # invalid_json: a 200 whose body stops halfway, with a Content-Length to match.
        return Response(200, response.body[: len(response.body) // 2], response.headers)
