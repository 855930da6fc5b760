# ruff: noqa: FURB136 - min/max per glyph written as comparisons: no call for each of ~100 000
"""Faster reading of PDF content streams for pdfminer, giving the very same objects.

pdfminer splits content streams into objects one parser state at a time in Python
(`PSBaseParser`), which is most of the time pdfplumber spends on a page: a page of vector
graphics is hundreds of thousands of numbers and path operators. `Interpreter` is pdfminer's
`PDFPageInterpreter` with one change: `execute()` splits the streams with compiled regular
expressions (`parse()`), then runs the operators exactly as pdfminer runs them.

`parse()` knows the plain grammar of content streams: numbers, names, keywords, literal and
hex strings, arrays, dictionaries and comments, with pdfminer's readings of the odd cases it
keeps (a stream boundary ends a token, "1.2.3" is 1.2 and .3, an unknown escape is dropped,
a lone sign is no number). Anything else (inline images, "#" escapes in names, procedures,
strings, hex strings or brackets that a stream boundary cuts or that do not close, octal
escapes over 255, "\\<CR><LF>" in a string, a dictionary with an odd number of entries) makes
it return None, and pdfminer's own parser reads the streams instead. The objects are checked
against pdfminer's own on every page of the corpora (tests/unit/test_pdf.py).

`execute()` copies pdfminer's own (the circular-reference guard included), so `Interpreter`
is used only with the pdfminer release it was checked against (`CHECKED_PDFMINER`); with any
other release the reader uses pdfminer's interpreter unchanged.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Sequence
from typing import Any

import pdfminer
from pdfminer import settings
from pdfminer.converter import PDFPageAggregator
from pdfminer.layout import LTCurve, LTLine, LTRect
from pdfminer.pdffont import PDFUnicodeNotDefined
from pdfminer.pdfinterp import PDFContentParser, PDFInterpreterError, PDFPageInterpreter
from pdfminer.pdftypes import PDFStream, stream_value
from pdfminer.psexceptions import PSEOF
from pdfminer.psparser import (
    ESC_STRING,
    HEX_PAIR,
    KWD,
    LIT,
    SPC,
    PSKeyword,
    choplist,
    keyword_name,
    literal_name,
)

logger = logging.getLogger(__name__)

# The pdfminer.six release whose PDFPageInterpreter.execute() and PSBaseParser this copies.
CHECKED_PDFMINER = "20260107"

# White space, then one token (none at the very end). pdfminer skips a NUL before a token.
# A string with no parenthesis or backslash inside is read whole ("plain"); any other is read
# from its "(" by `_string()`.
_TOKEN_RE = re.compile(
    rb"[ \t\n\r\f\v\x00]*(?:"
    rb"(?P<real>[-+0-9][0-9]*\.[0-9]*|\.[0-9]*)"
    rb"|(?P<int>[-+0-9][0-9]*)"
    rb"|(?P<keyword>[A-Za-z][^#/%\[\]()<>{}\s]*)"
    rb"|(?P<name>/[^#/%\[\]()<>{}\s]*)"
    rb"|\((?P<plain>[^()\\]*)\)"
    rb"|(?P<string>\()"
    rb"|(?P<dict><<|>>)"
    rb"|(?P<hex><[0-9a-fA-F\s]*>)"
    rb"|(?P<gt>>)"
    rb"|(?P<comment>%[^\r\n]*)"
    rb"|(?P<other>.))?",
    re.DOTALL,
)
_STRING_SPECIAL_RE = re.compile(rb"[()\\]")
_OCTAL = frozenset(b"01234567")
_ESCAPES = {key[0]: value for key, value in ESC_STRING.items()}
_ARRAY_BEGIN, _ARRAY_END = KWD(b"["), KWD(b"]")
_DICT_BEGIN, _DICT_END = KWD(b"<<"), KWD(b">>")
_UNSAFE_KEYWORDS = frozenset({KWD(b"BI"), KWD(b"ID"), KWD(b"EI"), KWD(b"{"), KWD(b"}")})
_BOOLEANS = {b"true": True, b"false": False}
# pdfminer's split of a path into its subpaths
_SUBPATH_RE = re.compile(r"m[^m]+")


class _Unsafe(Exception):
    """The streams hold something `parse()` leaves to pdfminer's parser."""


