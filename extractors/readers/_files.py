"""Facts every reader records about the file itself (size, sha256), and the empty-file check."""

from __future__ import annotations

from pathlib import Path

from smartspec.extractors.errors import UnreadableDocument
from smartspec.extractors.hashing import FileHash, hash_file


def file_facts(path: Path, *, source_id: str, hashed: FileHash | None = None) -> tuple[int, str]:
    """(bytes, sha256) of `path`: `hashed`'s where the run hashed the file before (it travels
    with the source; `read_document` checks it still holds), else hashed here. An empty or
    unreadable file raises UnreadableDocument."""
    try:
        if hashed is None:
            hashed = hash_file(path)
    except OSError as e:
        raise UnreadableDocument(source_id, "read", f"cannot open file: {e.strerror or e}") from e
    if hashed.size == 0:
        raise UnreadableDocument(source_id, "read", "empty file (0 bytes)")
    return hashed.size, hashed.sha256
