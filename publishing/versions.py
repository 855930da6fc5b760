"""Immutable dataset versions and the pointer to the newest one: publishing a version, reading
the published ones. A version's manifest is made and checked in manifest.py, its Data Package
descriptor in datapackage.py, the changelog in changelog.py; every file is written as
storage.py writes files.

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

import logging
import os
import shutil
import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Literal

import pandas as pd
import pyarrow as pa

from smartspec.publishing import storage
from smartspec.publishing.changelog import write_changelog
from smartspec.publishing.changes import changes_between, empty_changes
from smartspec.publishing.current import current_priorities
from smartspec.publishing.datapackage import DATAPACKAGE_FILE, SCHEMAS_DIR, datapackage, schema_file
from smartspec.publishing.errors import VersionExists, VersionNotFound
from smartspec.publishing.layout import ALL_TABLE_FILES, LATEST_FILE, LATEST_LINK, TABLE_FILES, THEME_TABLE_FILES
from smartspec.publishing.locks import publish_lock
from smartspec.publishing.manifest import MANIFEST_FILE, VERSION_DIR, build_manifest, complete_manifest, version_dirs
from smartspec.publishing.parquet import FINGERPRINT_FORMAT, fingerprint_tables, parquet_bytes, read_parquet, to_arrow
from smartspec.publishing.reasons import version_reasons
from smartspec.publishing.storage import TEMP_PREFIX, fsync_dir, json_bytes, read_json, remove_leftovers, replace_file, write_file
from smartspec.publishing.themes import ThemeTables, theme_version_tables, themes_fingerprint
from smartspec.schemas.catalogue import pandera_json

logger = logging.getLogger(__name__)

DEFAULT_LOCK_TIMEOUT = 600.0


@dataclass(frozen=True, slots=True)
class PublishResult:
    """`version`/`path` name the new version, or for "unchanged" the newest existing one."""

    status: Literal["published", "unchanged"]
    version: int | None
    path: Path | None
    changes: pd.DataFrame


def _version_names(dataset_dir: Path) -> set[int]:
    """The numbers of every `v<N>` entry, folder or not: a new version takes none of them."""
    return {int(m.group(1)) for path in dataset_dir.iterdir() if (m := VERSION_DIR.match(path.name))}


def _pointer(dataset_dir: Path) -> int | None:
    pointer = read_json(dataset_dir / LATEST_FILE)
    version = pointer.get("version") if pointer else None
    return version if isinstance(version, int) else None


def latest_version(dataset_dir: Path) -> int | None:
    """The version latest.json names, or the highest complete one if that is missing or broken."""
    named = _pointer(dataset_dir)
    if named is not None and complete_manifest(dataset_dir / f"v{named}") is not None:
        return named
    complete = [n for n, path in version_dirs(dataset_dir).items() if complete_manifest(path) is not None]
    fallback = max(complete, default=None)
    if named is not None:
        logger.warning("%s names v%d, which is missing or incomplete; falling back to v%s",
                       dataset_dir / LATEST_FILE, named, fallback)
    elif fallback is not None:
        logger.warning("%s is missing or unreadable; falling back to v%d", dataset_dir / LATEST_FILE, fallback)
    return fallback


def _complete_version(dataset_dir: Path, version: int | None) -> Path:
    number = latest_version(dataset_dir) if version is None else version
    if number is None:
        raise VersionNotFound(f"{dataset_dir} has no published version")
    path = dataset_dir / f"v{number}"
    if complete_manifest(path) is None:
        raise VersionNotFound(f"{path} is missing or incomplete")
    return path


def read_manifest(dataset_dir: Path, version: int | None = None) -> dict[str, Any]:
    """manifest.json of `version` (default: the latest); VersionNotFound if it is missing or incomplete."""
    manifest = complete_manifest(_complete_version(dataset_dir, version))
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
    path = _complete_version(dataset_dir, version) / ALL_TABLE_FILES[table]
    if not path.is_file():
        raise VersionNotFound(f"{path.parent} has no {table} table: it was published before the table existed")
    return read_parquet(path, table)


def _write_latest(dataset_dir: Path, version: int, created_at: str) -> None:
    """Point latest.json, then the `latest` link, at `version`."""
    pointer = {"version": version, "path": f"v{version}", "created_at": created_at}
    replace_file(dataset_dir / LATEST_FILE, json_bytes(pointer), "pointer-temp-written")
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
    fsync_dir(dataset_dir)


def _roll_forward(dataset_dir: Path) -> None:
    """Point latest.json at a complete version newer than the one it names.

    Such a version was renamed into place (committed) by a run that was killed before it
    could update latest.json. Only call under the lock.
    """
    named = _pointer(dataset_dir)
    complete = [n for n, path in version_dirs(dataset_dir).items() if complete_manifest(path) is not None]
    newest = max(complete, default=None)
    if newest is None or (named is not None and newest <= named):
        return
    manifest = complete_manifest(dataset_dir / f"v{newest}")
    assert manifest is not None
    logger.warning("v%d was written by a run that stopped before updating %s; pointing %s at it",
                   newest, LATEST_FILE, LATEST_FILE)
    _write_latest(dataset_dir, newest, manifest["created_at"])


def _write_version(temp: Path, arrow: dict[str, Any], manifest: dict[str, Any], dataset_dir: Path) -> None:
    """Every file of the version into `temp`, fsynced; fills `manifest["files"]` and row counts."""
    files: dict[str, dict[str, Any]] = {}
    tables = {table: name for table, name in ALL_TABLE_FILES.items() if table in arrow}
    for table, name in tables.items():
        files[name] = write_file(temp / name, parquet_bytes(arrow[table]))
    (temp / SCHEMAS_DIR).mkdir()
    for table in tables:
        files[schema_file(table)] = write_file(temp / schema_file(table), pandera_json(table).encode("utf-8"))
    storage.reached("temp-written")
    package = datapackage(dataset_dir, manifest["version"], manifest["created_at"], files, tables)
    files[DATAPACKAGE_FILE] = write_file(temp / DATAPACKAGE_FILE, json_bytes(package))
    manifest["row_counts"] = {table: arrow[table].num_rows for table in tables}
    manifest["files"] = files
    write_file(temp / MANIFEST_FILE, json_bytes(manifest))
    fsync_dir(temp / SCHEMAS_DIR)
    fsync_dir(temp)


def _fingerprint(tables: Mapping[str, pa.Table], taxonomy_sha256: str | None) -> str:
    """The data fingerprint of a version's priorities, sources and (with a taxonomy) themes."""
    fingerprint = fingerprint_tables(tables["priorities"], tables["sources"])
    if taxonomy_sha256 is None or "themes" not in tables:
        return fingerprint
    return themes_fingerprint(fingerprint, tables["themes"], taxonomy_sha256)


