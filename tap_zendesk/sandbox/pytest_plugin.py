"""Pytest fixtures for the sandbox.

Enable with ``pytest_plugins = ["tap_zendesk.sandbox.pytest_plugin"]`` in a conftest.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest

from tap_zendesk.sandbox.data import SandboxAccount
from tap_zendesk.sandbox.server import SandboxServer

ACCOUNT_OPTIONS = ("comments_per_ticket", "org_tie_group", "groups")

SandboxFactory = Callable[..., SandboxServer]


@pytest.fixture
def zendesk_sandbox_factory() -> Iterator[SandboxFactory]:
    """Return ``make(tickets=200, seed=1, **opts)``: a started sandbox, stopped at teardown.

    ``opts`` may hold account options (``comments_per_ticket``, ``org_tie_group``, ``groups``),
    a ready ``account`` to serve instead of generating one, and any :class:`SandboxServer`
    keyword (``credentials``, ``empty_page_quirk``, ``clock``, ``faults=FaultPlan(...)``,
    ``rate_limits=RateLimits(...)``, ``token_lifetime``, ...).
    """
    servers: list[SandboxServer] = []

    def make(tickets: int = 200, seed: int = 1, **opts: Any) -> SandboxServer:
        account = opts.pop("account", None)
        account_options = {name: opts.pop(name) for name in ACCOUNT_OPTIONS if name in opts}
        if account is None:
            account = SandboxAccount.generate(tickets=tickets, seed=seed, **account_options)
        server = SandboxServer(account, **opts).start()
        servers.append(server)
        return server

    yield make
    for server in servers:
        server.stop()


@pytest.fixture
def zendesk_sandbox(zendesk_sandbox_factory: SandboxFactory) -> SandboxServer:
    """Return a started sandbox with a small default account (200 tickets, seed 1)."""
    return zendesk_sandbox_factory()
