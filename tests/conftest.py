"""Shared fixtures: the bundled Zendesk sandbox is a pytest plugin of the package."""

import pytest

pytest_plugins = ["tap_zendesk.sandbox.pytest_plugin"]


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """End-to-end Meltano pipelines take minutes: `-m "not slow"` leaves them out too."""
    for item in items:
        if item.get_closest_marker("e2e"):
            item.add_marker(pytest.mark.slow)
