"""Authenticators for Zendesk's credential kinds (API reference §2).

- API token: HTTP Basic with username `{email}/token` and the token as password.
- OAuth access token: `Authorization: Bearer`, used as given.
- OAuth client credentials: a token from `POST /oauth/tokens`, renewed before it expires.
- OAuth refresh token: the same endpoint with `grant_type=refresh_token`. Zendesk rotates
  refresh tokens: every refresh returns a new one and invalidates the old, so the new one is
  saved to `oauth_token_file` before it is used, for the next run to find.

Every authenticator is wrapped so credentials only ever go to the Zendesk host: a URL on
another host (an attachment's `content_url`, a `next` link gone astray) is refused.
"""

from __future__ import annotations

import json
import logging
import os
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

import requests
from singer_sdk.authenticators import (
    APIAuthenticatorBase,
    BasicAuthenticator,
    BearerTokenAuthenticator,
    OAuthAuthenticator,
)
from singer_sdk.exceptions import FatalAPIError
from urllib3.util import Retry

from tap_zendesk.deadline import DeadlineAdapter
from tap_zendesk.errors import ForeignRedirectError, connection_failure, describe
from tap_zendesk.session import HostBoundSession

if TYPE_CHECKING:
    from collections.abc import Mapping

logger = logging.getLogger(__name__)

# Renew an expiring token this many seconds early, so no request carries a token that
# expires on the way.
EXPIRY_MARGIN = 120
# Retries of the token request: only failures to connect, where nothing was sent. A refresh
# grant whose answer was lost may already have rotated the refresh token; sending it again
# would fail anyway.
_TOKEN_RETRY = Retry(total=3, connect=3, read=0, status=0, other=0, backoff_factor=0.5)
# A token obtained to replace a rejected one, and rejected too within this many seconds,
# means the grant itself is bad: stop instead of renewing again.
_REPLACEMENT_GRACE = 60


class AuthenticationError(FatalAPIError):
    """Credentials could not be turned into a usable token."""


class ForeignHostError(FatalAPIError):
    """A request would have carried Zendesk credentials to another host."""


class TokenFile:
    """The OAuth tokens of the last run, kept in one JSON file written atomically.

    Zendesk invalidates a refresh token when it is used, so the rotated one must survive
    the run; a config file generated per run (as Meltano does) cannot hold it.
    """

    def __init__(self, path: str | os.PathLike[str]) -> None:
        self.path = Path(path).expanduser()

    def load(self) -> dict[str, Any]:
        """The saved tokens, or {} when there are none yet.

        Raises:
            AuthenticationError: when the file exists but is not a JSON object.
        """
        try:
            text = self.path.read_text(encoding="utf-8")
        except FileNotFoundError:
            return {}
        except OSError as exc:
            msg = f"cannot read oauth_token_file {self.path}: {exc.strerror}"
            raise AuthenticationError(msg) from None
        try:
            tokens = json.loads(text)
        except ValueError:
            tokens = None
        if not isinstance(tokens, dict):
            msg = f"oauth_token_file {self.path} is not a JSON object; delete it to start over"
            raise AuthenticationError(msg)
        return tokens

    def check_writable(self) -> None:
        """Fail before a refresh if the rotated token could not be saved afterwards.

        Raises:
            AuthenticationError: when the file's directory is not writable.
        """
        folder = self.path.parent
        if not folder.is_dir() or not os.access(folder, os.W_OK):
            msg = f"oauth_token_file {self.path}: folder {folder} is missing or not writable"
            raise AuthenticationError(msg)

    def save(self, tokens: dict[str, Any]) -> None:
        """Replace the file's contents at once (temp file, fsync, rename), readable by us only."""
        self.path.parent.mkdir(parents=True, exist_ok=True)
        handle, temp = tempfile.mkstemp(dir=self.path.parent, prefix=f".{self.path.name}.")
        try:
            with os.fdopen(handle, "w", encoding="utf-8") as stream:
                json.dump(tokens, stream)
                stream.flush()
                os.fsync(stream.fileno())
            os.chmod(temp, 0o600)
            os.replace(temp, self.path)
        except BaseException:
            Path(temp).unlink(missing_ok=True)
            raise


