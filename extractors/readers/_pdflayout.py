"""Reading order for the PDF reader: a page's words -> lines, cut into columns. No I/O here.

A recursive XY-cut: a region is split at a clear vertical gutter first (columns, side-by-side
boxes); else it is cut at its horizontal gaps into bands, and consecutive bands that together
still show a gutter are joined and cut into columns. Points, top-left origin.
"""

from __future__ import annotations

import re
import statistics
from bisect import bisect_left, bisect_right
from dataclasses import dataclass
from itertools import pairwise
from operator import attrgetter

from smartspec.extractors.normalise import BULLET_GLYPHS, split_marker
from smartspec.extractors.readers._pdfwords import Word

# A vertical gap this many ems wide, empty over every line of a region, separates columns; in a
# single row only a wider one (justified text stretches word gaps to an em; boxes sit further).
GUTTER_EM = 1.0
SINGLE_ROW_GUTTER_EM = 2.5
# A band this close (ems) to a line crossing its gutter continues that line's text flow.
FLOW_GAP_EM = 0.8
# Type sizes within this share of each other are one size (a line of a text flow has its size).
SAME_SIZE_SHARE = 0.15
# A lone row under columns this close (share of the region's width) to its middle closes them.
CENTRED_SHARE = 0.05
# A line standing this share of its width over one of the columns under it heads that column.
HEADED_SHARE = 0.6
# A lone row of text this many times the size of the band under it is a title over that band.
TITLE_SIZE_RATIO = 1.3
# A band further than this (ems) below the group above it, in a column of its own, is another box.
BOX_GAP_EM = 2.0
# Glyphs this many times taller than the region's median are ignored when counting rows.
TALL_GLYPH_RATIO = 1.5
# A bullet glyph or list number is glued to the word after it when at most this far away.
MARKER_GAP_EM = 6.0
# No bullet or list number ("(viii)", "12.3.4.", "(cid:123)") is longer than this.
MAX_MARKER_CHARS = 12
# Lines whose vertical extents overlap by this share of the smaller height are one line.
SAME_LINE_OVERLAP = 0.5
# Words this far apart (ems) have a space between them; small, as boxes reach an f's overhang.
SPACE_GAP_EM = 0.05
# Bold share of a line's characters that makes the line bold.
BOLD_SHARE = 0.5

# pdfminer's stand-in for a glyph with no Unicode mapping, e.g. a Wingdings bullet.
CID_GLYPH_RE = re.compile(r"^\(cid:\d+\)$")
_SECTION_ONLY_RE = re.compile(r"^\d{1,2}(?:\.\d{1,2})+\.?$")
_GLYPHS = frozenset(BULLET_GLYPHS)
_TOP, _X0, _TOP_X0 = attrgetter("top"), attrgetter("x0"), attrgetter("top", "x0")


@dataclass(slots=True)
class Line:
    words: list[Word]
    text: str
    x0: float
    top: float
    x1: float
    bottom: float
    size: float
    bold: bool
    bold_share: float
    first_bold: bool
    last_bold: bool
    marker: str  # the bullet glyph or list number the line starts with, or ""
    rest: str  # the text after the marker (all of it when there is none)
    marker_x0: float
    marker_x1: float
    text_x0: float


@dataclass(slots=True)
class Column:  # consecutive lines of one container ("p3:c2") in reading order
    container: int
    lines: list[Line]


@dataclass(slots=True)
class _Atom:
    words: list[Word]
    x0: float
    top: float
    x1: float
    bottom: float
    size: float


