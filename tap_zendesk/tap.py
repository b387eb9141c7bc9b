"""TapZendesk: settings, the stream list, and how a run ends."""

from __future__ import annotations

import io
import json
import re
import sys
from collections import Counter
from functools import cached_property
from typing import IO, TYPE_CHECKING, Any

import click
import requests
from singer_sdk import Stream, Tap
from singer_sdk.exceptions import ConfigValidationError, FatalAPIError, RetriableAPIError
from singer_sdk.helpers._classproperty import classproperty

from tap_zendesk.auth import AuthenticationError, ForeignHostError
from tap_zendesk.cli import (
    environment_config,
    one_line_command,
    read_config_files,
    read_json_object,
)
from tap_zendesk.conform import Conformer
from tap_zendesk.connection import ZendeskConnection
from tap_zendesk.errors import (
    CredentialsRejectedError,
    ForeignRedirectError,
    RetryAfterError,
    RetryAfterTooLongError,
    SyncFailedError,
    connection_failure,
)
from tap_zendesk.exports import Export, ExportWalk
from tap_zendesk.progress import quiet_misleading_sdk_warnings
from tap_zendesk.settings import CONFIG_SCHEMA, check_config
from tap_zendesk.state import StateError, upgrade_state
from tap_zendesk.streams import STREAM_TYPES
from tap_zendesk.streams.custom_fields import type_custom_fields
from tap_zendesk.timestamps import latest_export_start
from tap_zendesk.writer import MessageWriter

if sys.version_info >= (3, 12):
    from typing import override
else:
    from typing_extensions import override

if TYPE_CHECKING:
    from singer_sdk.plugin_base import _ConfigInput

# Failures that would fail every other stream too, so the run ends at once: credentials
# Zendesk rejects, a host that cannot be reached or whose certificate does not verify, a
# redirect off the configured host, and an account-wide rate limit. Any other failure (a
# 403 on one resource, a 404, a stalled pagination, a 5xx or a timeout past the retries)
# fails only its stream.
_RUN_FATAL: tuple[type[BaseException], ...] = (
    CredentialsRejectedError,
    AuthenticationError,
    ForeignHostError,
    ForeignRedirectError,
    RetryAfterError,
    RetryAfterTooLongError,
    requests.exceptions.ConnectionError,
)
_FAILED_STREAM = re.compile(r"^Sync of '([^']+)' failed")


