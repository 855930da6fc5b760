"""The outline of a document's blocks: its headings, their sections, and what is not text.

Worked out once per document for `smartspec.extractors.candidates`:

- each heading-like block's rank (`sections.heading_rank`) and, when numbered, its depth
  ("4.1.1" is 3; a chapter number set alone, "3.", lends its depth to the title after it);
- each heading's section: the blocks up to the next heading of the same or a higher rank
  (by depth when both are numbered). A heading that repeats the open title it would close
  ("Styrkeområden (forts.)" on the next slide, "... (2/3)") continues that section instead;
- the headings open at each block;
- contents pages: pages whose lines end in page numbers or dot leaders, in rising order;
- page furniture a reader kept: the same text (digits aside) on most pages, bare page numbers.

The rules for contents lines and furniture are in `furniture.py`, which the PDF reader shares.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from itertools import pairwise

from smartspec.extractors.document import PARAGRAPH, Block
from smartspec.extractors.furniture import TOC_MIN_LINES, TOC_RISING_SHARE, furniture_key, is_number_only, page_reference
from smartspec.extractors.normalise import collapse_whitespace
from smartspec.extractors.sections import heading_rank

_MARKER_DEPTH_RE = re.compile(r"^\(?(\d{1,2}(?:\.\d{1,2})*)[.)]?$")
_TEXT_DEPTH_RE = re.compile(r"^(\d{1,2}(?:\.\d{1,2})*)\.?\s+\S")
_TRAILING_BRACKETS_RE = re.compile(r"\s*[(\[][^()\[\]]*[)\]]\s*$")


class Outline:
    """The outline of `blocks` (see the module docstring). Attributes are indexed like
    `blocks`: `ranks[i]` is None for body text; `ends[h]` is the index after heading h's
    section; `open_at[i]` the headings open at block i."""

    def __init__(self, blocks: Sequence[Block], *, toc_page_share: float):
        self.blocks = list(blocks)
        self.toc_page_share = toc_page_share
        self.ranks = [heading_rank(block) for block in self.blocks]
        self.number_only = {i for i, rank in enumerate(self.ranks)
                            if rank is not None and is_number_only(self.blocks[i].text)}
        self.depths = self._depths()
        self.continued: set[int] = set()  # headings that repeat the title they continue
        self.ends: dict[int, int] = {}
        self.open_at: list[tuple[int, ...]] = []
        self._walk_sections()
        self.toc_pages = self._toc_pages()
        self.furniture = self._furniture()

    def _depths(self) -> list[int | None]:
        depths = [section_depth(block) if rank is not None else None
                  for block, rank in zip(self.blocks, self.ranks)]
        for i in range(len(self.blocks) - 1):  # "3." alone, then the chapter's title
            if (self.ranks[i] is not None and depths[i] is not None and self.ranks[i + 1] is not None
                    and depths[i + 1] is None and is_number_only(self.blocks[i].text)):
                depths[i + 1] = depths[i]
        return depths

    def _closes(self, k: int, h: int) -> bool:
        """Whether heading k ends the section of the open heading h."""
        if self.depths[k] is not None and self.depths[h] is not None:
            return self.depths[k] <= self.depths[h]
        return self.ranks[k] <= self.ranks[h]

    def _walk_sections(self) -> None:
        """Each heading's section end, and the headings open at each block. A heading that
        repeats the open title it would close (a slide title "(forts.)") continues it."""
        stack: list[int] = []
        for i, rank in enumerate(self.ranks):
            if rank is not None and i not in self.number_only:
                while stack and self._closes(i, stack[-1]):
                    if _repeats(self.blocks[i].text, self.blocks[stack[-1]].text):
                        self.continued.add(i)
                        break
                    self.ends[stack.pop()] = i
                if i not in self.continued:
                    self.open_at.append(tuple(stack))
                    stack.append(i)
                    continue
            self.open_at.append(tuple(stack))
        for h in stack:
            self.ends[h] = len(self.blocks)

    def _toc_pages(self) -> set[int]:
        """Pages whose lines mostly end in rising page numbers or dot leaders."""
        lines: dict[int, list[int]] = {}
        counts: dict[int, int] = {}
        pages = set()
        for i, block in enumerate(self.blocks):
            page = block.provenance.page
            counts[page] = counts.get(page, 0) + 1
            number = page_reference(block.text)
            if number is not None:
                lines.setdefault(page, []).append(number)
        for page, numbers in lines.items():
            rising = sum(1 for a, b in pairwise(numbers) if b >= a)
            if (len(numbers) >= TOC_MIN_LINES and rising >= TOC_RISING_SHARE * (len(numbers) - 1)
                    and len(numbers) >= self.toc_page_share * counts[page]):
                pages.add(page)
        return pages

    def _furniture(self) -> set[int]:
        """Running headers and footers a reader kept (the same text, digits aside, on most
        pages) and bare page numbers: they neither break a list nor describe an item."""
        pages_of: dict[str, set[int]] = {}
        for block in self.blocks:
            pages_of.setdefault(furniture_key(block.text), set()).add(block.provenance.page)
        pages = {block.provenance.page for block in self.blocks}
        common = {key for key, seen in pages_of.items()
                  if len(seen) >= max(TOC_MIN_LINES - 1, len(pages) / 2)}
        return {i for i, block in enumerate(self.blocks) if block.kind == PARAGRAPH
                and (furniture_key(block.text) in common or is_number_only(block.text))}


def section_depth(block: Block) -> int | None:
    """How deep a numbered heading sits: "3." -> 1, "4.1.1 Name" -> 3; None if unnumbered."""
    marker = block.marker.strip()
    match = _MARKER_DEPTH_RE.match(marker) if marker else None
    if match is None:
        match = _TEXT_DEPTH_RE.match(block.text.strip()) or _MARKER_DEPTH_RE.match(block.text.strip())
    return match.group(1).count(".") + 1 if match else None


def _repeats(text: str, title: str) -> bool:
    """Whether a heading repeats the title it follows: the same words, give or take a
    bracketed ending ("Styrkeområden (forts.)", "... (2/3)")."""
    a = _comparable(text)
    return bool(a) and a == _comparable(title)


def _comparable(text: str) -> str:
    text = _TRAILING_BRACKETS_RE.sub("", collapse_whitespace(text))
    return text.casefold().rstrip(":. ")
