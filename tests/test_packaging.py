"""The package declares every distribution it imports, and running it never needs pytest."""

from __future__ import annotations

import ast
import subprocess
import sys
import tomllib
from importlib.metadata import packages_distributions
from pathlib import Path

from packaging.requirements import Requirement

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "tap_zendesk"
PROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
# Imported only by the opt-in pytest plugin, declared as the `pytest` extra.
PLUGIN = PACKAGE / "sandbox" / "pytest_plugin.py"


def imported_modules(path: Path) -> set[str]:
    """Top-level names of every module `path` imports, lazily or not."""
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            names |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names.add(node.module.split(".")[0])
    return names


def third_party(paths: list[Path]) -> set[str]:
    modules = set().union(*(imported_modules(path) for path in paths))
    return {m for m in modules if m not in sys.stdlib_module_names and m != "tap_zendesk"}


def distributions(modules: set[str]) -> set[str]:
    mapping = packages_distributions()
    return {dist.lower() for module in modules for dist in mapping[module]}


def declared(requirements: list[str]) -> set[str]:
    return {Requirement(r).name.lower().replace("_", "-") for r in requirements}


def normalised(names: set[str]) -> set[str]:
    return {name.replace("_", "-") for name in names}


def test_every_imported_distribution_is_a_dependency() -> None:
    shipped = [p for p in PACKAGE.rglob("*.py") if p != PLUGIN]
    assert normalised(distributions(third_party(shipped))) == declared(PROJECT["dependencies"])


def test_the_pytest_plugin_needs_only_its_extra() -> None:
    needed = normalised(distributions(third_party([PLUGIN]))) - declared(PROJECT["dependencies"])
    assert needed == declared(PROJECT["optional-dependencies"]["pytest"])


def test_backoff_comes_from_python_backoff_alone() -> None:
    names = declared(PROJECT["dependencies"])
    assert "python-backoff" in names
    assert "backoff" not in names


def test_the_tap_and_the_sandbox_run_without_importing_pytest() -> None:
    code = (
        "import sys, tap_zendesk.tap, tap_zendesk.sandbox, tap_zendesk.sandbox.cli\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] in {'pytest', '_pytest'}))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=60, check=True
    )
    assert result.stdout.strip() == "[]"
