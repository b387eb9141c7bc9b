"""Tap config for a sandbox server, as the tests use it."""

from __future__ import annotations

from typing import Any

from tap_zendesk.sandbox import SandboxServer


def tap_config(server: SandboxServer, **overrides: Any) -> dict[str, Any]:
    """API-token config for `server`.

    The sandbox serves exports without Zendesk's 10-per-minute budget unless a test turns
    rate limiting on, so the tap's own export budget is lifted to keep tests quick.
    """
    return {**server.tap_config(), "export_requests_per_minute": 100_000, **overrides}
