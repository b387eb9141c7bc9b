"""Shared fixtures: the bundled Zendesk sandbox is a pytest plugin of the package."""

pytest_plugins = ["tap_zendesk.sandbox.pytest_plugin"]
