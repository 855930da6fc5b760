"""What is in `raw/`: the files to read, their stable ids and what `raw/sources.toml` adds.

`find_sources()` is the one place source ids are given (the rule is in the README under
"Source ids"): the id given in `sources.toml`, else the file's path relative to `raw/`
without its suffix (`source_id()`), else, for a file whose id that would clash, its path
with the suffix. A name never stops a run: a `sources.toml` entry that cannot have its id
becomes a `Refused` source, which the run records as a failed `sources` row.
"""

from __future__ import annotations

import logging
import os
import tomllib
from collections import Counter
from collections.abc import Collection
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path, PurePosixPath
from urllib.parse import urlsplit

from smartspec.extractors.hashing import FileHash
from smartspec.schemas.vocabulary import ID_CLASH_ERROR, INVALID_ENTRY_ERROR, SCOPES

logger = logging.getLogger(__name__)

CONFIG_NAME = "sources.toml"


@dataclass(frozen=True, slots=True)
class SourceConfig:
    """One `[[source]]` entry of `raw/sources.toml`."""

    id: str
    path: str | None = None  # relative to raw/
    url: str | None = None
    region: str | None = None  # code or name, for a single-region strategy
    scope: str | None = None  # "region" or "overview": what extraction would otherwise infer
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
    # the file's sha256 as the run took it (running/incremental.py), with its stat then: the
    # process that reads the file records it instead of hashing again (extractors/hashing.py)
    hashed: FileHash | None = None


@dataclass(frozen=True, slots=True)
class Refused:
    """A `sources.toml` entry that is not read (its id or path another entry has, or it is not
    valid): recorded as a failed row."""

    source_id: str  # a free id for its row: its file's own id, else the id with "#<n>"
    config: SourceConfig
    relative: str | None  # its file under raw/, if it has one that exists
    message: str
    error_type: str = ID_CLASH_ERROR


@dataclass(frozen=True, slots=True)
class Sources:
    """What `find_sources()` found: the files to read, the entries with their ids, the refused."""

    files: list[SourceFile]
    configs: list[SourceConfig]  # the entries whose id is theirs, in file order
    refused: list[Refused]


def source_id(relative: str, config: SourceConfig | None = None) -> str:
    """The stable id of a source: its configured id, else its raw/-relative path without suffix."""
    if config is not None and config.id:
        return config.id
    posix = PurePosixPath(relative)
    return str(posix.with_suffix("")) if posix.suffix else str(posix)


class RawDirError(ValueError):
    """raw/ cannot be read as a run's input (absent, not a folder, unreadable or empty): the run
    does not start. A mistyped `--raw` or an unmounted share must never publish an empty version."""


class SourcesFileError(ValueError):
    """`raw/sources.toml` as a whole cannot be read (bad TOML): the run does not start."""


def check_raw_dir(raw_dir: Path) -> None:
    """Raise RawDirError unless `raw_dir` is a readable folder holding something besides hidden files."""
    try:
        with os.scandir(raw_dir) as entries:
            names = [entry.name for entry in entries]
    except FileNotFoundError:
        raise RawDirError(f"raw folder {raw_dir} not found: give --raw the folder that holds the "
                          "documents (is the share mounted?)") from None
    except NotADirectoryError:
        raise RawDirError(f"raw folder {raw_dir} is a file, not a folder: give --raw the folder "
                          "that holds the documents") from None
    except OSError as e:
        raise RawDirError(f"raw folder {raw_dir} cannot be read: {e.strerror or e}") from None
    if all(name.startswith(".") for name in names):
        raise RawDirError(f"raw folder {raw_dir} is empty: put the documents in it, or give --raw the "
                          "folder that holds them (is the share mounted?)")


def load_source_configs(raw_dir: Path) -> list[SourceConfig]:
    """The valid `[[source]]` entries of raw/sources.toml; a missing file means no entries.

    Entries that are not valid are left out (see `read_source_entries`). Raises
    SourcesFileError when the file is not TOML.
    """
    return read_source_entries(raw_dir)[0]


