"""Tap config for a sandbox server, as the tests use it."""

from __future__ import annotations

from typing import Any

from tap_zendesk.sandbox import SandboxServer


def tap_config(server: SandboxServer, auth: str = "api_token", **overrides: Any) -> dict[str, Any]:
    """Config for `server` with one way to authenticate (see `SandboxServer.tap_config`).

    The sandbox serves exports without Zendesk's 10-per-minute budget unless a test turns
    rate limiting on, so the tap's own export budget is lifted to keep tests quick.
    """
    return {**server.tap_config(auth), "export_requests_per_minute": 100_000, **overrides}