def parse(streams: Sequence[PDFStream]) -> list[Any] | None:
    """The top-level objects pdfminer's content parser yields for `streams`, or None."""
    try:
        tokens: list[Any] = []
        for stream in streams:
            _tokenize(stream.get_data(), tokens)
        return _objects(tokens)
    except _Unsafe:
        return None


def _tokenize(data: bytes, tokens: list[Any]) -> None:
    """Append the tokens of one stream; its end ends the token in progress, as in pdfminer.

    The matches of `_TOKEN_RE` follow one another (it matches at any place), so they are
    walked with one `finditer`, started again after a token read outside it (a string with
    parentheses or escapes, the ">" pdfminer reads after a hex string)."""
    if b"\\\r\n" in data:  # pdfminer reads it differently where its 4 KiB buffers split it
        raise _Unsafe
    end = len(data)
    i = 0
    append = tokens.append
    keywords: dict[bytes, Any] = {}  # this stream's keywords, interned once
    finditer = _TOKEN_RE.finditer
    while i < end:
        for m in finditer(data, i):
            kind = m.lastgroup
            if kind == "real":
                try:
                    append(float(m.group(kind)))
                except ValueError:  # ".", "-.", "+.": pdfminer drops them
                    pass
            elif kind == "int":
                try:
                    append(int(m.group(kind)))
                except ValueError:  # "-", "+": pdfminer drops them
                    pass
            elif kind == "keyword":
                text = m.group(kind)
                keyword = keywords.get(text)
                if keyword is None:
                    keyword = keywords[text] = _BOOLEANS[text] if text in _BOOLEANS else KWD(text)
                append(keyword)
            elif kind == "plain":
                append(m.group(kind))
            elif kind == "name":
                j = m.end()
                if j < end and data[j] == 0x23:  # "#": an escaped name
                    raise _Unsafe
                name = m.group(kind)[1:]
                if not name and j == end:  # pdfminer would read on into the next stream
                    raise _Unsafe
                try:
                    append(LIT(str(name, "utf-8")))
                except UnicodeDecodeError:
                    append(LIT(name))
            elif kind == "string":
                value, i = _string(data, m.end())
                append(value)
                break
            elif kind == "dict":
                append(_DICT_BEGIN if m.group(kind) == b"<<" else _DICT_END)
            elif kind == "hex":
                j = m.end()
                if j == end:  # pdfminer would look at the next stream's first byte
                    raise _Unsafe
                text = m.group(kind)
                append(HEX_PAIR.sub(lambda pair: bytes((int(pair.group(0), 16),)), SPC.sub(b"", text[1:-1])))
                if data[j] == 0x3E:  # pdfminer reads the closing ">" and one more as ">>"
                    append(_DICT_END)
                    i = j + 1
                    break
            elif kind == "gt":
                if m.end() == end:  # pdfminer would look at the next stream's first byte
                    raise _Unsafe
            elif kind == "other":
                text = m.group(kind)
                if text == b"<":  # a hex string cut short, or by the stream's end
                    raise _Unsafe
                append(KWD(text))
            # "comment", or None: white space up to the end
        else:
            return


def _string(data: bytes, i: int) -> tuple[bytes, int]:
    """A literal string starting at data[i] (after its "("): its bytes and where it ends."""
    out = bytearray()
    depth = 1
    search = _STRING_SPECIAL_RE.search
    while True:
        m = search(data, i)
        if m is None:
            raise _Unsafe  # not closed in this stream
        j = m.start()
        out += data[i:j]
        c = data[j]
        if c == 0x28:  # (
            depth += 1
            out.append(c)
            i = j + 1
        elif c == 0x29:  # )
            depth -= 1
            i = j + 1
            if depth == 0:
                return bytes(out), i
            out.append(c)
        else:  # a backslash
            if j + 1 >= len(data):
                raise _Unsafe
            following = data[j + 1]
            if following in _OCTAL:
                k = j + 1
                while k < len(data) and k < j + 4 and data[k] in _OCTAL:
                    k += 1
                code = int(data[j + 1:k], 8)
                if code > 255:  # pdfminer fails an assertion on it
                    raise _Unsafe
                out.append(code)
                i = k
            elif following in _ESCAPES:
                out.append(_ESCAPES[following])
                i = j + 2
            else:  # a line break after the backslash, or an unknown escape: both dropped
                i = j + 2


