"""ZendeskStream: URL, auth, status handling and retries shared by every stream."""

from __future__ import annotations

import logging
import random
import sys
from functools import cached_property
from http import HTTPStatus
from typing import TYPE_CHECKING, Any, ClassVar, NoReturn
from urllib.parse import urlsplit

import backoff
import requests
from singer_sdk import RESTStream
from singer_sdk.exceptions import FatalAPIError, RetriableAPIError
from singer_sdk.helpers.conform import TypeConformanceLevel
from urllib3.exceptions import NewConnectionError

from tap_zendesk import __version__
from tap_zendesk.auth import HostBoundAuthenticator, ZendeskOAuthAuthenticator
from tap_zendesk.conform import Conformer, record_messages
from tap_zendesk.deletions import DELETED_AT, DELETED_AT_PROPERTY, DeletedWhen
from tap_zendesk.errors import (
    CredentialsRejectedError,
    InvalidCursorError,
    RecordNotFoundError,
    RequestDeadlineError,
    RetryAfterError,
    RetryAfterTooLongError,
    StartTimeTooRecentError,
    StreamUnavailableError,
    SyncFailedError,
    connection_failure,
    describe,
    error_code,
    retry_after_seconds,
)
from tap_zendesk.payload import json_object
from tap_zendesk.settings import (
    DEFAULT_MAX_RETRIES,
    DEFAULT_MAX_RETRY_AFTER,
    DEFAULT_REQUEST_TIMEOUT,
)
from tap_zendesk.timestamps import to_epoch

if sys.version_info >= (3, 12):
    from typing import override
else:
    from typing_extensions import override

if TYPE_CHECKING:
    from collections.abc import Generator, Iterable

    from backoff.types import Details
    from singer_sdk.helpers.types import Context, RequestFunc

    from tap_zendesk.connection import ZendeskConnection
    from tap_zendesk.tap import TapZendesk

# Waits for retries Zendesk gave no `Retry-After` for: exponential from 1 s, capped, with the
# jitter taken off, never added, so no wait exceeds the cap.
_FIRST_WAIT = 1.0
_MAX_WAIT = 60.0
# A 429 without `Retry-After`: wait out the rest of Zendesk's one-minute window.
_RATE_LIMIT_FALLBACK_WAIT = 60.0


