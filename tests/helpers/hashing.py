"""Counting the hashing of files: every read of a file for its sha256 (`extractors/hashing.py`'s
`_digest`), in this process and in the children it forks, as one line (the file's name) in a log file."""

from __future__ import annotations

from pathlib import Path

import pytest

from smartspec.extractors import hashing


def count_hashing(monkeypatch: pytest.MonkeyPatch, log: Path) -> None:
    """Wrap `hashing._digest`, where a file's bytes are read for its sha256, so that each read
    appends the file's name to `log`: a forked child's lines land there too. Hashes this process
    remembers from earlier tests are forgotten first."""
    real = hashing._digest

    def counted(path: Path) -> hashing.FileHash:
        with log.open("a", encoding="utf-8") as fh:
            fh.write(f"{Path(path).name}\n")
        return real(path)

    monkeypatch.setattr(hashing, "_HASHED", {})
    monkeypatch.setattr(hashing, "_digest", counted)


def hashed_names(log: Path) -> list[str]:
    return log.read_text(encoding="utf-8").splitlines() if log.exists() else []
