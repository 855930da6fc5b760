"""A dataset's files on disk: each written so that a kill -9 at any moment leaves the old file or
the new one, never half of one (written and fsynced under a temp name beside it, renamed into
place, its folder fsynced), and read back leniently.

`reached()` marks the named points of a publish (CHECKPOINTS), in order, and does nothing: the
kill tests replace it in a child process to stop a publish at each point with SIGKILL.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import shutil
import uuid
from collections.abc import Mapping
from pathlib import Path
from typing import Any

logger = logging.getLogger(__name__)

TEMP_PREFIX = ".tmp-"
# Named points inside a publish (publishing/versions.py), in order.
CHECKPOINTS = (
    "temp-written", "before-rename", "renamed", "pointer-temp-written", "pointer-written",
    "changelog-temp-written",
)


def reached(checkpoint: str) -> None:
    """A publish has got to `checkpoint` (one of CHECKPOINTS). A seam for the kill tests."""


def fsync_dir(path: Path) -> None:
    if os.name != "posix":  # Windows cannot open a directory to fsync it
        return
    descriptor = os.open(path, os.O_RDONLY)
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)


def write_file(path: Path, data: bytes) -> dict[str, Any]:
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


def json_bytes(data: Mapping[str, Any]) -> bytes:
    return (json.dumps(data, indent=2, ensure_ascii=False) + "\n").encode("utf-8")


def replace_file(target: Path, data: bytes, checkpoint: str) -> None:
    """Write `data` to a temp file beside `target`, fsync it, then replace `target` in one step."""
    temp = target.parent / f"{TEMP_PREFIX}{uuid.uuid4().hex}{target.suffix}"
    try:
        write_file(temp, data)
        reached(checkpoint)
        os.replace(temp, target)
    finally:
        temp.unlink(missing_ok=True)
    fsync_dir(target.parent)


def read_json(path: Path) -> dict[str, Any] | None:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return data if isinstance(data, dict) else None


def remove_leftovers(dataset_dir: Path) -> None:
    """Remove temp files of killed runs. Only call under the lock: then no run is writing."""
    for path in dataset_dir.glob(f"{TEMP_PREFIX}*"):
        logger.info("removing leftover %s of an interrupted publish", path)
        if path.is_dir():
            shutil.rmtree(path)
        else:
            path.unlink(missing_ok=True)
