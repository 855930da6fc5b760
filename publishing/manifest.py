"""A version's `manifest.json`: what it records (version, previous version, times, code version,
input sha256s, data fingerprint, row counts, every file's bytes and sha256), and what makes a
version exist for readers: it is complete when every file its manifest lists is there at its
recorded size. `list_versions()` gives a dataset's complete versions.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from smartspec.publishing.parquet import FINGERPRINT_FORMAT
from smartspec.publishing.storage import read_json

logger = logging.getLogger(__name__)

MANIFEST_FILE = "manifest.json"
VERSION_DIR = re.compile(r"^v([1-9][0-9]*)$")


def version_dirs(dataset_dir: Path) -> dict[int, Path]:
    if not dataset_dir.is_dir():
        return {}
    found = {}
    for path in dataset_dir.iterdir():
        match = VERSION_DIR.match(path.name)
        if match and path.is_dir():
            found[int(match.group(1))] = path
    return found


def complete_manifest(version_dir: Path) -> dict[str, Any] | None:
    """The manifest of a version whose files are all there at their recorded size, else None."""
    manifest = read_json(version_dir / MANIFEST_FILE)
    if manifest is None or not isinstance(manifest.get("files"), dict):
        return None
    for name, described in manifest["files"].items():
        path = version_dir / name
        if not path.is_file() or path.stat().st_size != described.get("bytes"):
            return None
    return manifest


@dataclass(frozen=True, slots=True)
class VersionInfo:
    """A complete version, as `smartspec versions` lists it."""

    version: int
    created_at: datetime
    priorities: int  # row counts
    sources: int
    changes: int
    path: Path


def list_versions(dataset_dir: Path) -> list[VersionInfo]:
    """Every complete version, oldest first. Temp dirs and broken versions are skipped."""
    versions = []
    for number, path in sorted(version_dirs(dataset_dir).items()):
        manifest = complete_manifest(path)
        if manifest is None:
            logger.warning("skipping incomplete version %s", path)
            continue
        counts = manifest["row_counts"]
        versions.append(VersionInfo(
            version=number, created_at=datetime.fromisoformat(manifest["created_at"]),
            priorities=counts["priorities"], sources=counts["sources"], changes=counts["changes"], path=path,
        ))
    return versions


def build_manifest(
    dataset_dir: Path, version: int, previous: int | None, created_at: str, code_version: str, fingerprint: str,
    inputs: Mapping[str, str], counts: dict[str, int], files: dict[str, dict[str, Any]],
) -> dict[str, Any]:
    return {
        "name": dataset_dir.name, "version": version, "previous_version": previous, "created_at": created_at,
        "code_version": code_version, "data_fingerprint": fingerprint, "fingerprint_format": FINGERPRINT_FORMAT,
        "inputs": dict(sorted(inputs.items())),
        "row_counts": counts, "files": files,
    }
