"""Immutable dataset versions, the pointer to the newest one and the changelog.

    <dataset_dir>/v<N>/priorities.parquet, sources.parquet, changes.parquet, current.parquet,
                       [themes.parquet, partners.parquet, theme_changes.parquet,]
                       schemas/<table>.pandera.json, datapackage.json, manifest.json
    <dataset_dir>/latest.json      {"version": N, "path": "v<N>", "created_at": ...}
    <dataset_dir>/CHANGELOG.md     every version's changes, newest first (changelog.py)
    <dataset_dir>/.lock            held while a run decides N and writes (locks.py)
    <dataset_dir>/failures/<ts>/   failure cases of a run that did not validate (tables.py)

A version is written into `.tmp-<uuid>/`, fsynced and renamed to `v<N>` in one step, and
is never touched again. When the data fingerprint equals the newest version's, nothing is
written ("unchanged"): a new timestamp or code version alone is no new version. `current`
is derived from `priorities` and `sources`, so it is not part of the fingerprint. A version
published with theme tags (`themes=`) has three tables more (publishing/themes.py); its
fingerprint covers the tags and the taxonomy too, while `partners`, derived from the tags
and `current`, is not part of it.

Surviving kill -9: the steps are (1) write and fsync every file in the temp dir, (2) rename
it to `v<N>`, the commit point, (3) replace latest.json, (4) replace CHANGELOG.md. Killed
before (2), the run leaves a temp dir that the next publish removes; killed after it, a
complete version latest.json may not name yet: the next publish points latest.json at it
first ("roll forward") and, like every publish, rewrites the changelog from the versions.
Readers only ever see complete versions: `latest_version()` checks the manifest's files.

Reordering priorities changes their `position`, which is published data, so it makes a
new version; its `changes.parquet` has zero rows because no priority was added or removed.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import re
import shutil
import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Literal

import pandas as pd
import pyarrow as pa

from smartspec.publishing.changelog import CHANGELOG_FILE, VersionChanges, render_changelog
from smartspec.publishing.changes import changes_between, empty_changes
from smartspec.publishing.current import current_priorities
from smartspec.publishing.errors import VersionExists, VersionNotFound
from smartspec.publishing.layout import LATEST_FILE, LATEST_LINK
from smartspec.publishing.locks import publish_lock
from smartspec.publishing.parquet import (
    ARROW_SCHEMAS,
    FINGERPRINT_FORMAT,
    fingerprint_tables,
    parquet_bytes,
    read_parquet,
    to_arrow,
)
from smartspec.publishing.reasons import version_reasons
from smartspec.publishing.themes import ThemeTables, theme_version_tables, themes_fingerprint
from smartspec.schemas.catalogue import json_schemas, pandera_json
from smartspec.schemas.changes import ChangeSchema

logger = logging.getLogger(__name__)

MANIFEST_FILE = "manifest.json"
# Frictionless Data Package descriptor of the same version: resources, hashes, table schemas.
DATAPACKAGE_FILE = "datapackage.json"
TEMP_PREFIX = ".tmp-"
TABLE_FILES = {
    "priorities": "priorities.parquet", "sources": "sources.parquet", "changes": "changes.parquet",
    "current": "current.parquet",
}
# Tables of a version published with its theme tags (publish(..., themes=...)): the tags, the
# partners derived from them and `current`, and the tags changed since the previous version.
THEME_TABLE_FILES = {
    "themes": "themes.parquet", "partners": "partners.parquet", "theme_changes": "theme_changes.parquet",
}
_ALL_TABLE_FILES = {**TABLE_FILES, **THEME_TABLE_FILES}
# Each table's Pandera schema, in Pandera's JSON format, beside the data it describes.
SCHEMAS_DIR = "schemas"
DEFAULT_LOCK_TIMEOUT = 600.0
_VERSION_DIR = re.compile(r"^v([1-9][0-9]*)$")
# Table Schema field type of each Arrow type id the published tables use.
_TABLE_SCHEMA_TYPES = {"int32": "integer", "int64": "integer", "double": "number", "string": "string",
                       "bool": "boolean", "date32[day]": "date"}
# Named points inside publish(), in order. `_reached()` does nothing; the kill tests replace
# it in a child process to stop a publish at each point with SIGKILL.
CHECKPOINTS = (
    "temp-written", "before-rename", "renamed", "pointer-temp-written", "pointer-written",
    "changelog-temp-written",
)


def _reached(checkpoint: str) -> None:
    """publish() has got to `checkpoint` (one of CHECKPOINTS). A seam for the kill tests."""


@dataclass(frozen=True, slots=True)
class PublishResult:
    """`version`/`path` name the new version, or for "unchanged" the newest existing one."""

    status: Literal["published", "unchanged"]
    version: int | None
    path: Path | None
    changes: pd.DataFrame


@dataclass(frozen=True, slots=True)
class VersionInfo:
    version: int
    created_at: datetime
    priorities: int  # row counts
    sources: int
    changes: int
    path: Path


def _version_dirs(dataset_dir: Path) -> dict[int, Path]:
    if not dataset_dir.is_dir():
        return {}
    found = {}
    for path in dataset_dir.iterdir():
        match = _VERSION_DIR.match(path.name)
        if match and path.is_dir():
            found[int(match.group(1))] = path
    return found


def _version_names(dataset_dir: Path) -> set[int]:
    """The numbers of every `v<N>` entry, folder or not: a new version takes none of them."""
    return {int(m.group(1)) for path in dataset_dir.iterdir() if (m := _VERSION_DIR.match(path.name))}


def _read_json(path: Path) -> dict[str, Any] | None:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return data if isinstance(data, dict) else None


def _complete_manifest(version_dir: Path) -> dict[str, Any] | None:
    """The manifest of a version whose files are all there at their recorded size, else None."""
    manifest = _read_json(version_dir / MANIFEST_FILE)
    if manifest is None or not isinstance(manifest.get("files"), dict):
        return None
    for name, described in manifest["files"].items():
        path = version_dir / name
        if not path.is_file() or path.stat().st_size != described.get("bytes"):
            return None
    return manifest


def _pointer(dataset_dir: Path) -> int | None:
    pointer = _read_json(dataset_dir / LATEST_FILE)
    version = pointer.get("version") if pointer else None
    return version if isinstance(version, int) else None


def latest_version(dataset_dir: Path) -> int | None:
    """The version latest.json names, or the highest complete one if that is missing or broken."""
    named = _pointer(dataset_dir)
    if named is not None and _complete_manifest(dataset_dir / f"v{named}") is not None:
        return named
    complete = [n for n, path in _version_dirs(dataset_dir).items() if _complete_manifest(path) is not None]
    fallback = max(complete, default=None)
    if named is not None:
        logger.warning("%s names v%d, which is missing or incomplete; falling back to v%s",
                       dataset_dir / LATEST_FILE, named, fallback)
    elif fallback is not None:
        logger.warning("%s is missing or unreadable; falling back to v%d", dataset_dir / LATEST_FILE, fallback)
    return fallback


def list_versions(dataset_dir: Path) -> list[VersionInfo]:
    """Every complete version, oldest first. Temp dirs and broken versions are skipped."""
    versions = []
    for number, path in sorted(_version_dirs(dataset_dir).items()):
        manifest = _complete_manifest(path)
        if manifest is None:
            logger.warning("skipping incomplete version %s", path)
            continue
        counts = manifest["row_counts"]
        versions.append(VersionInfo(
            version=number, created_at=datetime.fromisoformat(manifest["created_at"]),
            priorities=counts["priorities"], sources=counts["sources"], changes=counts["changes"], path=path,
        ))
    return versions


def _complete_version(dataset_dir: Path, version: int | None) -> Path:
    number = latest_version(dataset_dir) if version is None else version
    if number is None:
        raise VersionNotFound(f"{dataset_dir} has no published version")
    path = dataset_dir / f"v{number}"
    if _complete_manifest(path) is None:
        raise VersionNotFound(f"{path} is missing or incomplete")
    return path


def read_manifest(dataset_dir: Path, version: int | None = None) -> dict[str, Any]:
    """manifest.json of `version` (default: the latest); VersionNotFound if it is missing or incomplete."""
    manifest = _complete_manifest(_complete_version(dataset_dir, version))
    if manifest is None:  # removed between the two reads
        raise VersionNotFound(f"{dataset_dir / f'v{version}'} is missing or incomplete")
    return manifest


def read_version(dataset_dir: Path, version: int | None = None) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """(priorities, sources, changes) of `version` (default: the latest), typed as `tables` makes them."""
    path = _complete_version(dataset_dir, version)
    priorities, sources, changes = (
        read_parquet(path / TABLE_FILES[table], table) for table in ("priorities", "sources", "changes")
    )
    return priorities, sources, changes


def read_table(dataset_dir: Path, table: str, version: int | None = None) -> pd.DataFrame:
    """One table ("priorities", "sources", "changes", "current", "themes", "partners",
    "theme_changes") of `version` (default: the latest)."""
    path = _complete_version(dataset_dir, version) / _ALL_TABLE_FILES[table]
    if not path.is_file():
        raise VersionNotFound(f"{path.parent} has no {table} table: it was published before the table existed")
    return read_parquet(path, table)


def _fsync_dir(path: Path) -> None:
    if os.name != "posix":  # Windows cannot open a directory to fsync it
        return
    descriptor = os.open(path, os.O_RDONLY)
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)


def _write_file(path: Path, data: bytes) -> dict[str, Any]:
    try:
        with open(path, "xb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
    except OSError as e:
        if e.filename is None:  # a failed write (a full disk) names no file by itself
            raise OSError(e.errno, e.strerror, str(path)) from e
        raise
    return {"bytes": len(data), "sha256": hashlib.sha256(data).hexdigest()}


def _json_bytes(data: Mapping[str, Any]) -> bytes:
    return (json.dumps(data, indent=2, ensure_ascii=False) + "\n").encode("utf-8")


def _replace_file(target: Path, data: bytes, checkpoint: str) -> None:
    """Write `data` to a temp file beside `target`, fsync it, then replace `target` in one step."""
    temp = target.parent / f"{TEMP_PREFIX}{uuid.uuid4().hex}{target.suffix}"
    try:
        _write_file(temp, data)
        _reached(checkpoint)
        os.replace(temp, target)
    finally:
        temp.unlink(missing_ok=True)
    _fsync_dir(target.parent)


def _write_latest(dataset_dir: Path, version: int, created_at: str) -> None:
    """Point latest.json, then the `latest` link, at `version`."""
    pointer = {"version": version, "path": f"v{version}", "created_at": created_at}
    _replace_file(dataset_dir / LATEST_FILE, _json_bytes(pointer), "pointer-temp-written")
    _link_latest(dataset_dir, version)


def _link_latest(dataset_dir: Path, version: int) -> None:
    """Swap the symbolic link `latest` -> `v<version>` in one step (a new link renamed over the
    old), so that one path (`latest/priorities.parquet`) always reads a complete version.
    latest.json stays the record; a `latest` that is not a link is left alone, with a warning."""
    link = dataset_dir / LATEST_LINK
    if link.exists() and not link.is_symlink():
        logger.warning("%s is not a link; not pointing it at v%d (latest.json does)", link, version)
        return
    temp = dataset_dir / f"{TEMP_PREFIX}{uuid.uuid4().hex}"
    try:
        os.symlink(f"v{version}", temp, target_is_directory=True)
        os.replace(temp, link)
    finally:
        if temp.is_symlink():
            temp.unlink()
    _fsync_dir(dataset_dir)


def _roll_forward(dataset_dir: Path) -> None:
    """Point latest.json at a complete version newer than the one it names.

    Such a version was renamed into place (committed) by a run that was killed before it
    could update latest.json. Only call under the lock.
    """
    named = _pointer(dataset_dir)
    complete = [n for n, path in _version_dirs(dataset_dir).items() if _complete_manifest(path) is not None]
    newest = max(complete, default=None)
    if newest is None or (named is not None and newest <= named):
        return
    manifest = _complete_manifest(dataset_dir / f"v{newest}")
    assert manifest is not None
    logger.warning("v%d was written by a run that stopped before updating %s; pointing %s at it",
                   newest, LATEST_FILE, LATEST_FILE)
    _write_latest(dataset_dir, newest, manifest["created_at"])


def _changelog_entries(dataset_dir: Path) -> list[VersionChanges]:
    entries, earlier, taxonomies = [], [], {}
    for info in list_versions(dataset_dir):
        manifest = _complete_manifest(info.path) or {}
        changes = read_parquet(info.path / TABLE_FILES["changes"], "changes")
        # manifests written before "previous_version" was recorded: the changes say, else the version before
        stated = changes[ChangeSchema.previous_version].dropna()
        fallback = int(stated.iloc[0]) if not stated.empty else max(earlier, default=None)
        previous = manifest.get("previous_version", fallback)
        theme_changes = info.path / THEME_TABLE_FILES["theme_changes"]
        taxonomies[info.version] = manifest.get("taxonomy")
        entries.append(VersionChanges(
            info.version, info.created_at, previous, manifest.get("row_counts", {}), changes,
            reasons=tuple(manifest.get("reasons", ())),
            theme_changes=read_parquet(theme_changes, "theme_changes") if theme_changes.is_file() else None,
            taxonomy=taxonomies[info.version], previous_taxonomy=taxonomies.get(previous),
        ))
        earlier.append(info.version)
    return entries


def _write_changelog(dataset_dir: Path) -> None:
    """Rewrite CHANGELOG.md from the complete versions, if it says anything else. Only call under the lock."""
    text = render_changelog(dataset_dir.name, _changelog_entries(dataset_dir))
    target = dataset_dir / CHANGELOG_FILE
    try:
        if target.read_text(encoding="utf-8") == text:
            return
    except (OSError, UnicodeDecodeError):
        pass  # missing or unreadable: write it
    _replace_file(target, text.encode("utf-8"), "changelog-temp-written")


def _remove_leftovers(dataset_dir: Path) -> None:
    """Remove temp files of killed runs. Only call under the lock: then no run is writing."""
    for path in dataset_dir.glob(f"{TEMP_PREFIX}*"):
        logger.info("removing leftover %s of an interrupted publish", path)
        if path.is_dir():
            shutil.rmtree(path)
        else:
            path.unlink(missing_ok=True)


def _manifest(
    dataset_dir: Path, version: int, previous: int | None, created_at: str, code_version: str, fingerprint: str,
    inputs: Mapping[str, str], counts: dict[str, int], files: dict[str, dict[str, Any]],
) -> dict[str, Any]:
    return {
        "name": dataset_dir.name, "version": version, "previous_version": previous, "created_at": created_at,
        "code_version": code_version, "data_fingerprint": fingerprint, "fingerprint_format": FINGERPRINT_FORMAT,
        "inputs": dict(sorted(inputs.items())),
        "row_counts": counts, "files": files,
    }


def _table_schema(table: str, described: dict[str, Any]) -> dict[str, Any]:
    """The Table Schema of a published table: constraints from Pandera, field types from the Parquet file.

    Written so that `frictionless validate datapackage.json` checks the Parquet files as they
    are: frictionless reads Parquet through pandas, where a null number arrives as NaN (so a
    nullable number field counts "nan" as missing) and a list as a NumPy array, which its
    `array` type rejects (so a list field is `any`, its Parquet type in `description`).
    """
    arrow = ARROW_SCHEMAS[table]
    fields = []
    for field in described["fields"]:
        arrow_type = str(arrow.field(field["name"]).type)
        extra: dict[str, Any] = {}
        if arrow_type.startswith("timestamp"):
            kind = "datetime"
        elif arrow_type.startswith("list"):  # shared_codes, evidence
            kind, extra = "any", {"description": f"Parquet {arrow_type}"}
        else:
            kind = _TABLE_SCHEMA_TYPES.get(arrow_type, "object")
        if kind in ("integer", "number") and not field["constraints"]["required"]:
            extra["missingValues"] = ["", "nan"]
        fields.append({**field, "type": kind, **extra})
    return {**described, "fields": fields}


def _datapackage(
    dataset_dir: Path, version: int, created_at: str, files: dict[str, dict[str, Any]], tables: dict[str, str],
) -> dict[str, Any]:
    """A Frictionless Data Package descriptor: each table's path, size, hash and schema."""
    schemas = json_schemas()
    resources = [
        {
            "name": table, "path": name, "format": "parquet", "mediatype": "application/vnd.apache.parquet",
            # no "bytes": frictionless counts no bytes of a Parquet file it reads, and would
            # report every resource; manifest.json has each file's size
            "hash": f"sha256:{files[name]['sha256']}",
            "schema": _table_schema(table, schemas[table]),
            "arrow_schema": {field.name: str(field.type) for field in ARROW_SCHEMAS[table]},
            "pandera_schema": _schema_file(table),
        }
        for table, name in tables.items()
    ]
    return {
        "profile": "data-package", "name": dataset_dir.name.lower(), "version": str(version),
        "created": created_at, "resources": resources,
    }