def _objects(tokens: list[Any]) -> list[Any]:
    """pdfminer's PSStackParser over the tokens: arrays and dictionaries built, top-level
    objects returned in order; a container still open at the end is dropped, as there."""
    results: list[Any] = []
    context: list[tuple[bytes | None, list[Any]]] = []
    kind: bytes | None = None
    stack = results  # the objects of the container being read; at the top level, the results
    for token in tokens:
        if token.__class__ is PSKeyword:
            if token is _ARRAY_BEGIN or token is _DICT_BEGIN:
                context.append((kind, stack))
                kind, stack = (b"a" if token is _ARRAY_BEGIN else b"d"), []
                continue
            if token is _ARRAY_END or token is _DICT_END:
                if kind != (b"a" if token is _ARRAY_END else b"d"):
                    raise _Unsafe  # a bracket that closes nothing
                objs: Any = stack
                kind, stack = context.pop()
                if token is _DICT_END:
                    if len(objs) % 2:
                        raise _Unsafe  # pdfminer raises PSSyntaxError here
                    objs = {literal_name(k): v for (k, v) in choplist(2, objs) if v is not None}
                stack.append(objs)
                continue
            if token in _UNSAFE_KEYWORDS:
                raise _Unsafe
        stack.append(token)
    return results


class Interpreter(PDFPageInterpreter):
    """pdfminer's page interpreter reading content streams with `parse()` where it can."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._operators: dict[PSKeyword, tuple[Any, int] | None] = {}

    def execute(self, streams: Sequence[object]) -> None:
        # As PDFPageInterpreter.execute (pdfminer.six CHECKED_PDFMINER), down to the parser.
        valid_streams: list[PDFStream] = []
        self.stream_ids.clear()
        for obj in streams:
            stream = stream_value(obj)
            if stream.objid is None:
                logger.warning("Execute called on non-indirect object (inline image?) %r", stream)
                continue
            if stream.objid in self.parent_stream_ids:
                logger.warning("Refusing to execute circular reference to content stream %d", stream.objid)
            else:
                valid_streams.append(stream)
                self.stream_ids.add(stream.objid)
        objects = parse(valid_streams)
        if objects is None:
            objects = _pdfminer_objects(valid_streams)
        operators = self._operators
        for obj in objects:
            if obj.__class__ is not PSKeyword:
                self.argstack.append(obj)
                continue
            operator = operators.get(obj, ...)
            if operator is ...:
                operator = operators[obj] = self._operator(obj)
            if operator is None:
                continue
            func, nargs = operator
            if nargs:
                args = self.pop(nargs)
                if len(args) == nargs:
                    func(*args)
            else:
                func()

    def _operator(self, keyword: PSKeyword) -> tuple[Any, int] | None:
        name = keyword_name(keyword)
        method = "do_{}".format(name.replace("*", "_a").replace('"', "_w").replace("'", "_q"))
        if hasattr(self, method):
            func = getattr(self, method)
            return func, func.__code__.co_argcount - 1
        if settings.STRICT:
            raise PDFInterpreterError(f"Unknown operator: {name!r}")
        return None


class CharDevice(PDFPageAggregator):
    """pdfminer's page aggregator that keeps each character as a plain tuple in `chars`,
    in the order they are drawn (the order of a walk through the page's layout tree), not
    as an `LTChar` in that tree: (text, x0, y0, x1, y1, upright, size, fontname), computed
    as `LTChar.__init__` computes them (pdfminer.six CHECKED_PDFMINER). Paths become the
    LTLine, LTRect and LTCurve pdfminer makes of them, each point transformed once
    (`paint_path`). Everything else, figures, images and their failures, is pdfminer's own."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.chars: list[tuple[str, float, float, float, float, bool, float, str]] = []
        self._glyphs: dict[Any, dict[int, tuple[str, float]]] = {}  # font -> cid -> (text, width)

    def render_char(self, matrix: Any, font: Any, fontsize: float, scaling: float, rise: float, cid: int,
                    ncs: Any, graphicstate: Any) -> float:
        try:
            text = font.to_unichr(cid)
            assert isinstance(text, str), str(type(text))
        except PDFUnicodeNotDefined:
            text = self.handle_undefined_char(font, cid)
        textwidth = font.char_width(cid)
        textdisp = font.char_disp(cid)
        adv = textwidth * fontsize * scaling
        vertical = font.is_vertical()
        if vertical:
            assert isinstance(textdisp, tuple)
            (vx, vy) = textdisp
            vx = fontsize * 0.5 if vx is None else vx * fontsize * 0.001
            vy = (1000 - vy) * fontsize * 0.001
            (x0, y0, x1, y1) = (-vx, vy + rise + adv, -vx + fontsize, vy + rise)
        else:
            descent = font.get_descent() * fontsize
            (x0, y0, x1, y1) = (0, descent + rise, adv, descent + rise + fontsize)
        (a, b, c, d, e, f) = matrix
        upright = a * d * scaling > 0 and b * c <= 0
        # apply_matrix_rect, term for term
        (left1, bottom1) = (a * x0 + c * y0 + e, b * x0 + d * y0 + f)
        (right1, bottom2) = (a * x1 + c * y0 + e, b * x1 + d * y0 + f)
        (right2, top1) = (a * x1 + c * y1 + e, b * x1 + d * y1 + f)
        (left2, top2) = (a * x0 + c * y1 + e, b * x0 + d * y1 + f)
        x0, y0 = min(left1, left2, right1, right2), min(bottom1, bottom2, top1, top2)
        x1, y1 = max(left1, left2, right1, right2), max(bottom1, bottom2, top1, top2)
        if x1 < x0:
            (x0, x1) = (x1, x0)
        if y1 < y0:
            (y0, y1) = (y1, y0)
        self.chars.append((text, x0, y0, x1, y1, upright, x1 - x0 if vertical else y1 - y0, font.fontname))
        return adv


    def render_string_horizontal(self, seq: Any, matrix: Any, pos: Any, font: Any, fontsize: float,
                                 scaling: float, charspace: float, wordspace: float, rise: float,
                                 dxscale: float, ncs: Any, graphicstate: Any) -> Any:
        """pdfminer's PDFTextDevice.render_string_horizontal with `render_char` written out:
        the same arithmetic, term for term (min and max as the comparisons they make), with
        each glyph's text and width looked up once per font, and the products that do not
        change along the string (its baseline, descent, rise and size) taken once."""
        (x, y) = pos
        needcharspace = False
        (a, b, c, d, e, f) = matrix
        upright = a * d * scaling > 0 and b * c <= 0
        fontname = font.fontname
        glyphs = self._glyphs.get(font)
        if glyphs is None:
            glyphs = self._glyphs[font] = {}
        append = self.chars.append
        # render_char's box (0, descent + rise, adv, descent + rise + fontsize), and the
        # terms of translate_matrix and apply_matrix_rect that do not depend on the glyph
        descent = font.get_descent() * fontsize
        low, high = descent + rise, descent + rise + fontsize
        yc, yd = y * c, y * d
        cy0, dy0, cy1, dy1 = c * low, d * low, c * high, d * high
        left1_, bottom1_ = a * 0 + cy0, b * 0 + dy0
        left2_, top2_ = a * 0 + cy1, b * 0 + dy1
        for obj in seq:
            if isinstance(obj, (int, float)):
                x -= obj * dxscale
                needcharspace = True
            elif isinstance(obj, bytes):
                for cid in font.decode(obj):
                    if needcharspace:
                        x += charspace
                    # translate_matrix(matrix, (x, y))
                    te, tf = x * a + yc + e, x * b + yd + f
                    glyph = glyphs.get(cid)
                    if glyph is None:
                        glyph = glyphs[cid] = (self._text(font, cid), font.char_width(cid))
                    text, width = glyph
                    adv = width * fontsize * scaling
                    ax, bx = a * adv, b * adv
                    (left1, bottom1) = (left1_ + te, bottom1_ + tf)
                    (right1, bottom2) = (ax + cy0 + te, bx + dy0 + tf)
                    (right2, top1) = (ax + cy1 + te, bx + dy1 + tf)
                    (left2, top2) = (left2_ + te, top2_ + tf)
                    # min(left1, left2, right1, right2) ... : the first least (greatest) one
                    x0 = left1
                    x0 = left2 if left2 < x0 else x0
                    x0 = right1 if right1 < x0 else x0
                    x0 = right2 if right2 < x0 else x0
                    y0 = bottom1
                    y0 = bottom2 if bottom2 < y0 else y0
                    y0 = top1 if top1 < y0 else y0
                    y0 = top2 if top2 < y0 else y0
                    x1 = left1
                    x1 = left2 if left2 > x1 else x1
                    x1 = right1 if right1 > x1 else x1
                    x1 = right2 if right2 > x1 else x1
                    y1 = bottom1
                    y1 = bottom2 if bottom2 > y1 else y1
                    y1 = top1 if top1 > y1 else y1
                    y1 = top2 if top2 > y1 else y1
                    if x1 < x0:
                        (x0, x1) = (x1, x0)
                    if y1 < y0:
                        (y0, y1) = (y1, y0)
                    append((text, x0, y0, x1, y1, upright, y1 - y0, fontname))
                    x += adv
                    if cid == 32 and wordspace:
                        x += wordspace
                    needcharspace = True
            else:
                logger.warning("Cannot render horizontal string because %r is not a valid int, float or bytes.",
                               obj)
        return (x, y)

    def paint_path(self, gstate: Any, stroke: bool, fill: bool, evenodd: bool, path: Any) -> None:
        """pdfminer's PDFLayoutAnalyzer.paint_path (CHECKED_PDFMINER): the same LTLine, LTRect
        or LTCurve with the same points, each point transformed once; without the path in
        page coordinates (`original_path`, None here), which nothing in the reader reads."""
        shape = "".join([segment[0] for segment in path])
        if shape[:1] != "m":
            return  # a path must begin with m (pdfminer turns re into m l l l h)
        if shape.count("m") > 1:
            for m in _SUBPATH_RE.finditer(shape):
                self.paint_path(gstate, stroke, fill, evenodd, path[m.start(0):m.end(0)])
            return
        (a, b, c, d, e, f) = self.ctm
        start = path[0][-2:]
        pts = []
        for segment in path:  # apply_matrix_pt to each segment's end point (h: the start)
            (x, y) = segment[-2:] if segment[0] != "h" else start
            pts.append((a * x + c * y + e, b * x + d * y + f))
        if len(shape) > 3 and shape[-2:] == "lh" and pts[-2] == pts[0]:  # a redundant l before h
            shape = shape[:-2] + "h"
            pts.pop()
        style = (stroke, fill, evenodd, gstate.scolor, gstate.ncolor, None, gstate.dash)
        if shape in ("mlh", "ml"):
            item: LTCurve = LTLine(gstate.linewidth, pts[0], pts[1], *style)
        elif shape in ("mlllh", "mllll"):
            (x0, y0), (x1, y1), (x2, y2), (x3, y3), _ = pts
            if pts[0] == pts[4] and ((x0 == x1 and y1 == y2 and x2 == x3 and y3 == y0)
                                     or (y0 == y1 and x1 == x2 and y2 == y3 and x3 == x0)):
                item = LTRect(gstate.linewidth, (*pts[0], *pts[2]), *style)
            else:
                item = LTCurve(gstate.linewidth, pts, *style)
        else:
            item = LTCurve(gstate.linewidth, pts, *style)
        self.cur_item.add(item)

    def _text(self, font: Any, cid: int) -> str:
        try:
            text = font.to_unichr(cid)
            assert isinstance(text, str), str(type(text))
        except PDFUnicodeNotDefined:
            text = self.handle_undefined_char(font, cid)
        return text


def _pdfminer_objects(streams: Sequence[PDFStream]):
    """The objects pdfminer's own parser reads, one at a time."""
    try:
        parser = PDFContentParser(streams)
    except PSEOF:
        return
    while True:
        try:
            (_, obj) = parser.nextobject()
        except PSEOF:
            return
        yield obj


def checked() -> bool:
    """Whether the installed pdfminer is the release `Interpreter` copies."""
    return getattr(pdfminer, "__version__", "") == CHECKED_PDFMINER