def _read_arrow(version_dir: Path, table: str) -> pa.Table:
    """A published table as `to_arrow` gives it, whichever columns its version was written with."""
    return to_arrow(read_parquet(version_dir / ALL_TABLE_FILES[table], table), table)


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
        remove_leftovers(dataset_dir)
        _roll_forward(dataset_dir)
        previous = latest_version(dataset_dir)
        previous_manifest = complete_manifest(dataset_dir / f"v{previous}") if previous is not None else None
        if previous_manifest is not None and _published_fingerprint(dataset_dir / f"v{previous}",
                                                                    previous_manifest) == fingerprint:
            if _pointer(dataset_dir) != previous:
                _write_latest(dataset_dir, previous, previous_manifest["created_at"])
            write_changelog(dataset_dir)
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
        manifest = build_manifest(dataset_dir, version, previous, created_at, code_version, fingerprint, inputs, {}, {})
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
            storage.reached("before-rename")
            os.rename(temp, target)
        finally:
            if temp.exists():
                shutil.rmtree(temp)
        fsync_dir(dataset_dir)
        storage.reached("renamed")
        _write_latest(dataset_dir, version, created_at)
        storage.reached("pointer-written")
        write_changelog(dataset_dir)
    logger.info("published %s: %s", target, manifest["row_counts"])
    return PublishResult("published", version, target, changes)
