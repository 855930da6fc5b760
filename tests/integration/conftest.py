"""The integration tier's shared pieces: one Prefect test harness for the session, a project
config file of a test's own, a raw/ holding the bundled deck, and a refresh run on them."""

from __future__ import annotations

import json
import shutil
import tomllib
from pathlib import Path

import pytest
from prefect.testing.utilities import prefect_test_harness

from flows.extract_priorities import refresh
from flows.steps import RunSummary
from tests.conftest import DECK, ROOT


@pytest.fixture(scope="session", autouse=True)
def prefect_harness():
    with prefect_test_harness(server_startup_timeout=120):
        yield


def project_config(folder: Path, **overrides) -> Path:
    """The project's [tool.smartspec] with a cache of the test's own, as a config file in `folder`."""
    with (ROOT / "pyproject.toml").open("rb") as fh:
        values = tomllib.load(fh)["tool"]["smartspec"]
    values |= {"cache_dir": str(folder / "cache"), **overrides}
    path = folder / "pyproject.toml"
    lines = ["[tool.smartspec]", *(f"{key} = {_toml(value)}" for key, value in values.items())]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def _toml(value) -> str:
    """A TOML value: JSON spells strings, numbers and booleans the same; tables go inline."""
    if isinstance(value, dict):
        return "{ " + ", ".join(f"{json.dumps(k)} = {_toml(v)}" for k, v in value.items()) + " }"
    return json.dumps(value)


def raw_with_deck(tmp_path: Path) -> Path:
    """`tmp_path/raw` holding a copy of the bundled deck."""
    raw = tmp_path / "raw"
    raw.mkdir()
    shutil.copy(DECK, raw / DECK.name)
    return raw


def run_refresh(raw: Path, out: Path, **options) -> RunSummary:
    """The refresh flow on `raw`, with the config file beside it (made if missing)."""
    config = raw.parent / "pyproject.toml"
    if not config.exists():
        project_config(raw.parent)
    return refresh(raw_dir=str(raw), output_dir=str(out), config=str(config), **options)
