"""Zendesk's three pagination behaviours as pure functions over pre-sorted key lists.

Every function works on positions into a sorted sequence of keys and never touches records, so a
page costs O(page) (plus the items a filter skips) and can be unit-tested without HTTP.

* :func:`cursor_list_page` - cursor pagination (CBP) of list endpoints: ``page[size]``,
  ``page[after]``/``page[before]``, ``meta.has_more``.
* :func:`cursor_export_page` - cursor-based incremental exports (tickets, users): keys are
  ``(timestamp, id)``, a cursor is the position of the last item read.
* :func:`time_export_page` - time-based incremental exports: inclusive ``start_time``, pages
  extended to the end of the tie group at their last timestamp.
"""

from __future__ import annotations

import base64
import binascii
import json
import re
from bisect import bisect_left, bisect_right
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

ExportKey = tuple[int, int]
"""Position in an export: ``(timestamp, id)``."""

Accept = Callable[[int], bool]
"""Filter over positions: True keeps the item at that position."""


@dataclass(frozen=True)
class ListPage:
    """One CBP page: positions in response order and whether more items follow."""

    positions: list[int]
    has_more: bool


@dataclass(frozen=True)
class ExportPage:
    """One cursor-export page.

    ``position`` is where the next page continues from: the key of the last item examined, or the
    request's own position when nothing was examined.
    """

    positions: list[int]
    position: ExportKey
    end_of_stream: bool


@dataclass(frozen=True)
class TimePage:
    """One time-based export page: the slice ``keys[start:stop]`` plus the envelope values."""

    start: int
    stop: int
    end_time: int
    end_of_stream: bool


def _scan(
    start: int, stop: int, step: int, size: int, accept: Accept | None
) -> tuple[list[int], bool]:
    """Collect up to ``size`` accepted positions from ``start`` towards ``stop`` (exclusive).

    Returns the positions and whether another accepted position lies beyond them.
    """
    found: list[int] = []
    i = start
    while i != stop:
        if accept is None or accept(i):
            if len(found) == size:
                return found, True
            found.append(i)
        i += step
    return found, False


def cursor_list_page(
    keys: Sequence[Any],
    size: int,
    *,
    after: Any = None,
    before: Any = None,
    descending: bool = False,
    accept: Accept | None = None,
) -> ListPage:
    """Return the CBP page of ``size`` items after (or before) a cursor key.

    Args:
        keys: Sort keys in ascending order, unique.
        size: ``page[size]``.
        after: Key of the last item of the previous page (``page[after]``).
        before: Key of the first item of the next page (``page[before]``); wins over ``after``.
        descending: Traverse the keys from largest to smallest (``sort=-field``).
        accept: Optional filter over positions.

    Returns:
        Positions in response order; ``has_more`` tells whether accepted items remain beyond the
        page in the direction of travel.
    """
    n = len(keys)
    backward = before is not None
    # Moving "forward" through a descending list means walking the ascending keys downwards.
    step = -1 if descending != backward else 1
    if backward:
        start = bisect_right(keys, before) if descending else bisect_left(keys, before) - 1
    elif after is not None:
        start = bisect_left(keys, after) - 1 if descending else bisect_right(keys, after)
    else:
        start = n - 1 if descending else 0
    stop = -1 if step < 0 else n
    positions, has_more = _scan(start, stop, step, size, accept)
    if backward:
        positions.reverse()
    return ListPage(positions, has_more)


def cursor_export_page(
    keys: Sequence[ExportKey],
    per_page: int,
    *,
    position: ExportKey,
    visible_until: int,
    backward: bool = False,
    accept: Accept | None = None,
) -> ExportPage:
    """Return the cursor-export page strictly after (or before) ``position``.

    Args:
        keys: ``(timestamp, id)`` keys in ascending order.
        per_page: Maximum items in the page.
        position: Key the cursor points at; a first request uses ``(start_time, 0)`` so that
            every item with ``timestamp >= start_time`` is after it (ids are positive).
        visible_until: Newest visible timestamp (now - 60 s); newer items don't exist yet.
        backward: Read the ``per_page`` items just before ``position`` (a ``before_cursor``).
        accept: Optional filter over positions (``exclude_deleted``).

    Returns:
        The page, the position to continue from and ``end_of_stream`` (no accepted visible
        item after that position).
    """
    limit = bisect_left(keys, (visible_until + 1,))
    if backward:
        start = min(bisect_left(keys, position), limit) - 1
        positions, _ = _scan(start, -1, -1, per_page, accept)
        positions.reverse()
        new_position = keys[positions[-1]] if positions else position
        _, more = _scan(bisect_right(keys, new_position), limit, 1, 0, accept)
        return ExportPage(positions, new_position, end_of_stream=not more)
    start = bisect_right(keys, position)
    positions, more = _scan(start, limit, 1, per_page, accept)
    if more:
        return ExportPage(positions, keys[positions[-1]], end_of_stream=False)
    # Nothing accepted remains: continue after everything examined so a later request with this
    # cursor skips the rejected tail too.
    new_position = keys[limit - 1] if limit > start else position
    return ExportPage(positions, new_position, end_of_stream=True)


