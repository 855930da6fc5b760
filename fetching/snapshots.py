"""The snapshot store: every fetched version of a remote source, kept and never overwritten.

Layout, one folder per source under `raw/_snapshots/` (a folder `discover()` skips):

    raw/_snapshots/<source_id>/
        20240501T101500123456Z-3f2a9c0d1e4b.pdf        the bytes as fetched, read-only
        20240501T101500123456Z-3f2a9c0d1e4b.pdf.json   sidecar: url, final_url, fetched_at, etag, ...
        state.json                                     the last attempt and the current snapshot
        .lock                                          held while a fetch writes here

A snapshot exists once its sidecar exists: the data file is written first, then the sidecar,
both by temp file and rename. `state.json` is the only file that is rewritten (atomically).
"""

from __future__ import annotations

import json
import logging
import os
import re
import tempfile
from dataclasses import asdict, dataclass, replace
from datetime import UTC, datetime
from pathlib import Path, PurePosixPath

logger = logging.getLogger(__name__)

SNAPSHOTS_DIRNAME = "_snapshots"
STATE_NAME = "state.json"
LOCK_NAME = ".lock"
SIDECAR_SUFFIX = ".json"
_STAMP = "%Y%m%dT%H%M%S%fZ"
_SHA_CHARS = 12
_NAME = re.compile(r"^(?P<stamp>\d{8}T\d{12}Z)-(?P<sha>[0-9a-f]{12})(?P<suffix>\.[a-z0-9]+)?$")
_READ_ONLY = 0o444


@dataclass(frozen=True, slots=True)
class Snapshot:
    """One stored version of a source, as its sidecar describes it."""

    path: Path
    source_id: str
    url: str
    final_url: str
    fetched_at: datetime
    etag: str | None
    last_modified: str | None
    sha256: str
    bytes: int
    content_type: str | None
    http_status: int


@dataclass(frozen=True, slots=True)
class FetchState:
    """`state.json`: the last attempt to fetch a source, and which snapshot is current."""

    source_id: str
    url: str
    attempted_at: datetime
    ok: bool
    status: str
    http_status: int | None
    error: str | None
    last_success_at: datetime | None
    current: str | None  # file name of the current snapshot in the source's folder
    etag: str | None  # validators to send next time; they may be newer than the sidecar's
    last_modified: str | None


def snapshots_root(raw_dir: Path) -> Path:
    """The folder holding every source's snapshots: `raw/_snapshots`."""
    return raw_dir / SNAPSHOTS_DIRNAME


def snapshot_dir_for(raw_dir: Path, source_id: str) -> Path:
    """The folder of one source's snapshots: `raw/_snapshots/<source_id>`."""
    return source_dir(snapshots_root(raw_dir), source_id)


def source_dir(snapshots_dir: Path, source_id: str) -> Path:
    """`<snapshots_dir>/<source_id>`; refuses ids that would leave the store or hide the folder."""
    parts = PurePosixPath(source_id).parts
    if (
        not source_id
        or "\\" in source_id
        or PurePosixPath(source_id).is_absolute()
        or any(part in ("", ".", "..") or part.startswith(".") for part in parts)
    ):
        raise ValueError(f"source id {source_id!r} cannot name a snapshot folder")
    return snapshots_dir.joinpath(*parts)


def snapshot_name(fetched_at: datetime, sha256: str, suffix: str) -> str:
    """`<fetched_at as YYYYmmddTHHMMSSffffffZ>-<sha256[:12]><suffix>`."""
    return f"{fetched_at.astimezone(UTC).strftime(_STAMP)}-{sha256[:_SHA_CHARS]}{suffix}"


def sidecar_path(snapshot_path: Path) -> Path:
    return snapshot_path.with_name(snapshot_path.name + SIDECAR_SUFFIX)


def list_snapshots(snapshots_dir: Path, source_id: str) -> list[Path]:
    """A source's snapshot files, oldest first (names start with the fetch time)."""
    folder = source_dir(snapshots_dir, source_id)
    if not folder.is_dir():
        return []
    return sorted(
        path for path in folder.iterdir()
        if _NAME.match(path.name) and path.is_file() and sidecar_path(path).is_file()
    )


def current_snapshot(snapshots_dir: Path, source_id: str) -> Path | None:
    """The snapshot to read: the one `state.json` names, else the newest, else None."""
    folder = source_dir(snapshots_dir, source_id)
    state = read_state(snapshots_dir, source_id)
    if state is not None and state.current:
        path = folder / state.current
        if _NAME.match(path.name) and path.is_file() and sidecar_path(path).is_file():
            return path
        logger.warning("%s: state.json names %s, which is not in %s", source_id, state.current, folder)
    snapshots = list_snapshots(snapshots_dir, source_id)
    return snapshots[-1] if snapshots else None


