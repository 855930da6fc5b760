"""PDF reader: PDFium's words -> ruled tables, running heads dropped -> lines in columns ->
blocks, every page laid out in one pass (`_pdfwords`, `_pdftables`, `_pdflayout`, `_pdfblocks`).
"""

from __future__ import annotations

import logging
import re
import threading
from dataclasses import astuple
from itertools import pairwise
from pathlib import Path

import pypdfium2

from smartspec.extractors.document import TITLE, BBox, Block, Document, Provenance
from smartspec.extractors.errors import NoTextLayer, UnreadableDocument
from smartspec.extractors.furniture import (
    RUNNING_GAP_EM,
    RUNNING_MIN_CHARS,
    RUNNING_ZONE,
    is_page_number,
    repeats_on_pages,
    running_key,
)
from smartspec.extractors.readers import _pdfblocks, _pdflayout, _pdftables, _pdfwords
from smartspec.extractors.hashing import FileHash
from smartspec.extractors.readers._files import file_facts
from smartspec.extractors.readers._pdfwords import Word

logger = logging.getLogger(__name__)

READER = "pdf"
# More pages than this and the file is refused (a strategy is tens of pages, not thousands).
MAX_PAGES = 2000
METADATA_KEYS = ("Title", "Author", "Subject", "Creator", "Producer")
_PASSWORD_ERROR = 4  # PDFium's error code for a document that needs a password
_PDFIUM_LOCK = threading.Lock()  # PDFium is not thread-safe: one document at a time
# Metadata titles that are only the name of the file the PDF was made from.
_FILE_NAME_TITLE_RE = re.compile(
    r"\.(?:indd|docx?|pdf|pptx?|odt|rtf|qxd|qxp|xlsx?|dotx?|tex|html?|txt)\s*$|^[^\s/\\]+\.[a-z0-9]{2,4}$"
    r"|^microsoft (?:word|powerpoint) -",
    re.IGNORECASE,
)


def read(path: Path, *, source_id: str, hashed: FileHash | None = None) -> Document:
    """Read a PDF into blocks, every page laid out; `page_texts` holds each page's plain text."""
    size, sha256 = file_facts(path, source_id=source_id, hashed=hashed)
    with _PDFIUM_LOCK:
        pdf = _open(path, source_id)
        try:
            count = len(pdf)
            if count > MAX_PAGES:
                raise UnreadableDocument(source_id, "read", f"too many pages: {count} (the limit is {MAX_PAGES})")
            metadata = _metadata(pdf)
            pages = {n: page for n in range(1, count + 1) if (page := _read_page(pdf, n, source_id)) is not None}
        finally:
            pdf.close()
    if count and not pages:
        raise UnreadableDocument(source_id, "read", "truncated or damaged file: no page could be read")
    if not any(page.words for page in pages.values()):
        raise NoTextLayer(source_id, "read",
                          f"no text layer: the {count} page(s) are scanned images; OCR is not supported")
    blocks = _blocks(pages, source_id)
    title_block = next((b.text for b in blocks if b.kind == TITLE), "")
    meta_title = dict(metadata).get("Title", "")
    title = meta_title if meta_title and not _FILE_NAME_TITLE_RE.search(meta_title) else title_block
    return Document(
        source_id=source_id, path=str(path), format="pdf", sha256=sha256, blocks=tuple(blocks),
        pages=count, bytes=size, title=title, metadata=metadata,
        page_texts=tuple(pages[n].text if n in pages else "" for n in range(1, count + 1)),
    )


def _open(path: Path, source_id: str) -> pypdfium2.PdfDocument:
    try:
        return pypdfium2.PdfDocument(path)
    except OSError as e:
        raise UnreadableDocument(source_id, "read", f"cannot open file: {e.strerror or e}") from e
    except pypdfium2.PdfiumError as e:
        if e.err_code == _PASSWORD_ERROR:
            raise UnreadableDocument(source_id, "read", "encrypted: a password is needed to open it") from e
        raise UnreadableDocument(source_id, "read", f"truncated or damaged file: {e}") from e


