"""A file's sha256: the one way the run hashes a file's bytes (cache keys, run keys, `sources`).

A run hashes a source's file once. `hash_file()` gives the sha256 with the file's stat taken as
it was hashed (`FileHash`); the hash travels with the source (`SourceFile.hashed`) to the
process that reads it, whose reader takes it instead of hashing again. While the file stats
the same (device, inode, size, modification and change times: a file replaced has another
inode, one written in place other times), its bytes are those hashed; `read_document()`
checks that after reading, so the sha256 recorded is of the bytes parsed.
"""

from __future__ import annotations

import errno
import hashlib
import os
import stat
from dataclasses import dataclass
from pathlib import Path

_CHUNK = 1 << 20


@dataclass(frozen=True, slots=True)
class FileHash:
    """A file's sha256 and size, and its stat when they were taken."""

    sha256: str
    size: int  # bytes hashed
    # (device, inode, size, mtime_ns, ctime_ns) as the file was hashed; () when it changed meanwhile
    stamp: tuple[int, ...]

    def holds(self, path: Path) -> bool:
        """Whether `path` still stats as it did when hashed: then its bytes are the ones hashed."""
        try:
            return bool(self.stamp) and _stamp(os.stat(path)) == self.stamp
        except OSError:
            return False


def hash_file(path: Path) -> FileHash:
    """The sha256 of `path`'s bytes, with its stat. Raises OSError when it cannot be read or is
    not a regular file (a FIFO is refused, not waited on).

    A file this process hashed before and that still stats as it did then is not read again
    (the command's check before a run and the run's own cache lookup hash the same files)."""
    key = os.path.abspath(path)
    known = _HASHED.get(key)
    if known is not None and known.holds(Path(key)):
        return known
    hashed = _digest(path)
    if hashed.stamp:
        if len(_HASHED) >= _MAX_REMEMBERED:
            _HASHED.clear()
        _HASHED[key] = hashed
    return hashed


# The files this process hashed (absolute path -> FileHash), reused while they stat the same.
_HASHED: dict[str, FileHash] = {}
_MAX_REMEMBERED = 10_000


def _digest(path: Path) -> FileHash:
    """`path`'s bytes read and hashed: the one place a file is read for its sha256."""
    digest, size = hashlib.sha256(), 0
    descriptor = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    try:
        before = os.fstat(descriptor)
        if not stat.S_ISREG(before.st_mode):
            raise OSError(errno.EINVAL, "not a regular file", str(path))
        while chunk := os.read(descriptor, _CHUNK):
            digest.update(chunk)
            size += len(chunk)
        after = os.fstat(descriptor)
    finally:
        os.close(descriptor)
    stamp = _stamp(before)
    return FileHash(digest.hexdigest(), size, stamp if _stamp(after) == stamp else ())


def current_hash(path: Path, known: FileHash | None) -> FileHash:
    """`known` while `path` is as it was when `known` was taken; else `path` hashed now.
    Raises OSError when it must be hashed and cannot be read."""
    return known if known is not None and known.holds(path) else hash_file(path)


def file_sha256(path: Path) -> str:
    return hash_file(path).sha256


def _stamp(info: os.stat_result) -> tuple[int, ...]:
    return (info.st_dev, info.st_ino, info.st_size, info.st_mtime_ns, info.st_ctime_ns)