class ZendeskStream(RESTStream[Any]):
    """Base stream: every Zendesk request goes through here."""

    #: The key of the records list in a response body (`tickets`, `users`, ...).
    records_key: ClassVar[str]
    #: A 403 means the account's plan lacks the feature: warn and emit nothing.
    plan_gated: ClassVar[bool] = False
    # `conform.py` does the SDK's recursive pass too, in the same walk: one pass per record.
    TYPE_CONFORMANCE_LEVEL = TypeConformanceLevel.NONE
    _generate_record_messages = record_messages
    #: How the records say they are deleted (`deletions.py`); None: they cannot.
    deleted_when: ClassVar[DeletedWhen | None] = None

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        schema = cls.__dict__.get("schema")
        if cls.deleted_when is not None and isinstance(schema, dict):
            cls.schema = {
                **schema,
                "properties": {**schema["properties"], DELETED_AT: DELETED_AT_PROPERTY},
            }

    def __init__(self, tap: TapZendesk, **kwargs: Any) -> None:
        self.connection: ZendeskConnection = tap.connection
        self._began = False
        self._schema_written = False
        super().__init__(tap, **kwargs)

    # Once per run. singer-sdk 0.54 syncs a child stream once per parent record and each
    # sync logs "Beginning sync" and writes the SCHEMA again; some targets flush a batch per
    # SCHEMA message. The SDK offers no hook for either but these two.

    @override
    def log(self, message: str, *args: Any, level: int = logging.INFO, **kwargs: Any) -> None:
        if message.startswith("Beginning sync of"):
            if self._began:
                return
            self._began = True
        super().log(message, *args, level=level, **kwargs)

    @override
    def _write_schema_message(self) -> None:
        if self._schema_written:
            return
        self._schema_written = True
        super()._write_schema_message()

    @property
    @override
    def url_base(self) -> str:
        return f"{self.connection.base_url}/api/v2"

    @property
    @override
    def authenticator(self) -> HostBoundAuthenticator:
        return self.connection.authenticator

    @property
    @override
    def requests_session(self) -> requests.Session:
        return self.connection.session

    @property
    @override
    def http_headers(self) -> dict:
        return {"Accept": "application/json"}

    @cached_property
    @override
    def user_agent(self) -> str:
        return self.config.get("user_agent") or f"tap-zendesk/{__version__}"

    @property
    @override
    def timeout(self) -> int:
        """Seconds for a whole request: connect, headers and body (see `deadline.py`)."""
        return int(self.config.get("request_timeout") or DEFAULT_REQUEST_TIMEOUT)

    @property
    def max_retry_after(self) -> float:
        """The longest `Retry-After` the tap waits; a longer one fails the request."""
        return float(self.config.get("max_retry_after", DEFAULT_MAX_RETRY_AFTER))

    @override
    def compare_start_date(self, value: Any, start_date_value: str) -> Any:
        """The later of a bookmark and `start_date`; bookmarks may be epoch integers."""
        return value if to_epoch(value) >= to_epoch(start_date_value) else start_date_value

    # Responses

    @override
    def validate_response(self, response: requests.Response) -> None:
        """Sort a response into retry, skip, restart or fail (API reference §7)."""
        status = response.status_code
        if status in {HTTPStatus.TOO_MANY_REQUESTS, HTTPStatus.SERVICE_UNAVAILABLE}:
            retry_after = retry_after_seconds(response)
            if retry_after is not None and retry_after > self.max_retry_after:
                msg = (
                    f"{describe(response)}: Zendesk asked to retry after {retry_after:g} s "
                    f"(Retry-After), more than max_retry_after ({self.max_retry_after:g} s)"
                )
                raise RetryAfterTooLongError(msg)
            raise RetryAfterError(describe(response), response, retry_after)
        if status >= HTTPStatus.INTERNAL_SERVER_ERROR:
            raise RetriableAPIError(describe(response), response)
        if status == HTTPStatus.UNAUTHORIZED and self._renew_token():
            msg = f"{describe(response)}: the OAuth access token was rejected; renewing it"
            raise RetriableAPIError(msg, response)
        if status >= HTTPStatus.BAD_REQUEST:
            raise self._client_error(response)
        if status >= HTTPStatus.MULTIPLE_CHOICES:
            # A redirect requests did not follow: no Location (off-host ones fail earlier).
            raise FatalAPIError(f"{describe(response)}: a redirect without a usable Location")
        try:
            body = json_object(response)
        except ValueError as exc:
            msg = f"{describe(response)}: the body is not valid JSON ({exc})"
            raise RetriableAPIError(msg, response) from exc
        if not isinstance(body.get(self.records_key), list):
            msg = f"{describe(response)}: the body has no '{self.records_key}' list"
            raise RetriableAPIError(msg, response)

    def _renew_token(self) -> bool:
        """After a 401, renew an OAuth token that may have expired early (once per token)."""
        inner = self.connection.authenticator.inner
        return isinstance(inner, ZendeskOAuthAuthenticator) and inner.renew_after_rejection()

    def _client_error(self, response: requests.Response) -> FatalAPIError:
        """The exception for a 4xx response."""
        status = response.status_code
        code = error_code(response).lower()
        where = describe(response)
        if status == HTTPStatus.UNAUTHORIZED:
            return CredentialsRejectedError(
                f"Zendesk rejected the credentials ({where}): check email and api_token, "
                "or access_token, and that API access is enabled for the account"
            )
        if status == HTTPStatus.FORBIDDEN:
            return StreamUnavailableError(f"no access to '{self.name}' ({where})")
        if status == HTTPStatus.NOT_FOUND:
            return RecordNotFoundError(where, path=urlsplit(response.url).path)
        if "too recent" in code or "starttimetoorecent" in code:
            return StartTimeTooRecentError(where)
        if status == HTTPStatus.BAD_REQUEST and ("cursor" in code or "pagination" in code):
            return InvalidCursorError(where)
        return FatalAPIError(where)

    @override
    def response_error_message(self, response: requests.Response) -> str:
        return describe(response)

    @cached_property
    def _conform(self) -> Conformer:
        # An unselected parent is read only for its children's contexts: keep its ids.
        mask = self.mask if self.selected else None
        return Conformer(self.name, self.schema, self.primary_keys or (), mask)

    @override
    def post_process(self, row: dict, context: Context | None = None) -> dict | None:
        """Coerce values of the wrong type (see `conform.py`); mark deletions."""
        row = self._conform(row)
        if row is not None and self.deleted_when is not None:
            self.deleted_when.mark(row)
        return row

    @override
    def parse_response(self, response: requests.Response) -> Iterable[dict]:
        for item in json_object(response)[self.records_key]:
            if isinstance(item, dict):
                yield item
            else:
                self.logger.warning(
                    "Skipping a '%s' item that is a %s, not an object",
                    self.records_key,
                    type(item).__name__,
                )

    @override
    def get_records(self, context: Context | None) -> Iterable[dict[str, Any]]:
        """Read the stream; end a failed run with one clear line instead of a traceback."""
        try:
            yield from self.read_records(context)
        except StreamUnavailableError as exc:
            if not self.plan_gated:
                self._fail(exc)
            self.logger.warning("Skipping stream '%s': %s", self.name, exc)
        except RecordNotFoundError as exc:
            if context is None:
                self._fail(exc)
            # A per-parent endpoint (a ticket's comments, say) of a parent deleted since.
            self.logger.warning("Skipping %s: the parent is gone", exc.path)
        except (FatalAPIError, RetriableAPIError, RequestDeadlineError) as exc:
            self._fail(exc)
        except requests.exceptions.RequestException as exc:
            self._fail(connection_failure(exc, self.connection.base_url))

    def read_records(self, context: Context | None) -> Iterable[dict[str, Any]]:
        """The stream's records; subclasses add restarts, filters and shared reads here."""
        yield from self.request_records(context)

    def _fail(self, exc: Exception | str) -> NoReturn:
        # The SDK's handler would log the exception with its traceback; the message is
        # already complete and redacted.
        message = f"Sync of '{self.name}' failed: {exc}"
        self.logger.error(message)
        raise SyncFailedError(message) from None

    # Retries

    @override
    def request_decorator(self, func: RequestFunc) -> RequestFunc:
        """The SDK's retry policy, except for failures retrying cannot mend (`_give_up`)."""
        return backoff.on_exception(
            self.backoff_wait_generator,
            (
                ConnectionResetError,
                RetriableAPIError,
                requests.exceptions.Timeout,
                requests.exceptions.ConnectionError,
                requests.exceptions.ChunkedEncodingError,
                requests.exceptions.ContentDecodingError,
            ),
            max_tries=self.backoff_max_tries,
            on_backoff=self.backoff_handler,
            giveup=self._give_up,
            jitter=self.backoff_jitter,
            logger=None,  # backoff_handler logs each retry once, redacted
        )(func)

    def _give_up(self, exc: Exception) -> bool:
        """Whether `exc` fails the request at once instead of being retried.

        - A TLS certificate that does not verify will not verify on the next try either.
        - A failure to connect before the run's first HTTP response: the host cannot be
          reached at all (refused, no such host), and retrying with the default backoff
          would take minutes to say so. A connection that was made and then dropped, or any
          failure once Zendesk has answered, is a blip and is retried.
        """
        if isinstance(exc, requests.exceptions.SSLError):
            return True
        cause = getattr(exc.args[0], "reason", None) if exc.args else None
        return isinstance(cause, NewConnectionError) and not self.connection.session.reached

    @override
    def backoff_max_tries(self) -> int:
        return int(self.config.get("max_retries", DEFAULT_MAX_RETRIES)) + 1

    @override
    def backoff_wait_generator(self) -> Generator[float, Any, None]:
        """Wait exactly what Zendesk asks for in `Retry-After`; back off exponentially else.

        The SDK's default ignores `Retry-After` (singer-sdk notes §7).
        """
        attempt = 0
        exception = yield  # type: ignore[misc]  # backoff primes the generator with None
        while True:
            attempt += 1
            exception = yield self.retry_wait(exception, attempt)

    @staticmethod
    def retry_wait(exception: Exception, attempt: int) -> float:
        """Seconds to wait before retry number `attempt` after `exception`."""
        if isinstance(exception, RetryAfterError):
            if exception.retry_after is not None:
                return exception.retry_after
            if exception.response is not None and exception.response.status_code == 429:
                return _RATE_LIMIT_FALLBACK_WAIT
        wait = min(_FIRST_WAIT * 2 ** (attempt - 1), _MAX_WAIT)
        return wait - random.uniform(0, wait / 4)  # noqa: S311 - jitter, not cryptography

    @override
    def backoff_jitter(self, value: float) -> float:
        """No jitter on top: `retry_wait` has its own, and never on a `Retry-After`."""
        return value

    @override
    def backoff_handler(self, details: Details) -> None:
        """Log each retry in one line, with a redacted reason."""
        exc = details.get("exception")
        # Our messages are redacted; requests' repeat the URL with its query.
        redacted = isinstance(exc, RetriableAPIError | RequestDeadlineError)
        reason = str(exc) if redacted else type(exc).__name__
        self.logger.warning(
            "Retrying %s in %.1f s (attempt %d failed: %s)",
            self.name,
            details.get("wait") or 0.0,
            details.get("tries") or 0,
            reason,
        )
