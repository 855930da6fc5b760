"""The strategy test set: extraction scored against the truth file of each fixture document.

`tests/data/strategies/` holds short regional strategies described in
`evaluation/devcorpus/documents.fixtures.toml` and written by the development corpus's layout
builders (`python -m smartspec.evaluation.devcorpus build-fixtures`: DOCX, PDF drawn as a Word export,
PPTX, HTML; Swedish and English), each with a truth file in `truth/` in the format of
`../shared/corpus/ris3/truth/` plus a `layouts` list naming the layouts of issue 3 point 4 it
uses. Every document also carries
traps - a table of contents, a summary repeating the list in other words, goals, actors,
actions - recorded in the truth's `alternative_lists`.

Per document: level-1 F1 must be 1.0 with the right region, no extracted item may be an item
of a trap list (unless it is also a real priority, sub-priority or alias), and the level-2
items must be the truth's sub-priorities under the right parent, in order.

The scoring test needs the `evaluation` package; it skips, saying so, until that is there.
The other tests need only the extractors.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from pathlib import Path

import pytest

from smartspec.extractors.errors import ExtractionError
from smartspec.extractors.extract import extract_priorities
from smartspec.extractors.readers import read_document
from smartspec.extractors.records import PriorityRecord
from smartspec.extractors.regions import load_gazetteer
from tests.conftest import DATA

STRATEGIES = DATA / "strategies"
TRUTH_FILES = sorted((STRATEGIES / "truth").glob("*.json"))
LAYOUTS = frozenset({
    "bullets", "numbered", "run_in", "sub_headings", "table", "two_column", "list_break",
    "wrapped_names", "nested", "headers_footers",
})
FORMATS = ("pdf", "docx", "pptx", "html")
LANGUAGES = ("sv", "en")
TRUTH_KEYS = (
    "document", "language", "region", "country", "nuts_code", "text_layer", "pdf_pages", "size_bytes",
    "priority_section", "priorities", "sub_priorities", "priority_aliases", "alternative_lists", "notes",
    "layouts",
)
MAX_BYTES = 200_000
_EDGE_PUNCTUATION = " .,;:–-"


def _ids(paths: list[Path]) -> list[str]:
    return [p.name.removesuffix(".json") for p in paths]


def _truth(path: Path) -> dict:
    return json.loads(path.read_text(encoding="utf-8"))


def _key(text: str) -> str:
    """Compare items ignoring case, runs of white space and punctuation at either end."""
    return re.sub(r"\s+", " ", text).strip(_EDGE_PUNCTUATION).casefold()


@pytest.fixture(scope="module")
def extracted(toolkit) -> Callable[[Path], tuple[PriorityRecord, ...]]:
    """The records of a truth file's document, extracted once for all the tests here."""
    done: dict[Path, tuple[PriorityRecord, ...]] = {}

    def records(truth_path: Path) -> tuple[PriorityRecord, ...]:
        if truth_path not in done:
            path = STRATEGIES / _truth(truth_path)["document"]
            document = read_document(path, source_id=path.stem)
            try:
                done[truth_path] = tuple(extract_priorities(document, toolkit))
            except ExtractionError as e:
                pytest.fail(f"{path.name}: extraction raised {type(e).__name__}: {e}")
        return done[truth_path]

    return records


def _canonical(truth: dict) -> dict[str, str]:
    """Key of each priority name and alias -> the canonical priority name."""
    names = {_key(name): name for name in truth["priorities"]}
    for name, aliases in truth.get("priority_aliases", {}).items():
        names.update((_key(alias), name) for alias in aliases)
    return names


def _real_items(truth: dict) -> set[str]:
    subs = (s for items in truth.get("sub_priorities", {}).values() for s in items)
    return set(_canonical(truth)) | {_key(s) for s in subs}


# ---------------------------------------------------------------------------------------
# The test set itself
# ---------------------------------------------------------------------------------------
def test_every_document_has_a_truth_file_and_back() -> None:
    documents = {p.name for p in STRATEGIES.iterdir() if p.is_file()}
    described = {_truth(p)["document"] for p in TRUTH_FILES}
    assert TRUTH_FILES, "no truth files in tests/data/strategies/truth"
    assert documents == described
    assert {p.name for p in TRUTH_FILES} == {f"{name}.json" for name in documents}


