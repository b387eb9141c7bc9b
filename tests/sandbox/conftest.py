from collections.abc import Iterator

import pytest
import requests

# Import the plugin's fixtures directly so these tests also run before tests/conftest.py
# registers the plugin; defining them here as well is harmless once it does.
from tap_zendesk.sandbox.pytest_plugin import (  # noqa: F401
    zendesk_sandbox,
    zendesk_sandbox_factory,
)


@pytest.fixture
def session() -> Iterator[requests.Session]:
    """A keep-alive client authenticated with the default sandbox API token."""
    with requests.Session() as client:
        client.auth = ("sandbox@example.com/token", "sandbox-api-token")
        yield client


class ManualClock:
    """A server clock that moves only when a test says so (epoch seconds)."""

    def __init__(self, now: float) -> None:
        self.now = now

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds


@pytest.fixture
def manual_clock() -> ManualClock:
    """A clock well after the generated data, at the start of a 2 s and of a 60 s window."""
    return ManualClock(1_800_000_000.0)
