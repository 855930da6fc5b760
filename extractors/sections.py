"""A document covering many regions, split into region sections.

A document covering many regions (an agency's overview deck) is read as a sequence of region
sections: a heading that names a region opens that region's section; its list items are the
region's priorities, up to the next region heading or a heading of the same or higher rank
that is not a region. A heading that repeats the heading the section sits under (the title
repeated on every slide of a map, with a "(forts.)" or not) is a running title and closes nothing,
so a region whose bullets go on over a slide break keeps them. A heading that names a region
before a bracketed remark ("Värmland (forts.)", "Skåne (forts.) och Blekinge") heads that
region: the remark says the region's list goes on.

A table row whose first filled cell names a region (a two-column "Region | Areas" table) is that
region's section: each line of the cells to its right is one item, its bullet glyph kept apart
as the item's marker.

A single region's own strategy is read differently (`smartspec.extractors.candidates`): its priority
section is found by the words of its heading (`smartspec.extractors.lexicon`, `headings`).
"""

from __future__ import annotations

import dataclasses
import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from smartspec.extractors.document import HEADING, LIST_ITEM, PARAGRAPH, TABLE_CELL, TITLE, Block
from smartspec.extractors.normalise import collapse_whitespace, split_marker
from smartspec.extractors.regions import RegionMatch

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
    # set when a list item names the region: the section ends at the next item this shallow
    item_level: int | None = None

    def close(self) -> Section:
        return Section(self.region, self.heading, tuple(self.items))


# The rank of a list item that names a region over its sub-items: below every heading.
ITEM_RANK = 100


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

    def heading_region(text: str) -> RegionMatch | None:
        if len(text) > max_heading_chars:
            return None
        return match_region(text) or _region_before_remark(text, match_region)

    for index, block in enumerate(blocks):
        if block.kind == TABLE_CELL:
            row = _region_row(blocks, index, heading_region)
            if row is not None:
                if current is not None:
                    sections.append(current.close())
                    current = None
                sections.append(row)
            continue
        if block.kind == LIST_ITEM and _heads_sub_items(blocks, index):
            region = heading_region(block.text)
            if region is not None:  # a bullet naming a region, its areas as sub-bullets
                if current is not None:
                    sections.append(current.close())
                parent = headings[-1][1] if headings else ""
                current = _OpenSection(region, block, ITEM_RANK, parent, [], item_level=block.level)
                continue
        rank = heading_rank(block)
        if rank is None:
            if current is not None and block.kind == LIST_ITEM:
                if current.item_level is not None and block.level <= current.item_level:
                    sections.append(current.close())  # the next bullet of the regions' level
                    current = None
                else:
                    current.items.append(block)
            continue
        text = _comparable(block.text)
        region = heading_region(block.text)
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


def _heads_sub_items(blocks: Sequence[Block], index: int) -> bool:
    """Whether the list item `blocks[index]` is followed by items nested under it."""
    following = blocks[index + 1] if index + 1 < len(blocks) else None
    return (following is not None and following.kind == LIST_ITEM
            and following.level > blocks[index].level)


def _region_before_remark(text: str, match_region: RegionMatcher) -> RegionMatch | None:
    """The region named before a bracketed remark: "Värmland (forts.)" -> Värmland."""
    head, bracket, _ = text.partition("(")
    if not bracket or not head.strip():
        return None
    return match_region(head.strip())


def _region_row(blocks: Sequence[Block], index: int,
                heading_region: Callable[[str], RegionMatch | None]) -> Section | None:
    """The section of the table row whose first filled cell, `blocks[index]`, names a region;
    None when it is not the first cell of its row or names no region."""
    cell = blocks[index]
    if cell.row is None or "\n" in cell.text.strip():
        return None
    if index and _same_row(blocks[index - 1], cell):
        return None  # not the row's first cell
    region = heading_region(cell.text.strip())
    if region is None:
        return None
    items: list[Block] = []
    for other in blocks[index + 1:]:
        if not _same_row(other, cell):
            break
        if "\n" not in other.text.strip() and heading_region(other.text.strip()) is not None:
            continue  # a column naming the region's country or county: no area
        items += cell_items(other)
    return Section(region, cell, tuple(items))


def _same_row(block: Block, cell: Block) -> bool:
    return block.kind == TABLE_CELL and block.container == cell.container and block.row == cell.row


def cell_items(cell: Block) -> list[Block]:
    """Each line of a table cell as a list item, its bullet glyph or number as the marker."""
    items = []
    for line in cell.text.split("\n"):
        marker, rest = split_marker(line)
        rest = rest.strip()
        if rest:
            items.append(dataclasses.replace(cell, text=rest, kind=LIST_ITEM, level=1,
                                             marker=marker, row=cell.row))
    return items


def _comparable(text: str) -> str:
    """Heading text for repeat detection: case-folded, trailing colons and stops dropped.

    A repeat may add a suffix ("... (forts.)", "... cont'd"), so callers compare by prefix.
    """
    return collapse_whitespace(text).casefold().rstrip(":. ")