def load_snapshot(path: Path) -> Snapshot:
    """A snapshot's sidecar, read into a `Snapshot`."""
    data = json.loads(sidecar_path(path).read_text(encoding="utf-8"))
    return Snapshot(
        path=path,
        source_id=data["source_id"],
        url=data["url"],
        final_url=data["final_url"],
        fetched_at=datetime.fromisoformat(data["fetched_at"]),
        etag=data.get("etag"),
        last_modified=data.get("last_modified"),
        sha256=data["sha256"],
        bytes=data["bytes"],
        content_type=data.get("content_type"),
        http_status=data["http_status"],
    )


def find_by_sha256(snapshots_dir: Path, source_id: str, sha256: str) -> Path | None:
    """A stored snapshot with exactly these bytes, if there is one."""
    for path in list_snapshots(snapshots_dir, source_id):
        if _NAME.match(path.name)["sha"] == sha256[:_SHA_CHARS] and load_snapshot(path).sha256 == sha256:
            return path
    return None


def store_snapshot(temp_path: Path, snapshot: Snapshot) -> Path:
    """Move a downloaded temp file to `snapshot.path` and write its sidecar; never overwrite.

    The caller holds the source's lock and made `temp_path` in the same folder.
    """
    if snapshot.path.exists() or sidecar_path(snapshot.path).exists():
        raise FileExistsError(f"snapshot {snapshot.path} already exists; snapshots are never overwritten")
    os.chmod(temp_path, _READ_ONLY)
    os.replace(temp_path, snapshot.path)
    record = asdict(snapshot)
    del record["path"]
    _write_json_atomic(sidecar_path(snapshot.path), record, mode=_READ_ONLY)
    return snapshot.path


def read_state(snapshots_dir: Path, source_id: str) -> FetchState | None:
    """`state.json` of a source; None when there is none or it cannot be read."""
    path = source_dir(snapshots_dir, source_id) / STATE_NAME
    if not path.is_file():
        return None
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        return FetchState(
            source_id=data["source_id"],
            url=data["url"],
            attempted_at=datetime.fromisoformat(data["attempted_at"]),
            ok=data["ok"],
            status=data["status"],
            http_status=data.get("http_status"),
            error=data.get("error"),
            last_success_at=_parse_time(data.get("last_success_at")),
            current=data.get("current"),
            etag=data.get("etag"),
            last_modified=data.get("last_modified"),
        )
    except (ValueError, KeyError, TypeError) as e:
        # Our own file, written atomically: unreadable means a hand edit. Start from the
        # snapshots themselves rather than refuse to fetch.
        logger.warning("%s: ignoring unreadable %s: %s", source_id, path, e)
        return None


def write_state(snapshots_dir: Path, state: FetchState) -> Path:
    """Replace `state.json` atomically (temp file, then os.replace)."""
    path = source_dir(snapshots_dir, state.source_id) / STATE_NAME
    _write_json_atomic(path, asdict(state))
    return path


def restore_current(snapshots_dir: Path, source_id: str, snapshot_path: Path) -> None:
    """Make `snapshot_path` (a stored snapshot) current again, with its validators, keeping the
    rest of `state.json`: a downloaded copy that cannot be read must not replace a good one.
    The next fetch asks with the good copy's validators, so a server that still sends the bad
    copy sends it again (then found by its sha256, not stored twice)."""
    state = read_state(snapshots_dir, source_id)
    snapshot = load_snapshot(snapshot_path)
    if state is None:
        return
    logger.warning("%s: the fetched copy cannot be read; %s stays the current snapshot", source_id, snapshot_path.name)
    write_state(snapshots_dir, replace(state, current=snapshot_path.name, etag=snapshot.etag,
                                       last_modified=snapshot.last_modified))


def _parse_time(value: str | None) -> datetime | None:
    return datetime.fromisoformat(value) if value else None


def _json_default(value: object) -> str:
    if isinstance(value, datetime):
        return value.astimezone(UTC).isoformat(timespec="microseconds")
    if isinstance(value, Path):
        return str(value)
    raise TypeError(f"cannot write {type(value).__name__} to JSON")


def _write_json_atomic(path: Path, data: dict, *, mode: int | None = None) -> None:
    text = json.dumps(data, indent=2, ensure_ascii=False, default=_json_default) + "\n"
    fd, temp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(text)
            fh.flush()
            os.fsync(fh.fileno())
        if mode is not None:
            os.chmod(temp, mode)
        os.replace(temp, path)
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise
