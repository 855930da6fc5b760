"""A PDF page's words and ruling edges from PDFium's text page and page objects, in one pass.

A word is a run of PDFium's page text between white space, cut after a line-end hyphen; its
box spans its first and last characters, one type size tall from DESCENT_EM under the
baseline (so a symbol-font bullet and its text share a line); facts of a text object (size,
weight, angle, baseline) are asked once. Edges are the level and upright straight segments
of the paths painted in a colour that shows, form XObjects looked into.
"""

from __future__ import annotations

import ctypes
import math
import re
from dataclasses import dataclass

import pypdfium2.raw as pdfium

# Paths with more segments than this are drawings, not rules; a page with more paths than
# MAX_PATHS is a chart or a map (a 20 x 10 table drawn cell by cell takes fewer): no rules.
MAX_PATH_SEGMENTS = 64
MAX_PATHS = 800
# A segment this close (pt) to level or upright counts as level or upright.
STRAIGHT_SLACK = 0.01
EDGE_MIN_LENGTH = 3.0  # shorter segments are no rules (pdfplumber's table finder drops them too)
WHITE_FROM = 253  # colour components (0-255) at least this are white
MIN_ALPHA = 8  # a less opaque colour draws nothing
BOLD_WEIGHT = 700  # bold from this /FontWeight, or by a face's name ("Arial,Bold", "HelveticaNeue-Md")
_BOLD_WORD_RE = re.compile(r"bold|black|heavy|demi|medium|extrab|ultrab", re.IGNORECASE)
_BOLD_CODE_RE = re.compile(r"[-,_](?:Md|Bd|Hv|Blk|Sb|Bold)(?=[A-Z]|$)")
WORD_GAP = 3.0  # characters further apart (pt) are two words (pdfplumber's x tolerance)
DESCENT_EM = 0.25  # a word's box reaches this far (ems) under its baseline, a text face's descent
# PDFium's marks for a hyphen it found at a line's end; ligatures spelled out.
_TEXT_FIXES = str.maketrans({"\ufffe": "-", "\x02": "-", "ﬀ": "ff", "ﬁ": "fi", "ﬂ": "fl", "ﬃ": "ffi",
                             "ﬄ": "ffl", "ﬅ": "ft", "ﬆ": "st"})
# A word ends at white space or at PDFium's mark for a hyphen it took out of a line's end.
_SPLIT_RE = re.compile(r"[^\s\ufffe]+\ufffe?|\ufffe")
_GLUED_NUMBER_RE = re.compile(r"\(?\d{1,3}(?:\.\d{1,3})*[.)](?=[^\W\d_])")
_CONTROL_RE = re.compile(r"[\x00-\x1f\x7f-\x9f]")
# FPDFText_GetTextObject answering with the object's address, a key for the run's facts.
_TEXT_OBJECT = ctypes.CFUNCTYPE(ctypes.c_void_p, ctypes.c_void_p, ctypes.c_int)(
    ctypes.cast(pdfium.FPDFText_GetTextObject, ctypes.c_void_p).value)
_FONT_NAME_CHARS = 256


@dataclass(slots=True, eq=False)  # a word is itself: hashed by identity, and quick to make
class Word:
    text: str
    x0: float
    top: float
    x1: float
    bottom: float
    size: float
    bold: bool


@dataclass(frozen=True, slots=True)
class PageRead:
    words: list[Word]  # upright words on the visible page; all words where most are rotated
    edges: list[dict]  # in pdfplumber's edge dicts
    text: str  # the page's plain text, "\n" line ends
    width: float
    height: float


def is_bold(fontname: str, weight: int = -1) -> bool:
    """Bold, black, heavy, semibold or medium faces by name, or a weight of 700 or more."""
    name = fontname.rsplit("+", 1)[-1]
    return weight >= BOLD_WEIGHT or bool(_BOLD_WORD_RE.search(name) or _BOLD_CODE_RE.search(name))


