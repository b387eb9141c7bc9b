"""A local Zendesk Support sandbox: generated account data behind a real HTTP server.

Used by the tap's tests, benchmarks and demos::

    account = SandboxAccount.generate(tickets=5000, seed=1)
    with SandboxServer(account).start() as server:
        config = server.tap_config()

Options for harder runs: ``SandboxServer(account, faults=FaultPlan(rate=0.1),
rate_limits=RateLimits())`` injects seeded faults and enforces Zendesk's budgets;
``server.tap_config(auth="refresh_token")`` uses the OAuth endpoint ``POST /oauth/tokens``.
"""

from tap_zendesk.sandbox.auth import Credentials
from tap_zendesk.sandbox.data import ChangeSet, SandboxAccount
from tap_zendesk.sandbox.faults import FaultPlan
from tap_zendesk.sandbox.ratelimit import RateLimits
from tap_zendesk.sandbox.server import SandboxServer

__all__ = ["ChangeSet", "Credentials", "FaultPlan", "RateLimits", "SandboxAccount", "SandboxServer"]