class ZendeskOAuthAuthenticator(OAuthAuthenticator):
    """Tokens from `POST /oauth/tokens`: client credentials, or a rotating refresh token."""

    def __init__(
        self,
        *,
        token_url: str,
        client_id: str,
        client_secret: str | None,
        refresh_token: str | None = None,
        token_file: TokenFile | None = None,
        verify: bool | str = True,
    ) -> None:
        super().__init__(
            auth_endpoint=token_url,
            client_id=client_id,
            client_secret=client_secret,
            oauth_scopes="read",
        )
        # The SDK's token session would follow a 307/308 to any host, re-sending the body
        # with client_secret or refresh_token, and retries a refused connection for ~100 s.
        self._session = HostBoundSession(token_url)
        self._session.mount_all(DeadlineAdapter(max_retries=_TOKEN_RETRY))
        self._session.verify = verify
        self._token_file = token_file
        self.refresh_token = refresh_token
        self.grants = 0
        self._renewing_rejected = False
        self._replacement: str | None = None
        if token_file is not None:
            self._resume_from(token_file.load())

    def _resume_from(self, saved: dict[str, Any]) -> None:
        """Start from the last run's tokens: its refresh token supersedes the config's."""
        if isinstance(saved.get("refresh_token"), str):
            self.refresh_token = saved["refresh_token"]
        expires_at = saved.get("expires_at")
        if isinstance(saved.get("access_token"), str) and isinstance(expires_at, int | float):
            self.access_token = saved["access_token"]
            self.last_refreshed = _utc_from(time.time())
            self.expires_in = int(expires_at - time.time())

    @property
    def oauth_request_body(self) -> dict[str, Any]:
        """The grant: `refresh_token` when one is configured, else `client_credentials`."""
        body: dict[str, Any] = {"client_id": self.client_id}
        if self.client_secret:
            body["client_secret"] = self.client_secret
        if self.refresh_token:
            return {"grant_type": "refresh_token", "refresh_token": self.refresh_token, **body}
        return {"grant_type": "client_credentials", "scope": self.oauth_scopes, **body}

    def is_token_valid(self) -> bool:
        """Valid while more than `EXPIRY_MARGIN` seconds are left (or it never expires)."""
        if self.access_token is None or self.last_refreshed is None:
            return False
        if not self.expires_in:
            return True
        age = time.time() - self.last_refreshed.timestamp()
        return self.expires_in - age > EXPIRY_MARGIN

    def update_access_token(self) -> None:
        """Get a new token; with a refresh token, save the rotated one before using it.

        Replaces the SDK's version, which knows nothing of rotation and logs the token
        endpoint's response body.

        Raises:
            AuthenticationError: when Zendesk refuses the grant or the answer is unusable.
        """
        if self._token_file is not None and self.refresh_token:
            self._token_file.check_writable()
        requested_at = time.time()
        try:
            response = self._session.post(
                self.auth_endpoint, data=self.oauth_request_body, timeout=60
            )
        except ForeignRedirectError as exc:
            raise AuthenticationError(f"OAuth token request refused: {exc}") from None
        except requests.RequestException as exc:
            msg = f"OAuth token request failed: {connection_failure(exc, self.auth_endpoint)}"
            raise AuthenticationError(msg) from None
        if not response.ok:
            msg = f"Zendesk refused the OAuth grant ({describe(response)})"
            if self.refresh_token:
                msg += (
                    "; a refresh token works once: if the last run's rotated token was lost, "
                    "authorize again"
                )
            raise AuthenticationError(msg)
        try:
            body = response.json()
            access_token = body["access_token"]
        except (ValueError, KeyError, TypeError):
            msg = "the OAuth token endpoint answered without an access_token"
            raise AuthenticationError(msg) from None
        expires_in = body.get("expires_in")
        new_refresh = body.get("refresh_token")
        if self.refresh_token and isinstance(new_refresh, str) and self._token_file is not None:
            self._token_file.save(
                {
                    "refresh_token": new_refresh,
                    "access_token": access_token,
                    "expires_at": int(requested_at + expires_in) if expires_in else None,
                }
            )
        if isinstance(new_refresh, str):
            self.refresh_token = new_refresh
        self.access_token = access_token
        self.expires_in = int(expires_in) if expires_in else None
        self.last_refreshed = _utc_from(requested_at)
        self._replacement = access_token if self._renewing_rejected else None
        self._renewing_rejected = False
        self.grants += 1
        logger.info("Obtained a new OAuth access token (expires in %s s)", self.expires_in)

    def renew_after_rejection(self) -> bool:
        """Forget a token Zendesk rejected (expired early, revoked); False to give up.

        Giving up when the token that replaced a rejected one is rejected within a minute:
        the grant itself is bad, and renewing again would loop.
        """
        if self.access_token is None or self.last_refreshed is None:
            return False
        age = time.time() - self.last_refreshed.timestamp()
        if self.access_token == self._replacement and age < _REPLACEMENT_GRACE:
            return False
        self.last_refreshed = None
        self._renewing_rejected = True
        return True


class HostBoundAuthenticator(APIAuthenticatorBase):
    """Adds credentials only to requests for the Zendesk host; refuses any other host."""

    def __init__(self, inner: APIAuthenticatorBase, base_url: str) -> None:
        super().__init__()
        self.inner = inner
        self._netloc = urlsplit(base_url).netloc.lower()

    def authenticate_request(self, request: requests.PreparedRequest) -> requests.PreparedRequest:
        """Authenticate `request` if it goes to the Zendesk host.

        Raises:
            ForeignHostError: when it goes anywhere else.
        """
        netloc = urlsplit(request.url or "").netloc.lower()
        if netloc != self._netloc:
            msg = f"refusing to send Zendesk credentials to {netloc or 'a relative URL'}"
            raise ForeignHostError(msg)
        return self.inner(request)


def build_authenticator(
    config: Mapping[str, Any], base_url: str, *, verify: bool | str = True
) -> HostBoundAuthenticator:
    """The authenticator for the one credential set in `config` (validated beforehand)."""
    inner: APIAuthenticatorBase
    if config.get("access_token"):
        inner = BearerTokenAuthenticator(token=config["access_token"])
    elif config.get("client_id"):
        token_file = config.get("oauth_token_file")
        inner = ZendeskOAuthAuthenticator(
            token_url=f"{base_url}/oauth/tokens",
            client_id=config["client_id"],
            client_secret=config.get("client_secret"),
            refresh_token=config.get("refresh_token"),
            token_file=TokenFile(token_file) if token_file else None,
            verify=verify,
        )
    else:
        inner = BasicAuthenticator(
            username=f"{config['email']}/token", password=config["api_token"]
        )
    return HostBoundAuthenticator(inner, base_url)


def _utc_from(epoch: float) -> datetime:
    return datetime.fromtimestamp(epoch, tz=UTC)
