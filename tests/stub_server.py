"""A tiny HTTP server answering from a test's function, for cases the sandbox never produces."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

# (status, headers, body) for a request path (with its query string) and its headers.
Answer = tuple[int, dict[str, str], bytes]
Responder = Callable[[str, dict[str, str]], Answer]


@contextmanager
def stub_server(respond: Responder) -> Iterator[tuple[str, list[tuple[str, dict[str, str]]]]]:
    """Serve `respond` on a free local port; yields (base URL, log of (path, headers))."""
    log: list[tuple[str, dict[str, str]]] = []

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            headers = dict(self.headers.items())
            log.append((self.path, headers))
            status, extra, body = respond(self.path, headers)
            self.send_response(status)
            for name, value in extra.items():
                self.send_header(name, value)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args: object) -> None:
            pass

    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}", log
    finally:
        httpd.shutdown()
        httpd.server_close()