def page_columns(words: list[Word]) -> list[Column]:
    """The page's lines in reading order, cut into columns (containers numbered from 1)."""
    atoms = _atoms(words)
    leaves: list[tuple[tuple, list[_Atom]]] = []
    split_ids = iter(range(1, 1 << 30))
    # (container key, atoms, locked, the band just above, its bands and columns where known): a
    # locked region is part of a text flow and is not cut
    stack: list[tuple[tuple, list[_Atom], bool, list[_Atom], list, list]] = [((), atoms, False, [], [], [])] \
        if atoms else []
    while stack:
        key, region, locked, above, bands, parts = stack.pop()
        bands = bands or _split_y(region)
        parts = [region] if locked else _headed_first(parts or _split_x(region, _gutter(region, bands)), above)
        if len(parts) > 1 and _centred_under(bands[-1], region):  # read after every column
            parts = [[a for band in bands[:-1] for a in band], bands[-1]]
        if len(parts) > 1:
            split = next(split_ids)
            stack.extend(((*key, (split, i)), part, False, [], [], []) for i, part in reversed(list(enumerate(parts))))
        elif locked or len(bands) == 1:
            leaves.append((key, region))
        else:
            merged = _merge_bands(bands)
            if len(merged) == 1:  # cannot happen (the gutter would have split it); never loop
                leaves.append((key, region))
                continue
            for i in reversed(range(len(merged))):
                rows = _split_y(merged[i])
                cut = _split_x(merged[i], _gutter(merged[i], rows))
                flow = _in_flow(merged[i], cut, merged[max(i - 1, 0):i] + merged[i + 1:i + 2])
                stack.append((key, merged[i], flow, merged[i - 1] if i else [], rows, cut))
    numbers: dict[tuple, int] = {}
    columns: list[Column] = []
    for key, region in leaves:
        number = numbers.setdefault(key, len(numbers) + 1)
        lines = _lines(region)
        if columns and columns[-1].container == number:
            columns[-1].lines.extend(lines)
        else:
            columns.append(Column(number, lines))
    return columns


def _atoms(words: list[Word]) -> list[_Atom]:
    """One atom per word, except that a bullet or list number is glued to the nearest word to
    its right on its row (even when other boxes' bullets of the row come between them)."""
    ordered = sorted(words, key=lambda w: (round(w.top), w.x0))
    tops = [w.top for w in ordered]
    glued: dict[int, int] = {}  # index of a marker word -> index of the word glued to it
    taken: set[int] = set()
    for i, word in enumerate(ordered):
        if not _is_marker_word(word.text):
            continue
        reach = word.bottom - word.top + word.size
        lo, hi = bisect_left(tops, word.top - reach), bisect_right(tops, word.top + reach)
        best, atom = None, _atom_of(word)
        for j in range(lo, hi):
            other = ordered[j]
            if (j != i and j not in taken and j not in glued and _same_row(atom, other)
                    and abs(other.size - word.size) <= 0.2 * other.size
                    and 0 <= other.x0 - word.x1 <= MARKER_GAP_EM * other.size
                    and (best is None or other.x0 < ordered[best].x0)):
                best = j
        if best is not None and i not in taken:
            glued[i] = best
            taken.add(best)
    atoms: list[_Atom] = []
    for i, word in enumerate(ordered):
        if i in taken:
            continue
        atom = _atom_of(word)
        if i in glued:
            other = ordered[glued[i]]
            atom.words.append(other)
            atom.x1, atom.top, atom.bottom = other.x1, min(atom.top, other.top), max(atom.bottom, other.bottom)
        atoms.append(atom)
    return atoms


def _atom_of(word: Word) -> _Atom:
    return _Atom([word], word.x0, word.top, word.x1, word.bottom, word.size)


def _is_marker_word(text: str) -> bool:
    if len(text) > MAX_MARKER_CHARS or (text[0].isalpha() and text[-1] not in ".)"):
        return False  # longer than any marker, or a word rather than "a)" or "iv."
    if set(text) <= _GLYPHS:
        return len(text) <= 2
    return bool(CID_GLYPH_RE.match(text)) or split_marker(f"{text} x")[0] == text or bool(_SECTION_ONLY_RE.match(text))


def _same_row(atom: _Atom, word: Word) -> bool:
    middle = (word.top + word.bottom) / 2
    return atom.top <= middle <= atom.bottom or word.top <= (atom.top + atom.bottom) / 2 <= word.bottom


def _gutter(atoms: list[_Atom], bands: list[list[_Atom]]) -> float:  # the narrowest gap (ems) between columns
    return SINGLE_ROW_GUTTER_EM if _single_row(atoms, bands) else GUTTER_EM