def _schema_file(table: str) -> str:
    return f"{SCHEMAS_DIR}/{table}.pandera.json"


def _write_version(temp: Path, arrow: dict[str, Any], manifest: dict[str, Any], dataset_dir: Path) -> None:
    """Every file of the version into `temp`, fsynced; fills `manifest["files"]` and row counts."""
    files: dict[str, dict[str, Any]] = {}
    tables = {table: name for table, name in _ALL_TABLE_FILES.items() if table in arrow}
    for table, name in tables.items():
        files[name] = _write_file(temp / name, parquet_bytes(arrow[table]))
    (temp / SCHEMAS_DIR).mkdir()
    for table in tables:
        files[_schema_file(table)] = _write_file(temp / _schema_file(table), pandera_json(table).encode("utf-8"))
    _reached("temp-written")
    package = _datapackage(dataset_dir, manifest["version"], manifest["created_at"], files, tables)
    files[DATAPACKAGE_FILE] = _write_file(temp / DATAPACKAGE_FILE, _json_bytes(package))
    manifest["row_counts"] = {table: arrow[table].num_rows for table in tables}
    manifest["files"] = files
    _write_file(temp / MANIFEST_FILE, _json_bytes(manifest))
    _fsync_dir(temp / SCHEMAS_DIR)
    _fsync_dir(temp)


