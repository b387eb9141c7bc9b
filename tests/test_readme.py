"""The README's generated tables match the tap."""

from __future__ import annotations

import importlib.util
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def load_generator():
    path = ROOT / "scripts" / "update_readme.py"
    spec = importlib.util.spec_from_file_location("update_readme", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_readme_settings_and_streams_tables_are_current() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert load_generator().render(readme) == readme, (
        "README.md is out of date: run .venv/bin/python scripts/update_readme.py"
    )
