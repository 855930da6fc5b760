"""The run record: what each run went through, one JSON line per run in `<dataset_dir>/runs.jsonl`.

A version holds data; a run's own facts are here: when it ran and how long, which flow, what
each remote source's fetch did (downloaded, 304, the same content again, failed and since
when), every source's status and whether it was read or cached, and whether the run
published a version (and which) or found the data unchanged. An outage, its recovery or a
source that fails adds a line here and no version.

The file is only ever appended to, under the run lock, one `write` per line, fsynced. A run
killed while writing leaves a partial last line: the next append starts on a new line and
`read_runs()` passes over lines that do not parse.
"""

from __future__ import annotations

import json
import logging
import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from smartspec.publishing.layout import RUNS_FILE

logger = logging.getLogger(__name__)



def append_run(dataset_dir: Path, record: Mapping[str, Any]) -> Path:
    """Append one run's record as a JSON line; returns the file."""
    path = dataset_dir / RUNS_FILE
    line = json.dumps(record, ensure_ascii=False, default=str).encode("utf-8") + b"\n"
    dataset_dir.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_RDWR | os.O_APPEND | os.O_CREAT, 0o644)
    try:
        size = os.fstat(fd).st_size
        if size and os.pread(fd, 1, size - 1) != b"\n":  # a killed run's partial line
            line = b"\n" + line
        os.write(fd, line)
        os.fsync(fd)
    finally:
        os.close(fd)
    return path


def read_runs(dataset_dir: Path) -> list[dict[str, Any]]:
    """Every run recorded, oldest first; lines that do not parse (a run killed mid-write) are left out."""
    try:
        text = (dataset_dir / RUNS_FILE).read_text(encoding="utf-8", errors="replace")
    except FileNotFoundError:
        return []
    runs = []
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            runs.append(json.loads(line))
        except json.JSONDecodeError:
            logger.warning("%s line %d is not a whole record (a run killed while writing it); passed over",
                           RUNS_FILE, number)
    return runs