def read_source_entries(raw_dir: Path) -> tuple[list[SourceConfig], list[tuple[SourceConfig, str]]]:
    """raw/sources.toml: (valid entries, invalid ones each with why), in file order.

    An invalid entry (an unknown key, an id that is not text, a path out of raw/, a url that
    is not http(s), ...) is not read; it stands as a SourceConfig holding only what of it is
    usable (its id, else "sources.toml:<n>", and a path inside raw/) so the run can give it a
    failed row. Raises SourcesFileError when the file as a whole cannot be read.
    """
    config_path = raw_dir / CONFIG_NAME
    if not config_path.is_file():
        return [], []
    try:
        with config_path.open("rb") as fh:
            data = tomllib.load(fh)
    except tomllib.TOMLDecodeError as e:
        raise SourcesFileError(f"{config_path} is not valid TOML: {e}: fix the file") from e
    except OSError as e:
        raise SourcesFileError(f"{config_path} cannot be read: {e.strerror or e}") from e
    entries = data.get("source", [])
    if not isinstance(entries, list):
        raise SourcesFileError(f"{config_path}: [[source]] must be an array of tables: fix the file")
    configs, invalid = [], []
    for number, entry in enumerate(entries, start=1):
        problem = _entry_problem(raw_dir, entry)
        if problem is None:
            configs.append(SourceConfig(**entry))
            continue
        given = entry.get("id") if isinstance(entry, dict) else None
        usable_id = given.strip() if isinstance(given, str) and given.strip() else f"{CONFIG_NAME}:{number}"
        named = f"source {number}" + (f" ({given!r})" if isinstance(given, str) and given.strip() else "")
        path = entry.get("path") if isinstance(entry, dict) else None
        usable_path = path if isinstance(path, str) and path and _inside(raw_dir, path) else None
        message = f"{named}: {problem}; this entry is not read: fix it"
        invalid.append((SourceConfig(id=usable_id, path=usable_path), message))
    return configs, invalid


ENTRY_KEYS = ("id", "path", "url", "region", "scope", "publisher", "published")
URL_SCHEMES = ("http", "https")
# The dates a published table can hold (pandas' nanosecond timestamps).
_FIRST_YEAR, _LAST_YEAR = 1678, 2261


def _entry_problem(raw_dir: Path, entry: object) -> str | None:
    """Why a `[[source]]` entry cannot be used, in a few words; None when it can."""
    if not isinstance(entry, dict):
        return "is not a table of keys"
    unknown = sorted(set(entry) - set(ENTRY_KEYS))
    if unknown:
        return f"unknown key {', '.join(map(repr, unknown))} (known: {', '.join(ENTRY_KEYS)})"
    for key in ("id", "path", "url", "region", "scope", "publisher"):
        if key in entry and not isinstance(entry[key], str):
            return f"{key} must be text in quotes, not {entry[key]!r}"
    if not entry.get("id", "").strip():
        return "needs an id"
    if entry.get("path") is not None and not _inside(raw_dir, entry["path"]):
        return f"path {entry['path']!r} points outside {raw_dir.name}/"
    if "url" in entry:
        problem = _url_problem(entry["url"])
        if problem is not None:
            return problem
    if entry.get("scope") is not None and entry["scope"] not in SCOPES:
        return f"scope must be {' or '.join(map(repr, SCOPES))}, not {entry['scope']!r}"
    published = entry.get("published")
    if published is not None and (not isinstance(published, date) or isinstance(published, datetime)):
        return f"published must be a date (2024-05-01), not {published!r}"
    if published is not None and not _FIRST_YEAR <= published.year <= _LAST_YEAR:
        return f"published {published} is out of range ({_FIRST_YEAR} to {_LAST_YEAR})"
    return None


def _url_problem(url: str) -> str | None:
    if not url.strip():
        return "url is empty"
    try:
        parts = urlsplit(url)
        host = parts.hostname
    except ValueError as e:
        return f"url {url!r} is not a valid URL ({e})"
    if parts.scheme.lower() not in URL_SCHEMES:
        return f"url {url!r}: only {' and '.join(URL_SCHEMES)} URLs are fetched"
    if not host:
        return f"url {url!r} names no host"
    return None


