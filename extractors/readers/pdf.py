"""PDF reader: pdfplumber words -> lines -> columns -> blocks, one page at a time.

`_pdflayout` puts each page's words in reading order (column by column, side-by-side text
boxes apart) and `_pdfblocks` joins wrapped lines into paragraphs and list items (bullets and
list numbers split off as markers), then decides headings from size and weight. Running
headers and footers (and bare page numbers) in the top and bottom strips of the page are
dropped before layout; which header texts repeat is counted over *all* pages with a quick
pypdfium2 pass, so reading only some pages (`pages=`) drops the same lines a full read does.
Pages are opened one at a time and their caches flushed.

Ruled tables (`_pdftables`, from the lines and rectangles the same interpreter pass draws)
become TABLE_CELL blocks, one per cell with its wrapped lines joined, `level` the column and
`row` the row, placed where the table stands among the page's blocks; their words are not
laid out again as running text.

The same pypdfium2 pass gives every page's plain text (`Document.page_texts`), at about 50
times the speed of pdfplumber's layout analysis: `page_texts()` is that pass on its own, and
`read(pages=...)` may take a function of those texts to choose the pages it lays out, so a
caller that picks pages by their text (the flow's fast path) costs no second pass.
"""

from __future__ import annotations

import logging
import re
import threading
import unicodedata
from collections.abc import Callable, Collection
from dataclasses import dataclass
from itertools import pairwise
from pathlib import Path

import pdfplumber
import pypdfium2
from pdfminer.converter import PDFPageAggregator
from pdfminer.layout import LTChar, LTContainer
from pdfminer.pdfdocument import PDFEncryptionError
from pdfminer.pdfinterp import PDFPageInterpreter
from pdfminer.pdftypes import resolve1
from pdfminer.psexceptions import PSException
from pdfplumber.page import fix_fontname_bytes
from pdfplumber.utils.exceptions import MalformedPDFException, PdfminerException

from extractors.document import TITLE, BBox, Block, Document, Provenance
from extractors.errors import NoTextLayer, UnreadableDocument
from extractors.readers import _pdfblocks as blocking
from extractors.readers import _pdfcontent as content
from extractors.readers import _pdflayout as layout
from extractors.readers import _pdftables as tabling
from extractors.readers import _pdfwords as wording
from extractors.readers._files import file_facts

logger = logging.getLogger(__name__)

READER = "pdf"
# More pages than this and the file is refused (a strategy is tens of pages, not thousands).
MAX_PAGES = 2000
# Top and bottom share of the page height where running headers and footers live.
RUNNING_ZONE = 0.08
# A header/footer text must repeat on this share of the pages (or of the odd or even pages,
# for recto/verso heads) and on at least RUNNING_MIN_PAGES pages to be dropped.
RUNNING_SHARE = 0.5
RUNNING_MIN_PAGES = 3
# Shorter header texts (after normalising) are too common to count; page numbers aside.
RUNNING_MIN_CHARS = 4
# Words in one header line further apart than this (ems) are separate runs.
RUNNING_GAP_EM = 2.0
# pypdfium2 strips are taken a little wider than the zone, to catch lines on its edge.
RUNNING_ZONE_SLACK = 0.02
METADATA_KEYS = ("Title", "Author", "Subject", "Creator", "Producer")

# What a damaged or encrypted file raises. pdfplumber wraps pdfminer's failures (at open, on
# the page tree, while interpreting a page) in PdfminerException; MalformedPDFException comes
# from its page boxes. Anything else escaping is a bug, and is not caught.
_DAMAGED = (PdfminerException, MalformedPDFException, PSException)
# PDFium is not thread-safe: one document at a time, whichever thread reads.
_PDFIUM_LOCK = threading.Lock()
_PAGE_NUMBER_RE = re.compile(
    r"^(?:page|p\.|pag\.|side|sida|seite|sivu|pagina|strona)?\s*[-–—(\[|]?\s*"
    r"(?:\d{1,5}|(?=[ivxlcdm])m{0,3}(?:cm|cd|d?c{0,3})(?:xc|xl|l?x{0,3})(?:ix|iv|v?i{0,3}))"
    r"\s*(?:(?:/|of|av|von|sur|z|/\s*)\s*\d{1,4})?\s*[-–—)\]|]?$",
    re.IGNORECASE,
)
# Metadata titles that are only the name of the file the PDF was made from.
_FILE_NAME_TITLE_RE = re.compile(
    r"\.(?:indd|docx?|pdf|pptx?|odt|rtf|qxd|qxp|xlsx?|dotx?|tex|html?|txt)\s*$|^[^\s/\\]+\.[a-z0-9]{2,4}$"
    r"|^microsoft (?:word|powerpoint) -",
    re.IGNORECASE,
)


