"""What is in `raw/`: the files to read, their stable ids and what `raw/sources.toml` adds.

`source_id()` is the one place a source id is made: the id given in `sources.toml`, else the
file's path relative to `raw/` without its suffix.
"""

from __future__ import annotations

import hashlib
import logging
import tomllib
from dataclasses import dataclass
from datetime import date
from pathlib import Path, PurePosixPath

logger = logging.getLogger(__name__)

CONFIG_NAME = "sources.toml"
_CHUNK = 1 << 20


@dataclass(frozen=True, slots=True)
class SourceConfig:
    """One `[[source]]` entry of `raw/sources.toml`."""

    id: str
    path: str | None = None  # relative to raw/
    url: str | None = None
    region: str | None = None  # code or name, for a single-region strategy
    publisher: str | None = None
    published: date | None = None


@dataclass(frozen=True, slots=True)
class SourceFile:
    """A file found under raw/, with its config entry when sources.toml has one."""

    source_id: str
    path: Path
    relative: str
    config: SourceConfig | None = None


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        while chunk := fh.read(_CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def source_id(relative: str, config: SourceConfig | None = None) -> str:
    """The stable id of a source: its configured id, else its raw/-relative path without suffix."""
    if config is not None and config.id:
        return config.id
    posix = PurePosixPath(relative)
    return str(posix.with_suffix("")) if posix.suffix else str(posix)


def load_source_configs(raw_dir: Path) -> list[SourceConfig]:
    """Parse raw/sources.toml; a missing file means no entries.

    Raises ValueError on a malformed file or a path that leaves raw/: that is a user error the
    CLI reports before any run starts.
    """
    config_path = raw_dir / CONFIG_NAME
    if not config_path.is_file():
        return []
    with config_path.open("rb") as fh:
        data = tomllib.load(fh)
    entries = data.get("source", [])
    if not isinstance(entries, list):
        raise ValueError(f"{config_path}: [[source]] must be an array of tables")
    configs, seen = [], set()
    for number, entry in enumerate(entries, start=1):
        unknown = set(entry) - {"id", "path", "url", "region", "publisher", "published"}
        if unknown:
            raise ValueError(f"{config_path}: source {number}: unknown keys {sorted(unknown)}")
        if not entry.get("id"):
            raise ValueError(f"{config_path}: source {number} needs an id")
        if entry["id"] in seen:
            raise ValueError(f"{config_path}: source id {entry['id']!r} given twice")
        seen.add(entry["id"])
        if entry.get("path") is not None:
            _check_inside(raw_dir, entry["path"], config_path)
        published = entry.get("published")
        if published is not None and not isinstance(published, date):
            raise ValueError(f"{config_path}: source {entry['id']!r}: published must be a date")
        configs.append(SourceConfig(**entry))
    return configs


def _check_inside(raw_dir: Path, relative: str, config_path: Path) -> None:
    root = raw_dir.resolve()
    target = (raw_dir / relative).resolve()
    if target != root and root not in target.parents:
        raise ValueError(f"{config_path}: path {relative!r} points outside {raw_dir}")


def discover(raw_dir: Path) -> list[SourceFile]:
    """Every document file under raw_dir, in a stable order, with its source id.

    Hidden files and folders, `sources.toml` and the snapshot store are skipped.
    """
    configs = load_source_configs(raw_dir)
    by_path = {PurePosixPath(c.path).as_posix(): c for c in configs if c.path}
    found: list[SourceFile] = []
    for path in sorted(raw_dir.rglob("*")):
        relative = path.relative_to(raw_dir).as_posix()
        if not path.is_file() or path.name == CONFIG_NAME:
            continue
        if any(part.startswith((".", "_")) for part in PurePosixPath(relative).parts):
            continue
        config = by_path.get(relative)
        found.append(SourceFile(source_id(relative, config), path, relative, config))
    _check_unique(found)
    return found


def _check_unique(found: list[SourceFile]) -> None:
    ids: dict[str, str] = {}
    for source in found:
        if source.source_id in ids:
            raise ValueError(
                f"two files give the source id {source.source_id!r}: "
                f"{ids[source.source_id]} and {source.relative}; give one an id in {CONFIG_NAME}"
            )
        ids[source.source_id] = source.relative
