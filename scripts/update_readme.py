"""Regenerate the README's settings and streams tables from the tap itself.

Run `.venv/bin/python scripts/update_readme.py`; tests/test_readme.py fails when the README
is out of date.
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path
from typing import Any

from tap_zendesk.streams.base import (
    CursorExportStream,
    CursorListStream,
    HelpCenterStream,
    NewestFirstListStream,
    SinglePageStream,
    TimeExportStream,
)
from tap_zendesk.tap import TapZendesk

README = Path(__file__).resolve().parent.parent / "README.md"
_BLOCK = "<!-- {name}:start -->\n{body}\n<!-- {name}:end -->"
_CONFIG = {"subdomain": "example", "access_token": "unused"}


def settings_table() -> str:
    """The `## Settings` table printed by `tap-zendesk --about --format=markdown`."""
    about = subprocess.run(
        [sys.executable, "-m", "tap_zendesk.tap", "--about", "--format=markdown"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    section = about.split("## Settings", 1)[1]
    return "\n".join(line for line in section.splitlines() if line.startswith("|"))


def streams_table() -> str:
    """One row per stream: key, replication, endpoint, requests per run, deletions."""
    tap = TapZendesk(config=_CONFIG, parse_env_config=False, validate_config=False)
    rows = [
        "| Stream | Primary key | Replication | Endpoint | Requests per run | Deletions |",
        "|:-------|:------------|:------------|:---------|:-----------------|:----------|",
    ]
    for name in sorted(tap.streams):
        stream = tap.streams[name]
        key = ", ".join(f"`{k}`" for k in stream.primary_keys or [])
        if stream.replication_key:
            replication = f"incremental on `{stream.replication_key}`"
        else:
            replication = "full table"
        rows.append(
            f"| `{name}` | {key} | {replication} | {_endpoint(stream)} | {_cost(tap, stream)}"
            f" | {_deletions(stream)} |"
        )
    return "\n".join(rows)


def _sharing(tap: TapZendesk, stream: Any) -> list[str]:
    """The other streams fed by the same export."""
    return sorted(
        other.name
        for other in tap.streams.values()
        if other is not stream and getattr(other, "export", None) is stream.export
    )


def _endpoint(stream: Any) -> str:
    if isinstance(stream, CursorExportStream | TimeExportStream):
        query = f"?include={stream.include}" if stream.include else ""
        return f"`/api/v2{stream.export.path}{query}`"
    if stream.parent_stream_type:
        return f"`/api/v2{stream.path}` per `{stream.parent_stream_type.name}` record"
    query = "&".join(f"{k}={v}" for k, v in getattr(stream, "list_params", {}).items())
    return f"`/api/v2{stream.path}{'?' + query if query else ''}`"


# Most specific first: the cost of one run of a list or single-page stream, by its base class.
_LIST_COSTS = (
    (SinglePageStream, "1"),
    (
        NewestFirstListStream,
        "1 per 100 rows; later runs 1 per 100 new rows (newest first, stop at the bookmark)",
    ),
    (HelpCenterStream, "1 per 100 rows (the whole list); none without Help Center (404: skipped)"),
    (CursorListStream, "1 per 100 rows (the whole list)"),
)


def _cost(tap: TapZendesk, stream: Any) -> str:
    gated = "; a 403 (plan) skips it with a warning" if stream.plan_gated else ""
    if isinstance(stream, CursorExportStream | TimeExportStream):
        kind = "cursor" if isinstance(stream, CursorExportStream) else "time"
        shared = _sharing(tap, stream)
        text = f"{kind}-based export: 1 per 1,000 `{stream.export.records_key}` changed"
        if shared:
            text += "; one read shared with " + ", ".join(f"`{s}`" for s in shared)
        if stream.name == "ticket_metric_events":
            text += " (**about 18 events per ticket: heavy on the 10/min export budget**)"
        return text + gated
    if stream.parent_stream_type:
        return f"1 per `{stream.parent_stream_type.name}` record" + gated
    cost = next(text for base, text in _LIST_COSTS if isinstance(stream, base))
    return cost + gated


def _deletions(stream: Any) -> str:
    if stream.deleted_when is not None:
        return stream.deleted_when.describe()
    if not stream.replication_key:
        return "`ACTIVATE_VERSION` (rows missing from the newest version)"
    return "not signalled: Zendesk keeps no trace"


def render(text: str) -> str:
    """`text` with both generated blocks replaced by the current tables."""
    for name, body in (("settings", settings_table()), ("streams", streams_table())):
        pattern = re.compile(rf"<!-- {name}:start -->\n.*?\n<!-- {name}:end -->", re.DOTALL)
        text, count = pattern.subn(lambda _m, n=name, b=body: _BLOCK.format(name=n, body=b), text)
        if count != 1:
            msg = f"README.md needs exactly one {name} block"
            raise SystemExit(msg)
    return text


if __name__ == "__main__":
    README.write_text(render(README.read_text(encoding="utf-8")), encoding="utf-8")
