"""A tiny HTTP server answering from a test's function, for cases the sandbox never produces."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import NamedTuple


@dataclass(frozen=True)
class Drip:
    """A body sent one byte every `interval` seconds, as a hostile or broken server might.

    With `head`, the status line and headers are dripped too.
    """

    data: bytes
    interval: float
    head: bool = False


# Close the connection without answering, as a connection dropped by the network would.
HANG_UP = None

# (status, headers, body) for a request path (with its query string) and its headers.
Answer = tuple[int, dict[str, str], bytes | Drip] | None
Responder = Callable[[str, dict[str, str]], Answer]


class Received(NamedTuple):
    """One request as the stub received it."""

    path: str
    headers: dict[str, str]
    method: str = "GET"
    body: bytes = b""


@contextmanager
def stub_server(
    respond: Responder, *, host: str = "127.0.0.1"
) -> Iterator[tuple[str, list[Received]]]:
    """Serve `respond` on a free port of `host`; yields (base URL, log of requests received).

    Any address in 127.0.0.0/8 is a loopback `host`: a second stub on 127.0.0.2 stands for
    another host than the tap's.
    """
    log: list[Received] = []

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            self._answer(b"")

        def do_POST(self) -> None:
            self._answer(self.rfile.read(int(self.headers.get("Content-Length") or 0)))

        def _answer(self, body_in: bytes) -> None:
            headers = dict(self.headers.items())
            log.append(Received(self.path, headers, self.command, body_in))
            answer = respond(self.path, headers)
            if answer is HANG_UP:
                self.close_connection = True
                return
            status, extra, body = answer
            if isinstance(body, Drip) and body.head:
                self._drip_all(status, extra, body)
                return
            self.send_response(status)
            for name, value in extra.items():
                self.send_header(name, value)
            data = body.data if isinstance(body, Drip) else body
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            if isinstance(body, Drip):
                self._drip(body)
            else:
                self.wfile.write(body)

        def _drip_all(self, status: int, extra: dict[str, str], body: Drip) -> None:
            head = [f"HTTP/1.0 {status} OK", *(f"{k}: {v}" for k, v in extra.items())]
            head.append(f"Content-Length: {len(body.data)}")
            raw = ("\r\n".join(head) + "\r\n\r\n").encode() + body.data
            self._drip(Drip(raw, body.interval))

        def _drip(self, body: Drip) -> None:
            for byte in body.data:
                try:
                    self.wfile.write(bytes([byte]))
                    self.wfile.flush()
                except OSError:
                    return  # the client hung up
                time.sleep(body.interval)

        def log_message(self, *args: object) -> None:
            pass

    httpd = ThreadingHTTPServer((host, 0), Handler)
    # A short poll: shutdown() waits for it, and the default half second adds up over tests.
    thread = threading.Thread(
        target=httpd.serve_forever, kwargs={"poll_interval": 0.01}, daemon=True
    )
    thread.start()
    try:
        yield f"http://{host}:{httpd.server_address[1]}", log
    finally:
        httpd.shutdown()
        httpd.server_close()
