"""Sandbox credentials and the check of an ``Authorization`` header (reference §2)."""

from __future__ import annotations

import base64
import binascii
import enum
import hmac
from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class Credentials:
    """The credentials the sandbox accepts; sandbox-only fakes, safe to print."""

    email: str = "sandbox@example.com"
    api_token: str = "sandbox-api-token"  # noqa: S105 - a fixed fake for the local sandbox
    access_token: str = "sandbox-access-token"  # noqa: S105 - a fixed fake for the local sandbox
    client_id: str = "sandbox-client"
    client_secret: str = "sandbox-client-secret"  # noqa: S105 - a fixed fake for the local sandbox
    refresh_token: str = "sandbox-refresh-token-0"  # noqa: S105 - the initial one; rotates on use


class AuthResult(enum.Enum):
    """Outcome of checking an ``Authorization`` header."""

    OK = "ok"
    MISSING = "missing"
    BAD_BASIC = "bad_basic"
    BAD_BEARER = "bad_bearer"


def check_authorization(
    header: str | None,
    credentials: Credentials,
    issued_token: Callable[[str], bool] | None = None,
) -> AuthResult:
    """Check ``Basic base64("{email}/token:{api_token}")`` or ``Bearer {access_token}``.

    A bearer token is accepted if it is the static ``credentials.access_token`` or, when
    ``issued_token`` is given, if that says it is a live token issued by the OAuth endpoint.
    """
    if not header:
        return AuthResult.MISSING
    scheme, _, value = header.strip().partition(" ")
    value = value.strip()
    if scheme.lower() == "bearer":
        if _same(value, credentials.access_token) or (
            issued_token is not None and issued_token(value)
        ):
            return AuthResult.OK
        return AuthResult.BAD_BEARER
    if scheme.lower() == "basic":
        try:
            decoded = base64.b64decode(value, validate=True).decode("utf-8")
        except (binascii.Error, UnicodeDecodeError):
            return AuthResult.BAD_BASIC
        expected = f"{credentials.email}/token:{credentials.api_token}"
        return AuthResult.OK if _same(decoded, expected) else AuthResult.BAD_BASIC
    return AuthResult.BAD_BASIC


def _same(given: str, expected: str) -> bool:
    return hmac.compare_digest(given.encode(), expected.encode())
