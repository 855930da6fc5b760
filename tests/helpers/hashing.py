"""Counting the hashing of files: every call of `extractors/hashing.py`'s `hash_file`, in this
process and in the children it forks, as one line (the file's name) in a log file."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from smartspec.extractors import hashing


def count_hashing(monkeypatch: pytest.MonkeyPatch, log: Path) -> None:
    """Wrap `hash_file` wherever a module holds it (imported by name or called within hashing.py),
    so that each hash of a file appends its name to `log`: a forked child's lines land there too."""
    real = hashing.hash_file

    def counted(path: Path) -> hashing.FileHash:
        with log.open("a", encoding="utf-8") as fh:
            fh.write(f"{Path(path).name}\n")
        return real(path)

    for module in list(sys.modules.values()):
        if getattr(module, "hash_file", None) is real:
            monkeypatch.setattr(module, "hash_file", counted)


def hashed_names(log: Path) -> list[str]:
    return log.read_text(encoding="utf-8").splitlines() if log.exists() else []
