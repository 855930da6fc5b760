"""smartspec's modules load under one name, `smartspec.*`, and never a second time under a bare
top-level name (`flows`, `extractors`, ...): the repository folder is on sys.path in the tests,
so a stray `import flows` would load a second copy, with its own module state."""

from __future__ import annotations

import json
import sys
from pathlib import Path

from typer.testing import CliRunner

from smartspec.flows.cli import app
from tests.conftest import DATA, ROOT

PACKAGES = ("evaluation", "extractors", "fetching", "flows", "inputs", "publishing", "reporting", "running", "schemas")


def _ours(module: object) -> Path | None:
    """The file of a module loaded from this repository (not from the tests), or None."""
    file = getattr(module, "__file__", None)
    if not file:
        return None
    path = Path(file).resolve()
    if ROOT not in path.parents or (ROOT / "tests") in path.parents or ".venv" in path.parts:
        return None
    return path


def test_after_the_cli_and_an_extraction_every_module_of_ours_is_a_smartspec_one():
    result = CliRunner().invoke(app, ["extract", str(DATA / "seed_deck.txt"), "--format", "json"])
    assert result.exit_code == 0, result.output
    assert len(json.loads(result.stdout)) == 64
    bare = sorted(name for name in PACKAGES if name in sys.modules and _ours(sys.modules[name]) is not None)
    assert bare == [], f"loaded under a bare name: {bare}"
    strays = sorted(name for name, module in list(sys.modules.items())
                    if _ours(module) is not None and not name.startswith("smartspec."))
    assert strays == [], f"modules of ours outside the smartspec namespace: {strays}"