@pytest.mark.parametrize("truth_path", TRUTH_FILES, ids=_ids(TRUTH_FILES))
def test_truth_file_is_well_formed(truth_path: Path) -> None:
    truth = _truth(truth_path)
    path = STRATEGIES / truth["document"]
    assert tuple(truth) == TRUTH_KEYS
    assert truth["language"] in LANGUAGES
    assert truth["size_bytes"] == path.stat().st_size <= MAX_BYTES
    assert (truth["pdf_pages"] is not None) == (path.suffix == ".pdf")
    region = load_gazetteer().by_code(truth["nuts_code"])
    assert (region.name, region.country) == (truth["region"], truth["country"])
    priorities = truth["priorities"]
    assert priorities and len(set(map(_key, priorities))) == len(priorities)
    assert set(truth["sub_priorities"]) <= set(priorities)
    assert set(truth["priority_aliases"]) <= set(priorities)
    assert truth["priority_section"]["heading"] and truth["priority_section"]["pages"]
    assert set(truth["layouts"]) <= LAYOUTS
    for alternative in truth["alternative_lists"]:
        assert alternative["items"] and alternative["comment"].startswith("trap:")


def test_every_layout_is_covered() -> None:
    covered = set().union(*(_truth(p)["layouts"] for p in TRUTH_FILES))
    assert covered == LAYOUTS, f"layouts without a document: {sorted(LAYOUTS - covered)}"


def test_every_format_comes_in_both_languages() -> None:
    seen = {(Path(_truth(p)["document"]).suffix.lstrip("."), _truth(p)["language"]) for p in TRUTH_FILES}
    missing = [(f, lang) for f in FORMATS for lang in LANGUAGES if (f, lang) not in seen]
    assert not missing, f"format/language pairs without a document: {missing}"
    languages = [_truth(p)["language"] for p in TRUTH_FILES]
    assert all(languages.count(lang) >= 4 for lang in LANGUAGES)


# ---------------------------------------------------------------------------------------
# Extraction against the truth
# ---------------------------------------------------------------------------------------
@pytest.mark.parametrize("truth_path", TRUTH_FILES, ids=_ids(TRUTH_FILES))
def test_priorities_match_the_truth(truth_path: Path, extracted) -> None:
    scoring = pytest.importorskip(
        "smartspec.evaluation.scoring", reason="the evaluation package (load_truth, score) is not there yet"
    )
    records = extracted(truth_path)
    result = scoring.score(list(records), scoring.load_truth(truth_path))
    assert result.f1 == 1.0, (
        f"precision {result.precision:.2f} recall {result.recall:.2f}; "
        f"missed {result.missed}; invented {result.invented}; from the TOC {result.from_toc}"
    )
    assert result.region_ok, f"regions extracted: {sorted({(r.region_code, r.region_name) for r in records})}"


@pytest.mark.parametrize("truth_path", TRUTH_FILES, ids=_ids(TRUTH_FILES))
def test_no_item_comes_from_a_trap_list(truth_path: Path, extracted) -> None:
    truth = _truth(truth_path)
    real = _real_items(truth)
    traps = {
        _key(item): f"{alternative['heading']!r} ({alternative['comment']})"
        for alternative in truth["alternative_lists"] for item in alternative["items"]
        if _key(item) not in real
    }
    taken = [
        f"level {r.level} {r.priority!r} (p.{r.page}) from {traps[_key(r.priority)]}"
        for r in extracted(truth_path) if _key(r.priority) in traps
    ]
    assert not taken, "items taken from trap lists:\n" + "\n".join(taken)


@pytest.mark.parametrize("truth_path", TRUTH_FILES, ids=_ids(TRUTH_FILES))
def test_sub_items_sit_under_the_right_priority(truth_path: Path, extracted) -> None:
    truth = _truth(truth_path)
    canonical = _canonical(truth)
    records = extracted(truth_path)
    by_position = {(r.source_id, r.region_code, r.position): r for r in records}
    found = []
    for record in records:
        if record.level != 2:
            continue
        parent = by_position.get((record.source_id, record.region_code, record.parent_position))
        parent_name = "(no parent)" if parent is None else canonical.get(_key(parent.priority), parent.priority)
        found.append((parent_name, _key(record.priority)))
    expected = [
        (name, _key(sub)) for name in truth["priorities"] for sub in truth["sub_priorities"].get(name, ())
    ]
    assert found == expected
