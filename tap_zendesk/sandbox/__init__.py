"""A local Zendesk Support sandbox: generated account data behind a real HTTP server.

Used by the tap's tests, benchmarks and demos::

    account = SandboxAccount.generate(tickets=5000, seed=1)
    with SandboxServer(account).start() as server:
        config = server.tap_config()
"""

from tap_zendesk.sandbox.auth import Credentials
from tap_zendesk.sandbox.data import ChangeSet, SandboxAccount
from tap_zendesk.sandbox.server import SandboxServer

__all__ = ["ChangeSet", "Credentials", "SandboxAccount", "SandboxServer"]
