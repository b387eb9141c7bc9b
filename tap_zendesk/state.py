"""Incoming state: checked, and upgraded from the shapes older taps wrote.

Users switching from the singer-io or twilio-labs variants bring bookmarks such as
`{"bookmarks": {"tickets": {"generated_timestamp": "2024-01-01T00:00:00Z"}}}`; they are turned
into the SDK's `replication_key` / `replication_key_value` form so the switch re-reads nothing.
A state that is not a JSON object is refused in one line. A bookmark the tap cannot trust
is dropped with one warning and its stream restarts from `start_date` (duplicates, never a
gap; the other streams keep theirs): a value that is not a timestamp, a timestamp more than
five minutes in the future (it would skip every change until then), or a bookmark written
for another replication key. A resume point (export cursor or position) that is unusable or
in the future is dropped alone: the stream resumes from its bookmark.
"""

from __future__ import annotations

import logging
import time
from typing import Any

from tap_zendesk.timestamps import to_epoch, to_iso

logger = logging.getLogger(__name__)

# Resume points our exports keep beside the bookmark; meaningless without it.
_RESUME_KEYS = ("after_cursor", "start_time", "export_position")
# Resume points in epoch seconds, and the one that is an opaque export cursor.
_EPOCH_RESUME_KEYS = ("start_time", "export_position")
# Clock skew between Zendesk and this machine that a bookmark may show without being wrong.
FUTURE_TOLERANCE = 300


class StateError(ValueError):
    """The state cannot be used at all."""


def upgrade_state(
    state: Any, replication_keys: dict[str, str | None], now: float | None = None
) -> dict[str, Any]:
    """A clean copy of `state` for streams whose replication keys are `replication_keys`.

    Raises:
        StateError: when `state` is not an object with an object of bookmarks.
    """
    if not isinstance(state, dict):
        msg = f"the state must be a JSON object, not {type(state).__name__}"
        raise StateError(msg)
    bookmarks = state.get("bookmarks", {})
    if not isinstance(bookmarks, dict):
        msg = "the state's 'bookmarks' must be a JSON object"
        raise StateError(msg)
    latest = int(time.time() if now is None else now) + FUTURE_TOLERANCE
    upgraded: dict[str, Any] = {}
    for stream, stream_state in bookmarks.items():
        if not isinstance(stream_state, dict):
            logger.warning("Dropping the bookmark of '%s': not a JSON object", stream)
            continue
        key = replication_keys.get(stream)
        upgraded[stream] = (
            _upgrade_stream(stream, dict(stream_state), key, latest) if key else stream_state
        )
    return {**state, "bookmarks": upgraded}


def _upgrade_stream(
    stream: str, stream_state: dict[str, Any], key: str, latest: int
) -> dict[str, Any]:
    if "replication_key" not in stream_state and key in stream_state:
        # singer-io / twilio-labs: {"<key>": value}
        stream_state = {"replication_key": key, "replication_key_value": stream_state.pop(key)}
        logger.info("Upgraded the '%s' bookmark from an older tap's state", stream)
    written_for = stream_state.get("replication_key")
    if written_for is not None and written_for != key:
        return _drop_bookmark(
            stream, stream_state, f"it was written for replication key {written_for!r}, not {key!r}"
        )
    value = stream_state.get("replication_key_value")
    if value is not None:
        epoch = _epoch(value)
        if epoch is None:
            return _drop_bookmark(stream, stream_state, f"{value!r} is not a timestamp")
        if epoch > latest:
            return _drop_bookmark(stream, stream_state, f"{value!r} is in the future")
        # generated_timestamp is epoch seconds; older taps wrote it as an ISO string.
        stream_state["replication_key_value"] = epoch if key == "generated_timestamp" else value
        if key != "generated_timestamp" and not isinstance(value, str):
            stream_state["replication_key_value"] = to_iso(epoch)
    return _check_resume_point(stream, stream_state, latest)


def _epoch(value: Any) -> int | None:
    """`value` in epoch seconds, or None when it is no timestamp at all."""
    if isinstance(value, bool):
        return None
    try:
        return to_epoch(value)
    except (TypeError, ValueError, OverflowError):
        return None


def _drop_bookmark(stream: str, stream_state: dict[str, Any], why: str) -> dict[str, Any]:
    logger.warning(
        "Dropping the '%s' bookmark: %s; the stream restarts from start_date", stream, why
    )
    dropped = (*_RESUME_KEYS, "replication_key", "replication_key_value")
    return {k: v for k, v in stream_state.items() if k not in dropped}


def _check_resume_point(stream: str, stream_state: dict[str, Any], latest: int) -> dict[str, Any]:
    """Drop an export resume point that is not usable; the bookmark alone then resumes."""
    problems = [
        f"{name} {stream_state[name]!r}"
        for name in _EPOCH_RESUME_KEYS
        if name in stream_state
        and stream_state[name] is not None
        and ((epoch := _epoch(stream_state[name])) is None or epoch > latest)
    ]
    cursor = stream_state.get("after_cursor")
    if cursor is not None and not (isinstance(cursor, str) and cursor):
        problems.append(f"after_cursor {cursor!r}")
    if not problems:
        return stream_state
    logger.warning(
        "Dropping the '%s' resume point (%s: not a past timestamp or cursor); "
        "the stream resumes from its bookmark",
        stream,
        ", ".join(problems),
    )
    return {k: v for k, v in stream_state.items() if k not in _RESUME_KEYS}
