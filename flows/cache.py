"""Extraction results cached by content: an unchanged source is never read twice.

The key is the source's sha256 plus the extractor fingerprint: the code version and the
hashes of the extractor's code and reference data files, so a change to either invalidates
every entry. Entries are JSON files written atomically under `<cache_dir>/<sha[:2]>/`.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import logging
import os
import tempfile
from functools import cache
from importlib.resources import files
from pathlib import Path

from extractors.records import PriorityRecord, SourceRecord

logger = logging.getLogger(__name__)

# What the fingerprint covers inside the `extractors` package.
FINGERPRINT_SUFFIXES = (".py", ".csv", ".jsonl", ".yml", ".txt", ".toml")
FORMAT_VERSION = 1


@cache
def extractor_fingerprint(code_version: str) -> str:
    """A hash over the code version and every code and data file of the extractor package."""
    digest = hashlib.sha256(f"{FORMAT_VERSION}:{code_version}".encode())
    root = files("extractors")
    for path in sorted(_walk(Path(str(root))), key=lambda p: p.as_posix()):
        digest.update(path.relative_to(Path(str(root))).as_posix().encode())
        digest.update(hashlib.sha256(path.read_bytes()).digest())
    return digest.hexdigest()[:16]


def _walk(folder: Path):
    for path in folder.rglob("*"):
        if path.is_file() and path.suffix in FINGERPRINT_SUFFIXES and "__pycache__" not in path.parts:
            yield path


@dataclasses.dataclass(frozen=True, slots=True)
class ExtractionCache:
    directory: Path
    fingerprint: str

    def _path(self, sha256: str) -> Path:
        return self.directory / sha256[:2] / f"{sha256}-{self.fingerprint}.json"

    def get(self, sha256: str, source: SourceRecord) -> tuple[SourceRecord, tuple[PriorityRecord, ...]] | None:
        """The cached outcome for this content, relabelled for `source` (id and file may differ)."""
        path = self._path(sha256)
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            return None
        except (OSError, ValueError) as e:
            logger.warning("cache entry %s unreadable (%s); extracting again", path.name, e)
            return None
        cached = SourceRecord(**data["source"])
        relabel = {"source_id": source.source_id, "source_file": source.source_file}
        priorities = tuple(
            PriorityRecord(**{**row, **relabel, "bbox": tuple(row["bbox"]) if row["bbox"] else None})
            for row in data["priorities"]
        )
        return dataclasses.replace(cached, **relabel), priorities

    def put(self, sha256: str, source: SourceRecord, priorities: tuple[PriorityRecord, ...]) -> None:
        path = self._path(sha256)
        path.parent.mkdir(parents=True, exist_ok=True)
        payload = {
            "source": dataclasses.asdict(source),
            "priorities": [dataclasses.asdict(p) for p in priorities],
        }
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-", suffix=".json")
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            json.dump(payload, fh, ensure_ascii=False)
        os.replace(tmp, path)
