"""Authenticators for Zendesk's two credential kinds (API reference §2).

- API token: HTTP Basic with username `{email}/token` and the token as password.
- OAuth access token: `Authorization: Bearer`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from singer_sdk.authenticators import BasicAuthenticator, BearerTokenAuthenticator

if TYPE_CHECKING:
    from collections.abc import Mapping

    from singer_sdk.authenticators import APIAuthenticatorBase


def build_authenticator(config: Mapping[str, Any]) -> APIAuthenticatorBase:
    """The authenticator for the one complete credential set in `config`.

    The config has been validated (settings.check_config): exactly one method is complete.
    """
    if config.get("access_token"):
        return BearerTokenAuthenticator(token=config["access_token"])
    return BasicAuthenticator(username=f"{config['email']}/token", password=config["api_token"])
