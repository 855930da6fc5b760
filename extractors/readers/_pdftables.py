"""Ruled tables for the PDF reader: a page's ruling lines -> grid cells -> the words in each. No I/O here.

Tables are found as pdfplumber's `Page.find_tables()` finds them with its default "lines"
strategy, by pdfplumber's own functions: edges from lines, the sides of rectangles and the
straight segments of curves; snapped and joined within 3 pt and dropped under 3 pt long;
crossings within 3 pt; the smallest cells the crossings close; cells that share a corner make
one table. Two differences: the edges are made here from the graphics the reader's own
interpreter pass collected (`edges()`), so no page is interpreted twice, and a slanted line is
no edge (pdfplumber counts it as a vertical one). The search runs only where a cheap count
says the edges could close a grid, and not on pages so full of rules (charts, maps) that
crossing every pair would cost more than reading the page.

Shapes painted white, or neither stroked nor filled, draw no rules (`ShapeInks`). A table is
kept only when it looks like one: at least MIN_ROWS rows split into MIN_COLUMNS or more
cells, cells that tile its box, words in most cells, and (hardly) no words across a cell
border or just beside it. A framed text box, a coloured strip over a slide's box, decorative
shapes behind running text, or a table left open at its sides (whose outer column pdfplumber
cannot close) stays running text, as it was before tables were read.

A cell holds the words whose middle lies inside it; its `row` and `column` number the
distinct cell tops and left edges of the table from 1, as pdfplumber's `Table.rows` lays
them out (a cell spanning columns has the number of its first one). `cell_blocks()` makes
one TABLE_CELL block of each cell with text, its wrapped lines joined and each bulleted or
numbered line on a line of its own, row by row, as the DOCX reader emits table cells.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from pdfminer.layout import LTContainer, LTCurve, LTLine, LTRect
from pdfplumber.table import cells_to_tables, edges_to_intersections, intersections_to_cells, merge_edges
from pdfplumber.utils import filter_edges

from extractors.document import TABLE_CELL, BBox, Block, Provenance
from extractors.normalise import join_hyphenated
from extractors.readers._pdflayout import Line, Word, page_columns

# pdfplumber's TableSettings defaults (points).
SNAP_TOLERANCE = 3.0
JOIN_TOLERANCE = 3.0
EDGE_MIN_LENGTH = 3.0
INTERSECTION_TOLERANCE = 3.0
# pdfplumber drops edges shorter than this before snapping and joining them.
EDGE_MIN_LENGTH_PREFILTER = 1.0
# More horizontal x vertical edges than this and the page is not searched (a chart, a map).
MAX_EDGE_PAIRS = 40_000
# Colour components within this of white are white.
WHITE_SLACK = 0.01
# At least MIN_ROWS rows split into at least MIN_COLUMNS cells (a coloured header strip over
# one big box is a slide's layout, not a table).
MIN_ROWS = 2
MIN_COLUMNS = 2
# The cells cover at least this share of the table's box: decorative shapes leave holes.
MIN_COVER = 0.95
MIN_FILLED_CELLS = 2
# At least this share of the cells hold words (decorative shapes close many empty cells).
MIN_FILLED_SHARE = 0.5
# Words across a cell border, or beside the table within this many ems of it: text that
# runs through the shapes, or a table left open at the sides, whose outer cells pdfplumber
# cannot close. More than MAX_LOOSE_SHARE of the table's words like that and it is not read.
LOOSE_REACH_EM = 3.0
MAX_LOOSE_SHARE = 0.02


@dataclass(slots=True)
class Cell:
    bbox: tuple[float, float, float, float]
    row: int  # from 1
    column: int  # from 1
    words: list[Word] = field(default_factory=list)

    def lines(self) -> list[Line]:
        """The cell's lines in reading order."""
        return [line for column in page_columns(self.words) for line in column.lines]


# The width of a space, as a share of the font size (a typical text face's is 0.25-0.28 em).
SPACE_WIDTH = 0.28


@dataclass(slots=True)
class Table:
    bbox: tuple[float, float, float, float]
    cells: list[Cell]  # row by row, left to right


def graphics(layout: LTContainer, hidden: set[int] = frozenset()) -> list[LTCurve]:
    """The lines, rectangles and curves of a page's layout tree, form XObjects looked into;
    not those in `hidden` (see `ShapeInks`)."""
    found: list[LTCurve] = []
    stack = [iter(layout)]
    while stack:
        for item in stack[-1]:
            if isinstance(item, LTCurve):
                if id(item) not in hidden:
                    found.append(item)
            elif isinstance(item, LTContainer):
                stack.append(iter(item))
                break
        else:
            stack.pop()
    return found


