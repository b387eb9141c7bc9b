"""Top-level field values that do not match the schema, coerced where the meaning is clear.

The SDK's own conformance turns the string "false" into True and leaves "12" in an integer
column; a replication key of the wrong type even crashes its state handling. Zendesk is
consistent in practice, but a proxy, an API change or a data fix can send `"id": "12"` or an
epoch where an ISO date was. Clear cases are coerced; anything else becomes null with a
warning naming the stream, record and field, and the record is kept.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable
from decimal import Decimal, InvalidOperation
from typing import Any

from tap_zendesk.timestamps import parse_datetime, to_iso

logger = logging.getLogger(__name__)

_INTEGER = re.compile(r"^-?\d+$")
_NOT_COERCIBLE = object()


def _integer(value: Any) -> Any:
    if isinstance(value, str) and _INTEGER.match(value.strip()):
        return int(value)
    if isinstance(value, float | Decimal) and value == int(value):
        return int(value)
    return _NOT_COERCIBLE


def _number(value: Any) -> Any:
    if isinstance(value, str):
        try:
            return Decimal(value.strip())
        except InvalidOperation:
            return _NOT_COERCIBLE
    return _NOT_COERCIBLE


def _boolean(value: Any) -> Any:
    if isinstance(value, str) and value.strip().lower() in {"true", "false"}:
        return value.strip().lower() == "true"
    if isinstance(value, int) and value in {0, 1}:
        return bool(value)
    return _NOT_COERCIBLE


def _string(value: Any) -> Any:
    if isinstance(value, int | float | Decimal) and not isinstance(value, bool):
        return str(value)
    return _NOT_COERCIBLE


def _datetime(value: Any) -> Any:
    if isinstance(value, int | float) and not isinstance(value, bool):
        return to_iso(int(value))
    if isinstance(value, str):
        try:
            return to_iso(int(parse_datetime(value).timestamp()))
        except ValueError:
            return _NOT_COERCIBLE
    return _NOT_COERCIBLE


# JSON type -> (Python types that already fit, coercion)
_KINDS: dict[str, tuple[tuple[type, ...], Callable[[Any], Any]]] = {
    "integer": ((int,), _integer),
    "number": ((int, float, Decimal), _number),
    "boolean": ((bool,), _boolean),
    "string": ((str,), _string),
    "array": ((list,), lambda _: _NOT_COERCIBLE),
    "object": ((dict,), lambda _: _NOT_COERCIBLE),
}


class Conformer:
    """Checks a record's top-level fields against one stream's schema."""

    def __init__(self, stream: str, schema: dict[str, Any]) -> None:
        self._stream = stream
        self._fields: list[tuple[str, tuple[type, ...], Callable[[Any], Any]]] = []
        for name, spec in schema.get("properties", {}).items():
            types = spec.get("type")
            types = [types] if isinstance(types, str) else (types or [])
            kinds = [t for t in types if t != "null"]
            if len(kinds) != 1 or kinds[0] not in _KINDS:
                continue  # several types allowed (custom field values): anything goes
            fits, coerce = _KINDS[kinds[0]]
            if kinds[0] == "string" and spec.get("format") == "date-time":
                coerce = _datetime
            if kinds[0] == "integer":
                fits = (int,)
            self._fields.append((name, fits, coerce))

    def __call__(self, record: dict[str, Any]) -> dict[str, Any]:
        """Coerce mismatched values in place; null the ones with no clear meaning."""
        for name, fits, coerce in self._fields:
            value = record.get(name)
            if value is None:
                continue
            if isinstance(value, fits) and not (isinstance(value, bool) and bool not in fits):
                continue
            coerced = coerce(value)
            if coerced is _NOT_COERCIBLE:
                logger.warning(
                    "'%s' record %s: field '%s' holds a %s the schema does not allow; "
                    "emitting null",
                    self._stream,
                    record.get("id"),
                    name,
                    type(value).__name__,
                )
                coerced = None
            record[name] = coerced
        return record
