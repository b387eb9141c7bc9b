"""Records made to match their schema at every depth, in the one pass each record gets.

Zendesk is consistent in practice, but a proxy, an API change or a data fix can send
`"id": "12"`, an epoch where an ISO date was, `NaN`, or `"garbage-date"`. The SDK's own
conformance turns the string "false" into True, leaves "12" in an integer column, lets `NaN`
crash the run and never looks at a date's text. Run after this pass, it and the SDK's removal
of deselected properties would walk every record twice more (each about as costly as this
whole pass), so streams skip both (`record_messages`) and this pass does their work too:

- at every depth the schema declares (objects with `properties`, arrays with `items`);
- properties deselected in the catalog are removed; properties the schema does not declare
  are removed too, unless the object allows additional properties, with one warning per
  stream and set of names (as the SDK words it);
- clear cases are coerced (`"12"` -> 12, `12.0` -> 12, `"false"` -> False, epoch -> ISO date);
- anything else (`NaN`, `Infinity`, `"garbage-date"`, a list where a number belongs) becomes
  null with a warning naming the stream, record and field path; the record is kept;
- a record whose primary key is missing or null (after the above) is skipped with a warning.

Counts of nulled values and skipped records are kept for the run's summary.
"""

from __future__ import annotations

import logging
import math
import re
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Mapping
from datetime import date, datetime
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from singer_sdk import singerlib
from singer_sdk.helpers._util import utc_now

from tap_zendesk.timestamps import parse_datetime, to_iso

if TYPE_CHECKING:
    from singer_sdk import Stream

logger = logging.getLogger(__name__)

_INTEGER = re.compile(r"^-?\d+$")
_NOT_COERCIBLE = object()
# Warnings about one field of one stream; past this, values are only counted.
WARNINGS_PER_FIELD = 10

# (conformer, node, value, field path, record id) -> the value to emit
Fix = Callable[["Conformer", "_Node", Any, str, Any], Any]


def _finite(value: float | Decimal) -> bool:
    return not (math.isnan(value) or math.isinf(value))


# Coercions: the value, or _NOT_COERCIBLE when its meaning is not clear.


def _integer(value: Any) -> Any:
    if isinstance(value, str) and _INTEGER.match(value.strip()):
        return int(value)
    if isinstance(value, float | Decimal) and _finite(value) and value == int(value):
        return int(value)
    return _NOT_COERCIBLE


def _number(value: Any) -> Any:
    if isinstance(value, float):
        return value if _finite(value) else _NOT_COERCIBLE
    if isinstance(value, str):
        try:
            number = Decimal(value.strip())
        except ArithmeticError:
            return _NOT_COERCIBLE
        return number if _finite(number) else _NOT_COERCIBLE
    return _NOT_COERCIBLE


def _boolean(value: Any) -> Any:
    if isinstance(value, str) and value.strip().lower() in {"true", "false"}:
        return value.strip().lower() == "true"
    if type(value) is int and value in {0, 1}:
        return bool(value)
    return _NOT_COERCIBLE


def _string(value: Any) -> Any:
    if isinstance(value, int | Decimal) and not isinstance(value, bool):
        return str(value)
    if isinstance(value, float) and _finite(value):
        return str(value)
    return _NOT_COERCIBLE


def _datetime(value: Any) -> Any:
    if isinstance(value, str):
        try:
            datetime.fromisoformat(value)  # the common case: already ISO 8601
        except ValueError:
            pass
        else:
            return value
        try:
            return to_iso(int(parse_datetime(value).timestamp()))
        except (ValueError, OverflowError):
            return _NOT_COERCIBLE
    if isinstance(value, int | Decimal) and not isinstance(value, bool):
        try:
            return to_iso(int(value))
        except (ValueError, OverflowError, OSError):
            return _NOT_COERCIBLE
    return _NOT_COERCIBLE


def _date(value: Any) -> Any:
    if isinstance(value, str):
        try:
            date.fromisoformat(value)
        except ValueError:
            pass
        else:
            return value
        try:
            return parse_datetime(value).date().isoformat()
        except ValueError:
            return _NOT_COERCIBLE
    return _NOT_COERCIBLE