def _inside(raw_dir: Path, relative: str) -> bool:
    root = raw_dir.resolve()
    target = (raw_dir / relative).resolve()
    return target == root or root in target.parents


def discover(raw_dir: Path) -> list[SourceFile]:
    """Every document file under raw_dir to read, in a stable order, with its source id."""
    return find_sources(raw_dir).files


def find_sources(raw_dir: Path, *, document_suffixes: Collection[str] = ()) -> Sources:
    """The files under raw_dir and the entries of sources.toml, each with a distinct source id.

    Hidden files and folders, `sources.toml` and the snapshot store are skipped. An entry's
    id is its own unless an earlier entry has that id or path, or the entry is not valid
    (then it is `Refused`). A file without an entry keeps `source_id()`, its path without
    suffix, unless another file or an entry has that id too: then its id is its path with the
    suffix (`x.pdf`, `x.pptx`).

    Every other path is found too, so that it gets a row saying why it is not read: links to
    nothing or in a loop, FIFOs, sockets and devices, and folders named like a document (a
    suffix in `document_suffixes`). A name that is not valid UTF-8 is kept with \\x escapes in
    its id and `relative`; `path` is the real one.
    """
    valid, invalid = read_source_entries(raw_dir)
    configs, clashes = _first_entries(valid)
    refused_configs = [(c, why, ID_CLASH_ERROR) for c, why in clashes]
    refused_configs += [(c, why, INVALID_ENTRY_ERROR) for c, why in invalid]
    by_path = {PurePosixPath(c.path).as_posix(): c for c in configs if c.path}
    # a refused entry's file, unless a kept entry names the same file, gives the entry's row
    refused_paths = {PurePosixPath(c.path).as_posix() for c, _, _ in refused_configs if c.path} - by_path.keys()
    paths = _found_paths(raw_dir, {suffix.lower() for suffix in document_suffixes})
    relatives = list(paths)
    ids = {relative: by_path[relative].id for relative in relatives if relative in by_path}
    ids.update(file_ids([r for r in relatives if r not in by_path], taken={c.id for c in configs}))
    stems = Counter(source_id(relative) for relative in relatives)
    files = [
        SourceFile(ids[relative], paths[relative], relative, by_path.get(relative),
                   source_id(relative) if stems[source_id(relative)] > 1 else None)
        for relative in relatives if relative not in refused_paths
    ]
    taken = set(ids.values()) | {c.id for c in configs}
    refused = []
    for config, why, error_type in refused_configs:
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
        refused.append(Refused(row_id, config, relative, message, error_type))
    for file in files:
        if file.config is None and file.source_id != source_id(file.relative):
            logger.info("%s: %s shares the id %r with another source, so its id is its path",
                        file.source_id, file.relative, source_id(file.relative))
    return Sources(files, configs, refused)


def _found_paths(raw_dir: Path, document_suffixes: set[str]) -> dict[str, Path]:
    """Relative path (printable) -> path of everything under raw_dir a run accounts for."""
    found = {}
    for path in sorted(raw_dir.rglob("*")):
        parts = path.relative_to(raw_dir).parts
        if path.name == CONFIG_NAME or any(part.startswith((".", "_")) for part in parts):
            continue
        if path.is_dir() and path.suffix.lower() not in document_suffixes:
            continue  # an ordinary folder: its files are found on their own
        found[printable_name(path.relative_to(raw_dir).as_posix())] = path
    return found


def printable_name(name: str) -> str:
    """`name` with the bytes of a non-UTF-8 file name as \\x escapes (`caf\\xe9.pdf`)."""
    return name.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")


def has_undecodable_name(path: Path) -> bool:
    """True when the path holds bytes that are not UTF-8 (kept by Python as surrogates)."""
    return printable_name(str(path)) != str(path)


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
