"""Response bodies, parsed once.

A full export page is about a megabyte of JSON. The status check, the paginator and the record
parser all need it, so it is parsed once (decimals kept exact, as the SDK does) and memoised on
the response.
"""

from __future__ import annotations

import json
from decimal import Decimal
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import requests

_ATTRIBUTE = "_zendesk_json"


def json_body(response: requests.Response) -> Any:
    """The response's JSON body.

    Raises:
        ValueError: when the body is not valid JSON (truncated, HTML, empty).
    """
    cached = getattr(response, _ATTRIBUTE, None)
    if cached is None:
        cached = json.loads(response.content, parse_float=Decimal)
        setattr(response, _ATTRIBUTE, cached)
    return cached


def json_object(response: requests.Response) -> dict[str, Any]:
    """The response's JSON body, which must be an object.

    Raises:
        ValueError: when the body is not a JSON object.
    """
    body = json_body(response)
    if not isinstance(body, dict):
        msg = f"expected a JSON object, got {type(body).__name__}"
        raise ValueError(msg)  # noqa: TRY004 - callers treat any malformed body alike
    return body
