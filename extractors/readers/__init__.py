"""One reader per format, all producing `extractors.document.Document`.

`READERS` maps a lower-case file suffix to the reader's `read(path, *, source_id)`.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from extractors.document import Document
from extractors.errors import UnsupportedFormat
from extractors.readers import docx, html, pdf, pptx, text

Reader = Callable[..., Document]

READERS: dict[str, Reader] = {
    ".txt": text.read,
    ".md": text.read,
    ".markdown": text.read,
    ".pdf": pdf.read,
    ".pptx": pptx.read,
    ".pptm": pptx.read,
    ".docx": docx.read,
    ".html": html.read,
    ".htm": html.read,
}


def format_of(path: Path) -> str:
    """The format name recorded in `sources` (the suffix without its dot, lower case)."""
    return path.suffix.lower().lstrip(".") or "unknown"


def read_document(path: Path, *, source_id: str) -> Document:
    reader = READERS.get(path.suffix.lower())
    if reader is None:
        raise UnsupportedFormat(
            source_id, "read", f"unsupported file type {path.suffix or '(none)'!r}; "
            f"supported: {', '.join(sorted(READERS))}"
        )
    return reader(path, source_id=source_id)
