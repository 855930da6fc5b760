"""What is in `raw/`: the files to read, their stable ids and what `raw/sources.toml` adds.

`find_sources()` is the one place source ids are given (the rule is in the README under
"Source ids"): the id given in `sources.toml`, else the file's path relative to `raw/`
without its suffix (`source_id()`), else, for a file whose id that would clash, its path
with the suffix. A name never stops a run: a `sources.toml` entry that cannot have its id
becomes a `Refused` source, which the run records as a failed `sources` row.
"""

from __future__ import annotations

import hashlib
import logging
import tomllib
from collections import Counter
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
    # what links the renditions of one document (same folder and stem, other suffix): their
    # shared stem; None where the file has no sibling, and then it is the source_id
    document_id: str | None = None


@dataclass(frozen=True, slots=True)
class Refused:
    """A `sources.toml` entry whose id or path another entry already has: not read, recorded."""

    source_id: str  # a free id for its row: its file's own id, else the id with "#<n>"
    config: SourceConfig
    relative: str | None  # its file under raw/, if it has one that exists
    message: str


@dataclass(frozen=True, slots=True)
class Sources:
    """What `find_sources()` found: the files to read, the entries with their ids, the refused."""

    files: list[SourceFile]
    configs: list[SourceConfig]  # the entries whose id is theirs, in file order
    refused: list[Refused]


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
    CLI reports before any run starts. An id or path given twice is no error here:
    `find_sources()` refuses the later entry and the run records it.
    """
    config_path = raw_dir / CONFIG_NAME
    if not config_path.is_file():
        return []
    with config_path.open("rb") as fh:
        data = tomllib.load(fh)
    entries = data.get("source", [])
    if not isinstance(entries, list):
        raise ValueError(f"{config_path}: [[source]] must be an array of tables")
    configs = []
    for number, entry in enumerate(entries, start=1):
        unknown = set(entry) - {"id", "path", "url", "region", "publisher", "published"}
        if unknown:
            raise ValueError(f"{config_path}: source {number}: unknown keys {sorted(unknown)}")
        if not entry.get("id"):
            raise ValueError(f"{config_path}: source {number} needs an id")
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
    """Every document file under raw_dir to read, in a stable order, with its source id."""
    return find_sources(raw_dir).files


def find_sources(raw_dir: Path) -> Sources:
    """The files under raw_dir and the entries of sources.toml, each with a distinct source id.

    Hidden files and folders, `sources.toml` and the snapshot store are skipped. An entry's
    id is its own unless an earlier entry has that id or path (then it is `Refused`). A file
    without an entry keeps `source_id()`, its path without suffix, unless another file or
    an entry has that id too: then its id is its path with the suffix (`x.pdf`, `x.pptx`).
    """
    configs, refused_configs = _first_entries(load_source_configs(raw_dir))
    by_path = {PurePosixPath(c.path).as_posix(): c for c in configs if c.path}
    # a refused entry's file, unless a kept entry names the same file, gives the entry's row
    refused_paths = {PurePosixPath(c.path).as_posix() for c, _ in refused_configs if c.path} - by_path.keys()
    relatives = [
        path.relative_to(raw_dir).as_posix() for path in sorted(raw_dir.rglob("*"))
        if path.is_file() and path.name != CONFIG_NAME
        and not any(part.startswith((".", "_")) for part in path.relative_to(raw_dir).parts)
    ]
    ids = {relative: by_path[relative].id for relative in relatives if relative in by_path}
    ids.update(file_ids([r for r in relatives if r not in by_path], taken={c.id for c in configs}))
    stems = Counter(source_id(relative) for relative in relatives)
    files = [
        SourceFile(ids[relative], raw_dir / relative, relative, by_path.get(relative),
                   source_id(relative) if stems[source_id(relative)] > 1 else None)
        for relative in relatives if relative not in refused_paths
    ]
    taken = set(ids.values()) | {c.id for c in configs}
    refused = []
    for config, why in refused_configs:
        relative = PurePosixPath(config.path).as_posix() if config.path else None
        if relative in refused_paths and relative in ids:
            row_id = ids[relative]
            refused_paths.discard(relative)  # a second refused entry of the same file gets a row of its own
        else:
            relative = None
            row_id = config.id if config.id not in taken else _numbered(config.id, taken)
            taken.add(row_id)
        message = f"{CONFIG_NAME}: {why}"
        logger.warning("%s: %s", row_id, message)
        refused.append(Refused(row_id, config, relative, message))
    for file in files:
        if file.config is None and file.source_id != source_id(file.relative):
            logger.info("%s: %s shares the id %r with another source, so its id is its path",
                        file.source_id, file.relative, source_id(file.relative))
    return Sources(files, configs, refused)


def file_ids(relatives: list[str], *, taken: set[str] = frozenset()) -> dict[str, str]:
    """The ids of files with no sources.toml entry, by path relative to raw/.

    A file keeps `source_id()` (its path without suffix) when no other file and no id in
    `taken` has that id; else its id is its path with the suffix, which no other file has,
    so it does not change whatever is added later. Should even that be taken (a file
    `x.pdf.txt` beside `x.pdf` and `x.pptx`), "#2", "#3", ... is added.
    """
    stems = Counter(source_id(relative) for relative in relatives)
    ids = {r: source_id(r) for r in relatives if stems[source_id(r)] == 1 and source_id(r) not in taken}
    used = set(ids.values()) | set(taken)
    for relative in relatives:
        if relative not in ids:
            ids[relative] = relative if relative not in used else _numbered(relative, used)
            used.add(ids[relative])
    return ids


def _first_entries(configs: list[SourceConfig]) -> tuple[list[SourceConfig], list[tuple[SourceConfig, str]]]:
    """The entries whose id and path no earlier entry has, and the others with the reason."""
    ids: dict[str, SourceConfig] = {}
    paths: dict[str, SourceConfig] = {}
    kept, refused = [], []
    for config in configs:
        path = PurePosixPath(config.path).as_posix() if config.path else None
        if config.id in ids:
            refused.append((config, f"source id {config.id!r} is given twice (also to {_where(ids[config.id])}); "
                                    "this entry is not read: give it another id"))
        elif path is not None and path in paths:
            refused.append((config, f"path {path!r} is given twice (also to source {paths[path].id!r}); "
                                    "this entry is not read: keep one entry per file"))
        else:
            ids[config.id] = config
            if path is not None:
                paths[path] = config
            kept.append(config)
    return kept, refused


def _where(config: SourceConfig) -> str:
    return config.path or config.url or f"the entry {config.id!r}"


def _numbered(base: str, used: set[str]) -> str:
    number = 2
    while f"{base}#{number}" in used:
        number += 1
    return f"{base}#{number}"