class _Frame:
    """PDF user space -> points from the displayed page's top-left corner."""

    def __init__(self, mediabox: tuple[float, float, float, float], rotation: int) -> None:
        left, bottom, right, top = mediabox
        self.left, self.top, self.width, self.height = left, top, right - left, top - bottom
        self.rotation = rotation
        self.size = (self.height, self.width) if rotation in (90, 270) else (self.width, self.height)

    def box(self, left: float, top: float, right: float, bottom: float) -> tuple[float, float, float, float]:
        x0, x1, y0, y1 = left - self.left, right - self.left, self.top - top, self.top - bottom
        if self.rotation == 90:
            return self.height - y1, x0, self.height - y0, x1
        if self.rotation == 180:
            return self.width - x1, self.height - y1, self.width - x0, self.height - y0
        if self.rotation == 270:
            return y0, self.width - x1, y1, self.width - x0
        return x0, y0, x1, y1


def read_page(page: pdfium.FPDF_PAGE, mediabox: tuple[float, float, float, float], rotation: int) -> PageRead:
    """The page's words, edges and plain text (see the module docstring)."""
    frame = _Frame(mediabox, rotation)
    textpage = pdfium.FPDFText_LoadPage(page)
    if not textpage:
        raise ValueError("PDFium could not load the page's text")
    try:
        count = max(pdfium.FPDFText_CountChars(textpage), 0)
        text = _page_text(textpage, count)
        words = _words(textpage, text, frame) if count else []
    finally:
        pdfium.FPDFText_ClosePage(textpage)
    width, height = frame.size
    upright = [w for w, straight in words if straight]
    kept = upright if 2 * len(upright) >= len(words) else [w for w, _ in words]
    visible = [w for w in kept if 0 <= (w.x0 + w.x1) / 2 <= width and 0 <= (w.top + w.bottom) / 2 <= height]
    plain = text.replace("\r\n", "\n").replace("\r", "\n").translate(_TEXT_FIXES)
    return PageRead(visible, _edges(page, frame), plain, width, height)


def _page_text(textpage: pdfium.FPDF_TEXTPAGE, count: int) -> str:
    """PDFium's text of the page, one string index per character index."""
    buffer = ctypes.create_string_buffer(4 * count + 16)  # room for surrogate pairs and the odd inserted char
    written = pdfium.FPDFText_GetText(textpage, 0, count, ctypes.cast(buffer, ctypes.POINTER(ctypes.c_ushort)))
    text = buffer.raw[:2 * max(written - 1, 0)].decode("utf-16-le", errors="replace")
    if len(text) == count:
        return text
    # the text API left out or put in a character: ask for them one at a time
    return "".join(chr(pdfium.FPDFText_GetUnicode(textpage, i)) for i in range(count))


def _words(textpage: pdfium.FPDF_TEXTPAGE, text: str, frame: _Frame) -> list[tuple[Word, bool]]:
    rect, matrix = pdfium.FS_RECTF(), pdfium.FS_MATRIX()
    text_object, loose_box = _TEXT_OBJECT, pdfium.FPDFText_GetLooseCharBox
    runs: dict[int | None, tuple[float, bool, bool, float | None]] = {}
    found = []
    for match in _SPLIT_RE.finditer(text):
        first, end = match.span()
        key = text_object(textpage, first)
        if (run := runs.get(key)) is None:
            run = runs[key] = _run(textpage, first, matrix, frame.rotation)
        size, bold, straight, baseline = run
        cut = _number_cut(textpage, text, first, end, rect) if text[first] in "(0123456789" else None
        for start, stop in cut or ((first, end),):
            loose_box(textpage, start, rect)
            left, bottom, right, top = rect.left, rect.bottom, rect.right, rect.top
            if stop - start > 1:
                loose_box(textpage, stop - 1, rect)
                if rect.left < left:
                    left = rect.left
                if rect.right > right:
                    right = rect.right
                if baseline is None:
                    bottom, top = min(bottom, rect.bottom), max(top, rect.top)
            if baseline is not None:  # one type size tall, from the descent line under the baseline
                bottom = baseline - DESCENT_EM * size
                top = bottom + size
            if frame.rotation:
                x0, top, x1, bottom = frame.box(left, top, right, bottom)
            else:
                x0, top, x1, bottom = left - frame.left, frame.top - top, right - frame.left, frame.top - bottom
            word = text[start:stop]
            if not (word.isascii() and word.isprintable()):  # else nothing to mend
                if _CONTROL_RE.search(word):
                    word = _unmapped(textpage, word, start)
                word = word.translate(_TEXT_FIXES)
            found.append((Word(word, x0, top, x1, bottom, size, bold), straight))
    return found