def _anything(value: Any) -> Any:
    """A field of several types: only a non-finite float has no JSON meaning."""
    return value if not isinstance(value, float) or _finite(value) else _NOT_COERCIBLE


# JSON type -> (Python types that fit as they are, coercion). Exact types: bool is not int.
_PRIMITIVES: dict[str, tuple[frozenset[type], Callable[[Any], Any]]] = {
    "integer": (frozenset({int}), _integer),
    "number": (frozenset({int, Decimal}), _number),  # floats only come from NaN / Infinity
    "boolean": (frozenset({bool}), _boolean),
    "string": (frozenset({str}), _string),
}
_ANY_FITS = frozenset({str, int, bool, Decimal, dict, list})


class _Node:
    """How one schema position is checked: types that fit as they are, and the fix."""

    __slots__ = ("additional", "deselected", "fits", "fix", "items", "properties")

    def __init__(self, fits: frozenset[type], fix: Fix) -> None:
        self.fits = fits
        self.fix = fix
        self.properties: dict[str, _Node] = {}
        self.deselected: frozenset[str] = frozenset()
        self.additional = True
        self.items: _Node | None = None


def _types(spec: dict[str, Any]) -> list[str]:
    types = spec.get("type")
    types = [types] if isinstance(types, str) else list(types or [])
    return [t for t in types if t != "null"]


def _compile(
    spec: dict[str, Any], deselected: frozenset[tuple[str, ...]], path: tuple[str, ...] = ()
) -> _Node:
    kinds = _types(spec)
    if kinds == ["object"]:
        node = _Node(frozenset(), Conformer.fix_object)
        properties = spec.get("properties", {})
        node.deselected = frozenset(n for n in properties if (*path, n) in deselected)
        node.properties = {
            name: _compile(sub, deselected, (*path, name))
            for name, sub in properties.items()
            if name not in node.deselected
        }
        node.additional = bool(spec.get("additionalProperties"))
        return node
    if kinds == ["array"]:
        node = _Node(frozenset(), Conformer.fix_array)
        items = spec.get("items")
        node.items = _compile(items, deselected, path) if isinstance(items, dict) else None
        return node
    if len(kinds) == 1 and kinds[0] in _PRIMITIVES:
        fits, coerce = _PRIMITIVES[kinds[0]]
        if kinds[0] == "string" and spec.get("format") in {"date-time", "date"}:
            # Every date is read: its text is checked, not only its type.
            fits, coerce = frozenset(), _datetime if spec["format"] == "date-time" else _date
        return _Node(fits, _coercing(coerce))
    # Several types allowed (custom field values), or none declared: anything goes.
    return _Node(_ANY_FITS, _coercing(_anything))


def _coercing(coerce: Callable[[Any], Any]) -> Fix:
    def fix(conformer: Conformer, _node: _Node, value: Any, path: str, record_id: Any) -> Any:
        coerced = coerce(value)
        if coerced is _NOT_COERCIBLE:
            return conformer.null(value, path, record_id)
        return coerced

    return fix