def time_export_page(
    keys: Sequence[ExportKey],
    start_time: int,
    per_page: int,
    *,
    visible_until: int,
) -> TimePage:
    """Return the time-based export page starting at ``start_time`` (inclusive).

    The page holds the first ``per_page`` visible items with ``timestamp >= start_time``,
    extended to the end of the tie group at its last timestamp so a group is never split
    (pages can therefore exceed ``per_page``). ``end_time`` is the last item's timestamp (or
    ``start_time`` for an empty page); ``end_of_stream`` is true when no visible item follows.
    """
    start = bisect_left(keys, (start_time,))
    limit = bisect_left(keys, (visible_until + 1,))
    stop = min(start + per_page, limit)
    if stop <= start:
        return TimePage(start, start, start_time, end_of_stream=True)
    end_time = keys[stop - 1][0]
    if stop < limit and keys[stop][0] == end_time:
        stop = bisect_left(keys, (end_time + 1,), lo=stop, hi=limit)
    return TimePage(start, stop, end_time, end_of_stream=stop >= limit)


# -- cursor codecs ----------------------------------------------------------------------------
#
# Cursors are opaque standard base64 (it can contain "+", "/" and "=", so clients must
# URL-encode them, a trap reference §3.1 reports). Export cursors decode to Zendesk's own shape
# "{ts}.0||{id}|" plus a one-letter flag: "s" = issued by a start_time request, "b" = backward.

_EXPORT_CURSOR = re.compile(r"(\d+)\.0\|\|(\d+)\|([sb]?)")


class CursorError(ValueError):
    """A cursor that is not one this server issued."""


def encode_export_cursor(position: ExportKey, flag: str = "") -> str:
    """Encode an export position (and flag) as an opaque cursor."""
    return base64.b64encode(f"{position[0]}.0||{position[1]}|{flag}".encode()).decode()


def decode_export_cursor(cursor: str) -> tuple[ExportKey, str]:
    """Decode an export cursor into ``((ts, id), flag)``; raise :class:`CursorError` if invalid."""
    try:
        text = base64.b64decode(cursor, validate=True).decode("ascii")
    except (binascii.Error, UnicodeDecodeError, ValueError) as exc:
        raise CursorError(cursor) from exc
    match = _EXPORT_CURSOR.fullmatch(text)
    if match is None:
        raise CursorError(cursor)
    return (int(match[1]), int(match[2])), match[3]


def encode_list_cursor(order: str, key: Any) -> str:
    """Encode a CBP cursor: base64 JSON ``{"o": order, "v": key}`` like Zendesk's examples."""
    value = list(key) if isinstance(key, tuple) else key
    return base64.b64encode(
        json.dumps({"o": order, "v": value}, separators=(",", ":")).encode()
    ).decode()


def decode_list_cursor(cursor: str, order: str) -> Any:
    """Decode a CBP cursor issued for ``order``; raise :class:`CursorError` otherwise."""
    try:
        data = json.loads(base64.b64decode(cursor, validate=True))
    except (binascii.Error, UnicodeDecodeError, ValueError) as exc:
        raise CursorError(cursor) from exc
    if not isinstance(data, dict) or data.get("o") != order or "v" not in data:
        raise CursorError(cursor)
    value = data["v"]
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    if (
        isinstance(value, list)
        and len(value) == 2
        and isinstance(value[0], str | int)
        and isinstance(value[1], int)
    ):
        return tuple(value)
    raise CursorError(cursor)