def _fingerprint(tables: Mapping[str, pa.Table], taxonomy_sha256: str | None) -> str:
    """The data fingerprint of a version's priorities, sources and (with a taxonomy) themes."""
    fingerprint = fingerprint_tables(tables["priorities"], tables["sources"])
    if taxonomy_sha256 is None or "themes" not in tables:
        return fingerprint
    return themes_fingerprint(fingerprint, tables["themes"], taxonomy_sha256)


def _read_arrow(version_dir: Path, table: str) -> pa.Table:
    """A published table as `to_arrow` gives it, whichever columns its version was written with."""
    return to_arrow(read_parquet(version_dir / _ALL_TABLE_FILES[table], table), table)


def _published_fingerprint(version_dir: Path, manifest: dict[str, Any]) -> str | None:
    """The version's data fingerprint in today's format: the manifest's, or, for a version
    fingerprinted in another format, computed again from its files."""
    if manifest.get("fingerprint_format") == FINGERPRINT_FORMAT:
        return manifest.get("data_fingerprint")
    taxonomy = (manifest.get("taxonomy") or {}).get("sha256")
    names = ["priorities", "sources", *(["themes"] if (version_dir / THEME_TABLE_FILES["themes"]).is_file() else [])]
    return _fingerprint({name: _read_arrow(version_dir, name) for name in names}, taxonomy)


