"""Incoming state: checked, and upgraded from the shapes older taps wrote.

Users switching from the singer-io or twilio-labs variants bring bookmarks such as
`{"bookmarks": {"tickets": {"generated_timestamp": "2024-01-01T00:00:00Z"}}}`; they are turned
into the SDK's `replication_key` / `replication_key_value` form so the switch re-reads nothing.
A bookmark that is not a timestamp is dropped with a warning (the stream restarts from
`start_date`: duplicates, never a gap); a state that is not a JSON object is refused.
"""

from __future__ import annotations

import logging
from typing import Any

from tap_zendesk.timestamps import to_epoch, to_iso

logger = logging.getLogger(__name__)

# Resume points our exports keep beside the bookmark; meaningless without it.
_RESUME_KEYS = ("after_cursor", "start_time", "export_position")


class StateError(ValueError):
    """The state cannot be used at all."""


def upgrade_state(state: Any, replication_keys: dict[str, str | None]) -> dict[str, Any]:
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
    upgraded: dict[str, Any] = {}
    for stream, stream_state in bookmarks.items():
        if not isinstance(stream_state, dict):
            logger.warning("Dropping the bookmark of '%s': not a JSON object", stream)
            continue
        key = replication_keys.get(stream)
        upgraded[stream] = _upgrade_stream(stream, dict(stream_state), key) if key else stream_state
    return {**state, "bookmarks": upgraded}


def _upgrade_stream(stream: str, stream_state: dict[str, Any], key: str) -> dict[str, Any]:
    if "replication_key" not in stream_state and key in stream_state:
        # singer-io / twilio-labs: {"<key>": value}
        stream_state = {"replication_key": key, "replication_key_value": stream_state.pop(key)}
        logger.info("Upgraded the '%s' bookmark from an older tap's state", stream)
    value = stream_state.get("replication_key_value")
    if value is None or stream_state.get("replication_key") != key:
        return stream_state
    try:
        epoch = to_epoch(value)
    except (TypeError, ValueError, OverflowError):
        logger.warning(
            "Dropping the '%s' bookmark %r: not a timestamp; the stream restarts from start_date",
            stream,
            value,
        )
        dropped = (*_RESUME_KEYS, "replication_key", "replication_key_value")
        return {k: v for k, v in stream_state.items() if k not in dropped}
    # generated_timestamp is epoch seconds; older taps wrote it as an ISO string.
    stream_state["replication_key_value"] = epoch if key == "generated_timestamp" else value
    if key != "generated_timestamp" and not isinstance(value, str):
        stream_state["replication_key_value"] = to_iso(epoch)
    return stream_state
