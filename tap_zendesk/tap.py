"""TapZendesk: settings, the stream list, and how a run ends."""

from __future__ import annotations

import io
import json
import sys
from functools import cached_property
from typing import IO, Any

from singer_sdk import Stream, Tap
from singer_sdk.exceptions import ConfigValidationError, FatalAPIError, RetriableAPIError

from tap_zendesk.connection import ZendeskConnection
from tap_zendesk.errors import SyncFailedError
from tap_zendesk.exports import Export, ExportWalk
from tap_zendesk.settings import CONFIG_SCHEMA, check_config
from tap_zendesk.state import StateError, upgrade_state
from tap_zendesk.streams import STREAM_TYPES
from tap_zendesk.timestamps import latest_export_start

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
    def export_walks(self) -> dict[Export, ExportWalk]:
        """This run's one read of each incremental export (see `exports.py`)."""
        return {}

    def export_walk(self, export: Export) -> ExportWalk:
        """The run's walk of `export`, shared by every stream it feeds."""
        return self.export_walks.setdefault(export, ExportWalk(export))

    @override
    def discover_streams(self) -> list[Stream]:
        return [stream_type(tap=self) for stream_type in STREAM_TYPES]

    @override
    def run_connection_test(self) -> bool:
        """Check the credentials with one request to a real, admin-only resource.

        One page of one record from the tickets export, an hour back: it proves the
        credentials and the admin role the exports need. Not `/users/me`, which answers 200
        to bad credentials; not the SDK's default, which reads a record of every stream.
        """
        stream = self.streams["tickets"]
        response = self.connection.session.get(
            f"{stream.url_base}{stream.path}",
            params={"start_time": latest_export_start() - 3600, "per_page": 1},
            auth=self.connection.authenticator,
            timeout=stream.timeout,
        )
        try:
            stream.validate_response(response)
        except (FatalAPIError, RetriableAPIError) as exc:
            self.logger.error("Connection test failed: %s", exc)  # noqa: TRY400 - one line
            raise SystemExit(1) from None
        self.logger.info("Connection test passed: Zendesk accepted the credentials")
        return True

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

    @override
    def load_state(self, state: dict[str, Any]) -> None:
        """Check the incoming state and upgrade older taps' bookmarks (see `state.py`)."""
        keys = {stream.name: stream.replication_key for stream in self.streams.values()}
        try:
            upgraded = upgrade_state(state, keys)
        except StateError as exc:
            self.logger.error("Unusable state: %s", exc)  # noqa: TRY400 - one clear line
            raise SystemExit(1) from None
        super().load_state(upgraded)

    @classmethod
    @override
    def invoke(  # type: ignore[override]
        cls,
        *,
        about: bool = False,
        about_format: str | None = None,
        config: Any = None,
        state: IO[str] | None = None,
        catalog: IO[str] | None = None,
    ) -> None:
        """Refuse a state or catalog file that is not JSON with one line, not a traceback.

        A failed sync repeats its reason as the very last line: Meltano (`meltano config
        test`) shows only the last line of a failed run, which would else be a METRIC.
        """
        try:
            super().invoke(
                about=about,
                about_format=about_format,
                config=config,
                state=_json_file(state, "state"),
                catalog=_json_file(catalog, "catalog"),
            )
        except SyncFailedError as exc:
            cls.logger.error("%s", exc.message)  # noqa: TRY400 - the reason, once more, last
            raise


def _json_file(stream: IO[str] | None, what: str) -> IO[str] | None:
    """`stream` re-wrapped after checking it holds a JSON object; one line and exit if not."""
    if stream is None:
        return None
    text = stream.read()
    try:
        parsed = json.loads(text)
    except json.JSONDecodeError as exc:
        problem = f"not valid JSON ({exc.msg} at line {exc.lineno})"
    else:
        if isinstance(parsed, dict):
            return io.StringIO(text)
        problem = f"a JSON {type(parsed).__name__}, not an object"
    name = getattr(stream, "name", what)
    TapZendesk.logger.error("The %s file %s is %s: fix or delete it", what, name, problem)
    raise SystemExit(1)


if __name__ == "__main__":
    TapZendesk.cli()