def _metadata(pdf: pypdfium2.PdfDocument) -> tuple[tuple[str, str], ...]:
    found = pdf.get_metadata_dict(skip_empty=True)
    return tuple((key, " ".join(found[key].split())) for key in METADATA_KEYS if found.get(key, "").strip())


def _read_page(pdf: pypdfium2.PdfDocument, number: int, source_id: str) -> _pdfwords.PageRead | None:
    """The page's words, edges and text, or None (logged) when PDFium cannot load it."""
    try:
        page = pdf[number - 1]
        try:
            return _pdfwords.read_page(page.raw, page.get_mediabox(), page.get_rotation())
        finally:
            page.close()
    except (pypdfium2.PdfiumError, ValueError) as e:
        logger.warning("%s: page %d skipped, it cannot be parsed: %s", source_id, number, e)
        return None


def _zone_rows(words: list[Word], height: float) -> list[list[Word]]:
    """Runs of words in the header and footer strips that share a baseline and a size, cut
    where a wide gap separates them ("Strategy for ...    30 October 2014" gives two runs)."""
    zone = RUNNING_ZONE * height
    inside = sorted((w for w in words if w.bottom <= zone or w.top >= height - zone), key=lambda w: (w.top, w.x0))
    lines: list[list[Word]] = []
    for word in inside:
        if line := next((ln for ln in lines if abs(ln[0].top - word.top) <= 1 and abs(ln[0].size - word.size) <= 0.5),
                        None):
            line.append(word)
        else:
            lines.append([word])
    runs = []
    for line in lines:
        line.sort(key=lambda w: w.x0)
        runs.append([line[0]])
        for before, word in pairwise(line):
            if word.x0 - before.x1 > RUNNING_GAP_EM * word.size:
                runs.append([])
            runs[-1].append(word)
    return runs


def _running_words(words_by_page: dict[int, list[Word]], heights: dict[int, float]) -> set[Word]:
    """The words to drop: header/footer runs repeated over the pages, and bare page numbers."""
    runs_by_page = {n: _zone_rows(words, heights[n]) for n, words in words_by_page.items()}
    pool = {n: "|".join(running_key(" ".join(w.text for w in run)) for run in runs)
            for n, runs in runs_by_page.items()}
    hits: dict[str, bool] = {}
    dropped: set[Word] = set()
    for runs in runs_by_page.values():
        for run in runs:
            text = " ".join(w.text for w in run)
            key = running_key(text)
            if key not in hits:
                hits[key] = len(key) >= RUNNING_MIN_CHARS and repeats_on_pages(key, pool)
            if hits[key] or is_page_number(text):
                dropped.update(run)
    return dropped


def _blocks(pages: dict[int, _pdfwords.PageRead], source_id: str) -> list[Block]:
    numbers = sorted(pages)
    tables, words = {}, {}
    for number in numbers:
        tables[number], words[number] = _pdftables.find(pages[number].edges, pages[number].words)
    dropped = _running_words(words, {n: page.height for n, page in pages.items()})
    columns_by_page = [_pdflayout.page_columns([w for w in words[n] if w not in dropped]) for n in numbers]
    body = _pdfblocks.body_size(columns_by_page)
    line_gap = _pdfblocks.usual_line_gap(columns_by_page, body)
    groups_by_page = [_pdfblocks.group_blocks(columns, line_gap) for columns in columns_by_page]
    _pdfblocks.classify(groups_by_page, body, first_page=bool(numbers) and numbers[0] == 1)
    blocks: list[Block] = []
    for number, groups in zip(numbers, groups_by_page):
        page_blocks = [
            Block(text=group.text, kind=group.kind, level=group.level,
                  provenance=Provenance(source_id, number, BBox(*group.bbox), READER), marker=group.marker,
                  bold=group.bold, size=round(group.size, 2), container=f"p{number}:c{group.container}")
            for group in groups if group.text
        ]
        for index, table in reversed(list(enumerate(tables[number], start=1))):
            at = _pdftables.position(table.bbox, [astuple(b.provenance.bbox) for b in page_blocks])
            page_blocks[at:at] = _pdftables.cell_blocks(table, container=f"p{number}:t{index}", page=number,
                                                        source_id=source_id, reader=READER)
        blocks.extend(page_blocks)
    return _pdftables.join_across_pages(blocks)

