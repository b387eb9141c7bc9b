"""Zendesk error responses, classified by what the tap should do about them.

Zendesk answers errors in at least five body shapes (a string, a string plus description, an
object, an `errors` array, plain text; API reference §7), and bodies can carry customer data.
Messages built here name the status, the path and Zendesk's error code only, never the query
string, the body beyond a short code, or any header value.
"""

from __future__ import annotations

import json
import math
from http import HTTPStatus
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from requests import exceptions as requests_exceptions
from singer_sdk.exceptions import FatalAPIError, RetriableAPIError

if TYPE_CHECKING:
    import requests

_CODE_LIMIT = 120


class SyncFailedError(SystemExit):
    """Ends the run with exit code 1 once a stream failed; the message was logged."""

    def __init__(self, message: str) -> None:
        super().__init__(1)
        self.message = message


class CredentialsRejectedError(FatalAPIError):
    """401: Zendesk did not accept the configured credentials."""


class StreamUnavailableError(FatalAPIError):
    """403: the account's plan, role or token scope does not include this resource."""


class RecordNotFoundError(FatalAPIError):
    """404: the parent record is gone (a deleted ticket's comments, say)."""

    def __init__(self, message: str, *, path: str) -> None:
        super().__init__(message)
        self.path = path


class InvalidCursorError(FatalAPIError):
    """400 on a pagination or export cursor: expired or not understood."""


class StartTimeTooRecentError(FatalAPIError):
    """422 (or 400) on an export whose `start_time` is within the last minute."""


class RetryAfterError(RetriableAPIError):
    """429 or 503: retry after the number of seconds Zendesk asked for, if it did."""

    def __init__(
        self, message: str, response: requests.Response, retry_after: float | None
    ) -> None:
        super().__init__(message, response)
        self.retry_after = retry_after


class RetryAfterTooLongError(FatalAPIError):
    """429 or 503 whose `Retry-After` exceeds `max_retry_after`: failing beats sleeping."""


class ForeignRedirectError(FatalAPIError):
    """A redirect to a host other than the configured one; it is never followed."""


class PaginationStalledError(FatalAPIError):
    """A page whose successor is a position already read: following it would never end."""


class RequestDeadlineError(requests_exceptions.Timeout):
    """No complete answer (connect, headers and body) within `request_timeout` seconds."""


def error_code(response: requests.Response) -> str:
    """Zendesk's short error code and description from any of its body shapes."""
    try:
        body = json.loads(response.content)
    except ValueError:
        text = response.text.strip().splitlines()[0] if response.text.strip() else ""
        return "" if text.startswith("<") else text[:_CODE_LIMIT]  # HTML gateway pages
    parts: list[str] = []
    if isinstance(body, dict):
        error = body.get("error")
        if isinstance(error, dict):
            parts += [str(error.get("title") or ""), str(error.get("message") or "")]
        elif error is not None:
            parts.append(str(error))
        for key in ("description", "error_description"):
            if isinstance(body.get(key), str):
                parts.append(body[key])
        errors = body.get("errors")
        if isinstance(errors, list) and errors and isinstance(errors[0], dict):
            parts += [str(errors[0].get("code") or ""), str(errors[0].get("title") or "")]
    return ": ".join(p for p in parts if p)[:_CODE_LIMIT]


def describe(response: requests.Response) -> str:
    """One redacted line: status, reason, path without its query, and Zendesk's error code."""
    path = urlsplit(response.url).path
    # A successful response's body is data, never an error code: leave it out.
    code = error_code(response) if response.status_code >= HTTPStatus.BAD_REQUEST else ""
    line = f"{response.status_code} {response.reason or HTTPStatus(response.status_code).phrase}"
    line += f" for {path}"
    return f"{line} ({code})" if code else line


def retry_after_seconds(response: requests.Response) -> float | None:
    """The `Retry-After` header in seconds, when it is a number Zendesk sent."""
    value = response.headers.get("Retry-After", "").strip()
    try:
        seconds = float(value)
    except ValueError:
        return None
    if math.isnan(seconds):  # `float` accepts "nan", which no wait can honour
        return None
    return max(seconds, 0.0)


def connection_failure(exc: requests.exceptions.RequestException, base_url: str) -> str:
    """One line for a request that got no HTTP answer; never the URL's query string."""
    import requests  # noqa: PLC0415 - the module imports it only for type checking

    if isinstance(exc, requests.exceptions.SSLError):
        return (
            f"the TLS certificate of {base_url} did not verify; for a private CA, point "
            "REQUESTS_CA_BUNDLE at its certificate"
        )
    if isinstance(exc, requests.exceptions.Timeout):
        return f"{base_url} did not answer in time ({type(exc).__name__})"
    # The exception's own text repeats the URL with its query: name the cause instead.
    return f"could not reach {base_url}: {_unreachable_cause(exc)}"


def _unreachable_cause(exc: Exception) -> str:
    """`connection refused`, `unknown host` or the exception's type, from urllib3's chain."""
    import urllib3  # noqa: PLC0415 - only needed on this rare path

    reason = getattr(exc.args[0], "reason", None) if exc.args else None
    if isinstance(reason, urllib3.exceptions.NameResolutionError):
        return "unknown host (the name does not resolve)"
    if isinstance(reason, urllib3.exceptions.NewConnectionError) and "refused" in str(reason):
        return "connection refused"
    return type(exc).__name__
