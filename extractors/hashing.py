"""A file's sha256: the one way the run hashes a file's bytes (readers, cache keys, run keys)."""

from __future__ import annotations

import hashlib
from pathlib import Path

_CHUNK = 1 << 20


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        while chunk := fh.read(_CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def readable_facts(path: Path) -> tuple[int, str | None]:
    """(bytes, sha256) of a file as far as it can be read: (0, None) when it cannot be opened."""
    try:
        return path.stat().st_size, file_sha256(path)
    except OSError:
        return 0, None
