"""Object, integer and string settings through `meltano config set` and `TAP_ZENDESK_*`.

Runs Meltano's own config resolution (`meltano config print`), which needs no installed
plugin: a project copy without `meltano install` is enough.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml

from tests.e2e.meltano_project import MeltanoProject

pytestmark = pytest.mark.e2e

BATCH = {"encoding": {"format": "jsonl", "compression": "gzip"}, "storage": {"root": "file://b"}}


@pytest.fixture
def project(tmp_path: Path) -> MeltanoProject:
    return MeltanoProject.create(tmp_path)


def printed_config(project: MeltanoProject, env: dict[str, str] | None = None) -> dict:
    result = project.run("config", "print", "tap-zendesk", env=env).check()
    lines = result.output.splitlines()
    # The printed config is indented JSON between a "{" line and a "}" line; log events are
    # one-line JSON objects.
    start = lines.index("{")
    return json.loads("\n".join(lines[start : lines.index("}", start) + 1]))


def test_config_set_stores_batch_config_as_an_object(project: MeltanoProject) -> None:
    project.run("config", "set", "tap-zendesk", "batch_config", json.dumps(BATCH)).check()

    stored = yaml.safe_load((project.root / "meltano.yml").read_text())
    [tap] = [p for p in stored["plugins"]["extractors"] if p["name"] == "tap-zendesk"]
    assert tap["config"]["batch_config"] == BATCH
    assert printed_config(project)["batch_config"] == BATCH


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("batch_config", BATCH),
        ("stream_maps", {"users": {"email": "__NULL__"}}),
        ("faker_config", {"seed": 3, "locale": "de_DE"}),
        ("stream_map_config", {"salt": "x"}),
    ],
)
def test_object_variables_reach_the_tap_as_objects(project: MeltanoProject, name, value) -> None:
    env = {f"TAP_ZENDESK_{name.upper()}": json.dumps(value)}
    assert printed_config(project, env)[name] == value


def test_flattening_variables_keep_their_types(project: MeltanoProject) -> None:
    env = {
        "TAP_ZENDESK_FLATTENING_ENABLED": "true",
        "TAP_ZENDESK_FLATTENING_MAX_DEPTH": "2",
        "TAP_ZENDESK_FLATTENING_MAX_KEY_LENGTH": "40",
        "TAP_ZENDESK_FLATTENING_SEPARATOR": "__",
    }
    config = printed_config(project, env)
    assert (
        config["flattening_enabled"],
        config["flattening_max_depth"],
        config["flattening_max_key_length"],
        config["flattening_separator"],
    ) == (True, 2, 40, "__")
