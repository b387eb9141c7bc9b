"""meltano.yml declares every setting the tap accepts, with the kind Meltano needs to parse it.

Without `kind: object`, `meltano config set tap-zendesk batch_config '{...}'` stores a string
the tap rejects and `TAP_ZENDESK_BATCH_CONFIG` is passed on as text.
"""

from __future__ import annotations

import json
import subprocess
import sys
from functools import cache
from pathlib import Path
from typing import Any

import pytest
import yaml

MELTANO_YML = Path(__file__).resolve().parents[1] / "meltano.yml"
# JSON schema type (and format) -> the Meltano kinds that parse it.
KINDS = {
    "string": {"string", "email"},
    "date-time": {"date_iso8601"},
    "integer": {"integer"},
    "boolean": {"boolean"},
    "object": {"object"},
    "array": {"array"},
}


def declared() -> dict[str, dict[str, Any]]:
    project = yaml.safe_load(MELTANO_YML.read_text())
    [tap] = [p for p in project["plugins"]["extractors"] if p["name"] == "tap-zendesk"]
    return {setting["name"]: setting for setting in tap["settings"]}


@cache
def accepted() -> dict[str, dict[str, Any]]:
    """The settings `tap-zendesk --about` publishes (what Meltano Hub reads)."""
    about = subprocess.run(
        [sys.executable, "-m", "tap_zendesk.tap", "--about", "--format=json"],
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    return json.loads(about.stdout)["settings"]["properties"]


def kind_of(schema: dict[str, Any]) -> str:
    types = schema["type"] if isinstance(schema["type"], list) else [schema["type"]]
    [kind] = [t for t in types if t != "null"]
    return "date-time" if schema.get("format") == "date-time" else kind


def test_every_accepted_setting_is_declared_and_nothing_else() -> None:
    assert sorted(declared()) == sorted(accepted())


@pytest.mark.parametrize("name", sorted(accepted()))
def test_each_setting_has_the_kind_of_its_type(name: str) -> None:
    kind = declared()[name].get("kind", "string")
    assert kind in KINDS[kind_of(accepted()[name])]


@pytest.mark.parametrize("name", sorted(accepted()))
def test_secrets_and_only_secrets_are_sensitive(name: str) -> None:
    assert bool(declared()[name].get("sensitive")) == bool(accepted()[name].get("secret"))


@pytest.mark.parametrize("name", sorted(accepted()))
def test_declared_defaults_are_the_tap_defaults(name: str) -> None:
    setting, schema = declared()[name], accepted()[name]
    assert setting.get("value") == schema.get("default")
