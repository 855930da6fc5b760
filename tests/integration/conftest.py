"""The integration tier's shared pieces: one Prefect test harness for the session, and a
project config file of a test's own."""

from __future__ import annotations

import json
import tomllib
from pathlib import Path

import pytest
from prefect.testing.utilities import prefect_test_harness

from tests.conftest import ROOT


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
