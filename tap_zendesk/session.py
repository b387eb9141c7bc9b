"""The HTTP session of a run: redirects stay on the Zendesk host, and it knows if it got through."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

import requests

from tap_zendesk.errors import ForeignRedirectError

if TYPE_CHECKING:
    from requests.adapters import BaseAdapter

_DEFAULT_PORTS = {"http": 80, "https": 443}


def origin(url: str) -> tuple[str, str, int | None]:
    """Scheme, host and port of `url`, as a browser's same-origin check compares them."""
    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    try:
        port = parts.port or _DEFAULT_PORTS.get(scheme)
    except ValueError:  # not a port number (a hostile Location): matches no origin of ours
        port = -1
    return scheme, (parts.hostname or "").lower(), port


class HostBoundSession(requests.Session):
    """A session that follows redirects only within the origin of `base_url`.

    Redirects are decided in `rebuild_auth`, requests' own hook for "where do the
    credentials go after a redirect", which it calls for every hop before sending it:

    - To another origin (another host, port or scheme, including https to http): the
      request fails with `ForeignRedirectError` before anything is sent there, so no
      credential, cookie or body (a 307/308 re-sends a POST body, `client_secret` and
      `refresh_token` included) leaves the configured host, and nothing read there can
      become a record. requests' default would follow, only dropping `Authorization`.
    - Within the origin: followed as requests does, credentials and a 307/308 body kept;
      Zendesk is the host the user configured either way.

    `reached` turns true with the first HTTP response of the run, whatever its status:
    until then a failure to connect means the host cannot be reached at all (refused, no
    such host), which retrying will not change.
    """

    def __init__(self, base_url: str) -> None:
        super().__init__()
        self.base_origin = origin(base_url)
        self.reached = False

    def send(self, request: requests.PreparedRequest, **kwargs: Any) -> requests.Response:  # type: ignore[override]
        """Send as requests does, and remember that the host answered."""
        response = super().send(request, **kwargs)
        self.reached = True
        return response

    def rebuild_auth(
        self, prepared_request: requests.PreparedRequest, response: requests.Response
    ) -> None:
        """Refuse a redirect off the configured origin; else keep requests' behaviour.

        Raises:
            ForeignRedirectError: when the redirect leads to another origin.
        """
        target = prepared_request.url or ""
        if origin(target) != self.base_origin:
            source, parts = response.request, urlsplit(target)
            msg = (
                f"{response.status_code} redirect of {source.method} "
                f"{urlsplit(source.url or '').path} to {parts.scheme}://{parts.netloc}, another "
                "host than the configured one: not followed"
            )
            raise ForeignRedirectError(msg)
        super().rebuild_auth(prepared_request, response)

    def mount_all(self, adapter: BaseAdapter) -> None:
        """Use `adapter` for http and https alike."""
        self.mount("https://", adapter)
        self.mount("http://", adapter)