def _in_flow(group: list[_Atom], parts: list[list[_Atom]], neighbours: list[list[_Atom]]) -> bool:
    """A band (in columns `parts`) whose gutters a line just above or below it crosses, in the
    type size of the text on both sides, is part of that flow (a heading beside a figure is not)."""
    if len(parts) == 1:
        return False
    gaps = [(max(a.x1 for a in left), min(a.x0 for a in right), _median_size(left), _median_size(right))
            for left, right in pairwise(parts)]
    _, top, _, bottom = _box(group)
    size = _median_size(group)
    for band in neighbours:
        distance = max(min(a.top for a in band) - bottom, top - max(a.bottom for a in band))
        if distance > FLOW_GAP_EM * size:
            continue
        band_size = _median_size(band)
        if any(_bridged(band, left, right, size) and _same_size(band_size, left_size)
               and _same_size(band_size, right_size) for left, right, left_size, right_size in gaps):
            return True
    return False


def _centred_under(band: list[_Atom], region: list[_Atom]) -> bool:
    """`band`, the last of a region with columns, is one line in one piece centred under it and
    under two or more of its columns: a caption or a bar that closes them all."""
    (x0, _, x1, _), (left, top, right, _) = _box(region), _box(band)
    if (len(band) == len(region) or not _single_row(band, [band]) or len(_split_x(band, SINGLE_ROW_GUTTER_EM)) > 1
            or abs((left + right) / 2 - (x0 + x1) / 2) > CENTRED_SHARE * (x1 - x0)):
        return False
    above = [a for a in region if a.top < top]
    columns = _split_x(above, _gutter(above, _split_y(above))) if above else []
    return sum(1 for c in columns if min(a.x0 for a in c) < right and max(a.x1 for a in c) > left) >= 2


def _headed_first(parts: list[list[_Atom]], above: list[_Atom]) -> list[list[_Atom]]:
    """Columns left to right, except that the one the line just above mostly stands over comes
    first: a heading over a list beside a figure's labels is read with its list."""
    if len(parts) < 2 or not above:
        return parts
    last = max(a.top for a in above)
    row = [a for a in above if a.top >= last - 0.5 * a.size]
    x0, _, x1, bottom = _box(row)
    if min(a.top for a in parts[0] + parts[1]) - bottom > FLOW_GAP_EM * _median_size(row):
        return parts
    overlaps = [min(x1, max(a.x1 for a in part)) - max(x0, min(a.x0 for a in part)) for part in parts]
    best = max(range(len(parts)), key=overlaps.__getitem__)
    if best == 0 or overlaps[best] < HEADED_SHARE * (x1 - x0):
        return parts
    return [parts[best], *parts[:best], *parts[best + 1:]]


def _same_size(one: float, other: float) -> bool:
    return abs(one - other) <= SAME_SIZE_SHARE * max(one, other)


def _bridged(band: list[_Atom], left: float, right: float, size: float) -> bool:
    """`band`'s text covers the gap from `left` to `right`, leaving no part of it a gutter wide
    (a longer item in one of two side-by-side boxes only overlaps it)."""
    edge, widest = left, 0.0
    for atom in sorted((a for a in band if a.x0 < right and a.x1 > left), key=_X0):
        widest = max(widest, atom.x0 - edge)
        edge = max(edge, atom.x1)
    if edge == left:
        return False  # nothing of the band lies in the gap
    return max(widest, right - edge) < GUTTER_EM * size


def _single_row(atoms: list[_Atom], bands: list[list[_Atom]]) -> bool:
    """One row of text, not counting glyphs much taller than the rest (a drop cap)."""
    if len(bands) > 1:
        return False
    heights = [a.bottom - a.top for a in atoms]
    tallest = TALL_GLYPH_RATIO * statistics.median(heights)
    if max(heights) <= tallest:
        return True  # no tall glyph: the one band is the one row
    return len(_split_y([a for a, height in zip(atoms, heights) if height <= tallest])) <= 1


def _median_size(atoms: list[_Atom]) -> float:
    return statistics.median(a.size for a in atoms)


def _box(atoms: list[_Atom]) -> tuple[float, float, float, float]:
    return min(a.x0 for a in atoms), min(a.top for a in atoms), max(a.x1 for a in atoms), max(a.bottom for a in atoms)


def _split_y(atoms: list[_Atom]) -> list[list[_Atom]]:
    """Horizontal bands separated by white space, top to bottom."""
    ordered = sorted(atoms, key=_TOP)
    bands: list[list[_Atom]] = []
    bottom = float("-inf")
    for atom in ordered:
        if not bands or atom.top > bottom - 0.1 * atom.size:
            bands.append([atom])
            bottom = atom.bottom
        else:
            bands[-1].append(atom)
            if atom.bottom > bottom:  # max(bottom, atom.bottom)
                bottom = atom.bottom
    return bands


