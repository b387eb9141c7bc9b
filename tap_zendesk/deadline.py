"""A total deadline for every request: connect, headers and body together.

requests' `timeout` bounds each socket operation, not the request: a server that sends its
body one byte a second never trips it. urllib3's `Timeout(total=)` does not bound the body
either. So the adapter here arms a timer per request and, when it fires, shuts down the
socket the request is using; the blocked read returns at once and the request fails with
`RequestDeadlineError`, a `Timeout` the streams retry like any other.

The socket is found through the connection classes of the adapter's pools, which report it
when they connect and when they are reused for a request.
"""

from __future__ import annotations

import contextlib
import socket
import sys
import threading
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from requests.adapters import HTTPAdapter
from urllib3.connection import HTTPConnection, HTTPSConnection

from tap_zendesk.errors import RequestDeadlineError

if sys.version_info >= (3, 12):
    from typing import override
else:
    from typing_extensions import override

if TYPE_CHECKING:
    import requests
    from urllib3.connectionpool import HTTPConnectionPool

_current = threading.local()


class Deadline:
    """Shuts down the watched socket once `seconds` have passed, unless finished first."""

    def __init__(self, seconds: float) -> None:
        self.seconds = seconds
        self.expired = False
        self._sock: socket.socket | None = None
        self._done = False
        self._lock = threading.Lock()
        self._timer = threading.Timer(seconds, self._expire)
        self._timer.daemon = True

    def __enter__(self) -> Deadline:
        _current.deadline = self
        self._timer.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._timer.cancel()
        with self._lock:
            # From here on the socket belongs to the pool again: never shut it down.
            self._done = True
            self._sock = None
        _current.deadline = None

    def watch(self, sock: Any) -> None:
        """Cut `sock` off at the deadline (at once if it has passed)."""
        if not isinstance(sock, socket.socket):
            return  # TLS inside a TLS proxy tunnel: only the per-read timeout applies
        with self._lock:
            if self._done:
                return
            self._sock = sock
            if self.expired:
                _shutdown(sock)

    def _expire(self) -> None:
        with self._lock:
            if self._done:
                return
            self.expired = True
            if self._sock is not None:
                _shutdown(self._sock)


def _shutdown(sock: socket.socket) -> None:
    # socket.socket's own shutdown, also for an SSLSocket: the TLS layer's version would
    # drop its state under the thread that is reading.
    with contextlib.suppress(OSError):  # already closed
        socket.socket.shutdown(sock, socket.SHUT_RDWR)


def _watch(sock: Any) -> None:
    deadline: Deadline | None = getattr(_current, "deadline", None)
    if deadline is not None and sock is not None:
        deadline.watch(sock)


class _WatchedConnection:
    """Reports its socket to the request's deadline: on connect, and on reuse."""

    sock: Any

    def connect(self) -> None:
        super().connect()  # type: ignore[misc]
        _watch(self.sock)

    def request(self, *args: Any, **kwargs: Any) -> None:
        _watch(self.sock)  # None on a new connection: connect() reports it then
        super().request(*args, **kwargs)  # type: ignore[misc]


class _WatchedHTTPConnection(_WatchedConnection, HTTPConnection):
    pass


class _WatchedHTTPSConnection(_WatchedConnection, HTTPSConnection):
    pass


_WATCHED: dict[type, type] = {
    HTTPConnection: _WatchedHTTPConnection,
    HTTPSConnection: _WatchedHTTPSConnection,
}


class DeadlineAdapter(HTTPAdapter):
    """An HTTPAdapter whose `timeout` is also a deadline for the whole request.

    With `stream=False` (how the SDK sends) the body is read here, inside the deadline.
    """

    @override
    def get_connection_with_tls_context(
        self, request: requests.PreparedRequest, *args: Any, **kwargs: Any
    ) -> HTTPConnectionPool:
        """The pool for `request`, its connections reporting their sockets."""
        pool = super().get_connection_with_tls_context(request, *args, **kwargs)
        pool.ConnectionCls = _WATCHED.get(pool.ConnectionCls, pool.ConnectionCls)  # type: ignore[assignment,call-overload]
        return pool

    @override
    def send(  # type: ignore[override]
        self,
        request: requests.PreparedRequest,
        stream: bool = False,
        timeout: Any = None,
        **kwargs: Any,
    ) -> requests.Response:
        """Send `request`; fail with `RequestDeadlineError` once `timeout` seconds are over."""
        if not isinstance(timeout, int | float):
            return super().send(request, stream=stream, timeout=timeout, **kwargs)
        with Deadline(timeout) as deadline:
            try:
                response = super().send(request, stream=stream, timeout=timeout, **kwargs)
                if not stream:
                    _ = response.content
            except OSError:  # requests' exceptions are OSErrors, as are socket errors
                if not deadline.expired:
                    raise
        # Also when the cut-off went unnoticed: headers cut short read as complete.
        if deadline.expired:
            path = urlsplit(request.url or "").path
            msg = f"{request.method} {path} got no complete answer within {timeout:g} s"
            raise RequestDeadlineError(msg, request=request)
        return response
