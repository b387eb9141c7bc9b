"""The sandbox HTTP server: a real keep-alive HTTP/1.1 server in front of :class:`.ZendeskApi`.

Every request follows one path: parse (:class:`_Handler`) -> :meth:`SandboxServer.dispatch`
(admin endpoints, else the :attr:`SandboxServer.middlewares` chain ending in the API) -> write.
The middleware list is the seam for behaviour that wraps every endpoint: rate-limit headers and
authentication today; fault injection and rate limiting can be inserted at its front.
"""

from __future__ import annotations

import contextlib
import logging
import socket
import sys
import threading
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import replace
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import TracebackType
from typing import Any, NamedTuple
from urllib.parse import parse_qsl, urlsplit

from tap_zendesk.sandbox.api import Request, Response, ZendeskApi, endpoint_family
from tap_zendesk.sandbox.auth import AuthResult, Credentials, check_authorization
from tap_zendesk.sandbox.data import SandboxAccount

logger = logging.getLogger(__name__)

ADMIN_PREFIX = "/__sandbox/"
RATE_LIMIT = 700
"""Requests per minute announced in ``X-Rate-Limit`` (Enterprise plan, reference §5.1)."""

Next = Callable[[Request], Response]
Middleware = Callable[[Request, Next], Response]
"""Wraps the rest of the chain: may answer itself or call ``next_`` (and alter its response)."""

BASIC_401 = {"error": "Couldn't authenticate you"}
BEARER_401 = {
    "error": "invalid_token",
    "error_description": "The access token provided is expired, revoked, malformed or invalid "
    "for other reasons.",
}


class LoggedRequest(NamedTuple):
    """One handled request (credentials are never recorded)."""

    method: str
    path: str
    query: dict[str, str]
    status: int


