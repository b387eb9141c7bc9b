"""tap-zendesk: a Singer tap for Zendesk Support, built on the Meltano Singer SDK."""

__version__ = "0.1.0"