class TapZendesk(Tap):
    """Singer tap for Zendesk Support: tickets, users, organizations, groups and more."""

    name = "tap-zendesk"
    package_name = "tap-zendesk-support"
    config_jsonschema = CONFIG_SCHEMA
    # msgspec's encoding (see writer.py), counting records for the progress lines and summary.
    message_writer_class = MessageWriter

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
    def run_discovery(self) -> str:
        """Discovery, with custom fields typed from their definitions (not for --test)."""
        type_custom_fields(self)
        return super().run_discovery()

    @override
    def run_connection_test(self) -> bool:
        """Check the credentials with one request to a real, admin-only resource.

        One page of one record from the tickets export, an hour back: it proves the
        credentials and the admin role the exports need. Not `/users/me`, which answers 200
        to bad credentials; not the SDK's default, which reads a record of every stream.
        """
        stream = self.streams["tickets"]
        try:
            response = self.connection.session.get(
                f"{stream.url_base}{stream.path}",
                params={"start_time": latest_export_start() - 3600, "per_page": 1},
                auth=self.connection.authenticator,
                timeout=stream.timeout,
            )
            stream.validate_response(response)
        except (FatalAPIError, RetriableAPIError) as exc:
            self._connection_test_failed(str(exc))
        except requests.exceptions.RequestException as exc:
            self._connection_test_failed(connection_failure(exc, self.connection.base_url))
        self.logger.info("Connection test passed: Zendesk accepted the credentials")
        return True

    def _connection_test_failed(self, reason: str) -> None:
        self.logger.error("Connection test failed: %s", reason)
        raise SystemExit(1)

    @override
    def sync_all(self) -> None:
        """Sync every selected stream; a failed stream does not cost the others their run.

        The SDK's loop (singer-sdk 0.54), with each top-level stream's failure caught: a
        failure in `_RUN_FATAL` ends the run at once; any other leaves the stream's state as
        its last STATE message wrote it (its progress markers are not finalized, so nothing
        unread is skipped), the remaining streams run, and the run then fails with one last
        line naming every failed stream.
        """
        self._check_catalog_streams()
        quiet_misleading_sdk_warnings()
        self.connection.session.hooks["response"].append(self.message_writer.progress.response)
        self._reset_state_progress_markers()
        self._set_compatible_replication_methods()
        if self.state:
            self._state_writer.write_state(self.state)
        failures: list[SyncFailedError] = []
        for stream in self.streams.values():
            if not stream.selected and not stream.has_selected_descendents:
                self.logger.info("Skipping deselected stream '%s'.", stream.name)
                continue
            if stream.parent_stream_type:
                continue  # synced by its parent
            try:
                stream.sync()
            except SyncFailedError as exc:
                if isinstance(exc.__context__, _RUN_FATAL):
                    self._log_summary([_failed_stream(exc)])
                    raise
                failures.append(exc)
                continue
            stream.finalize_state_progress_markers()
        for stream in self.streams.values():
            stream.log_sync_costs()
        self._log_summary([_failed_stream(failure) for failure in failures])
        if failures:
            self._state_writer.write_state(self.state)
            raise SyncFailedError(_failed_streams_line(failures))

    def _log_summary(self, failed: list[str]) -> None:
        """The run's summary: records, requests, values nulled and records skipped."""
        nulled: dict[str, Counter[str]] = {}
        skipped: Counter[str] = Counter()
        for stream in self.streams.values():
            conformer = stream.__dict__.get("_conform")  # built only by a stream that read
            if isinstance(conformer, Conformer):
                nulled[stream.name] = Counter(conformer.nulled)
                skipped[stream.name] = conformer.skipped
        progress = self.message_writer.progress  # type: ignore[attr-defined]
        for line in progress.summary(nulled, skipped, failed):
            self.logger.info("%s", line)

    def _check_catalog_streams(self) -> None:
        """Warn about selected catalog streams this tap does not have; fail if nothing is left.

        A catalog from another tap-zendesk variant or an older version may name streams this
        one lacks; the others still run. A catalog that selects none of ours would otherwise
        end in exit 0 with no output at all.
        """
        if self.input_catalog is None:
            return
        unknown = sorted(
            stream_id
            for stream_id, entry in self.input_catalog.items()
            if stream_id not in self.streams and entry.metadata.resolve_selection().get((), False)
        )
        if not unknown:
            return
        names = ", ".join(unknown)
        if any(stream.selected for stream in self.streams.values()):
            self.logger.warning(
                "The catalog selects streams this tap does not have, skipped: %s", names
            )
            return
        message = (
            f"The catalog selects no stream this tap has (unknown: {names}): "
            "write a new catalog with --discover"
        )
        self.logger.error("%s", message)
        raise SyncFailedError(message)

    @classmethod
    @override
    def get_singer_command(cls) -> click.Command:
        """The SDK's command, reporting every failure a user can cause in one line."""
        return one_line_command(super().get_singer_command(), cls.logger)

    @classmethod
    @override
    def cb_config(
        cls, ctx: click.Context, param: click.Option, value: tuple[str, ...]
    ) -> _ConfigInput:
        """Check every `--config` file first: one line for a missing or broken one."""
        read_config_files(value)
        return super().cb_config(ctx, param, value)

    @classproperty
    def _env_var_config(cls) -> dict[str, Any]:
        """`TAP_ZENDESK_*` settings; one line naming a variable that does not parse."""
        schema = cls.config_jsonschema
        cls.append_builtin_config(schema)
        return environment_config(schema, cls._env_var_prefix)

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
        state: str | None = None,
        catalog: str | None = None,
    ) -> None:
        """Refuse a state or catalog file that is not a JSON object with one line.

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


def _json_file(path: str | None, what: str) -> IO[str] | None:
    """The `what` file at `path`, checked to hold a JSON object, as the SDK reads it."""
    if path is None:
        return None
    return io.StringIO(json.dumps(read_json_object(path, what)))


def _failed_stream(failure: SyncFailedError) -> str:
    """The stream a failure's message names."""
    match = _FAILED_STREAM.match(failure.message)
    return match[1] if match else "?"


def _failed_streams_line(failures: list[SyncFailedError]) -> str:
    """The run's last line: every failed stream and why, after the others finished."""
    names = [_failed_stream(failure) for failure in failures]
    reasons = "; ".join(failure.message for failure in failures)
    count = f"{len(names)} stream{'s' if len(names) > 1 else ''}"
    return f"Sync failed for {count} ({', '.join(names)}), the others finished: {reasons}"


if __name__ == "__main__":
    TapZendesk.cli()
