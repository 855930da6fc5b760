"""The strategy test set of tests/data/strategies: the documents of documents.fixtures.toml,
written by the layout builders, each with `truth/<file>.json` in the truth format of
../shared/corpus/ris3/truth plus `layouts`, the layouts of issue 3 the document shows.

A fixture is one region's strategy. Its traps are the parts marked `trap`: each is recorded
with its heading (the part's caption, a contents part's label, or the heading above it), its
items (a list's names, a table's first column, the headings a contents part lists, their
section numbers dropped) and pages. Pages are where the project's readers find each part in
the written file, so the truth says what the readers see.
"""

from __future__ import annotations

import json
import logging
import re
import unicodedata
from collections.abc import Sequence
from pathlib import Path

from smartspec.evaluation.devcorpus.build import write_document
from smartspec.evaluation.devcorpus.documents import (FIXTURES, CorpusDocument, Part, RegionTruth,
                                            contents_label, load_documents)
from smartspec.extractors.document import Block
from smartspec.extractors.readers import read_document
from smartspec.extractors.regions import load_gazetteer

logger = logging.getLogger(__name__)

TRUTH_DIR = "truth"
WRAPPED_LINE = 20  # characters: a block this long that begins a part's text is its first line
_SECTION_NUMBER_RE = re.compile(r"^\d+(?:\.\d+)*[.)]?\s+")


def build_fixtures(out_dir: Path) -> list[Path]:
    """Write every fixture and its truth file into `out_dir`; the documents' paths."""
    out_dir = Path(out_dir)
    (out_dir / TRUTH_DIR).mkdir(parents=True, exist_ok=True)
    paths = []
    for document in load_documents(FIXTURES):
        path = out_dir / document.file_name
        write_document(document, path)
        truth = json.dumps(fixture_truth(document, path), ensure_ascii=False, indent=2) + "\n"
        (out_dir / TRUTH_DIR / f"{document.file_name}.json").write_text(truth, encoding="utf-8")
        paths.append(path)
    expected = {p.name for p in paths} | {f"{p.name}.json" for p in paths}
    for stray in sorted((*out_dir.iterdir(), *(out_dir / TRUTH_DIR).iterdir())):
        if stray.is_file() and stray.name not in expected:
            logger.warning("%s is not a fixture of %s", stray, f"documents.{FIXTURES}.toml")
    return paths


def fixture_truth(document: CorpusDocument, path: Path) -> dict:
    """The truth of a written fixture. Raises ValueError when the document is not one
    region's, its region is not the gazetteer's, or a part is not where the readers read."""
    if len(document.regions) != 1:
        raise ValueError(f"{document.id}: a fixture is one region's strategy")
    region = document.regions[0]
    place = load_gazetteer().resolve(region.nuts2021_code)
    if place is None or (place.code, place.name) != (region.nuts2021_code, region.region):
        raise ValueError(f"{document.id}: {region.region} {region.nuts2021_code} is not in the gazetteer")
    read = read_document(path, source_id=path.stem)
    pages, section_pages = _pages(document, read.blocks, region)
    return {
        "document": document.file_name,
        "language": document.language,
        "region": region.region,
        "country": place.country,
        "nuts_code": region.nuts2021_code,
        "text_layer": True,
        "pdf_pages": read.pages if document.format == "pdf" else None,
        "size_bytes": path.stat().st_size,
        "priority_section": {"pages": section_pages, "heading": region.section},
        "priorities": list(region.priorities),
        "sub_priorities": {name: list(subs) for name, subs in region.sub_priorities.items()},
        "priority_aliases": {name: list(aliases) for name, aliases in region.aliases.items()},
        "alternative_lists": [
            {"pages": pages[index], "heading": _trap_heading(document, index),
             "items": _trap_items(document, part), "comment": f"trap: {part.trap}"}
            for index, part in enumerate(document.parts) if part.trap
        ],
        "notes": document.notes,
        "layouts": list(document.features),
    }


def _trap_heading(document: CorpusDocument, index: int) -> str:
    part = document.parts[index]
    if part.caption:
        return part.caption
    if part.kind == "toc":
        return contents_label(part, document.language)
    return next((p.text for p in reversed(document.parts[:index]) if p.kind == "heading"), "")


def _trap_items(document: CorpusDocument, part: Part) -> list[str]:
    if part.kind == "toc":
        return [_SECTION_NUMBER_RE.sub("", h.text) for h in document.headings if h.level <= part.depth]
    if part.kind == "table":
        return [row[0] for row in part.rows]
    return [item.text for item in part.items]


def _key(text: str) -> str:
    """Comparable text: NFKC, case folded, white space collapsed, no section number."""
    folded = " ".join(unicodedata.normalize("NFKC", text).casefold().split())
    return _SECTION_NUMBER_RE.sub("", folded)


class _Reading:
    """The blocks as the reader gave them, searched in order from a cursor."""

    def __init__(self, blocks: Sequence[Block], where: str, at: int = 0) -> None:
        self.texts = [_key(b.text) for b in blocks]
        self.pages = [b.provenance.page for b in blocks]
        self.at = at
        self.where = where

    def find(self, text: str, how: str = "starts") -> int:
        """The page of the first block from the cursor that starts with `text` (`how` =
        "starts"; or that a wrapped item's first line begins), is `text` ("is") or holds it
        ("holds"); the cursor moves to it."""
        key = _key(text)
        for index in range(self.at, len(self.texts)):
            found = self.texts[index]
            starts = found.startswith(key) or (len(found) >= WRAPPED_LINE and key.startswith(found))
            if found == key or (how == "starts" and starts) or (how == "holds" and key in found):
                self.at = index
                return self.pages[index]
        raise ValueError(f"{self.where}: {text[:60]!r} is not where the reader reads it")


# How a part's texts are found in the blocks: a heading is a block of its own, a paragraph
# may share one with the paragraphs around it, anything else opens a block.
_HOW = {"heading": "is", "para": "holds"}


def _texts(document: CorpusDocument, part: Part) -> list[str]:
    """What of a part to look for, in order."""
    if part.kind == "list":
        return [t for item in part.items for t in (item.text, *item.subs)]
    if part.kind == "table":
        return [row[0].split("\n")[0] for row in part.rows]
    if part.kind == "toc":
        return [contents_label(part, document.language)]
    if part.kind in ("heading", "para"):
        return [part.text]
    return []


def _pages(document: CorpusDocument, blocks: Sequence[Block],
           region: RegionTruth) -> tuple[list[list[int]], list[int]]:
    """The pages each part is on (parts found in document order), and the pages of the
    region's priorities, found after its section's heading."""
    reading = _Reading(blocks, document.file_name)
    part_pages, section_pages = [], None
    for part in document.parts:
        pages = [reading.find(text, _HOW.get(part.kind, "starts")) for text in _texts(document, part)]
        part_pages.append(sorted(set(pages)))
        if part.kind == "heading" and part.text == region.section and section_pages is None:
            section = _Reading(blocks, document.file_name, at=reading.at)
            section_pages = sorted({section.find(name) for name in region.priorities})
    if section_pages is None:
        raise ValueError(f"{document.id}: no heading {region.section!r}")
    return part_pages, section_pages
