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
_ENCODINGS = ("utf-8-sig", "utf-16", "cp1252")


def read(path: Path, *, source_id: str) -> Document:
    size, sha256 = file_facts(path, source_id=source_id)
    content = _decode(path.read_bytes(), source_id)
    blocks: list[Block] = []
    pages = content.split("\f")
    for page_number, page in enumerate(pages, start=1):
        blocks.extend(_page_blocks(page, source_id, page_number))
    title = next((b.text for b in blocks if b.kind in (TITLE, HEADING)), "")
    return Document(
        source_id=source_id, path=str(path), format=path.suffix.lower().lstrip("."),
        sha256=sha256, blocks=tuple(blocks), pages=len(pages), bytes=size, title=title,
    )


def _decode(raw: bytes, source_id: str) -> str:
    if b"\x00" in raw[:4096] and not raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise UnreadableDocument(source_id, "read", "binary data in a text file")
    for encoding in _ENCODINGS:
        try:
            return raw.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise UnreadableDocument(source_id, "read", "text is not UTF-8, UTF-16 or Windows-1252")


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
