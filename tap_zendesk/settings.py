"""Settings: the config JSON schema, and the checks JSON schema cannot express.

Setting names follow the existing Meltano Hub tap-zendesk variants (`subdomain`, `email`,
`api_token`, `access_token`, `start_date`, `end_date`, `request_timeout`) so users can switch
variants without renaming anything.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from singer_sdk import typing as th

from tap_zendesk.ratelimit import DEFAULT_EXPORT_REQUESTS_PER_MINUTE
from tap_zendesk.timestamps import parse_datetime

if TYPE_CHECKING:
    from collections.abc import Mapping

DEFAULT_REQUEST_TIMEOUT = 120
DEFAULT_MAX_RETRIES = 8
DEFAULT_MAX_RETRY_AFTER = 300

# One DNS label: letters, digits and inner hyphens, at most 63 characters.
_DNS_LABEL = re.compile(r"^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$")
_LOCAL_HOSTS = {"localhost", "127.0.0.1", "::1"}

# The credential sets that authenticate a request: each is recognised by its marker setting
# and needs its required settings. Exactly one may be given.
AUTH_METHODS: dict[str, tuple[str, tuple[str, ...]]] = {
    "API token": ("api_token", ("email", "api_token")),
    "OAuth access token": ("access_token", ("access_token",)),
    "OAuth refresh token": ("refresh_token", ("refresh_token", "client_id", "oauth_token_file")),
    "OAuth client credentials": ("client_secret", ("client_id", "client_secret")),
}

CONFIG_SCHEMA = th.PropertiesList(
    th.Property(
        "subdomain",
        th.StringType,
        required=True,
        title="Subdomain",
        description=(
            "Your Zendesk subdomain: `acme` for https://acme.zendesk.com. "
            "`acme.zendesk.com` and `https://acme.zendesk.com/` are accepted too."
        ),
        examples=["acme"],
    ),
    th.Property(
        "email",
        th.StringType,
        title="Email",
        description="Email of the Zendesk user the API token belongs to (API token auth).",
        requires_properties=["api_token"],
    ),
    th.Property(
        "api_token",
        th.StringType,
        secret=True,
        title="API token",
        description=(
            "Zendesk API token, used with `email` (HTTP Basic `{email}/token:{api_token}`). "
            "Zendesk is retiring API tokens; prefer OAuth."
        ),
        requires_properties=["email"],
    ),
    th.Property(
        "access_token",
        th.StringType,
        secret=True,
        title="OAuth access token",
        description="OAuth access token, sent as `Authorization: Bearer`.",
    ),
    th.Property(
        "client_id",
        th.StringType,
        title="OAuth client ID",
        description=(
            "OAuth client (Admin Center > Apps and integrations > APIs > OAuth Clients): with "
            "`client_secret` for the client-credentials grant, or with `refresh_token`."
        ),
    ),
    th.Property(
        "client_secret",
        th.StringType,
        secret=True,
        title="OAuth client secret",
        description="Secret of the OAuth client (`client_id`).",
    ),
    th.Property(
        "refresh_token",
        th.StringType,
        secret=True,
        title="OAuth refresh token",
        description=(
            "OAuth refresh token. Zendesk rotates it on every use, so the tap saves the new "
            "one in `oauth_token_file` and reads it from there on later runs."
        ),
    ),
    th.Property(
        "oauth_token_file",
        th.StringType,
        title="OAuth token file",
        description=(
            "Where the rotated refresh token (and the current access token) are kept between "
            "runs, written atomically with mode 0600. Required with `refresh_token`."
        ),
    ),
    th.Property(
        "start_date",
        th.DateTimeType,
        title="Start date",
        description=(
            "Earliest change to extract on the first run (ISO 8601). Later runs resume from "
            "the state. Defaults to the beginning of the account."
        ),
    ),
    th.Property(
        "end_date",
        th.DateTimeType,
        title="End date",
        description=(
            "Optional upper bound (exclusive) for a bounded backfill: records changed at or "
            "after it are not emitted and the bookmark never passes it."
        ),
    ),
    th.Property(
        "request_timeout",
        th.IntegerType(minimum=1),
        default=DEFAULT_REQUEST_TIMEOUT,
        title="Request timeout",
        description="Seconds to wait for Zendesk to answer one request before retrying it.",
    ),
    th.Property(
        "max_retries",
        th.IntegerType(minimum=0),
        default=DEFAULT_MAX_RETRIES,
        title="Maximum retries",
        description=(
            "How many times one request is retried after a 429, a 5xx, a timeout, a dropped "
            "connection or a malformed body before the sync fails."
        ),
    ),
    th.Property(
        "max_retry_after",
        th.IntegerType(minimum=0),
        default=DEFAULT_MAX_RETRY_AFTER,
        title="Longest Retry-After",
        description=(
            "Seconds the tap waits at most when Zendesk answers 429 or 503 with Retry-After; "
            "a longer Retry-After fails the sync with a line saying what Zendesk asked for."
        ),
    ),
    th.Property(
        "max_requests_per_minute",
        th.IntegerType(minimum=1),
        title="Maximum requests per minute",
        description=(
            "Account-wide request budget the tap keeps under (all streams together). Unset: "
            "follow Zendesk's X-Rate-Limit-Remaining headers. Set it below your plan's limit "
            "(200 to 2,500) to leave room for other API clients."
        ),
    ),
    th.Property(
        "export_requests_per_minute",
        th.IntegerType(minimum=1),
        default=DEFAULT_EXPORT_REQUESTS_PER_MINUTE,
        title="Incremental export requests per minute",
        description=(
            "Budget for the incremental export endpoints: 10 per minute by default, 30 with "
            "Zendesk's High Volume API add-on."
        ),
    ),
    th.Property(
        "user_agent",
        th.StringType,
        title="User agent",
        description="User-Agent header for API requests. Defaults to `tap-zendesk/<version>`.",
    ),
    th.Property(
        "api_url",
        th.StringType,
        title="API base URL",
        description=(
            "Override of the base URL (default `https://{subdomain}.zendesk.com`), for the "
            "bundled sandbox or an HTTPS proxy. Plain http is accepted only for localhost."
        ),
    ),
    th.Property(
        "ticket_field_names",
        th.ObjectType(additional_properties=th.StringType),
        title="Ticket field names",
        description=(
            "Readable, stable names for custom ticket fields: an object mapping a field id to "
            'the property name its typed value gets in `custom_field_values` ({"360012345": '
            '"product"}). Fields not named here are named by their id. Renaming the field in '
            "Zendesk does not change the name; run discovery again after changing this."
        ),
    ),
    # The SDK reads this setting but does not declare it (singer-sdk 0.54).
    th.Property(
        "emit_activate_version_messages",
        th.BooleanType,
        default=False,
        title="Emit ACTIVATE_VERSION messages",
        description=(
            "Send ACTIVATE_VERSION around every full-table stream, so that a target can mark "
            "(or, with target-postgres `hard_delete`, remove) rows Zendesk no longer lists: "
            "removed memberships, deleted macros, triggers, fields. Only for targets that "
            "support it."
        ),
    ),
).to_dict()


def normalise_subdomain(value: str) -> str:
    """Return the bare subdomain label for `acme`, `acme.zendesk.com` or a full URL.

    Raises:
        ValueError: when what is left is not a single DNS label.
    """
    text = value.strip().lower()
    if "://" in text:
        text = urlsplit(text).netloc
    text = text.rstrip("/")
    text = text.removesuffix(".zendesk.com")
    if not _DNS_LABEL.match(text):
        msg = (
            f"subdomain {value!r} is not a Zendesk subdomain: expected a single DNS label such "
            "as 'acme' (letters, digits and hyphens), or 'acme.zendesk.com'"
        )
        raise ValueError(msg)
    return text


def validate_api_url(value: str) -> str:
    """Return `value` without a trailing slash, refusing plain http to remote hosts.

    Raises:
        ValueError: when the URL is not http(s), or is plain http to a non-local host.
    """
    parts = urlsplit(value.strip())
    if parts.scheme not in {"http", "https"} or not parts.hostname:
        msg = f"api_url {value!r} is not an http(s) URL"
        raise ValueError(msg)
    if parts.scheme == "http" and parts.hostname not in _LOCAL_HOSTS:
        msg = (
            f"api_url {value!r} uses plain http: credentials would cross the network "
            "unencrypted. Use https (plain http is allowed only for localhost)"
        )
        raise ValueError(msg)
    return value.strip().rstrip("/")


def auth_errors(config: Mapping[str, Any]) -> list[str]:
    """Explain why `config` does not hold exactly one complete set of credentials."""
    given = [name for name, (marker, _) in AUTH_METHODS.items() if config.get(marker)]
    if config.get("refresh_token"):
        # client_secret may go with a refresh token; it does not make a second method then.
        given = [name for name in given if name != "OAuth client credentials"]
    if len(given) > 1:
        return [f"credentials for {' and '.join(given)} are all set: keep exactly one"]
    if not given:
        if config.get("email"):
            return ["incomplete credentials: API token is missing api_token"]
        if config.get("client_id"):
            return ["incomplete credentials: OAuth needs client_secret or refresh_token"]
        return [
            "no credentials: set email and api_token, access_token, client_id and "
            "client_secret, or client_id, refresh_token and oauth_token_file"
        ]
    name = given[0]
    missing = [key for key in AUTH_METHODS[name][1] if not config.get(key)]
    if missing:
        return [f"incomplete credentials: {name} is missing {', '.join(missing)}"]
    return []


def _field_name_errors(names: Any) -> list[str]:
    """What is wrong with `ticket_field_names` (ids -> property names), if anything."""
    if not isinstance(names, dict):
        return []  # absent, or the schema's own error
    errors = [
        f"ticket_field_names: key {field_id!r} is not a ticket field id (digits only)"
        for field_id in names
        if not str(field_id).isdigit()
    ]
    valid = [n for n in names.values() if isinstance(n, str) and n.strip()]
    if len(valid) != len(names):
        errors.append("ticket_field_names: every name must be a non-empty string")
    duplicates = sorted({n for n in valid if valid.count(n) > 1})
    if duplicates:
        errors.append(f"ticket_field_names: {', '.join(duplicates)} named twice")
    if clashes := sorted(n for n in valid if n.isdigit() and n not in names):
        errors.append(f"ticket_field_names: {', '.join(clashes)} would clash with a field id")
    return errors


def check_config(config: dict[str, Any]) -> list[str]:
    """Normalise `config` in place and return the errors JSON schema cannot express."""
    errors: list[str] = []
    if isinstance(config.get("subdomain"), str):
        try:
            config["subdomain"] = normalise_subdomain(config["subdomain"])
        except ValueError as exc:
            errors.append(str(exc))
    if isinstance(config.get("api_url"), str):
        try:
            config["api_url"] = validate_api_url(config["api_url"])
        except ValueError as exc:
            errors.append(str(exc))
    errors += _field_name_errors(config.get("ticket_field_names"))
    for key in ("start_date", "end_date"):
        value = config.get(key)
        if isinstance(value, str):
            try:
                parse_datetime(value)
            except ValueError:
                errors.append(f"{key} {value!r} is not an ISO 8601 date or date-time")
    if (
        not errors
        and isinstance(config.get("start_date"), str)
        and isinstance(config.get("end_date"), str)
        and parse_datetime(config["end_date"]) <= parse_datetime(config["start_date"])
    ):
        errors.append("end_date must be later than start_date")
    errors.extend(auth_errors(config))
    return errors
