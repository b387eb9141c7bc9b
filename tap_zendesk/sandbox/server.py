"""The sandbox HTTP server: a real keep-alive HTTP/1.1 server in front of :class:`.ZendeskApi`.

Every request follows one path: parse (:class:`_Handler`) -> :meth:`SandboxServer.dispatch`
(admin endpoints, else the :attr:`SandboxServer.middlewares` chain ending in the API) -> write.
The middleware list is the seam for behaviour that wraps every endpoint, in this order: the
OAuth token endpoint (:mod:`.oauth`), fault injection (:mod:`.faults`, when a plan is given),
rate limiting and its headers (:mod:`.ratelimit`), authentication. Socket-level faults come back
as a :class:`.FaultResponse` that the handler acts on while writing.
"""

from __future__ import annotations

import contextlib
import logging
import socket
import ssl
import sys
import threading
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import replace
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import TracebackType
from typing import Any, Literal, NamedTuple
from urllib.parse import parse_qsl, urlsplit

from tap_zendesk.sandbox.api import (
    Middleware,
    Next,
    Request,
    Response,
    ZendeskApi,
    endpoint_family,
)
from tap_zendesk.sandbox.auth import AuthResult, Credentials, check_authorization
from tap_zendesk.sandbox.data import SandboxAccount
from tap_zendesk.sandbox.faults import FaultInjector, FaultPlan, FaultResponse
from tap_zendesk.sandbox.oauth import OAuthProvider
from tap_zendesk.sandbox.ratelimit import DEFAULT_REQUESTS_PER_WINDOW, RateLimiter, RateLimits

logger = logging.getLogger(__name__)

ADMIN_PREFIX = "/__sandbox/"
RATE_LIMIT = DEFAULT_REQUESTS_PER_WINDOW
"""Requests per minute announced in ``X-Rate-Limit`` with limits off (reference §5.1)."""

TapAuth = Literal["api_token", "access_token", "client_credentials", "refresh_token"]

BASIC_401 = {"error": "Couldn't authenticate you"}
BEARER_401 = {
    "error": "invalid_token",
    "error_description": "The access token provided is expired, revoked, malformed or invalid "
    "for other reasons.",
}