_Chooser = Callable[[tuple[str, ...]], Collection[int]]
# A laid-out page: its words outside ruled tables, its height, its ruled tables.
_Page = tuple[list[layout.Word], float, list[tabling.Table]]


def read(path: Path, *, source_id: str, pages: Collection[int] | _Chooser | None = None) -> Document:
    """Read a PDF into blocks. `pages` (numbered from 1) limits layout analysis to those pages.

    `pages` may also be a function of the page texts (`page_texts()`, from the pass this
    reader makes anyway) that returns the pages to lay out. It is not called when PDFium
    cannot read the file, and when the pages it picks hold no text every page is laid out:
    a choice never makes a document look empty. Whatever `pages` is, the document's
    `page_texts` cover every page, and running headers are found over every page.
    """
    size, sha256 = file_facts(path, source_id=source_id)
    pdf = _open(path, source_id)
    try:
        count = _page_count(pdf, source_id)
        fast = _fast_pass(path)
        choose = callable(pages)
        if choose:
            pages = None if fast is None else pages(fast.texts)
        wanted = range(1, count + 1) if pages is None else sorted({p for p in pages if 1 <= p <= count})
        metadata = _metadata(pdf)
        words_by_page = _words_by_page(pdf, wanted, source_id)
        if choose and len(wanted) < count and not any(w or t for w, _, t in words_by_page.values()):
            wanted = range(1, count + 1)  # the chosen pages hold no text: the others may
            words_by_page |= _words_by_page(pdf, [n for n in wanted if n not in words_by_page], source_id)
    finally:
        _close(pdf)
    if wanted and not words_by_page:
        raise UnreadableDocument(source_id, "read", "truncated or damaged file: no page could be read")
    no_text = not any(words or tables for words, _, tables in words_by_page.values())
    if no_text and (len(wanted) == count or (fast is not None and not fast.chars)):
        raise NoTextLayer(
            source_id, "read", f"no text layer: the {count} page(s) are scanned images; OCR is not supported"
        )
    blocks = _blocks(words_by_page, fast.strips if fast else None, source_id)
    title_block = next((b.text for b in blocks if b.kind == TITLE), "")
    meta_title = dict(metadata).get("Title", "")
    title = meta_title if meta_title and not _FILE_NAME_TITLE_RE.search(meta_title) else title_block
    return Document(
        source_id=source_id, path=str(path), format="pdf", sha256=sha256, blocks=tuple(blocks),
        pages=count, bytes=size, title=title, metadata=metadata,
        page_texts=fast.texts if fast is not None and len(fast.texts) == count else (),
    )


def page_texts(path: Path, *, source_id: str) -> tuple[str, ...]:
    """The plain text of every page (index 0 is page 1), from a fast pypdfium2 pass.

    The one public name besides `read`: the fast pass on its own, for a caller that wants to
    look at a PDF's text before deciding what to lay out (a benchmark, a tool). `read()`
    makes the same pass and puts the same texts in `Document.page_texts`. Lines end in "\n";
    a hyphen PDFium marks as a line-end break is "-". () when PDFium cannot read the file or
    it has more than MAX_PAGES pages: `read()` then says why, in its own words.
    """
    fast = _fast_pass(path)
    return fast.texts if fast is not None else ()


def _open(path: Path, source_id: str) -> pdfplumber.PDF:
    try:
        return pdfplumber.open(path)
    except OSError as e:
        raise UnreadableDocument(source_id, "read", f"cannot open file: {e.strerror or e}") from e
    except _DAMAGED as e:
        cause = e.args[0] if isinstance(e, PdfminerException) and e.args else e
        if isinstance(cause, PDFEncryptionError):
            raise UnreadableDocument(
                source_id, "read", f"encrypted: a password is needed to open it ({type(cause).__name__})"
            ) from e
        raise UnreadableDocument(source_id, "read", f"truncated or damaged file: {_describe(cause)}") from e


