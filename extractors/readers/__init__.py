"""One reader per format, all producing `extractors.document.Document`.

`READERS` maps a lower-case file suffix to the reader's `read(path, *, source_id)`. A paged
format whose reader can lay out only some pages (PDF) is also in `PAGED_READERS`, whose
readers take `pages=`: the pages to read, or a function of the page texts that picks them.
"""

from __future__ import annotations

from collections.abc import Callable, Collection
from pathlib import Path

from extractors.document import Document
from extractors.errors import UnsupportedFormat
from extractors.readers import docx, html, pdf, pptx, text

Reader = Callable[..., Document]
# The pages to lay out (from 1), or a function of every page's text that returns them.
PageChoice = Collection[int] | Callable[[tuple[str, ...]], Collection[int]]

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


PAGED_READERS: frozenset[str] = frozenset({".pdf"})


def format_of(path: Path) -> str:
    """The format name recorded in `sources` (the suffix without its dot, lower case)."""
    return path.suffix.lower().lstrip(".") or "unknown"


def read_document(path: Path, *, source_id: str, pages: PageChoice | None = None) -> Document:
    """`path` read by the reader for its suffix. `pages` limits a paged reader's layout
    analysis (see `PAGED_READERS`); other readers read the whole file whatever it says."""
    reader = READERS.get(path.suffix.lower())
    if reader is None:
        raise UnsupportedFormat(
            source_id, "read", f"unsupported file type {path.suffix or '(none)'!r}; "
            f"supported: {', '.join(sorted(READERS))}"
        )
    if pages is not None and path.suffix.lower() in PAGED_READERS:
        return reader(path, source_id=source_id, pages=pages)
    return reader(path, source_id=source_id)