class LoggedRequest(NamedTuple):
    """One handled request (credentials are never recorded; status 0: connection dropped)."""

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
        faults: FaultPlan | None = None,
        rate_limits: RateLimits | None = None,
        token_lifetime: int = 3600,
        tls: ssl.SSLContext | None = None,
    ) -> None:
        """Prepare a server; ``port=0`` picks a free port when :meth:`start` binds.

        Args:
            account: The data to serve.
            host: Interface to bind.
            port: TCP port, 0 for any free one.
            credentials: Accepted credentials (defaults: :class:`Credentials`).
            empty_page_quirk: Answer the first ``cursor=`` request of each export traversal with
                an empty page that is not the end of the stream, as Zendesk sometimes does.
            clock: Source of "now" in epoch seconds (export visibility, rate-limit windows,
                OAuth token expiry).
            faults: Fault injection plan; None injects nothing.
            rate_limits: Budgets to enforce; None only reports the default account budget.
            token_lifetime: ``expires_in`` (seconds) of access tokens issued by ``/oauth/tokens``.
            tls: Serve HTTPS with this server context (to test certificate handling).
        """
        self.account = account
        self.host = host
        self.tls = tls
        self.port = port
        self.credentials = credentials or Credentials()
        self.clock = clock
        self.api = ZendeskApi(account, clock=clock, empty_page_quirk=empty_page_quirk)
        self.oauth = OAuthProvider(self.credentials, clock=clock, token_lifetime=token_lifetime)
        self.faults = FaultInjector(faults) if faults is not None else None
        self.rate_limiter = RateLimiter(rate_limits, clock=clock)
        self.middlewares: list[Middleware] = [
            self.oauth,
            *([self.faults] if self.faults is not None else []),
            self.rate_limiter,
            self._authenticate,
        ]
        self._log: list[LoggedRequest] = []
        self._log_lock = threading.Lock()
        self._httpd: _HttpServer | None = None
        self._thread: threading.Thread | None = None

    # -- lifecycle ------------------------------------------------------------------------

    def start(self) -> SandboxServer:
        """Bind and serve in a background thread; returns self."""
        if self._httpd is not None:
            return self
        httpd = _HttpServer((self.host, self.port), self)
        if self.tls is not None:
            # Handshakes happen on accept; a client that rejects the certificate only makes
            # accept fail, which socketserver ignores.
            httpd.socket = self.tls.wrap_socket(httpd.socket, server_side=True)
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
        """Base URL, e.g. ``http://127.0.0.1:54321`` (no trailing slash).

        With ``tls``, ``https://localhost:<port>``: certificates name hosts, not addresses.
        """
        if self._httpd is None:
            msg = "the sandbox server is not started"
            raise RuntimeError(msg)
        host = f"[{self.host}]" if ":" in self.host else self.host
        if self.tls is not None:
            return f"https://{'localhost' if self.host == '127.0.0.1' else host}:{self.port}"
        return f"http://{host}:{self.port}"

    def tap_config(self, auth: TapAuth = "api_token") -> dict[str, str]:
        """Return a tap config pointing at this server for one way to authenticate.

        ``api_token``: email and API token; ``access_token``: the static bearer token;
        ``client_credentials``: client id and secret; ``refresh_token``: client id and secret
        with the refresh token valid right now (it rotates with every use).
        """
        credentials = self.credentials
        config = {"subdomain": "sandbox", "api_url": self.url}
        if auth == "api_token":
            config |= {"email": credentials.email, "api_token": credentials.api_token}
        elif auth == "access_token":
            config["access_token"] = credentials.access_token
        elif auth in ("client_credentials", "refresh_token"):
            config["client_id"] = credentials.client_id
            config["client_secret"] = credentials.client_secret
            if auth == "refresh_token":
                config["refresh_token"] = self.current_refresh_token
        else:
            msg = (
                "auth must be 'api_token', 'access_token', 'client_credentials' or "
                f"'refresh_token', not {auth!r}"
            )
            raise ValueError(msg)
        return config | {"start_date": "2000-01-01T00:00:00Z"}

    # -- faults, rate limits and OAuth ----------------------------------------------------

    def fault_counts(self) -> Counter[str]:
        """Count injected faults per kind (empty without a fault plan)."""
        return self.faults.counts() if self.faults is not None else Counter()

    def throttled_count(self) -> int:
        """Return how many 429s the rate limiter answered (injected 429s not included)."""
        return self.rate_limiter.throttled_count()

    def oauth_counts(self) -> Counter[str]:
        """Count the OAuth grants served, per grant type."""
        return self.oauth.counts()

    @property
    def current_refresh_token(self) -> str:
        """The one OAuth refresh token that works now."""
        return self.oauth.current_refresh_token

    def expire_access_tokens(self) -> None:
        """Make every access token issued by ``/oauth/tokens`` expire now."""
        self.oauth.expire_access_tokens()

    def open_connections(self) -> int:
        """Return how many client connections are open (0 when not started)."""
        httpd = self._httpd
        return httpd.open_connections() if httpd is not None else 0

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

    def _authenticate(self, request: Request, next_: Next) -> Response:
        """Check credentials on ``/api/v2`` requests; ``users/me`` lets anonymous callers in."""
        if request.endpoint is None:
            return next_(request)
        result = check_authorization(
            request.headers.get("Authorization"), self.credentials, self.oauth.is_live
        )
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

    def open_connections(self) -> int:
        """Return how many connections are being served."""
        with self._connections_lock:
            return len(self._connections)

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
        """Write a response; a :class:`FaultResponse` is delayed, cut short or never written."""
        body = sent = response.body
        if isinstance(response, FaultResponse):
            if response.hang_up or (response.delay and not self._client_waits(response.delay)):
                self.close_connection = True
                return
            if response.cut is not None:
                sent = body[: response.cut]
                self.close_connection = True
        try:
            self.send_response(response.status)
            for name, value in response.headers.items():
                self.send_header(name, value)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(sent)
        except (ConnectionError, TimeoutError) as error:
            logger.debug("client went away while answering %s: %s", self.path, error)
            self.close_connection = True

    def _client_waits(self, seconds: float) -> bool:
        """Wait ``seconds``; False as soon as the client hangs up or the server shuts down."""
        deadline = time.monotonic() + seconds
        connection = self.connection
        try:
            connection.settimeout(seconds)
            peeked = connection.recv(1, socket.MSG_PEEK)
        except TimeoutError:
            return True  # the client waited the whole delay
        except OSError:
            return False
        finally:
            connection.settimeout(self.timeout)
        if not peeked:
            return False  # end of stream: the client hung up (or stop() shut the socket)
        # The client already sent more (pipelining): nothing left to watch, sit the delay out.
        time.sleep(max(0.0, deadline - time.monotonic()))
        return True

    def log_message(self, format: str, *args: Any) -> None:
        """Send http.server's access and error lines to debug logging, not stderr."""
        logger.debug("%s - %s", self.address_string(), format % args)
