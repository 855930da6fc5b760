"""The one document model every reader produces.

Coordinates are points with a top-left origin; pages (and slides) are numbered from 1.
Frozen, slotted dataclasses only: no logic and no third-party imports live here.
"""

from __future__ import annotations

from dataclasses import dataclass, field

# Block kinds a reader may emit. Extraction decides what a block *means*; readers only
# say what it *looks like*.
TITLE = "title"  # a slide or document title
HEADING = "heading"  # a heading; `level` is its rank, 1 the highest
PARAGRAPH = "paragraph"  # running text
LIST_ITEM = "list_item"  # a bulleted, numbered or lettered item; `level` is its nesting, 1 the outermost
TABLE_CELL = "table_cell"  # one cell of a table; `level` is the column index from 1
BLOCK_KINDS = frozenset({TITLE, HEADING, PARAGRAPH, LIST_ITEM, TABLE_CELL})


@dataclass(frozen=True, slots=True)
class BBox:
    x0: float
    top: float
    x1: float
    bottom: float


@dataclass(frozen=True, slots=True)
class Provenance:
    source_id: str
    page: int
    bbox: BBox | None
    reader: str


@dataclass(frozen=True, slots=True)
class Block:
    """One paragraph, line group, list item or table cell as the source shows it.

    `marker` is the bullet glyph or numbering the source put in front of the text
    ("•", "1.", "a)"), kept apart from `text`. `container` names the text box, column or
    table the block sits in, so extraction can tell side-by-side boxes apart; `row` is the
    table row for table cells. `bold` and `size` (points) are what the first characters
    of the block look like, when the format says.
    """

    text: str
    kind: str
    level: int
    provenance: Provenance
    marker: str = ""
    bold: bool = False
    size: float | None = None
    container: str = ""
    row: int | None = None


@dataclass(frozen=True, slots=True)
class Document:
    """A document's blocks, in reading order, and what the file says about itself.

    `page_texts` is the plain text of every page (index 0 is page 1) where the reader has a
    cheap way to get it for the whole document (PDF: a pypdfium2 pass), also when `blocks`
    cover only some pages; () otherwise. Extraction takes whole-document statistics (language,
    region mentions) from it, so they do not depend on which pages were laid out.
    """

    source_id: str
    path: str
    format: str
    sha256: str
    blocks: tuple[Block, ...]
    pages: int
    bytes: int = 0
    title: str = ""
    metadata: tuple[tuple[str, str], ...] = field(default=())
    page_texts: tuple[str, ...] = field(default=())
    # text exports: the encoding the bytes were decoded from ("utf-8", "cp1252", ...)
    encoding: str | None = None
    # what a user should know about how the file was read ("a DOCX file named .pdf: read as DOCX")
    notes: tuple[str, ...] = field(default=())
