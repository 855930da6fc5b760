"""Ruled tables for the PDF reader: ruling edges -> grid cells -> the words in each. No I/O here.

Grids are found by pdfplumber's own table finder with its default "lines" settings, only on
pages whose edges could close one; a grid is kept when it looks like a table (MIN_ROWS rows of
MIN_COLUMNS cells tiling its box, words in most cells, hardly any across a border or beside
it). A cell's `row` and `column` number the distinct cell tops and left edges from 1, as
pdfplumber's `Table.rows` does. A table that opens a page goes on the one closing the page
before when their columns match (`join_across_pages`).
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field

from pdfplumber.table import cells_to_tables, edges_to_intersections, intersections_to_cells, merge_edges
from pdfplumber.utils import filter_edges

from smartspec.extractors.document import TABLE_CELL, BBox, Block, Provenance
from smartspec.extractors.normalise import join_hyphenated
from smartspec.extractors.readers._pdflayout import Line, page_columns
from smartspec.extractors.readers._pdfwords import EDGE_MIN_LENGTH, Word

# pdfplumber's TableSettings defaults (points); edges come at least EDGE_MIN_LENGTH long.
SNAP_TOLERANCE = 3.0
JOIN_TOLERANCE = 3.0
INTERSECTION_TOLERANCE = 3.0
# More horizontal x vertical edges than this and the page is not searched (a chart, a map).
MAX_EDGE_PAIRS = 40_000
# A table: MIN_ROWS rows split into MIN_COLUMNS cells (a strip over one box is a slide's
# layout), cells covering MIN_COVER of its box and words in MIN_FILLED_SHARE of them
# (decorative shapes leave holes and empty cells), at most MAX_LOOSE_SHARE of its words across
# a border or within LOOSE_REACH_EM beside it (text running through shapes, a table open at
# its sides, whose outer cells pdfplumber cannot close).
MIN_ROWS = 2
MIN_COLUMNS = 2
MIN_COVER = 0.95
MIN_FILLED_CELLS = 2
MIN_FILLED_SHARE = 0.5
LOOSE_REACH_EM = 3.0
MAX_LOOSE_SHARE = 0.02
# A table's columns go on over a page break when their left edges are this close (pt).
COLUMN_SLACK = 3.0
# The width of a space, as a share of the font size (a typical text face's is 0.25-0.28 em).
SPACE_WIDTH = 0.28


@dataclass(slots=True)
class Cell:
    bbox: tuple[float, float, float, float]
    row: int  # from 1
    column: int  # from 1
    words: list[Word] = field(default_factory=list)

    def lines(self) -> list[Line]:
        return [line for column in page_columns(self.words) for line in column.lines]


@dataclass(slots=True)
class Table:
    bbox: tuple[float, float, float, float]
    cells: list[Cell]  # row by row, left to right


def _could_hold_a_table(found: list[dict]) -> bool:
    """Enough long horizontal and vertical edges to close two cells, and few enough to cross."""
    horizontal = sum(1 for e in found if e["orientation"] == "h" and e["width"] >= EDGE_MIN_LENGTH)
    vertical = sum(1 for e in found if e["orientation"] == "v" and e["height"] >= EDGE_MIN_LENGTH)
    return horizontal >= 2 and vertical >= 2 and horizontal + vertical >= 5 and horizontal * vertical <= MAX_EDGE_PAIRS


def find(found: list[dict], words: list[Word]) -> tuple[list[Table], list[Word]]:
    """The ruled tables the edges make, with their words; and the words outside them."""
    if not _could_hold_a_table(found):
        return [], words
    merged = filter_edges(merge_edges(found, SNAP_TOLERANCE, SNAP_TOLERANCE, JOIN_TOLERANCE, JOIN_TOLERANCE),
                          min_length=EDGE_MIN_LENGTH)
    if not _could_hold_a_table(merged):
        return [], words
    crossings = edges_to_intersections(merged, INTERSECTION_TOLERANCE, INTERSECTION_TOLERANCE)
    tables, outside = [], words
    for boxes in cells_to_tables(intersections_to_cells(crossings)):
        if (table := _table(boxes)) is None:
            continue
        remaining = _fill(table, outside)
        if _plausible(table, outside):
            tables.append(table)
            outside = remaining
    return tables, outside


def _table(boxes: list[tuple[float, float, float, float]]) -> Table | None:
    tops, lefts = sorted({box[1] for box in boxes}), sorted({box[0] for box in boxes})
    split_rows = sum(1 for top in tops if sum(1 for box in boxes if box[1] == top) >= MIN_COLUMNS)
    if split_rows < MIN_ROWS:
        return None
    row_of, column_of = {top: i for i, top in enumerate(tops, 1)}, {left: i for i, left in enumerate(lefts, 1)}
    cells = sorted((Cell(box, row_of[box[1]], column_of[box[0]]) for box in boxes), key=lambda c: (c.row, c.column))
    bbox = (min(b[0] for b in boxes), min(b[1] for b in boxes), max(b[2] for b in boxes), max(b[3] for b in boxes))
    area = sum((b[2] - b[0]) * (b[3] - b[1]) for b in boxes)
    if area < MIN_COVER * (bbox[2] - bbox[0]) * (bbox[3] - bbox[1]):
        return None
    return Table(bbox, cells)


def _plausible(table: Table, words: list[Word]) -> bool:
    """Words in most cells, and none (or hardly any) across a border or just beside it."""
    filled = sum(1 for cell in table.cells if cell.words)
    if filled < MIN_FILLED_CELLS or filled < MIN_FILLED_SHARE * len(table.cells):
        return False
    held = sum(len(cell.words) for cell in table.cells)
    return _loose(table, words) <= MAX_LOOSE_SHARE * held


def _loose(table: Table, words: list[Word]) -> int:
    x0, top, x1, bottom = table.bbox
    count = 0
    for word in words:
        reach = LOOSE_REACH_EM * word.size
        if not top < (word.top + word.bottom) / 2 < bottom or word.x1 <= x0 - reach or word.x0 >= x1 + reach:
            continue  # beside the table's rows, or text in another column of the page
        overlapped = sum(1 for c in table.cells if min(word.x1, c.bbox[2]) - max(word.x0, c.bbox[0]) > 1
                         and min(word.bottom, c.bbox[3]) - max(word.top, c.bbox[1]) > 1)
        count += overlapped != 1
    return count


def _fill(table: Table, words: list[Word]) -> list[Word]:
    """Put each word whose middle lies in a cell of the table into it; the others are returned."""
    x0, top, x1, bottom = table.bbox
    outside = []
    for word in words:
        x, y = (word.x0 + word.x1) / 2, (word.top + word.bottom) / 2
        if x0 < x < x1 and top < y < bottom:
            cell = next((c for c in table.cells if c.bbox[0] < x < c.bbox[2] and c.bbox[1] < y < c.bbox[3]), None)
            if cell is not None:
                cell.words.append(word)
                continue
        outside.append(word)
    return outside


def cell_blocks(table: Table, *, container: str, page: int, source_id: str, reader: str) -> list[Block]:
    """One TABLE_CELL block per cell with text, row by row: `level` the column, `row` the row."""
    blocks = []
    for cell in table.cells:
        lines = cell.lines()
        text = cell_text(lines, right=cell.bbox[2] - (min(line.x0 for line in lines) - cell.bbox[0])
                         if lines else cell.bbox[2])
        if not text:
            continue
        blocks.append(Block(
            text=text, kind=TABLE_CELL, level=cell.column,
            provenance=Provenance(source_id, page, BBox(*cell.bbox), reader),
            bold=lines[0].bold, size=round(lines[0].size, 2), container=container, row=cell.row,
        ))
    return blocks


def cell_text(lines: list[Line], right: float) -> str:
    """A cell's lines joined as wrapped lines are, except that a line opening with a marker, or
    whose first word would have fitted on the line before (ended short of `right`, the cell's
    inner right edge, by choice), starts a new line: one item a line, as DOCX cells keep them."""
    paragraphs: list[list[str]] = []
    previous: Line | None = None
    for line in lines:
        if line.marker or previous is None or _broken_by_choice(previous, line, right):
            paragraphs.append([])
        paragraphs[-1].append(line.text)
        previous = line
    return "\n".join(join_hyphenated("\n".join(p)).replace("\n", " ").strip()
                     for p in paragraphs).strip()


def _broken_by_choice(previous: Line, line: Line, right: float) -> bool:
    if not line.words:
        return False
    first = line.words[0]
    if previous.text.endswith("-") or (first.text.endswith("-") and len(line.words) == 1):
        return False  # a word hyphenated across the lines: the whole word did not fit
    space = SPACE_WIDTH * first.size
    return previous.x1 + space + (first.x1 - first.x0) < right


def position(bbox: tuple[float, float, float, float], boxes: list[tuple[float, float, float, float]]) -> int:
    """Where a table goes among the page's blocks in reading order (`boxes`): before the first
    block under it that overlaps it across, else after the last such block above it, else last."""
    x0, top, x1, bottom = bbox
    across = [i for i, box in enumerate(boxes) if box[0] < x1 and box[2] > x0]
    below = [i for i in across if boxes[i][1] >= bottom - 1]
    if below:
        return below[0]
    above = [i for i in across if boxes[i][3] <= top + 1]
    return above[-1] + 1 if above else len(boxes)


def join_across_pages(blocks: list[Block]) -> list[Block]:
    """A table that opens a page goes on the table that closed the page before when its
    columns are the same (as many, each starting within COLUMN_SLACK of the other's): its
    cells take that table's container and number their rows on."""
    pages: dict[int, list[int]] = {}
    for index, block in enumerate(blocks):
        pages.setdefault(block.provenance.page, []).append(index)
    joined = list(blocks)
    for page, indexes in pages.items():
        before = pages.get(page - 1)
        if not before or joined[before[-1]].kind != TABLE_CELL or blocks[indexes[0]].kind != TABLE_CELL:
            continue
        closing = [joined[i] for i in before if joined[i].container == joined[before[-1]].container]
        opening = [i for i in indexes if blocks[i].container == blocks[indexes[0]].container]
        if _columns(closing) != _columns([blocks[i] for i in opening], like=_columns(closing)):
            continue
        last_row = max(b.row or 0 for b in closing)
        for i in opening:
            joined[i] = dataclasses.replace(blocks[i], container=closing[0].container,
                                            row=(blocks[i].row or 0) + last_row)
    return joined


def _columns(cells: list[Block], like: dict[int, float] | None = None) -> dict[int, float]:
    """Each column's left edge; snapped to `like`'s where within COLUMN_SLACK of it."""
    lefts: dict[int, float] = {}
    for cell in cells:
        lefts[cell.level] = min(lefts.get(cell.level, cell.provenance.bbox.x0), cell.provenance.bbox.x0)
    if like:
        lefts = {c: like[c] if c in like and abs(like[c] - x) <= COLUMN_SLACK else x for c, x in lefts.items()}
    return lefts
