"""Runs of the `refresh` flow in tests: a raw folder, a config file with the test's own cache.

Call them under a Prefect test harness (tests/integration/conftest.py starts one per session).
"""

from __future__ import annotations

import json
import shutil
import sys
import tomllib
from pathlib import Path

from tests.conftest import DECK, ROOT


def raw_with_deck(tmp_path: Path) -> Path:
    """`tmp_path/raw` holding the bundled deck: what `smartspec run` reads from the bundled raw/."""
    raw = tmp_path / "raw"
    raw.mkdir()
    shutil.copy(DECK, raw / DECK.name)
    return raw


def config_file(folder: Path, **overrides) -> Path:
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


def run_settings(raw: Path, out: Path):
    """The settings of the config file beside `raw` (made if absent), with `raw` and `out`."""
    from smartspec.extractors.settings import load_settings

    config = raw.parent / "pyproject.toml"
    if not config.exists():
        config_file(raw.parent)
    return load_settings(config, raw_dir=raw, output_dir=out)


def run_refresh(raw: Path, out: Path, **options):
    """The refresh flow on `raw` into `out`, with the settings of the config file beside `raw`."""
    from smartspec.flows.extract_priorities import refresh

    return refresh(run_settings(raw, out), **options)


def smartspec_command() -> list[str]:
    """The installed `smartspec` program beside this Python, as a user runs it (supervised)."""
    script = Path(sys.executable).with_name("smartspec")
    return [str(script)] if script.exists() else [sys.executable, "-c", "from smartspec.flows.cli import main; main()"]