class Conformer:
    """Conforms one stream's records to its schema; see the module docstring."""

    def __init__(
        self,
        stream: str,
        schema: dict[str, Any],
        primary_keys: Iterable[str] = (),
        mask: Mapping[tuple[str, ...], bool] | None = None,
    ) -> None:
        self._stream = stream
        self._root = _compile({**schema, "type": "object"}, deselected_paths(mask or {}))
        self._primary_keys = tuple(primary_keys)
        self._unmapped_warned: set[tuple[str, ...]] = set()
        #: Values nulled, by field path.
        self.nulled: Counter[str] = Counter()
        #: Records skipped for want of a primary key.
        self.skipped = 0

    def __call__(self, record: dict[str, Any]) -> dict[str, Any] | None:
        """`record`, conformed in place; None when it has no usable primary key."""
        unmapped = self._object(record, self._root, "", record.get("id"))
        if unmapped:
            self._warn_unmapped(tuple(unmapped))
        missing = [key for key in self._primary_keys if record.get(key) is None]
        if missing:
            self.skipped += 1
            logger.warning(
                "Skipping a '%s' record without a usable primary key (%s is missing or null)",
                self._stream,
                ", ".join(missing),
            )
            return None
        return record

    def _object(
        self, obj: dict[str, Any], node: _Node, prefix: str, record_id: Any
    ) -> list[str] | None:
        """Conform `obj` in place; the paths of the properties it removed."""
        unmapped: list[str] | None = None
        dropped: list[str] | None = None
        properties = node.properties
        for name, value in obj.items():
            sub = properties.get(name)
            if sub is None:
                if name in node.deselected:
                    dropped = [*(dropped or []), name]
                elif not node.additional:
                    unmapped = [*(unmapped or []), name]
                continue
            if value is None or type(value) in sub.fits:
                continue
            fixed = sub.fix(self, sub, value, prefix + name, record_id)
            if fixed is not value:
                obj[name] = fixed  # replacing a value leaves the iteration valid
        for name in dropped or ():
            del obj[name]
        if not unmapped:
            return None
        for name in unmapped:
            del obj[name]
        return [prefix + name for name in unmapped]

    def fix_object(self, node: _Node, value: Any, path: str, record_id: Any) -> Any:
        """An object field: conform its properties, or null a value that is no object."""
        if not isinstance(value, dict):
            return self.null(value, path, record_id)
        unmapped = self._object(value, node, f"{path}.", record_id)
        if unmapped:
            self._warn_unmapped(tuple(unmapped))
        return value

    def fix_array(self, node: _Node, value: Any, path: str, record_id: Any) -> Any:
        """An array field: conform each item, or null a value that is no list."""
        if not isinstance(value, list):
            return self.null(value, path, record_id)
        items = node.items
        if items is None:
            return value
        for index, item in enumerate(value):
            if item is None or type(item) in items.fits:
                continue
            fixed = items.fix(self, items, item, f"{path}[]", record_id)
            if fixed is not item:
                value[index] = fixed
        return value

    def null(self, value: Any, path: str, record_id: Any) -> None:
        """Count, and warn about, a value with no clear meaning for its field."""
        self.nulled[path] += 1
        count = self.nulled[path]
        if count <= WARNINGS_PER_FIELD:
            more = (
                f" (further ones in '{path}' are only counted)"
                if count == WARNINGS_PER_FIELD
                else ""
            )
            # Only a float's value is shown (NaN, Infinity): other values may be customer data.
            shown = f" ({value})" if isinstance(value, float) else ""
            logger.warning(
                "'%s' record %s: field '%s' holds a %s%s the schema does not allow; "
                "emitting null%s",
                self._stream,
                record_id,
                path,
                type(value).__name__,
                shown,
                more,
            )

    def _warn_unmapped(self, names: tuple[str, ...]) -> None:
        if names in self._unmapped_warned:
            return
        self._unmapped_warned.add(names)
        logger.warning(
            "Properties %s were present in the '%s' stream but not found in catalog schema. "
            "Ignoring.",
            names,
            self._stream,
        )


def deselected_paths(mask: Mapping[tuple[str, ...], bool]) -> frozenset[tuple[str, ...]]:
    """Property paths (`("via", "source")`) a catalog's selection mask deselects."""
    return frozenset(
        tuple(breadcrumb[1::2])
        for breadcrumb, selected in mask.items()
        if breadcrumb and not selected and set(breadcrumb[::2]) == {"properties"}
    )


def record_messages(stream: Stream, record: dict[str, Any]) -> Iterator[singerlib.RecordMessage]:
    """`Stream._generate_record_messages` of singer-sdk 0.54, without its two record walks.

    Its deselected-property removal and its type conformance are done already, in the one
    pass `post_process` gives each record (see the module docstring); stream maps still apply.
    """
    for stream_map in stream.stream_maps:
        mapped = stream_map.transform(record)
        if mapped is not None:
            yield singerlib.RecordMessage(
                stream=stream_map.stream_alias,
                record=mapped,
                version=stream._stream_version,  # the SDK's own field
                time_extracted=utc_now(),
            )
