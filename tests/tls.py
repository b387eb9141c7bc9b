"""Throwaway TLS for tests: a self-signed certificate for localhost, and a server using it."""

from __future__ import annotations

import contextlib
import socket
import ssl
import subprocess
import threading
from collections.abc import Iterator
from pathlib import Path


def localhost_context(directory: Path) -> tuple[ssl.SSLContext, Path]:
    """A server context with a new self-signed certificate for localhost, and that certificate.

    No known CA vouches for it: a client verifies it only when told to trust the file.
    """
    cert, key = directory / "cert.pem", directory / "key.pem"
    subprocess.run(
        [
            *("openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2"),
            *("-keyout", str(key), "-out", str(cert), "-subj", "/CN=localhost"),
            *("-addext", "subjectAltName=DNS:localhost"),
        ],
        check=True,
        capture_output=True,
    )
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(cert, key)
    return context, cert


@contextlib.contextmanager
def untrusted_tls_server(directory: Path) -> Iterator[str]:
    """`https://localhost:PORT` of a server whose handshakes no client trusts by default."""
    context, _ = localhost_context(directory)
    with socket.socket() as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen()
        threading.Thread(target=_handshakes, args=(listener, context), daemon=True).start()
        yield f"https://localhost:{listener.getsockname()[1]}"


def _handshakes(listener: socket.socket, context: ssl.SSLContext) -> None:
    while True:
        try:
            connection, _ = listener.accept()
        except OSError:
            return  # the listener was closed
        with contextlib.suppress(OSError), context.wrap_socket(connection, server_side=True):
            pass  # the client aborts the handshake