def _close(pdf: pdfplumber.PDF) -> None:
    """Close the file without building every page: pdfplumber's close() walks `pdf.pages`,
    which on a damaged page tree raises again and would replace the error being raised."""
    built = getattr(pdf, "_pages", ())  # only the pages already built (flush_cache drops the list)
    pdf.flush_cache()
    for page in built:
        page.close()
    if not pdf.stream_is_external:
        pdf.stream.close()


def _describe(error: BaseException) -> str:
    text = str(error).strip()
    return f"{type(error).__name__}: {text}" if text else type(error).__name__


def _page_count(pdf: pdfplumber.PDF, source_id: str) -> int:
    try:  # the count the page tree declares, checked before building every page
        declared = int(resolve1(resolve1(pdf.doc.catalog["Pages"])["Count"]))
    except (*_DAMAGED, KeyError, TypeError, ValueError):  # no usable /Count: count the pages
        declared = 0
    if declared > MAX_PAGES:
        raise UnreadableDocument(source_id, "read", f"too many pages: {declared} (the limit is {MAX_PAGES})")
    try:
        count = len(pdf.pages)
    except _DAMAGED as e:
        raise UnreadableDocument(source_id, "read", f"truncated or damaged file: {_describe(e)}") from e
    if count > MAX_PAGES:
        raise UnreadableDocument(source_id, "read", f"too many pages: {count} (the limit is {MAX_PAGES})")
    return count


def _metadata(pdf: pdfplumber.PDF) -> tuple[tuple[str, str], ...]:
    pairs = []
    for key in METADATA_KEYS:
        value = pdf.metadata.get(key)
        if isinstance(value, str) and value.strip():
            pairs.append((key, " ".join(value.split())))
    return tuple(pairs)


def _words_by_page(pdf: pdfplumber.PDF, numbers: Collection[int], source_id: str) -> dict[int, _Page]:
    """The words, height and ruled tables of each page that can be parsed (see `_page_words`)."""
    found = {}
    for number in numbers:
        read_page = _page_words(pdf, number, source_id)
        if read_page is not None:
            found[number] = read_page
    return found


def _page_words(pdf: pdfplumber.PDF, number: int, source_id: str) -> _Page | None:
    """The page's words outside ruled tables, its height and its ruled tables (their words
    in their cells), or None (logged) when the page cannot be parsed."""
    page = pdf.pages[number - 1]
    try:
        chars, shapes = _drawn(page)
        raw = wording.words(_page_chars(page, chars))
        width, height = float(page.width), float(page.height)
        edges = tabling.edges(shapes, height=height, x_offset=float(page.mediabox[0]),
                              y_offset=float(page.mediabox[1]))
    except _DAMAGED as e:
        logger.warning("%s: page %d skipped, it cannot be parsed: %s", source_id, number, _describe(e))
        return None
    finally:
        page.close()
    upright = sum(1 for w in raw if w[wording.UPRIGHT])
    if upright * 2 >= len(raw):  # rotated words in the margin of an upright page are left out
        raw = [w for w in raw if w[wording.UPRIGHT]]
    words = []
    for text, x0, top, x1, bottom, _, size, fontname in raw:
        text = text.strip()
        x0, top, x1, bottom = float(x0), float(top), float(x1), float(bottom)
        if not text or not (0 <= (x0 + x1) / 2 <= width and 0 <= (top + bottom) / 2 <= height):
            continue  # white space, or text placed off the visible page
        size = float(size) or bottom - top
        words.append(layout.Word(text, x0, top, x1, bottom, size, layout.is_bold(fontname)))
    tables, words = tabling.find(edges, words)
    return words, height, tables


def _page_chars(page: pdfplumber.page.Page, drawn: list[tuple]) -> list[wording.Char]:
    """The page's characters as `_pdfwords` takes them, in pdfplumber's coordinates: what
    `page.chars` holds of them (x0/top/x1/bottom, mediabox offset applied as pdfplumber does
    it), without resolving every PDF attribute of every character, which costs as much as
    parsing the page."""
    x_offset, y_offset = float(page.mediabox[0]), float(page.mediabox[1])
    height = float(page.height)
    return [
        (text, x0 + x_offset, height - y1 + y_offset, x1 + x_offset, height - y0 + y_offset, upright, size,
         fix_fontname_bytes(fontname) if isinstance(fontname, bytes) else str(fontname))
        for text, x0, y0, x1, y1, upright, size, fontname in drawn
    ]


