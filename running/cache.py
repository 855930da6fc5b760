"""Extraction results cached by content: an unchanged source is never read twice.

An entry is found by the source's sha256 and a key over everything else extraction depends
on: the file's suffix (with the content, it decides the format the file is read as), the
extractor fingerprint (the code version and the hashes of the extractor's code and data
files: gazetteer, heading lexicons, weights), the settings that steer extraction (the limits
on a document), and the source's configured region.
A change to any of them misses every old entry. Entries are JSON files written atomically
under `<cache_dir>/<sha[:2]>/`; a run never deletes one (delete the folder to start afresh).

Only what extraction produced is stored: the sources row without what `raw/sources.toml`
and fetching add (those are set on every run), and the priorities.

The theme tags of priority texts are cached apart (`ThemeCache`), keyed by the whole
extractor and the taxonomy: theme files are left out of the extraction fingerprint.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import logging
import os
import tempfile
from collections.abc import Collection, Iterator
from functools import cache
from importlib.resources import files
from pathlib import Path

from smartspec.extractors.records import PriorityRecord, SourceRecord
from smartspec.extractors.settings import Settings

logger = logging.getLogger(__name__)

# What the fingerprint covers inside the `extractors` package.
FINGERPRINT_SUFFIXES = (".py", ".csv", ".jsonl", ".yml", ".txt", ".toml")
# Files of the extractor package only theme tagging reads (themes.py and its data files,
# tagging.py, compounds.py): they key the theme cache, not the extraction cache, so that
# editing a pattern file tags the priorities again without reading any document again.
THEME_FILE_PREFIXES = ("themes.", "tagging.", "compounds.")
FORMAT_VERSION = 3
# Settings that say where things are or how a run is carried out, not what extraction
# yields; every other field (thresholds, limits, ...) is part of the key.
OPERATIONAL_SETTINGS = frozenset({
    "raw_dir", "output_dir", "cache_dir", "workers", "worker_pool", "dask_address", "refresh_cron",
    "refresh_timezone", "fetch_timeout", "fetch_retries", "fetch_backoff", "fetch_max_bytes", "fetch_deadline_s",
    "max_removed_share",
})
# SourceRecord fields a run fills from sources.toml and the fetch, never from the cache.
RUN_FIELDS = frozenset({
    "url", "publisher", "published", "fetch_status", "fetch_error", "fetched_at", "last_fetch_success_at",
    "document_id", "renditions_agree",
})
_KEY_CHARS = 16


@cache
def extractor_fingerprint(code_version: str, *, themes: bool = False) -> str:
    """`folder_fingerprint` of the extractor package as installed."""
    return folder_fingerprint(Path(str(files("smartspec.extractors"))), code_version, themes=themes)


def folder_fingerprint(root: Path, code_version: str, *, themes: bool = False) -> str:
    """A hash over the code version and every code and data file under `root` (for the
    extractor: its code, gazetteer, heading lexicons and weights); theme tagging's own files
    only with `themes`."""
    digest = hashlib.sha256(f"{FORMAT_VERSION}:{code_version}".encode())
    for path in sorted(package_files(root), key=lambda p: p.as_posix()):
        if not themes and path.name.startswith(THEME_FILE_PREFIXES):
            continue
        digest.update(path.relative_to(root).as_posix().encode())
        digest.update(hashlib.sha256(path.read_bytes()).digest())
    return digest.hexdigest()[:_KEY_CHARS]


def package_files(folder: Path, suffixes: Collection[str] = FINGERPRINT_SUFFIXES) -> Iterator[Path]:
    """The code and data files under `folder` (by suffix), compiled files left out."""
    for path in folder.rglob("*"):
        if path.is_file() and path.suffix in suffixes and "__pycache__" not in path.parts:
            yield path


def cache_fingerprint(code_version: str, settings: Settings) -> str:
    """The extractor fingerprint combined with the settings extraction depends on."""
    steering = {
        f.name: str(getattr(settings, f.name))
        for f in dataclasses.fields(settings) if f.name not in OPERATIONAL_SETTINGS
    }
    text = json.dumps([extractor_fingerprint(code_version), steering], sort_keys=True)
    return hashlib.sha256(text.encode()).hexdigest()[:_KEY_CHARS]


def extraction_only(record: SourceRecord) -> SourceRecord:
    """`record` without the fields a run sets from sources.toml and fetching."""
    return dataclasses.replace(record, **dict.fromkeys(RUN_FIELDS))


@dataclasses.dataclass(frozen=True, slots=True)
class ExtractionCache:
    directory: Path
    fingerprint: str

    def path(self, sha256: str, region: str | None = None, suffix: str = "") -> Path:
        """Where the entry for this content, suffix (`.pdf`, any case) and configured region lives."""
        key = _short_hash(f"{self.fingerprint}:{suffix.lower()}:{region or ''}")
        return self.directory / sha256[:2] / f"{sha256}-{key}.json"

    def get(
        self, sha256: str, *, source_id: str, source_file: str, region: str | None = None, suffix: str = ""
    ) -> tuple[SourceRecord, tuple[PriorityRecord, ...]] | None:
        """The cached outcome for this content, relabelled for the source asking (id and file may differ)."""
        path = self.path(sha256, region, suffix)
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
            cached = SourceRecord(**data["source"])
            relabel = {"source_id": source_id, "source_file": source_file}
            priorities = tuple(
                PriorityRecord(**{**row, **relabel, "bbox": tuple(row["bbox"]) if row["bbox"] else None})
                for row in data["priorities"]
            )
        except FileNotFoundError:
            return None
        except (OSError, ValueError, KeyError, TypeError) as e:
            logger.warning("%s: cache entry %s unreadable (%s); extracting again", source_id, path.name, e)
            return None
        return dataclasses.replace(cached, **relabel), priorities

    def put(
        self, sha256: str, source: SourceRecord, priorities: tuple[PriorityRecord, ...], *,
        region: str | None = None, suffix: str = "",
    ) -> Path:
        path = self.path(sha256, region, suffix)
        path.parent.mkdir(parents=True, exist_ok=True)
        payload = {
            "source": dataclasses.asdict(extraction_only(source)),
            "priorities": [dataclasses.asdict(p) for p in priorities],
        }
        _write_json(path, payload)
        return path


def _write_json(path: Path, payload: object) -> None:
    """`payload` as JSON at `path`, written to a temp file beside it and renamed into place."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-", suffix=".json")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            json.dump(payload, fh, ensure_ascii=False)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _short_hash(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()[:_KEY_CHARS]


@dataclasses.dataclass(frozen=True, slots=True)
class ThemeCache:
    """The theme tags of priority texts, by language and text, for one extractor and taxonomy.

    One JSON file per fingerprint (`<cache_dir>/themes/<fingerprint>.json`), rewritten
    atomically when a run tagged texts it did not hold; a run with nothing new reads it and
    builds no spaCy pipeline.
    """

    directory: Path
    fingerprint: str

    @property
    def path(self) -> Path:
        return self.directory / "themes" / f"{self.fingerprint}.json"

    def load(self) -> dict[str, list[dict[str, str]]]:
        """`language + TAB + text` -> the tags as dicts; {} when there is no readable file."""
        try:
            data = json.loads(self.path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            return {}
        except (OSError, ValueError) as e:
            logger.warning("theme cache %s unreadable (%s); tagging again", self.path.name, e)
            return {}
        return data if isinstance(data, dict) else {}

    def store(self, entries: dict[str, list[dict[str, str]]]) -> None:
        _write_json(self.path, entries)


def theme_cache_key(code_version: str, taxonomy_sha256: str) -> str:
    """What theme tags depend on: the extractor (theme files included) and the taxonomy."""
    return _short_hash(f"{extractor_fingerprint(code_version, themes=True)}:{taxonomy_sha256}")