def edges(shapes: list[LTCurve], *, height: float, x_offset: float, y_offset: float) -> list[dict]:
    """The horizontal and vertical edges of the shapes (PDF coordinates), in pdfplumber's
    coordinates and shape (dicts with x0, top, x1, bottom, width, height, orientation)."""
    found: list[dict] = []
    for shape in shapes:
        if isinstance(shape, LTRect):
            x0, x1 = shape.x0 + x_offset, shape.x1 + x_offset
            top, bottom = height - shape.y1 + y_offset, height - shape.y0 + y_offset
            found += (_edge("h", x0, top, x1, top), _edge("h", x0, bottom, x1, bottom),
                      _edge("v", x0, top, x0, bottom), _edge("v", x1, top, x1, bottom))
            continue
        points = [(x + x_offset, height - y + y_offset) for x, y in shape.pts]
        if isinstance(shape, LTLine):
            points = points[:1] + points[-1:]
        for (ax, ay), (bx, by) in zip(points, points[1:]):
            if ay == by:
                found.append(_edge("h", min(ax, bx), ay, max(ax, bx), ay))
            elif ax == bx:
                found.append(_edge("v", ax, min(ay, by), ax, max(ay, by)))
    return found


class ShapeInks:
    """A mixin for pdfminer's layout devices: `hidden` holds the ids of the shapes drawn
    neither stroked nor filled in a colour other than white (Word's white boxes behind
    text, clipping paths), which are no rules. pdfminer keeps a shape's colour but not its
    colour space, so this is decided as the shape is painted."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.hidden: set[int] = set()

    def paint_path(self, gstate: Any, stroke: bool, fill: bool, evenodd: bool, path: Any) -> None:
        objects = self.cur_item._objs
        before = len(objects)
        super().paint_path(gstate, stroke, fill, evenodd, path)
        if not ((stroke and not _white(gstate.scs, gstate.scolor)) or (fill and not _white(gstate.ncs, gstate.ncolor))):
            self.hidden.update(id(item) for item in objects[before:])


def _white(space: Any, color: Any) -> bool:
    """Whether `color` in `space` puts no ink on a white page."""
    values = color if isinstance(color, (tuple, list)) else (color,)
    if not values or not all(isinstance(v, (int, float)) for v in values):
        return False  # a pattern: take it as drawn
    name = getattr(space, "name", "")
    if name in ("Separation", "DeviceN") or len(values) == 4:  # ink tints, CMYK: 0 is no ink
        return all(v <= WHITE_SLACK for v in values)
    if name in ("Indexed", "Pattern"):
        return False
    return all(v >= 1 - WHITE_SLACK for v in values)  # gray, RGB: 1 is white


def _edge(orientation: str, x0: float, top: float, x1: float, bottom: float) -> dict:
    return {"object_type": "edge", "orientation": orientation, "x0": x0, "top": top, "x1": x1, "bottom": bottom,
            "doctop": top, "width": x1 - x0, "height": bottom - top}


def _could_hold_a_table(found: list[dict]) -> bool:
    """Enough long horizontal and vertical edges to close two cells, and few enough to cross."""
    horizontal = sum(1 for e in found if e["orientation"] == "h" and e["width"] >= EDGE_MIN_LENGTH)
    vertical = sum(1 for e in found if e["orientation"] == "v" and e["height"] >= EDGE_MIN_LENGTH)
    return horizontal >= 2 and vertical >= 2 and horizontal + vertical >= 5 and horizontal * vertical <= MAX_EDGE_PAIRS


def find(found: list[dict], words: list[Word]) -> tuple[list[Table], list[Word]]:
    """The ruled tables the edges make, with their words; and the words outside them."""
    if not _could_hold_a_table(found):
        return [], words
    merged = merge_edges(filter_edges(found, min_length=EDGE_MIN_LENGTH_PREFILTER),
                         snap_x_tolerance=SNAP_TOLERANCE, snap_y_tolerance=SNAP_TOLERANCE,
                         join_x_tolerance=JOIN_TOLERANCE, join_y_tolerance=JOIN_TOLERANCE)
    merged = filter_edges(merged, min_length=EDGE_MIN_LENGTH)
    if not _could_hold_a_table(merged):
        return [], words
    crossings = edges_to_intersections(merged, INTERSECTION_TOLERANCE, INTERSECTION_TOLERANCE)
    tables = []
    outside = words
    for boxes in cells_to_tables(intersections_to_cells(crossings)):
        table = _table(boxes)
        if table is None:
            continue
        remaining = _fill(table, outside)
        if _plausible(table, outside):
            tables.append(table)
            outside = remaining
    return tables, outside


def _table(boxes: list[tuple[float, float, float, float]]) -> Table | None:
    tops = sorted({box[1] for box in boxes})
    lefts = sorted({box[0] for box in boxes})
    split_rows = sum(1 for top in tops if sum(1 for box in boxes if box[1] == top) >= MIN_COLUMNS)
    if split_rows < MIN_ROWS:
        return None
    row_of = {top: i for i, top in enumerate(tops, start=1)}
    column_of = {left: i for i, left in enumerate(lefts, start=1)}
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
        middle = (word.top + word.bottom) / 2
        if not top < middle < bottom:
            continue
        reach = LOOSE_REACH_EM * word.size
        if word.x1 <= x0 - reach or word.x0 >= x1 + reach:
            continue  # text in another column of the page
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
    """A cell's lines joined as a paragraph's wrapped lines are (hyphenated words rejoined),
    except that a line opening with a bullet or list number, or a line whose first word would
    have fitted on the line before (which ended short of `right`, the cell's inner right edge,
    by choice rather than for want of room), starts a new line of the text: a cell listing
    items keeps one item a line, as a DOCX or PPTX cell's paragraphs do."""
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