def _drawn(page: pdfplumber.page.Page) -> tuple[list[tuple], list]:
    """Each character pdfminer draws on the page, in order: (text, x0, y0, x1, y1, upright,
    size, fontname) in PDF coordinates, as in pdfplumber's `page.layout`; and the lines,
    rectangles and curves it draws (pdfminer's objects, for `_pdftables`). With the pdfminer
    release `_pdfcontent` was checked against, its interpreter and device do the work (the
    same characters, about twice as fast); else pdfminer's own, walking the layout tree."""
    rsrcmgr, laparams = page.pdf.rsrcmgr, page.pdf.laparams
    fast = content.checked()
    device = (_CharDevice if fast else _Aggregator)(rsrcmgr, pageno=page.page_number, laparams=laparams)
    try:
        (content.Interpreter if fast else PDFPageInterpreter)(rsrcmgr, device).process_page(page.page_obj)
    except Exception as e:  # wrapped as pdfplumber wraps it; the callers catch _DAMAGED
        raise PdfminerException(e) from e
    shapes = tabling.graphics(device.get_result(), device.hidden)
    if fast:
        return device.chars, shapes
    chars = []
    stack = [iter(device.get_result())]
    while stack:
        for item in stack[-1]:
            if isinstance(item, LTChar):
                chars.append((item.get_text(), item.x0, item.y0, item.x1, item.y1, item.upright, item.size,
                              item.fontname))
            elif isinstance(item, LTContainer):  # a form XObject: descend into it
                stack.append(iter(item))
                break
        else:
            stack.pop()
    return chars, shapes


class _CharDevice(tabling.ShapeInks, content.CharDevice):
    """`_pdfcontent`'s device, telling the shapes painted white apart."""


class _Aggregator(tabling.ShapeInks, PDFPageAggregator):
    """pdfminer's device, telling the shapes painted white apart."""


# ---- the fast pass: page texts, running headers and footers -------------------------------

@dataclass(frozen=True, slots=True)
class _FastPass:
    texts: tuple[str, ...]  # each page's plain text
    strips: list[str]  # each page's header and footer strips, normalised (`_running_key`)
    chars: int  # characters in the whole document


def _fast_pass(path: Path) -> _FastPass | None:
    """One pypdfium2 pass over every page; None when PDFium cannot read the file or it has
    more than MAX_PAGES pages."""
    with _PDFIUM_LOCK:
        try:
            document = pypdfium2.PdfDocument(path)
        except (pypdfium2.PdfiumError, OSError):
            return None
        try:
            if len(document) > MAX_PAGES:
                return None
            return _pages_pass(document)
        except pypdfium2.PdfiumError:
            return None
        finally:
            document.close()


def _pages_pass(document: pypdfium2.PdfDocument) -> _FastPass:
    strips, texts, chars = [], [], 0
    for index in range(len(document)):
        page = document[index]
        text = page.get_textpage()
        try:
            count = text.count_chars()
            chars += count
            texts.append(_plain(text.get_text_range()) if count > 0 else "")
            left, bottom, right, top = page.get_mediabox()
            share = RUNNING_ZONE + RUNNING_ZONE_SLACK
            if page.get_rotation() in (90, 270):  # the displayed top and bottom are the sides
                reach = share * (right - left)
                boxes = [(left, bottom, left + reach, top), (right - reach, bottom, right, top)]
            else:
                reach = share * (top - bottom)
                boxes = [(left, top - reach, right, top), (left, bottom, right, bottom + reach)]
            strips.append("|".join(_running_key(text.get_text_bounded(*box)) for box in boxes))
        finally:
            text.close()
            page.close()
    return _FastPass(tuple(texts), strips, chars)


def _plain(text: str) -> str:
    """PDFium's page text with "\n" line ends and its line-end hyphen marker as "-"."""
    return text.replace("\r\n", "\n").replace("\r", "\n").replace("\ufffe", "-")


def _running_key(text: str) -> str:
    """Header text compared across pages: no white space, digits as '#', case folded."""
    text = unicodedata.normalize("NFKC", text)
    return re.sub(r"\d+", "#", re.sub(r"\s+", "", text)).casefold()


