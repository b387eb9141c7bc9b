"""TapZendesk: settings, the stream list, and how a run ends."""

from __future__ import annotations

import sys
from functools import cached_property

from singer_sdk import Stream, Tap
from singer_sdk.exceptions import ConfigValidationError

from tap_zendesk.connection import ZendeskConnection
from tap_zendesk.settings import CONFIG_SCHEMA, check_config
from tap_zendesk.sideloads import Sideloads
from tap_zendesk.streams import STREAM_TYPES

if sys.version_info >= (3, 12):
    from typing import override
else:
    from typing_extensions import override


class TapZendesk(Tap):
    """Singer tap for Zendesk Support: tickets, users, organizations, groups and more."""

    name = "tap-zendesk"
    package_name = "tap-zendesk-support"
    config_jsonschema = CONFIG_SCHEMA

    @cached_property
    def connection(self) -> ZendeskConnection:
        """Base URL, credentials, rate limiter and HTTP session shared by all streams."""
        return ZendeskConnection(self.config)

    @cached_property
    def sideloads(self) -> Sideloads:
        """Records one stream reads on behalf of another (metric sets inside tickets)."""
        return Sideloads()

    @override
    def discover_streams(self) -> list[Stream]:
        return [stream_type(tap=self) for stream_type in STREAM_TYPES]

    @override
    def _validate_config(self, *, raise_errors: bool = True) -> list[str]:
        """Add the checks JSON schema cannot express, and normalise `subdomain`.

        The SDK validates config only against the JSON schema; this is its one hook.
        """
        errors = [
            error
            for error in super()._validate_config(raise_errors=False)
            # check_config explains incomplete credentials better than the schema's
            # `requires_properties` dependency messages do.
            if "is a dependency of" not in error
        ]
        errors += check_config(self._config)
        if errors and raise_errors:
            raise ConfigValidationError(
                "Config validation failed", errors=errors, schema=self.config_jsonschema
            )
        return errors


if __name__ == "__main__":
    TapZendesk.cli()