def _split_x(atoms: list[_Atom], gutter_em: float) -> list[list[_Atom]]:
    """Columns separated by vertical gaps at least `gutter_em` wide, left to right."""
    ordered = sorted(atoms, key=_X0)
    part = [ordered[0]]
    parts: list[list[_Atom]] = [part]
    edge = ordered[0]  # the atom reaching furthest right so far
    for atom in ordered[1:]:
        if atom.x0 - edge.x1 >= gutter_em * (atom.size if atom.size > edge.size else edge.size):
            part = [atom]
            parts.append(part)
        else:
            part.append(atom)
        if atom.x1 > edge.x1:
            edge = atom
    return parts


def _merge_bands(bands: list[list[_Atom]]) -> list[list[_Atom]]:
    """Join consecutive bands for as long as together they still show a column gutter; but not
    a lone row in one piece in larger type to the band under it (a slide title over side-by-side
    boxes), nor a band of one column well below the group (another box, read after it)."""
    merged = [bands[0]]
    alone = True  # merged[-1] is still a single band
    for band in bands[1:]:
        trial = merged[-1] + band
        gutter = len(_split_x(trial, GUTTER_EM)) > 1  # the cheap test first: most bands show none
        title = gutter and alone and _single_row(merged[-1], [merged[-1]]) and (
            _median_size(merged[-1]) >= TITLE_SIZE_RATIO * _median_size(band)) and (
            len(_split_x(merged[-1], SINGLE_ROW_GUTTER_EM)) == 1)
        joined = gutter and not title and not _apart(merged[-1], band)
        merged[-1:] = [trial] if joined else [merged[-1], band]
        alone = not joined
    return merged


def _apart(group: list[_Atom], band: list[_Atom]) -> bool:
    """`band` lies more than BOX_GAP_EM below `group` and is one box, not columns itself."""
    gap = min(a.top for a in band) - max(a.bottom for a in group)
    return gap > BOX_GAP_EM * _median_size(band) and len(_split_x(band, _gutter(band, _split_y(band)))) == 1


def _lines(atoms: list[_Atom]) -> list[Line]:
    words = sorted((w for a in atoms for w in a.words), key=_TOP_X0)
    rows: list[list[Word]] = []
    top = bottom = 0.0
    for word in words:
        if rows:
            overlap = min(bottom, word.bottom) - max(top, word.top)
            if overlap >= SAME_LINE_OVERLAP * min(bottom - top, word.bottom - word.top):
                rows[-1].append(word)
                top, bottom = min(top, word.top), max(bottom, word.bottom)
                continue
        rows.append([word])
        top, bottom = word.top, word.bottom
    return [_line(sorted(row, key=_X0)) for row in rows]


def _line(words: list[Word]) -> Line:
    text, starts = words[0].text, [0]
    for before, word in pairwise(words):
        if word.x0 - before.x1 >= SPACE_GAP_EM * word.size:
            text += " "
        starts.append(len(text))
        text += word.text
    marker, rest = split_marker(text)
    if len(words) > 1 and CID_GLYPH_RE.match(words[0].text):
        marker, rest = words[0].text, text[starts[1]:]  # a symbol-font bullet with no Unicode
    body = words
    if marker and rest.strip():
        consumed = len(text) - len(rest)
        body = [w for w, start in zip(words, starts) if start + len(w.text) > consumed] or words[-1:]
    else:
        marker, rest = "", text
    chars = sum(len(w.text) for w in body) or 1
    size, seen = body[0].size, 0
    for size, count in sorted((w.size, len(w.text)) for w in body):
        seen += count
        if seen >= chars / 2:
            break
    bold_chars = sum(len(w.text) for w in body if w.bold)
    return Line(
        words=words, text=text, x0=words[0].x0, top=min(w.top for w in words), x1=words[-1].x1,
        bottom=max(w.bottom for w in words), size=size, bold=bold_chars >= BOLD_SHARE * chars,
        bold_share=bold_chars / chars, first_bold=body[0].bold, last_bold=body[-1].bold, marker=marker, rest=rest,
        marker_x0=words[0].x0, marker_x1=words[max(words.index(body[0]) - 1, 0)].x1, text_x0=body[0].x0,
    )
