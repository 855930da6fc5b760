"""Plain-text and Markdown exports.

Markdown headings (`#`, `##`) become headings of that rank, a line starting with a bullet
glyph or list number becomes a list item (indent gives the nesting; Word's "o" sub-bullet
counts as a glyph), a Markdown pipe table becomes table cells (`level` the column, `row` the
row), other lines make paragraphs. A text with no Markdown heading at all (a plain export of a
document) takes a short line that stands alone and does not end as a sentence for a heading,
its first one for the title. A form feed starts a new page. Text has no geometry: `bbox` is
None.
"""

from __future__ import annotations

import re
from pathlib import Path

from smartspec.extractors.document import HEADING, LIST_ITEM, PARAGRAPH, TABLE_CELL, TITLE, Block, Document, Provenance
from smartspec.extractors.errors import UnreadableDocument
from smartspec.extractors.normalise import split_marker
from smartspec.extractors.hashing import FileHash
from smartspec.extractors.readers._files import file_facts

_HEADING_RE = re.compile(r"^(#{1,6})\s+(.*?)\s*#*\s*$")
_EMPHASIS_RE = re.compile(r"(\*\*|__|\*|_)(.+?)\1")
_INDENT_STEP = 2
# A plain export's heading: a line standing alone, at most this long, not ending as a sentence
_PLAIN_HEADING_MAX_CHARS = 80
_SENTENCE_END = (".", ":", ";", ",", "!", "?")
# Word's sub-bullet glyph, written out as the letter "o" in text exports
_LETTER_BULLET_RE = re.compile(r"^\s*o\s+(?=\S)")
_TABLE_ROW_RE = re.compile(r"^\s*\|.*\|\s*$")
_TABLE_RULE_RE = re.compile(r"^\s*\|(?:\s*:?-{2,}:?\s*\|)+\s*$")
# A byte order mark says the encoding outright.
_BOMS = ((b"\xef\xbb\xbf", "utf-8-sig"), (b"\xff\xfe", "utf-16"), (b"\xfe\xff", "utf-16"))
# Bytes looked at to tell UTF-16 without a BOM from binary data, and the share of zero
# bytes that says UTF-16: text in a Latin script has a zero high byte in (nearly) every
# character and (nearly) never a zero low byte.
_SAMPLE = 4096
_UTF16_HIGH_ZEROS = 0.8
_UTF16_LOW_ZEROS = 0.05


def read(path: Path, *, source_id: str, hashed: FileHash | None = None) -> Document:
    size, sha256 = file_facts(path, source_id=source_id, hashed=hashed)
    content, encoding = _decode(path.read_bytes(), source_id)
    blocks: list[Block] = []
    pages = content.split("\f")
    plain = not any(_HEADING_RE.match(line.strip()) for line in content.splitlines())
    for page_number, page in enumerate(pages, start=1):
        blocks.extend(_page_blocks(page, source_id, page_number, plain=plain, first=not blocks))
    title = next((b.text for b in blocks if b.kind in (TITLE, HEADING)), "")
    return Document(
        source_id=source_id, path=str(path), format=path.suffix.lower().lstrip("."),
        sha256=sha256, blocks=tuple(blocks), pages=len(pages), bytes=size, title=title, encoding=encoding,
    )


def _decode(raw: bytes, source_id: str) -> tuple[str, str]:
    """(text, encoding): a BOM decides; else UTF-16 without a BOM when every other byte of the
    start is zero; else strict UTF-8; else Windows-1252. Trying UTF-16 before Windows-1252, as
    this once did, read any even-length Windows-1252 file as Chinese."""
    for bom, encoding in _BOMS:
        if raw.startswith(bom):
            return _decoded(raw, encoding, source_id), encoding
    if b"\x00" in raw[:_SAMPLE]:
        encoding = _utf16_without_bom(raw[:_SAMPLE])
        if encoding is None:
            raise UnreadableDocument(source_id, "read", "binary data in a text file")
        return _decoded(raw, encoding, source_id), encoding
    for encoding in ("utf-8", "cp1252"):
        try:
            return raw.decode(encoding), encoding
        except UnicodeDecodeError:
            continue
    raise UnreadableDocument(source_id, "read", "text is not UTF-8, UTF-16 or Windows-1252")