def publish(
    priorities: pd.DataFrame,
    sources: pd.DataFrame,
    dataset_dir: Path,
    *,
    code_version: str,
    inputs: Mapping[str, str],
    now: datetime | None = None,
    lock_timeout: float = DEFAULT_LOCK_TIMEOUT,
    themes: ThemeTables | None = None,
) -> PublishResult:
    """Write validated tables as the next version, unless the data equals the latest one.

    `inputs` maps source_id -> sha256 of the raw file. Raises `PublishLocked` when another
    run holds the lock past `lock_timeout` seconds and `VersionExists` rather than overwrite.
    CHANGELOG.md is rewritten from the versions on every call, "unchanged" ones included.
    With `themes` (the priorities' validated tags and their taxonomy) the version also has
    themes, partners and theme_changes, its manifest names the taxonomy, and the tags and the
    taxonomy are part of the data: another taxonomy makes another version.
    """
    if now is not None and now.tzinfo is None:
        raise ValueError("now must be timezone-aware")
    created_at = (now or datetime.now(UTC)).astimezone(UTC).isoformat(timespec="microseconds")
    arrow = {"priorities": to_arrow(priorities, "priorities"), "sources": to_arrow(sources, "sources")}
    if themes is not None:
        arrow["themes"] = to_arrow(themes.themes, "themes")
    fingerprint = _fingerprint(arrow, themes.taxonomy.sha256 if themes is not None else None)
    dataset_dir.mkdir(parents=True, exist_ok=True)
    with publish_lock(dataset_dir, lock_timeout):
        _remove_leftovers(dataset_dir)
        _roll_forward(dataset_dir)
        previous = latest_version(dataset_dir)
        previous_manifest = _complete_manifest(dataset_dir / f"v{previous}") if previous is not None else None
        if previous_manifest is not None and _published_fingerprint(dataset_dir / f"v{previous}",
                                                                    previous_manifest) == fingerprint:
            if _pointer(dataset_dir) != previous:
                _write_latest(dataset_dir, previous, previous_manifest["created_at"])
            _write_changelog(dataset_dir)
            logger.info("data unchanged since v%d (%s); nothing published", previous, fingerprint[:12])
            return PublishResult("unchanged", previous, dataset_dir / f"v{previous}", empty_changes())

        version = max([*_version_names(dataset_dir), _pointer(dataset_dir) or 0], default=0) + 1
        before = None
        if previous is not None:
            before = read_parquet(dataset_dir / f"v{previous}" / TABLE_FILES["priorities"], "priorities")
        changes = changes_between(before, priorities, version=version, previous_version=previous)
        arrow["changes"] = to_arrow(changes, "changes")
        current = current_priorities(priorities, sources)
        arrow["current"] = to_arrow(current, "current")
        manifest = _manifest(dataset_dir, version, previous, created_at, code_version, fingerprint, inputs, {}, {})
        if themes is not None:
            previous_themes = dataset_dir / f"v{previous}" / THEME_TABLE_FILES["themes"] if previous else None
            tables, described = theme_version_tables(
                themes, priorities, current, before, previous_themes, version=version, previous_version=previous)
            arrow.update(tables)
            manifest.update(described)
        manifest["reasons"] = version_reasons(
            None if previous is None else (before, _read_arrow(dataset_dir / f"v{previous}", "sources")),
            (priorities, arrow["sources"]),
            taxonomy_before=(previous_manifest or {}).get("taxonomy"), taxonomy_after=manifest.get("taxonomy"),
            tags_changed="theme_changes" in arrow and arrow["theme_changes"].num_rows > 0,
        )
        target = dataset_dir / f"v{version}"
        temp = dataset_dir / f"{TEMP_PREFIX}{uuid.uuid4().hex}"
        temp.mkdir()
        try:
            _write_version(temp, arrow, manifest, dataset_dir)
            if target.exists():
                raise VersionExists(f"{target} already exists; versions are never overwritten")
            _reached("before-rename")
            os.rename(temp, target)
        finally:
            if temp.exists():
                shutil.rmtree(temp)
        _fsync_dir(dataset_dir)
        _reached("renamed")
        _write_latest(dataset_dir, version, created_at)
        _reached("pointer-written")
        _write_changelog(dataset_dir)
    logger.info("published %s: %s", target, manifest["row_counts"])
    return PublishResult("published", version, target, changes)
