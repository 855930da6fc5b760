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
# ... and the lemma indexes (extractors/lemmas.py), built once for every test process to share.
os.environ.setdefault("XDG_CACHE_HOME", str(ROOT / ".smartspec" / "cache-tests"))
# Our loggers speak outside flow runs too (the library called directly), as under the CLI.
os.environ.setdefault("PREFECT_LOGGING_TO_API_WHEN_MISSING_FLOW", "ignore")
Path(os.environ["PREFECT_HOME"]).mkdir(parents=True, exist_ok=True)


TIERS = ("unit", "system", "integration")


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Mark each test with its tier, the folder under tests/ it lives in (`-m unit`, `-m system`)."""
    for item in items:
        parts = Path(str(item.path)).relative_to(ROOT / "tests").parts
        if parts and parts[0] in TIERS:
            item.add_marker(parts[0])


def corpus_dir(*parts: str) -> Path:
    """A folder of ../shared/corpus, or skip the test saying why."""
    path = CORPUS.joinpath(*parts)
    if not path.is_dir():
        pytest.skip(f"real-document corpus not found at ../shared/corpus/{'/'.join(parts)}")
    return path


@pytest.fixture(scope="session")
def toolkit():
    from smartspec.extractors.extract import build_toolkit

    return build_toolkit()


class ReadLog:
    """The source ids a reader was asked for, in order, across processes: a document read in
    an isolated child (running/isolation.py) or a worker is logged as well as one read here."""

    def __init__(self, path: Path) -> None:
        self.path = path

    def add(self, source_id: str) -> None:
        with open(self.path, "a", encoding="utf-8") as fh:  # one short append: atomic across processes
            fh.write(source_id + "\n")

    def ids(self) -> list[str]:
        return self.path.read_text(encoding="utf-8").splitlines() if self.path.exists() else []

    def clear(self) -> None:
        self.path.unlink(missing_ok=True)

    def __iter__(self):
        return iter(self.ids())

    def __len__(self) -> int:
        return len(self.ids())

    def __eq__(self, other: object) -> bool:
        return self.ids() == list(other)  # type: ignore[call-overload]

    def __repr__(self) -> str:
        return f"ReadLog({self.ids()!r})"


@pytest.fixture
def reads(monkeypatch, tmp_path_factory):
    """The source ids `smartspec.running.steps.process_source` asked the reader for, in this process and
    in the child processes it forks."""
    import smartspec.running.steps as steps
    log = ReadLog(tmp_path_factory.mktemp("reads") / "reads.log")
    real = steps.read_document

    def counting(path, *, source_id, **options):
        log.add(source_id)
        return real(path, source_id=source_id, **options)

    monkeypatch.setattr(steps, "read_document", counting)
    return log


@pytest.fixture(scope="session")
def taxonomy():
    from smartspec.extractors.themes import load_taxonomy

    return load_taxonomy()


@pytest.fixture(scope="session")
def theme_matchers(toolkit, taxonomy):
    """One theme matcher per language, built on the run toolkit's pipelines."""
    from smartspec.extractors.tagging import build_theme_matchers

    return build_theme_matchers(toolkit.pipelines, taxonomy)


@pytest.fixture(scope="session")
def seed_tables(toolkit, theme_matchers, taxonomy):
    """The bundled seed deck's validated priorities and sources, and its theme tags."""
    from smartspec.inputs.sources import SourceFile
    from smartspec.extractors.tagging import assign_themes
    from smartspec.running.steps import process_source
    from smartspec.publishing.tables import priorities_frame, sources_frame, validate
    from smartspec.publishing.themes import ThemeTables, themes_frame, validate_themes

    path = DATA / "seed_deck.txt"
    outcome = process_source(SourceFile("seed_deck", path, path.name), toolkit)
    priorities, sources = validate(priorities_frame(outcome.priorities), sources_frame([outcome.source]),
                                   region_codes=toolkit.gazetteer.codes)
    found = {(lang, text): assign_themes(text, lang, theme_matchers)
             for lang, text in zip(priorities.language, priorities.priority, strict=True)}
    themes = validate_themes(themes_frame(priorities, found), priorities, taxonomy)
    return priorities, sources, ThemeTables(themes, taxonomy)
