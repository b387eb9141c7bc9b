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
