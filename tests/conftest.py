"""Shared fixtures: where the real corpora are, the bundled fixtures, a run's toolkit."""

from __future__ import annotations

import os
import shutil
from datetime import UTC, datetime
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


@pytest.hookimpl(tryfirst=True)
def pytest_cmdline_main(config: pytest.Config) -> None:
    """Under `-n N`, pytest-xdist deals out whole test files (`--dist loadfile`) unless told
    otherwise: a module's expensive fixture (the robustness corpus through the sandbox, a built
    wheel, a published dataset) is then made once, not once per worker, and the longest file,
    the flow tests, collected first, starts first. (Not in addopts: `-p no:xdist` would then
    refuse the option.)"""
    if config.pluginmanager.has_plugin("xdist") and config.option.numprocesses and config.option.dist == "no":
        config.option.dist = "loadfile"


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


def copy_dataset(dataset: Path, target: Path) -> Path:
    """A copy of a published dataset folder at `target`, its `latest` link kept a link: the
    same bytes a publish would have written there (same inputs give byte-identical versions)."""
    shutil.copytree(dataset, target, symlinks=True)
    return target


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
def version_1_once(tmp_path_factory) -> Path:
    from tests.helpers.records import run

    dataset = tmp_path_factory.mktemp("version-1") / "priorities"
    run(dataset)
    return dataset


@pytest.fixture
def version_1(version_1_once, tmp_path) -> Path:
    """tmp_path/priorities holding v1 as `tests.helpers.records.run(dataset)` publishes it (the
    made-up Norrbotten records), copied from one publish per session: the test may change it."""
    return copy_dataset(version_1_once, tmp_path / "priorities")


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


SEED_VERSION_NOW = datetime(2025, 3, 1, tzinfo=UTC)


@pytest.fixture(scope="session")
def seed_version_once(tmp_path_factory, seed_tables) -> Path:
    from smartspec.publishing.versions import publish

    priorities, sources, themes = seed_tables
    dataset = tmp_path_factory.mktemp("seed-version") / "priorities"
    publish(priorities, sources, dataset, code_version="0", inputs={}, now=SEED_VERSION_NOW,
            themes=themes)
    return dataset


@pytest.fixture
def seed_version(seed_version_once, tmp_path) -> Path:
    """tmp_path/priorities holding v1 published from `seed_tables` with their theme tags
    (code version "0", no inputs, at SEED_VERSION_NOW), copied from one publish per session."""
    return copy_dataset(seed_version_once, tmp_path / "priorities")
