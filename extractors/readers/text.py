"""Plain-text and Markdown exports.

Markdown headings (`#`, `##`) become headings of that rank, a line starting with a bullet
glyph or list number becomes a list item (indent gives the nesting), other lines make
paragraphs. A form feed starts a new page. Text has no geometry: `bbox` is None.
"""

from __future__ import annotations

import re
from pathlib import Path

from extractors.document import HEADING, LIST_ITEM, PARAGRAPH, TITLE, Block, Document, Provenance
from extractors.errors import UnreadableDocument
from extractors.normalise import split_marker
from extractors.readers._files import file_facts

_HEADING_RE = re.compile(r"^(#{1,6})\s+(.*?)\s*#*\s*$")
_EMPHASIS_RE = re.compile(r"(\*\*|__|\*|_)(.+?)\1")
_INDENT_STEP = 2
# A byte order mark says the encoding outright.
_BOMS = ((b"\xef\xbb\xbf", "utf-8-sig"), (b"\xff\xfe", "utf-16"), (b"\xfe\xff", "utf-16"))
# Bytes looked at to tell UTF-16 without a BOM from binary data, and the share of zero
# bytes that says UTF-16: text in a Latin script has a zero high byte in (nearly) every
# character and (nearly) never a zero low byte.
_SAMPLE = 4096
_UTF16_HIGH_ZEROS = 0.8
_UTF16_LOW_ZEROS = 0.05


def read(path: Path, *, source_id: str) -> Document:
    size, sha256 = file_facts(path, source_id=source_id)
    content, encoding = _decode(path.read_bytes(), source_id)
    blocks: list[Block] = []
    pages = content.split("\f")
    for page_number, page in enumerate(pages, start=1):
        blocks.extend(_page_blocks(page, source_id, page_number))
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


def _page_blocks(page: str, source_id: str, page_number: int) -> list[Block]:
    provenance = Provenance(source_id, page_number, None, "text")
    blocks: list[Block] = []
    paragraph: list[str] = []
    seen_heading = False

    def flush() -> None:
        if paragraph:
            blocks.append(Block(" ".join(paragraph), PARAGRAPH, 1, provenance))
            paragraph.clear()

    for raw_line in page.splitlines():
        line = raw_line.rstrip()
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
    return blocks


def _extend(block: Block, more: str) -> Block:
    return Block(f"{block.text} {more}", block.kind, block.level, block.provenance, block.marker)


def _plain(text: str) -> str:
    """Drop Markdown emphasis markers, keep the words."""
    return _EMPHASIS_RE.sub(r"\2", text).strip()
