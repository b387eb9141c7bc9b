"""What every stream shares: base URL, credentials, the request budget and one HTTP session."""

from __future__ import annotations

from functools import cached_property
from typing import TYPE_CHECKING, Any

from tap_zendesk.auth import HostBoundAuthenticator, build_authenticator
from tap_zendesk.ratelimit import (
    DEFAULT_EXPORT_REQUESTS_PER_MINUTE,
    RateLimitedAdapter,
    RateLimiter,
)
from tap_zendesk.session import HostBoundSession

if TYPE_CHECKING:
    from collections.abc import Mapping


class ZendeskConnection:
    """Built once per tap run from the validated config; streams borrow from it."""

    def __init__(self, config: Mapping[str, Any]) -> None:
        self._config = config

    @cached_property
    def base_url(self) -> str:
        """`api_url`, or the account's own host.

        Computed on first use, not at discovery: discovery runs before the config is
        validated, and a missing subdomain must end in the one-line config error.
        """
        return self._config.get("api_url") or f"https://{self._config['subdomain']}.zendesk.com"

    @cached_property
    def authenticator(self) -> HostBoundAuthenticator:
        """One authenticator for the run (an OAuth one must not be rebuilt per request)."""
        return build_authenticator(self._config, self.base_url, verify=self.session.verify)

    @cached_property
    def rate_limiter(self) -> RateLimiter:
        """The account-wide budget every stream draws on."""
        return RateLimiter(
            requests_per_minute=self._config.get("max_requests_per_minute"),
            export_requests_per_minute=self._config.get(
                "export_requests_per_minute", DEFAULT_EXPORT_REQUESTS_PER_MINUTE
            ),
        )

    @cached_property
    def session(self) -> HostBoundSession:
        """One session for all streams: one connection pool, one rate limiter.

        Redirects stay on the configured host and each request has a total deadline (its
        `timeout`); see `session.py` and `deadline.py`.

        The SDK sends with `Session.send()`, which skips requests' merge of environment
        settings, so `REQUESTS_CA_BUNDLE` / `CURL_CA_BUNDLE` and proxy variables would be
        ignored (singer-sdk notes §11); they are applied to the session here instead.
        """
        session = HostBoundSession(self.base_url)
        session.mount_all(RateLimitedAdapter(self.rate_limiter))
        settings = session.merge_environment_settings(self.base_url, {}, None, None, None)
        session.verify = settings["verify"]
        session.proxies.update(settings["proxies"])
        return session
