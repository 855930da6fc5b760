"""Shared fixtures: where the real corpora are, the bundled fixtures, a run's toolkit."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "tests" / "data"
RAW = ROOT / "raw"
SHARED = ROOT.parent / "shared"
CORPUS = SHARED / "corpus"
SEED_TEXT = SHARED / "seed" / "000_63417f54edbf349e.txt"
DECK = RAW / "tillvaxtverket-smart-specialisering-2019.pptx"

# Keep Prefect's files out of the user's home during tests.
os.environ.setdefault("PREFECT_HOME", str(ROOT / ".smartspec" / "prefect-tests"))
os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
Path(os.environ["PREFECT_HOME"]).mkdir(parents=True, exist_ok=True)


def corpus_dir(*parts: str) -> Path:
    """A folder of ../shared/corpus, or skip the test saying why."""
    path = CORPUS.joinpath(*parts)
    if not path.is_dir():
        pytest.skip(f"real-document corpus not found at ../shared/corpus/{'/'.join(parts)}")
    return path


@pytest.fixture(scope="session")
def toolkit():
    from extractors.extract import build_toolkit
    from extractors.settings import load_settings

    return build_toolkit(load_settings(ROOT / "pyproject.toml"))
