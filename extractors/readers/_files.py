"""Facts every reader records about the file itself (size, sha256), and the empty-file check."""

from __future__ import annotations

from pathlib import Path

from smartspec.extractors.errors import UnreadableDocument
from smartspec.extractors.hashing import file_sha256


def file_facts(path: Path, *, source_id: str) -> tuple[int, str]:
    """(bytes, sha256) of `path`; an empty or unreadable file raises UnreadableDocument."""
    try:
        size = path.stat().st_size
        if size == 0:
            raise UnreadableDocument(source_id, "read", "empty file (0 bytes)")
        return size, file_sha256(path)
    except OSError as e:
        raise UnreadableDocument(source_id, "read", f"cannot open file: {e.strerror or e}") from e
