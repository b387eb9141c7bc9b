"""Records that arrive inside another stream's responses, waiting for their own stream.

`include=metric_sets` puts each ticket's metrics inside the tickets export: the tickets stream
leaves them here page by page, and the `ticket_metrics` stream, its child, takes them. No
request is made for them.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any


class Sideloads:
    """A mailbox per stream name."""

    def __init__(self) -> None:
        self._pending: defaultdict[str, list[dict[str, Any]]] = defaultdict(list)

    def put(self, stream: str, records: list[dict[str, Any]]) -> None:
        """Leave `records` for `stream`."""
        self._pending[stream].extend(records)

    def take(self, stream: str) -> list[dict[str, Any]]:
        """Everything left for `stream`, emptying its mailbox."""
        return self._pending.pop(stream, [])

    def pending(self) -> bool:
        """Whether any stream has records waiting."""
        return any(self._pending.values())
