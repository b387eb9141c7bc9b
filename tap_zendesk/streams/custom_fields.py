"""Typed custom fields on tickets, users and organizations: the discovery step and the stream mixin.

Discovery reads the three definition lists, one request each through the definition streams'
own requests (auth, rate limit, retries), and puts typed properties on the streams
(`tap_zendesk.custom_fields`). Without credentials, or when a list answers an error (403 for a
non-admin, say), the streams keep their untyped shape and discovery warns once: it never fails.

A sync reads no definitions: the catalog's schema says which fields are typed and how (Meltano
keeps the catalog it discovered), and values are mapped by field id or key, so a field renamed
since keeps its column.
"""

from __future__ import annotations

import sys
from functools import cached_property
from typing import TYPE_CHECKING, Any, ClassVar

import requests
from singer_sdk.exceptions import FatalAPIError, RetriableAPIError

from tap_zendesk.client import ZendeskStream
from tap_zendesk.conform import Conformer
from tap_zendesk.custom_fields import (
    FieldFamily,
    ValueCounts,
    pick_values,
    typed_names,
    with_catalog_values,
    with_typed_fields,
)
from tap_zendesk.errors import CredentialsRejectedError, connection_failure
from tap_zendesk.settings import auth_errors

if sys.version_info >= (3, 12):
    from typing import override
else:
    from typing_extensions import override

if TYPE_CHECKING:
    from singer_sdk.helpers.types import Context

    from tap_zendesk.tap import TapZendesk


class CustomFieldsMixin(ZendeskStream):
    """A stream whose records carry custom field values of one `FieldFamily`."""

    custom_fields: ClassVar[FieldFamily]

    @cached_property
    def _typed_names(self) -> frozenset[str]:
        # The catalog's schema when there is one: it was typed at discovery.
        return typed_names(self.custom_fields, self.effective_schema)

    @cached_property
    @override
    def _conform(self) -> Conformer:
        """Conform custom field values to the catalog's types, the rest as every stream does."""
        schema = with_catalog_values(self.schema, self.custom_fields, self.effective_schema)
        return Conformer(self.name, schema, self.primary_keys or (), self.mask)

    @cached_property
    def custom_field_counts(self) -> ValueCounts:
        """What conformance did to this run's custom field values."""
        return ValueCounts()

    @override
    def post_process(self, row: dict, context: Context | None = None) -> dict | None:
        """Pick the typed values (tickets), conform them with the record, count the changes."""
        names = self._typed_names
        if not names:
            return super().post_process(row, context)
        family = self.custom_fields
        if family.raw_list is not None:
            pinned = self.config.get("ticket_field_names")
            row[family.values] = pick_values(row.get(family.raw_list), names, pinned)
        before = ValueCounts.snapshot(row.get(family.values), names)
        row = super().post_process(row, context)
        if row is not None:
            self.custom_field_counts.count(before, row.get(family.values))
        return row

    @override
    def log_sync_costs(self) -> None:
        """The SDK's end-of-run line, and one for the custom field values, when typed."""
        super().log_sync_costs()
        counts = self.custom_field_counts.counts
        if self._typed_names and counts:
            self.logger.info(
                "Custom fields of '%s': %d typed fields; of %d values, %d as sent, "
                "%d conformed to their field's type, %d nulled (not conformable)",
                self.name,
                len(self._typed_names),
                counts.total(),
                counts["as_sent"],
                counts["conformed"],
                counts["nulled"],
            )


def type_custom_fields(tap: TapZendesk) -> None:
    """Give the streams with custom fields typed properties, from the field definitions.

    Never fails: when the definitions cannot be read, the streams keep their untyped shape
    and one warning says why.
    """
    streams = [s for s in tap.streams.values() if isinstance(s, CustomFieldsMixin)]
    families = list(dict.fromkeys(stream.custom_fields for stream in streams))
    if not families:
        return
    missing = _missing_settings(tap.config)
    if missing:
        tap.logger.warning(
            "Custom fields stay untyped (a JSON object or list of any values): %s", missing
        )
        return
    definitions: dict[FieldFamily, list[dict[str, Any]]] = {}
    failures: list[str] = []
    for family in families:
        try:
            definitions[family] = _read_definitions(tap, family)
        except (FatalAPIError, RetriableAPIError, requests.exceptions.RequestException) as exc:
            failures.append(_reason(tap, family, exc))
            if not isinstance(exc, FatalAPIError) or isinstance(exc, CredentialsRejectedError):
                break  # the other lists would fail the same way: no more requests
    for stream in streams:
        if stream.custom_fields in definitions:
            typed = with_typed_fields(
                stream.schema,
                stream.custom_fields,
                definitions[stream.custom_fields],
                tap.config.get("ticket_field_names"),
            )
            # The leaf classes declare `schema` as a plain class attribute: this instance's
            # typed schema shadows it, and the catalog is built from it.
            stream.schema = typed  # type: ignore[misc]
    if failures:
        untyped = [s.name for s in streams if s.custom_fields not in definitions]
        tap.logger.warning(
            "Custom fields stay untyped in %s: %s",
            ", ".join(untyped),
            "; ".join(failures),
        )


def _missing_settings(config: dict[str, Any]) -> str | None:
    """Why the definitions cannot be requested with this config, if they cannot."""
    if not (config.get("subdomain") or config.get("api_url")):
        return "no subdomain is configured"
    errors = auth_errors(config)
    return errors[0] if errors else None


def _read_definitions(tap: TapZendesk, family: FieldFamily) -> list[dict[str, Any]]:
    """Every definition of `family`, through its own stream's requests."""
    stream = tap.streams.get(family.definitions)
    if stream is None:  # pragma: no cover - the definition streams are always registered
        msg = f"the tap has no '{family.definitions}' stream"
        raise FatalAPIError(msg)
    return list(stream.request_records(None))


def _reason(tap: TapZendesk, family: FieldFamily, exc: Exception) -> str:
    """One line about a definitions list that could not be read."""
    if isinstance(exc, requests.exceptions.RequestException):
        return f"{family.definitions}: {connection_failure(exc, tap.connection.base_url)}"
    return f"{family.definitions}: {exc}"
