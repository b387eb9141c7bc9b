"""A temporary copy of the repo's Meltano project, and `meltano` runs in it with a clean env."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from tap_zendesk.sandbox import SandboxServer

REPO = Path(__file__).resolve().parents[2]
ENVIRONMENT = "e2e"
"""The Meltano environment of every run: keeps state in the project's system database."""

ISOLATED_PREFIXES = ("TAP_ZENDESK_", "TARGET_POSTGRES_", "TARGET_JSONL_", "MELTANO_", "PG")
ISOLATED_NAMES = frozenset({"LOGLEVEL", "SINGER_SDK_LOG_CONFIG", "VIRTUAL_ENV"})
SECRET_SUFFIXES = ("_TOKEN", "_PASSWORD", "_SECRET", "_SQLALCHEMY_URL")


def meltano_executable() -> str:
    """The `meltano` installed next to the running Python (the project venv), else PATH's."""
    beside = Path(sys.executable).with_name("meltano")
    if beside.exists():
        return str(beside)
    if found := shutil.which("meltano"):
        return found
    msg = "meltano is not installed: run scripts/setup"
    raise FileNotFoundError(msg)


def isolated_environ() -> dict[str, str]:
    """os.environ without the host's tap, target, Meltano and libpq settings.

    CI exports real `TAP_ZENDESK_*` credentials for the live tests: none of them may reach
    a pipeline run, which gets only what the test sets.
    """
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(ISOLATED_PREFIXES) and key not in ISOLATED_NAMES
    }
    return env | {
        "MELTANO_SEND_ANONYMOUS_USAGE_STATS": "false",
        "MELTANO_CLI_DISABLE_VERSION_CHECK": "true",
        "NO_COLOR": "1",
    }


def tap_env(server: SandboxServer, **settings: Any) -> dict[str, str]:
    """`TAP_ZENDESK_*` variables pointing the tap at `server` (objects and lists as JSON)."""
    config = {**server.tap_config(), "export_requests_per_minute": 100_000, **settings}
    return {
        f"TAP_ZENDESK_{name.upper()}": json.dumps(value)
        if isinstance(value, dict | list | bool)
        else str(value)
        for name, value in config.items()
    }


def redact(text: str, secrets: set[str]) -> str:
    """`text` with every secret value replaced by `***`."""
    for secret in sorted(secrets, key=len, reverse=True):
        text = text.replace(secret, "***")
    return text


@dataclass
class MeltanoResult:
    """One `meltano` command: exit status, combined output and wall time."""

    args: tuple[str, ...]
    returncode: int
    output: str
    seconds: float
    secrets: frozenset[str]

    def events(self) -> list[dict[str, Any]]:
        """The JSON log events (`--log-format=json`), other lines skipped."""
        events = []
        for line in self.output.splitlines():
            if not line.startswith("{"):
                continue
            try:
                event = json.loads(line)
            except json.JSONDecodeError:
                continue
            if isinstance(event, dict):
                events.append(event)
        return events

    def record_counts(self, plugin: str = "tap-zendesk") -> Counter[str]:
        """Records `plugin` reported per stream (its `record_count` metrics, summed)."""
        counts: Counter[str] = Counter()
        for event in self.events():
            metric = event.get("metric_info") or {}
            if event.get("name") == plugin and metric.get("metric") == "record_count":
                counts[metric["tags"]["stream"]] += metric["value"]
        return counts

    def check(self) -> MeltanoResult:
        """Raise with the (redacted) end of the output unless the command succeeded."""
        if self.returncode != 0:
            tail = redact(self.output[-6000:], set(self.secrets))
            msg = f"meltano {' '.join(self.args)} exited {self.returncode}:\n{tail}"
            raise AssertionError(msg)
        return self


class MeltanoProject:
    """A copy of the repo's meltano.yml in `root`: the tap installed from this checkout."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.meltano = meltano_executable()

    @classmethod
    def create(cls, root: Path) -> MeltanoProject:
        """Write the project: repo meltano.yml, tap from the checkout, an `e2e` environment."""
        project = yaml.safe_load((REPO / "meltano.yml").read_text())
        [tap] = [p for p in project["plugins"]["extractors"] if p["name"] == "tap-zendesk"]
        assert tap["pip_url"] == "-e .", "meltano.yml installs the tap from the checkout"
        tap["pip_url"] = f"-e {REPO}"
        environments = project.setdefault("environments", [])
        if all(env["name"] != ENVIRONMENT for env in environments):
            environments.append({"name": ENVIRONMENT})
        (root / "meltano.yml").write_text(yaml.safe_dump(project, sort_keys=False))
        return cls(root)

    def run(self, *args: str, env: Mapping[str, str] | None = None) -> MeltanoResult:
        """Run `meltano --log-format=json ARGS` in the project with only `env` added."""
        full_env = isolated_environ() | dict(env or {})
        secrets = frozenset(
            value for key, value in full_env.items() if key.endswith(SECRET_SUFFIXES) and value
        )
        started = time.perf_counter()
        process = subprocess.run(
            [self.meltano, "--log-format=json", *args],
            cwd=self.root,
            env=full_env,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            timeout=900,
            check=False,
        )
        return MeltanoResult(
            args, process.returncode, process.stdout, time.perf_counter() - started, secrets
        )

    def state(self, state_id: str) -> dict[str, Any]:
        """The Singer state Meltano keeps under `state_id`."""
        result = self.run(f"--environment={ENVIRONMENT}", "state", "get", state_id).check()
        [line] = [line for line in result.output.splitlines() if line.startswith('{"singer_state"')]
        return json.loads(line)["singer_state"]