class SandboxServer:
    """A local Zendesk Support API over a :class:`SandboxAccount`, served from a thread."""

    def __init__(
        self,
        account: SandboxAccount,
        host: str = "127.0.0.1",
        port: int = 0,
        credentials: Credentials | None = None,
        *,
        empty_page_quirk: bool = True,
        clock: Callable[[], float] = time.time,
    ) -> None:
        """Prepare a server; ``port=0`` picks a free port when :meth:`start` binds.

        Args:
            account: The data to serve.
            host: Interface to bind.
            port: TCP port, 0 for any free one.
            credentials: Accepted credentials (defaults: :class:`Credentials`).
            empty_page_quirk: Answer the first ``cursor=`` request of each export traversal with
                an empty page that is not the end of the stream, as Zendesk sometimes does.
            clock: Source of "now" in epoch seconds (export visibility, rate-limit window).
        """
        self.account = account
        self.host = host
        self.port = port
        self.credentials = credentials or Credentials()
        self.clock = clock
        self.api = ZendeskApi(account, clock=clock, empty_page_quirk=empty_page_quirk)
        self.middlewares: list[Middleware] = [self._rate_limit_headers, self._authenticate]
        self._log: list[LoggedRequest] = []
        self._log_lock = threading.Lock()
        self._window = (0, 0)  # (minute, requests in it)
        self._httpd: _HttpServer | None = None
        self._thread: threading.Thread | None = None

    # -- lifecycle ------------------------------------------------------------------------

    def start(self) -> SandboxServer:
        """Bind and serve in a background thread; returns self."""
        if self._httpd is not None:
            return self
        httpd = _HttpServer((self.host, self.port), self)
        self.port = httpd.server_address[1]
        self._httpd = httpd
        self._thread = threading.Thread(
            target=httpd.serve_forever,
            kwargs={"poll_interval": 0.01},
            name=f"zendesk-sandbox-{self.port}",
            daemon=True,
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        """Stop serving, close open keep-alive connections and release the port."""
        httpd, self._httpd = self._httpd, None
        if httpd is None:
            return
        httpd.shutdown()
        httpd.close_connections()
        httpd.server_close()
        if self._thread is not None:
            self._thread.join()

    def __enter__(self) -> SandboxServer:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()

    @property
    def url(self) -> str:
        """Base URL, e.g. ``http://127.0.0.1:54321`` (no trailing slash)."""
        if self._httpd is None:
            msg = "the sandbox server is not started"
            raise RuntimeError(msg)
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"http://{host}:{self.port}"

    def tap_config(self, auth: str = "api_token") -> dict[str, str]:
        """Return a tap config pointing at this server, for ``api_token`` or ``access_token``."""
        config = {"subdomain": "sandbox", "api_url": self.url}
        if auth == "api_token":
            config |= {"email": self.credentials.email, "api_token": self.credentials.api_token}
        elif auth == "access_token":
            config["access_token"] = self.credentials.access_token
        else:
            msg = f"auth must be 'api_token' or 'access_token', not {auth!r}"
            raise ValueError(msg)
        return config | {"start_date": "2000-01-01T00:00:00Z"}

    # -- request log ----------------------------------------------------------------------

    @property
    def requests(self) -> list[LoggedRequest]:
        """A snapshot of the handled requests, oldest first (admin endpoints excluded)."""
        with self._log_lock:
            return list(self._log)

    def request_counts(self) -> Counter[str]:
        """Count handled requests per endpoint family (``tickets/{id}/comments``, ...)."""
        with self._log_lock:
            return Counter(endpoint_family(entry.path) for entry in self._log)

    def reset_request_log(self) -> None:
        """Forget all handled requests."""
        with self._log_lock:
            self._log.clear()

    # -- the request path -----------------------------------------------------------------

    def dispatch(self, request: Request) -> Response:
        """Answer one request: admin endpoints directly, the rest through the middlewares."""
        if request.path.startswith(ADMIN_PREFIX):
            return self._admin(request)
        handler: Next = self.api.handle
        for middleware in reversed(self.middlewares):
            handler = _bind(middleware, handler)
        response = handler(request)
        with self._log_lock:
            self._log.append(
                LoggedRequest(request.method, request.path, request.query, response.status)
            )
        return response

    def _rate_limit_headers(self, request: Request, next_: Next) -> Response:
        """Add ``X-Rate-Limit`` headers counting this minute's requests (no limiting yet)."""
        minute = int(self.clock()) // 60
        with self._log_lock:
            start, used = self._window
            used = used + 1 if start == minute else 1
            self._window = (minute, used)
        response = next_(request)
        response.headers["X-Rate-Limit"] = str(RATE_LIMIT)
        response.headers["X-Rate-Limit-Remaining"] = str(max(0, RATE_LIMIT - used))
        return response

    def _authenticate(self, request: Request, next_: Next) -> Response:
        """Check credentials on ``/api/v2`` requests; ``users/me`` lets anonymous callers in."""
        if request.endpoint is None:
            return next_(request)
        result = check_authorization(request.headers.get("Authorization"), self.credentials)
        if result is AuthResult.OK:
            return next_(replace(request, authenticated=True))
        if request.endpoint == "users/me":
            # Zendesk answers 200 with an "Anonymous user" here: never a credential check.
            return next_(request)
        if result is AuthResult.BAD_BEARER:
            challenge = 'Bearer realm="Zendesk", error="invalid_token"'
            return Response.json(401, BEARER_401, {"WWW-Authenticate": challenge})
        return Response.json(401, BASIC_401, {"WWW-Authenticate": 'Basic realm="Web Password"'})

    def _admin(self, request: Request) -> Response:
        """Serve ``POST /__sandbox/mutate`` and ``GET /__sandbox/stats`` (no auth)."""
        name = request.path[len(ADMIN_PREFIX) :].strip("/")
        if name == "mutate" and request.method == "POST":
            try:
                seed = int(request.query.get("seed", "1"))
                fraction = float(request.query.get("fraction", "0.02"))
            except ValueError:
                return Response.json(
                    400, {"error": "InvalidValue", "description": "bad seed or fraction"}
                )
            return Response.json(200, self.account.mutate(seed=seed, fraction=fraction).to_json())
        if name == "stats" and request.method == "GET":
            counts = self.request_counts()
            return Response.json(200, {"requests": sum(counts.values()), "counts": dict(counts)})
        return Response.json(404, {"error": "InvalidEndpoint", "description": "Not found"})


def _bind(middleware: Middleware, next_: Next) -> Next:
    return lambda request: middleware(request, next_)


class _HttpServer(ThreadingHTTPServer):
    """Threading HTTP server that tracks connections so :meth:`SandboxServer.stop` can end them."""

    daemon_threads = True
    allow_reuse_address = True

    def __init__(self, address: tuple[str, int], sandbox: SandboxServer) -> None:
        self.address_family = socket.AF_INET6 if ":" in address[0] else socket.AF_INET
        self.sandbox = sandbox
        self._connections: set[socket.socket] = set()
        self._connections_lock = threading.Lock()
        super().__init__(address, _Handler)

    def process_request(self, request: Any, client_address: Any) -> None:
        with self._connections_lock:
            self._connections.add(request)
        super().process_request(request, client_address)

    def shutdown_request(self, request: Any) -> None:
        with self._connections_lock:
            self._connections.discard(request)
        super().shutdown_request(request)

    def close_connections(self) -> None:
        """Shut down open connections so their handler threads end."""
        with self._connections_lock:
            connections = list(self._connections)
        for connection in connections:
            with contextlib.suppress(OSError):
                connection.shutdown(socket.SHUT_RDWR)

    def handle_error(self, request: Any, client_address: Any) -> None:  # noqa: ARG002
        """Log a client that went away as one debug line; anything else with its traceback."""
        error = sys.exc_info()[1]
        if isinstance(error, ConnectionError | TimeoutError):
            logger.debug("client %s went away: %s", client_address, error)
        else:
            logger.exception("error while handling a request from %s", client_address)


class _Handler(BaseHTTPRequestHandler):
    """Parses requests and writes responses; behaviour lives in :meth:`SandboxServer.dispatch`."""

    protocol_version = "HTTP/1.1"  # keep-alive: every response carries Content-Length
    server_version = "ZendeskSandbox/1.0"
    disable_nagle_algorithm = True
    timeout = 60  # close idle keep-alive connections
    server: _HttpServer

    def do_GET(self) -> None:
        """Serve a GET."""
        self._serve()

    def do_POST(self) -> None:
        """Serve a POST."""
        self._serve()

    def do_PUT(self) -> None:
        """Serve a PUT (no such endpoints: 404)."""
        self._serve()

    def do_DELETE(self) -> None:
        """Serve a DELETE (no such endpoints: 404)."""
        self._serve()

    def _serve(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length > 0 else b""
        split = urlsplit(self.path)
        host = self.headers.get("Host") or f"{self.server.sandbox.host}:{self.server.sandbox.port}"
        request = Request(
            method=self.command,
            path=split.path,
            query=dict(parse_qsl(split.query, keep_blank_values=True)),
            headers=self.headers,
            host=host,
            body=body,
        )
        self._write(self.server.sandbox.dispatch(request))

    def _write(self, response: Response) -> None:
        try:
            self.send_response(response.status)
            for name, value in response.headers.items():
                self.send_header(name, value)
            self.send_header("Content-Length", str(len(response.body)))
            self.end_headers()
            self.wfile.write(response.body)
        except (ConnectionError, TimeoutError) as error:
            logger.debug("client went away while answering %s: %s", self.path, error)
            self.close_connection = True

    def log_message(self, format: str, *args: Any) -> None:
        """Send http.server's access and error lines to debug logging, not stderr."""
        logger.debug("%s - %s", self.address_string(), format % args)
