"""The OAuth token endpoint ``POST /oauth/tokens`` (reference §2.1) and the tokens it issues.

Grants: ``client_credentials`` (an access token, no refresh token) and ``refresh_token`` (a new
access token and a new refresh token; the used one is revoked at once: rotation). One refresh
token is valid at a time, starting with :attr:`Credentials.refresh_token`. Issued access tokens
expire ``token_lifetime`` seconds after issue by the server clock. The endpoint reads only the
request body (form-encoded or JSON) and never logs or echoes what it receives.
"""

from __future__ import annotations

import hmac
import json
import secrets
import threading
from collections import Counter
from collections.abc import Callable
from urllib.parse import parse_qsl

from tap_zendesk.sandbox.api import Next, Request, Response
from tap_zendesk.sandbox.auth import Credentials

TOKEN_PATH = "/oauth/tokens"  # noqa: S105 - a URL path, not a secret
SCOPE = "read"
REFRESH_TOKEN_LIFETIME = 2_592_000
"""``refresh_token_expires_in`` reported with a new refresh token (30 days; not enforced)."""

INVALID_REQUEST = (
    "The request is missing a required parameter, includes an unsupported parameter value, "
    "or is otherwise malformed."
)
UNSUPPORTED_GRANT = "The authorization grant type is not supported by the authorization server."
INVALID_CLIENT = "Client authentication failed."
INVALID_GRANT = "The provided authorization grant is invalid, expired, or revoked."
NO_STORE = {"Cache-Control": "no-store", "Pragma": "no-cache"}


def oauth_error(status: int, error: str, description: str) -> Response:
    """Return an OAuth error body (RFC 6749 §5.2 shape)."""
    return Response.json(status, {"error": error, "error_description": description}, NO_STORE)


def _same(given: str | None, expected: str) -> bool:
    return given is not None and hmac.compare_digest(given.encode(), expected.encode())


def _params(request: Request) -> dict[str, str] | None:
    """Return the body's parameters (JSON or form-encoded), or None if it is unreadable."""
    content_type = request.headers.get("Content-Type", "").partition(";")[0].strip().lower()
    try:
        text = request.body.decode("utf-8")
    except UnicodeDecodeError:
        return None
    if content_type == "application/json" or (not content_type and text.lstrip()[:1] == "{"):
        try:
            payload = json.loads(text)
        except ValueError:
            return None
        if not isinstance(payload, dict):
            return None
        return {
            key: str(value)
            for key, value in payload.items()
            if isinstance(value, str) or (isinstance(value, int) and not isinstance(value, bool))
        }
    return dict(parse_qsl(text, keep_blank_values=True))


class OAuthProvider:
    """Serves the token endpoint and knows which issued access tokens are live."""

    def __init__(
        self, credentials: Credentials, *, clock: Callable[[], float], token_lifetime: int = 3600
    ) -> None:
        """Accept ``credentials``' client; issued access tokens live ``token_lifetime`` s."""
        if token_lifetime < 1:
            msg = f"token_lifetime must be at least 1 second, not {token_lifetime}"
            raise ValueError(msg)
        self.credentials = credentials
        self.token_lifetime = token_lifetime
        self._clock = clock
        self._lock = threading.Lock()
        self._access: dict[str, float] = {}  # issued access token -> expiry (epoch seconds)
        self._refresh = credentials.refresh_token
        self._issued = 0
        self._counts: Counter[str] = Counter()

    # -- for the server and tests ----------------------------------------------------------

    @property
    def current_refresh_token(self) -> str:
        """The one refresh token that works now."""
        with self._lock:
            return self._refresh

    def counts(self) -> Counter[str]:
        """Return the grants served (successfully) per grant type."""
        with self._lock:
            return Counter(self._counts)

    def is_live(self, token: str) -> bool:
        """Return whether ``token`` is an issued access token that has not expired."""
        with self._lock:
            expires_at = self._access.get(token)
        return expires_at is not None and self._clock() < expires_at

    def expire_access_tokens(self) -> None:
        """Make every access token issued so far expire now."""
        with self._lock:
            self._access.clear()

    # -- the endpoint ----------------------------------------------------------------------

    def __call__(self, request: Request, next_: Next) -> Response:
        """The middleware: answer ``POST /oauth/tokens``, pass anything else on."""
        path = request.path.rstrip("/").removesuffix(".json")
        if path != TOKEN_PATH or request.method != "POST":
            return next_(request)
        return self.token_response(request)

    def token_response(self, request: Request) -> Response:
        """Answer one token request."""
        params = _params(request)
        if params is None or not params.get("grant_type"):
            return oauth_error(400, "invalid_request", INVALID_REQUEST)
        grant = params["grant_type"]
        if grant not in ("client_credentials", "refresh_token"):
            return oauth_error(400, "unsupported_grant_type", UNSUPPORTED_GRANT)
        if not self._client_ok(params, grant):
            return oauth_error(401, "invalid_client", INVALID_CLIENT)
        if grant == "client_credentials":
            return Response.json(200, self._issue(grant), NO_STORE)
        return self._refresh_grant(params.get("refresh_token"))

    def _refresh_grant(self, given: str | None) -> Response:
        """Swap the current refresh token for a new one and a new access token."""
        if not given:
            return oauth_error(400, "invalid_request", INVALID_REQUEST)
        with self._lock:
            if not _same(given, self._refresh):
                return oauth_error(400, "invalid_grant", INVALID_GRANT)
            refresh = self._refresh = self._new_token("sandbox-refresh-token")
        body = self._issue("refresh_token")
        body |= {"refresh_token": refresh, "refresh_token_expires_in": REFRESH_TOKEN_LIFETIME}
        return Response.json(200, body, NO_STORE)

    def _client_ok(self, params: dict[str, str], grant: str) -> bool:
        """Check ``client_id`` and ``client_secret`` (optional, if given right, on refresh)."""
        if not _same(params.get("client_id"), self.credentials.client_id):
            return False
        secret = params.get("client_secret")
        if secret is None:
            return grant == "refresh_token"
        return _same(secret, self.credentials.client_secret)

    def _issue(self, grant: str) -> dict[str, str | int]:
        """Issue an access token and count the grant."""
        with self._lock:
            token = self._new_token("sandbox-oauth-access-token")
            self._access[token] = self._clock() + self.token_lifetime
            self._counts[grant] += 1
        return {
            "access_token": token,
            "token_type": "bearer",
            "scope": SCOPE,
            "expires_in": self.token_lifetime,
        }

    def _new_token(self, prefix: str) -> str:
        """Return a new, unguessable token (call with the lock held)."""
        self._issued += 1
        return f"{prefix}-{self._issued}-{secrets.token_hex(12)}"
