r"""How Singer messages are encoded: the SDK's msgspec encoder, about six times simplejson's speed.

The SDK's default writer serializes with simplejson, a large share of a sync's CPU.
singer-sdk ships a msgspec encoder (`singer_sdk.contrib.msgspec`, the `msgspec` extra) with
the same number handling: Decimals as JSON numbers, digit for digit. What differs:

- msgspec writes an aware UTC datetime with `Z`; `time_extracted` is written as the default
  writer writes it (`+00:00`), which `datetime.fromisoformat` before Python 3.11 can read.
- Non-ASCII text is written as UTF-8, not as `\uXXXX` escapes: the same strings once parsed,
  and shorter lines. U+2028 and U+2029 stay raw too: Singer messages are split on `\n` only.

The line goes through `sys.stdout` as text, like the default writer's, so it works on any
stdout (a `redirect_stdout(io.StringIO())` included) and keeps its order with other writes.
"""

from __future__ import annotations

from typing import Any

from singer_sdk.contrib.msgspec import encoder

from tap_zendesk.progress import ProgressWriter


class MessageWriter(ProgressWriter):
    """The tap's writer: msgspec's encoding, with the progress lines and run summary."""

    def serialize_message(self, message: Any) -> str:
        """One message as a line of JSON (without its newline)."""
        data = message.to_dict()
        extracted = data.get("time_extracted")
        if extracted is not None:
            data["time_extracted"] = extracted.isoformat()
        return encoder.encode(data).decode()