def _zone_rows(words: list[layout.Word], height: float) -> list[list[layout.Word]]:
    """Runs of words in the header and footer strips that share a baseline and a size, cut
    where a wide gap separates them ("Strategy for ...    30 October 2014" gives two runs)."""
    zone = RUNNING_ZONE * height
    inside = sorted((w for w in words if w.bottom <= zone or w.top >= height - zone), key=lambda w: (w.top, w.x0))
    lines: list[list[layout.Word]] = []
    for word in inside:
        line = next((ln for ln in lines if abs(ln[0].top - word.top) <= 1 and abs(ln[0].size - word.size) <= 0.5), None)
        if line is None:
            lines.append([word])
        else:
            line.append(word)
    runs = []
    for line in lines:
        line.sort(key=lambda w: w.x0)
        runs.append([line[0]])
        for before, word in pairwise(line):
            if word.x0 - before.x1 > RUNNING_GAP_EM * word.size:
                runs.append([])
            runs[-1].append(word)
    return runs


def _running_words(
    words_by_page: dict[int, _Page], strips: list[str] | None
) -> dict[int, set[layout.Word]]:
    """The words to drop on each page: repeated header/footer runs and bare page numbers."""
    runs_by_page = {n: _zone_rows(words, height) for n, (words, height, _) in words_by_page.items()}
    if strips is not None:
        pool = dict(enumerate(strips, start=1))
    else:  # pdfium could not read the file: count over the pages pdfplumber read
        pool = {n: "|".join(_running_key(" ".join(w.text for w in run)) for run in runs)
                for n, runs in runs_by_page.items()}
    hits: dict[str, bool] = {}
    dropped: dict[int, set[layout.Word]] = {}
    for number, runs in runs_by_page.items():
        for run in runs:
            text = " ".join(w.text for w in run)
            key = _running_key(text)
            if key not in hits:
                hits[key] = len(key) >= RUNNING_MIN_CHARS and _repeats(key, pool)
            if hits[key] or _PAGE_NUMBER_RE.match(text):
                dropped.setdefault(number, set()).update(run)
    return dropped


def _repeats(key: str, pool: dict[int, str]) -> bool:
    found = [n for n, strip in pool.items() if key in strip]
    if len(found) < RUNNING_MIN_PAGES:
        return False
    for parity in (None, 0, 1):
        candidates = [n for n in pool if parity is None or n % 2 == parity]
        if candidates and sum(1 for n in found if parity is None or n % 2 == parity) >= RUNNING_SHARE * len(candidates):
            return True
    return False


# ---- blocks ----------------------------------------------------------------------------

def _blocks(
    words_by_page: dict[int, _Page], strips: list[str] | None, source_id: str
) -> list[Block]:
    dropped = _running_words(words_by_page, strips)
    numbers = sorted(words_by_page)
    columns_by_page = []
    for number in numbers:
        skip = dropped.get(number, set())
        columns_by_page.append(layout.page_columns([w for w in words_by_page[number][0] if w not in skip]))
    body = blocking.body_size(columns_by_page)
    line_gap = blocking.usual_line_gap(columns_by_page, body)
    groups_by_page = [blocking.group_blocks(columns, line_gap) for columns in columns_by_page]
    blocking.classify(groups_by_page, body, first_page=bool(numbers) and numbers[0] == 1)
    blocks = []
    for number, groups in zip(numbers, groups_by_page):
        page_blocks = []
        for group in groups:
            text = group.text
            if not text:
                continue
            provenance = Provenance(source_id, number, BBox(*group.bbox), READER)
            page_blocks.append(Block(
                text=text, kind=group.kind, level=group.level, provenance=provenance,
                marker=group.marker, bold=group.bold, size=round(group.size, 2),
                container=f"p{number}:c{group.container}",
            ))
        for index, table in reversed(list(enumerate(words_by_page[number][2], start=1))):
            at = tabling.position(table.bbox, [_bbox(b) for b in page_blocks])
            page_blocks[at:at] = tabling.cell_blocks(table, container=f"p{number}:t{index}", page=number,
                                                     source_id=source_id, reader=READER)
        blocks.extend(page_blocks)
    return blocks


def _bbox(block: Block) -> tuple[float, float, float, float]:
    box = block.provenance.bbox
    return (box.x0, box.top, box.x1, box.bottom)

