"""Time arithmetic for Zendesk's two timestamp styles: ISO 8601 strings and epoch seconds."""

from __future__ import annotations

import time
from datetime import UTC, datetime

import pendulum

# Incremental exports leave out the last minute and answer 422 to a `start_time` newer than
# now - 60 s; one more second keeps clock skew between us and Zendesk from tripping it.
EXPORT_VISIBILITY_LAG = 61


def parse_datetime(value: str) -> datetime:
    """Parse an ISO 8601 date or date-time; naive values are taken as UTC.

    Raises:
        ValueError: when `value` is not ISO 8601.
    """
    try:
        parsed = pendulum.parse(value, tz="UTC")
    except (pendulum.parsing.exceptions.ParserError, ValueError) as exc:
        raise ValueError(value) from exc
    if not isinstance(parsed, datetime):
        raise ValueError(value)  # noqa: TRY004 - a bare time or a duration is bad input
    return parsed


def to_epoch(value: str | int | float | datetime) -> int:
    """Epoch seconds of an ISO string, a datetime or a number already in epoch seconds."""
    if isinstance(value, datetime):
        moment = value if value.tzinfo else value.replace(tzinfo=UTC)
        return int(moment.timestamp())
    if isinstance(value, int | float):
        return int(value)
    return int(parse_datetime(value).timestamp())


def to_iso(epoch: int) -> str:
    """ISO 8601 UTC string with a `Z` suffix, the way Zendesk writes timestamps."""
    return datetime.fromtimestamp(epoch, tz=UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def latest_export_start(now: float | None = None) -> int:
    """The newest `start_time` an incremental export accepts."""
    return int(now if now is not None else time.time()) - EXPORT_VISIBILITY_LAG
