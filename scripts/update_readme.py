"""Regenerate the README's settings and streams tables from the tap itself.

Run `.venv/bin/python scripts/update_readme.py`; tests/test_readme.py fails when the README
is out of date.
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

from tap_zendesk.streams.base import (
    CursorExportStream,
    CursorListStream,
    SideloadedStream,
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
    """One row per stream: name, key, replication, endpoint."""
    tap = TapZendesk(config=_CONFIG, parse_env_config=False, validate_config=False)
    rows = [
        "| Stream | Primary key | Replication | Read with | Endpoint |",
        "|:-------|:------------|:------------|:----------|:---------|",
    ]
    for name in sorted(tap.streams):
        stream = tap.streams[name]
        key = ", ".join(stream.primary_keys or [])
        if stream.replication_key:
            replication = f"incremental on `{stream.replication_key}`"
        else:
            replication = "full table"
        if isinstance(stream, SideloadedStream):
            parent = stream.parent_stream_type.name  # type: ignore[union-attr]
            endpoint = f"`include=metric_sets` on the `{parent}` export (no extra request)"
        else:
            params = getattr(stream, "export_params", lambda _: {})(None)
            query = "&".join(f"{k}={v}" for k, v in params.items())
            endpoint = f"`GET /api/v2{stream.path}{'?' + query if query else ''}`"
        style = _style(stream)
        if stream.parent_stream_type:
            style += f"; child of `{stream.parent_stream_type.name}`"
        rows.append(f"| `{name}` | `{key}` | {replication} | {style} | {endpoint} |")
    return "\n".join(rows)


def _style(stream: object) -> str:
    if isinstance(stream, CursorExportStream):
        return "cursor-based export, 1,000 per page, checkpoint per page"
    if isinstance(stream, TimeExportStream):
        return "time-based export, 1,000 per page, checkpoint per page"
    if isinstance(stream, SideloadedStream):
        return "sideload of its parent's pages"
    if isinstance(stream, CursorListStream):
        server_side = " (`start_time` sent)" if stream.filter_by_start_time else ""
        return f"cursor list, 100 per page; rows changed since the bookmark{server_side}"
    return ""


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