def _number_cut(textpage: pdfium.FPDF_TEXTPAGE, text: str, first: int, end: int,
                rect: pdfium.FS_RECTF) -> tuple[tuple[int, int], ...] | None:
    """A list number ("5.they") and its text as two words where they stand more than WORD_GAP
    apart (PDFium puts a space only at wider gaps); else None: the word whole."""
    if (number := _GLUED_NUMBER_RE.match(text, first, end)) is None:
        return None
    pdfium.FPDFText_GetLooseCharBox(textpage, number.end() - 1, rect)
    right = rect.right
    pdfium.FPDFText_GetLooseCharBox(textpage, number.end(), rect)
    return ((first, number.end()), (number.end(), end)) if rect.left - right > WORD_GAP else ((first, end),)


def _unmapped(textpage: pdfium.FPDF_TEXTPAGE, word: str, first: int) -> str:
    """Glyphs with no Unicode (PDFium gives their code: a symbol font's bullet) as "(cid:N)"."""
    return "".join(f"(cid:{ord(char)})" if _CONTROL_RE.match(char) and pdfium.FPDFText_HasUnicodeMapError(
        textpage, first + offset) else char for offset, char in enumerate(word))


def _run(textpage: pdfium.FPDF_TEXTPAGE, index: int, matrix: pdfium.FS_MATRIX,
         rotation: int) -> tuple[float, bool, bool, float | None]:
    """(size, bold, upright as shown, baseline of level text) of the character's text object."""
    pdfium.FPDFText_GetMatrix(textpage, index, matrix)
    size = pdfium.FPDFText_GetFontSize(textpage, index) * math.hypot(matrix.c, matrix.d)
    name = ctypes.create_string_buffer(_FONT_NAME_CHARS)
    pdfium.FPDFText_GetFontInfo(textpage, index, name, _FONT_NAME_CHARS, None)
    bold = is_bold(name.value.decode("utf-8", errors="replace"), pdfium.FPDFText_GetFontWeight(textpage, index))
    angle = math.degrees(pdfium.FPDFText_GetCharAngle(textpage, index))
    level = min(angle % 360, 360 - angle % 360) < 1 and matrix.a > 0
    displayed = (angle + rotation) % 360
    return size, bold, min(displayed, 360 - displayed) < 1, matrix.f if level and rotation == 0 else None


def _edges(page: pdfium.FPDF_PAGE, frame: _Frame) -> list[dict]:
    paths: list[tuple[pdfium.FPDF_PAGEOBJECT, tuple]] = []
    _collect(page, pdfium.FPDFPage_CountObjects(page), pdfium.FPDFPage_GetObject, (1, 0, 0, 1, 0, 0), paths)
    return [] if len(paths) > MAX_PATHS else [edge for path, outer in paths for edge in _path_edges(path, outer, frame)]


