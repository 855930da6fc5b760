"""One reader per format, all producing `smartspec.extractors.document.Document`.

`READERS` maps a lower-case file suffix to the reader's `read(path, *, source_id, hashed=None)`
(`hashed`: the file's hash as the run took it, whose sha256 the reader records instead of
hashing the file again; see extractors/hashing.py). A reader's
module (and the libraries it needs) is imported when a file of its format is first read, or
by `load_reader()`: a process that forks one child per document loads it once, before.
"""

from __future__ import annotations

import dataclasses
import stat
from collections.abc import Callable
from pathlib import Path
from types import ModuleType

from smartspec.extractors.document import Document
from smartspec.extractors.errors import ExtractionError, FileChanged, UnreadableDocument, UnsupportedFormat
from smartspec.extractors.hashing import FileHash
from smartspec.extractors.readers._formats import LEGACY_OFFICE, NAMES, content_suffix

Reader = Callable[..., Document]


def _text() -> ModuleType:
    from smartspec.extractors.readers import text
    return text


def _pdf() -> ModuleType:
    from smartspec.extractors.readers import pdf
    return pdf


def _pptx() -> ModuleType:
    from smartspec.extractors.readers import pptx
    return pptx


def _docx() -> ModuleType:
    from smartspec.extractors.readers import docx
    return docx


def _html() -> ModuleType:
    from smartspec.extractors.readers import html
    return html


def _reader(module: Callable[[], ModuleType]) -> Reader:
    def read(path: Path, *, source_id: str, hashed: FileHash | None = None) -> Document:
        return module().read(path, source_id=source_id, hashed=hashed)
    return read


_MODULES = {".txt": _text, ".md": _text, ".markdown": _text, ".pdf": _pdf, ".pptx": _pptx, ".pptm": _pptx,
            ".docx": _docx, ".html": _html, ".htm": _html}
_LAZY = {module: _reader(module) for module in set(_MODULES.values())}
READERS: dict[str, Reader] = {suffix: _LAZY[module] for suffix, module in _MODULES.items()}


def load_reader(path: Path) -> None:
    """Import the reader `path`'s suffix names (if any) now, before processes are forked."""
    module = _MODULES.get(path.suffix.lower())
    if module is not None:
        module()


def format_of(path: Path) -> str:
    """The format name its suffix gives a file (without the dot, lower case); `sources`
    records the format the content was read as where a reader read it (`Document.format`)."""
    return path.suffix.lower().lstrip(".") or "unknown"


def read_document(path: Path, *, source_id: str, hashed: FileHash | None = None) -> Document:
    """`path` read by the reader for its content's format, else for its suffix (text has no
    signature). A suffix that names another format than the content has is noted in
    `Document.notes`.

    `hashed`, the file's hash as the run took it, is what the document records: the reader
    hashes nothing, and once it has read the file, a file that no longer stats as when it
    was hashed raises FileChanged (what was read may be other bytes). Without it the reader
    hashes the file itself.
    """
    suffix = _suffix_to_read(path, source_id)
    reader = READERS.get(suffix)
    if reader is None:
        raise UnsupportedFormat(
            source_id, "read", f"unsupported file type {path.suffix or '(none)'!r}; "
            f"supported: {', '.join(sorted(READERS))}"
        )
    try:
        document = reader(path, source_id=source_id, hashed=hashed)
    except ExtractionError as e:  # what it says may be of other bytes than those hashed
        if hashed is not None and not hashed.holds(path):
            raise _changed(source_id) from e
        raise
    if hashed is not None and not hashed.holds(path):
        raise _changed(source_id)
    if suffix == path.suffix.lower():
        return document
    note = f"a {NAMES[suffix]} file named {path.suffix or '(no suffix)'}: read as {NAMES[suffix]}"
    return dataclasses.replace(document, format=suffix.lstrip("."), notes=(*document.notes, note))


def _changed(source_id: str) -> FileChanged:
    return FileChanged(source_id, "read", "the file changed while it was read: it is read again on the next run")


def _suffix_to_read(path: Path, source_id: str) -> str:
    """The suffix whose reader reads `path`: its content's, where that differs in reader."""
    try:
        if not stat.S_ISREG(path.stat().st_mode):  # a FIFO would block the first read for ever
            raise UnreadableDocument(source_id, "read", "not a regular file (a folder, FIFO or device)")
        detected = content_suffix(path)
    except OSError as e:
        raise UnreadableDocument(source_id, "read", f"cannot open file: {e.strerror or e}") from e
    if detected == LEGACY_OFFICE:
        raise UnsupportedFormat(source_id, "read", "a Word or PowerPoint 97-2003 file: save it as .docx or .pptx")
    suffix = path.suffix.lower()
    if detected is None or READERS.get(detected) is READERS.get(suffix):
        return suffix
    return detected
