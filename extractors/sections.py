"""Finding the parts of a document that list priorities.

A document covering many regions (an agency's overview deck) is read as a sequence of region
sections: a heading that names a region opens that region's section; its list items are the
region's priorities, up to the next region heading or a heading of the same or higher rank
that is not a region. A heading that repeats the heading the section sits under (the title
repeated on every slide of a map, with a "(forts.)" or not) is a running title and closes nothing,
so a region whose bullets go on over a slide break keeps them.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from extractors.document import HEADING, LIST_ITEM, PARAGRAPH, TITLE, Block
from extractors.normalise import collapse_whitespace
from extractors.regions import RegionMatch

logger = logging.getLogger(__name__)

RegionMatcher = Callable[[str], "RegionMatch | None"]


@dataclass(frozen=True, slots=True)
class Section:
    """A run of list items that belongs to one region, under the heading that opened it."""

    region: RegionMatch
    heading: Block
    items: tuple[Block, ...]


@dataclass(slots=True)
class _OpenSection:
    region: RegionMatch
    heading: Block
    rank: int
    parent: str  # the nearest heading above the region heading, in comparable form
    items: list[Block]

    def close(self) -> Section:
        return Section(self.region, self.heading, tuple(self.items))


def heading_rank(block: Block) -> int | None:
    """The rank of a heading-like block (1 highest), or None for body text.

    A short bold paragraph is a heading in all but name: decks and PDFs often set region
    names that way.
    """
    if block.kind == TITLE:
        return 1
    if block.kind == HEADING:
        return max(block.level, 1)
    if block.kind == PARAGRAPH and block.bold and len(block.text) <= 80:
        return 99
    return None


def find_region_sections(
    blocks: Sequence[Block], match_region: RegionMatcher, *, max_heading_chars: int
) -> list[Section]:
    """Split a many-region document into region sections (see the module docstring)."""
    sections: list[Section] = []
    current: _OpenSection | None = None
    headings: list[tuple[int, str]] = []  # the open heading path: (rank, comparable text)

    for block in blocks:
        rank = heading_rank(block)
        if rank is None:
            if current is not None and block.kind == LIST_ITEM:
                current.items.append(block)
            continue
        text = _comparable(block.text)
        region = match_region(block.text) if len(block.text) <= max_heading_chars else None
        if region is not None:
            if current is not None:
                sections.append(current.close())
            parent = next((t for r, t in reversed(headings) if r < rank), "")
            current = _OpenSection(region, block, rank, parent, [])
            logger.debug("%s p.%d: region heading %r -> %s (%s)", block.provenance.source_id,
                         block.provenance.page, block.text, region.region.code, region.match)
            continue
        if current is not None and rank <= current.rank:
            if text and current.parent and text.startswith(current.parent):
                continue  # the title the regions sit under, repeated on the next slide
            sections.append(current.close())
            current = None
        headings = [(r, t) for r, t in headings if r < rank] + [(rank, text)]
    if current is not None:
        sections.append(current.close())
    return sections


def _comparable(text: str) -> str:
    """Heading text for repeat detection: case-folded, trailing colons and stops dropped.

    A repeat may add a suffix ("... (forts.)", "... cont'd"), so callers compare by prefix.
    """
    return collapse_whitespace(text).casefold().rstrip(":. ")