def _collect(holder, count: int, get, outer: tuple, paths: list) -> None:
    """The path objects under `holder` with the matrix of the forms around them; no more
    once there are more than MAX_PATHS (the page draws no rules)."""
    matrix = pdfium.FS_MATRIX()
    for index in range(count):
        if len(paths) > MAX_PATHS:
            return
        item = get(holder, index)
        kind = pdfium.FPDFPageObj_GetType(item)
        if kind == pdfium.FPDF_PAGEOBJ_PATH:
            paths.append((item, outer))
        elif kind == pdfium.FPDF_PAGEOBJ_FORM:
            pdfium.FPDFPageObj_GetMatrix(item, matrix)
            inner = _times((matrix.a, matrix.b, matrix.c, matrix.d, matrix.e, matrix.f), outer)
            _collect(item, pdfium.FPDFFormObj_CountObjects(item), pdfium.FPDFFormObj_GetObject, inner, paths)


def _times(m: tuple, n: tuple) -> tuple:
    """The matrix m then n (PDF's row-vector convention)."""
    a, b, c, d, e, f = m
    p, q, r, s, t, u = n
    return (a * p + b * r, a * q + b * s, c * p + d * r, c * q + d * s, e * p + f * r + t, e * q + f * s + u)


def _inked(path: pdfium.FPDF_PAGEOBJECT) -> bool:
    """Stroked or filled in a colour that shows on a white page."""
    fill, stroke, rgba = ctypes.c_int(), ctypes.c_int(), [ctypes.c_uint() for _ in range(4)]
    pdfium.FPDFPath_GetDrawMode(path, fill, stroke)
    for painted, colour in ((stroke, pdfium.FPDFPageObj_GetStrokeColor), (fill, pdfium.FPDFPageObj_GetFillColor)):
        if painted.value and colour(path, *rgba) and rgba[3].value >= MIN_ALPHA and min(
                v.value for v in rgba[:3]) < WHITE_FROM:
            return True
    return False


def _path_edges(path: pdfium.FPDF_PAGEOBJECT, outer: tuple, frame: _Frame) -> list[dict]:
    """The level and upright straight segments of the path, at least EDGE_MIN_LENGTH long."""
    count = pdfium.FPDFPath_CountSegments(path)
    if count > MAX_PATH_SEGMENTS or not _inked(path):
        return []
    matrix, x, y = pdfium.FS_MATRIX(), ctypes.c_float(), ctypes.c_float()
    pdfium.FPDFPageObj_GetMatrix(path, matrix)
    a, b, c, d, e, f = _times((matrix.a, matrix.b, matrix.c, matrix.d, matrix.e, matrix.f), outer)
    found: list[dict] = []
    start = last = (0.0, 0.0)
    for index in range(count):
        segment = pdfium.FPDFPath_GetPathSegment(path, index)
        pdfium.FPDFPathSegment_GetPoint(segment, x, y)
        point = (a * x.value + c * y.value + e, b * x.value + d * y.value + f)
        kind = pdfium.FPDFPathSegment_GetType(segment)
        if kind == pdfium.FPDF_SEGMENT_LINETO:
            _edge(frame, last, point, found)
        elif index == 0 or kind == pdfium.FPDF_SEGMENT_MOVETO:
            start = point
        if pdfium.FPDFPathSegment_GetClose(segment):
            _edge(frame, point, start, found)
        last = point
    return found


def _edge(frame: _Frame, one: tuple[float, float], other: tuple[float, float], found: list[dict]) -> None:
    (ax, ay), (bx, by) = one, other
    level, upright = abs(ay - by) <= STRAIGHT_SLACK, abs(ax - bx) <= STRAIGHT_SLACK
    if (level and abs(ax - bx) >= EDGE_MIN_LENGTH) or (upright and abs(ay - by) >= EDGE_MIN_LENGTH):
        x0, top, x1, bottom = frame.box(min(ax, bx), max(ay, by), max(ax, bx), min(ay, by))
        found.append({"object_type": "edge", "orientation": "h" if bottom - top < x1 - x0 else "v", "x0": x0,
                      "top": top, "x1": x1, "bottom": bottom, "doctop": top, "width": x1 - x0, "height": bottom - top})