def _utf16_without_bom(sample: bytes) -> str | None:
    """"utf-16-le" or "utf-16-be" when `sample` looks like UTF-16 text in a Latin script, else None."""
    if len(sample) < 2 or len(sample) % 2:
        return None
    even, odd = sample[0::2].count(0) / len(sample[0::2]), sample[1::2].count(0) / len(sample[1::2])
    if odd >= _UTF16_HIGH_ZEROS and even <= _UTF16_LOW_ZEROS:
        return "utf-16-le"
    if even >= _UTF16_HIGH_ZEROS and odd <= _UTF16_LOW_ZEROS:
        return "utf-16-be"
    return None


def _decoded(raw: bytes, encoding: str, source_id: str) -> str:
    try:
        return raw.decode(encoding)
    except UnicodeDecodeError as e:
        raise UnreadableDocument(source_id, "read", f"text is not valid {encoding}: {e.reason} at byte {e.start}") from e


def _page_blocks(page: str, source_id: str, page_number: int, *, plain: bool = False,
                 first: bool = True) -> list[Block]:
    provenance = Provenance(source_id, page_number, None, "text")
    blocks: list[Block] = []
    paragraph: list[str] = []
    seen_heading = not first
    table: list[list[str]] = []
    tables = 0

    def flush() -> None:
        nonlocal seen_heading
        if paragraph:
            text = " ".join(paragraph)
            if plain and len(paragraph) == 1 and _heading_like(text):
                kind = TITLE if not seen_heading else HEADING
                blocks.append(Block(text, kind, 1 if kind == TITLE else 2, provenance, bold=True))
                seen_heading = True
            else:
                blocks.append(Block(text, PARAGRAPH, 1, provenance))
            paragraph.clear()

    def flush_table() -> None:
        nonlocal tables
        if table:
            tables += 1
            container = f"p{page_number}:t{tables}"
            for row, cells in enumerate(table, start=1):
                blocks.extend(Block(text, TABLE_CELL, column, provenance, bold=row == 1,
                                    container=container, row=row)
                              for column, text in enumerate(cells, start=1) if text)
            table.clear()

    for raw_line in page.splitlines():
        line = raw_line.rstrip()
        if _TABLE_ROW_RE.match(line):
            flush()
            if not _TABLE_RULE_RE.match(line):
                table.append([_plain(cell) for cell in line.strip().strip("|").split("|")])
            continue
        flush_table()
        if not line.strip():
            flush()
            continue
        heading = _HEADING_RE.match(line.strip())
        if heading:
            flush()
            rank = len(heading.group(1))
            text = _plain(heading.group(2))
            if text:
                kind = TITLE if rank == 1 and not seen_heading else HEADING
                blocks.append(Block(text, kind, rank, provenance, bold=True))
                seen_heading = True
            continue
        marker, rest = split_marker(line)
        if not marker and _LETTER_BULLET_RE.match(line):
            marker, rest = "o", line[_LETTER_BULLET_RE.match(line).end():]
        if marker and rest.strip():
            flush()
            indent = len(line) - len(line.lstrip())
            level = 1 + indent // _INDENT_STEP
            # "- ▶ Item": a Markdown bullet in front of the deck's own glyph
            inner, rest = split_marker(rest)
            blocks.append(Block(_plain(rest), LIST_ITEM, level, provenance, marker=inner or marker))
            continue
        if blocks and blocks[-1].kind == LIST_ITEM and not paragraph and raw_line[:1].isspace():
            # an indented continuation line of the list item above
            last = blocks.pop()
            blocks.append(_extend(last, line.strip()))
            continue
        paragraph.append(_plain(line.strip()))
    flush()
    flush_table()
    return blocks


def _heading_like(text: str) -> bool:
    """A line of a plain export that reads as a heading: short, opening with a capital or a
    number, not ending as a sentence or a lead-in does, not just a number or a date."""
    return (len(text) <= _PLAIN_HEADING_MAX_CHARS and not text.endswith(_SENTENCE_END)
            and (text[:1].isupper() or text[:1].isdigit())
            and any(ch.isalpha() for ch in text))


def _extend(block: Block, more: str) -> Block:
    return Block(f"{block.text} {more}", block.kind, block.level, block.provenance, block.marker)


def _plain(text: str) -> str:
    """Drop Markdown emphasis markers, keep the words."""
    return _EMPHASIS_RE.sub(r"\2", text).strip()
