"""Checks a run makes before it starts: can the output folder hold versions, and would the
new version remove what looks like an accident rather than a decision.

Both raise errors whose message is one line naming the file and the fix; the CLI prints it.
"""

from __future__ import annotations

import logging
import os
import tempfile
from collections.abc import Collection
from pathlib import Path

from smartspec.publishing.errors import OutputUnusable, TooManyRemovals, VersionNotFound
from smartspec.publishing.layout import LATEST_FILE

logger = logging.getLogger(__name__)

# How many removed source ids a refusal names before "and N more".
_REMOVED_SHOWN = 10


def check_output(output_dir: Path, dataset_dir: Path) -> None:
    """Raise OutputUnusable unless `output_dir` is (or can be made) a writable folder in which
    `dataset_dir` and its latest.json are what smartspec made them."""
    for folder in (output_dir, dataset_dir):
        if folder.exists() and not folder.is_dir():
            raise OutputUnusable(f"output folder {folder} is a file, not a folder: move it away or give "
                                 "--output another folder")
    latest = dataset_dir / LATEST_FILE
    if latest.exists() and not latest.is_file():
        raise OutputUnusable(f"{latest} is not a file (smartspec keeps its pointer to the latest version "
                             "there): move it away")
    try:
        output_dir.mkdir(parents=True, exist_ok=True)
        descriptor, probe = tempfile.mkstemp(dir=output_dir, prefix=".smartspec-write-check-")
        os.close(descriptor)
        os.unlink(probe)
    except OSError as e:
        raise OutputUnusable(f"cannot write to output folder {output_dir}: {e.strerror or e}: make it writable "
                             "or give --output another folder") from e


def check_removals(dataset_dir: Path, source_ids: Collection[str], *, max_share: float) -> None:
    """Raise TooManyRemovals when the sources `source_ids` lack more than `max_share` of those
    of the latest version: a run on a wrong or unmounted raw/ must not publish their removal."""
    from smartspec.publishing.versions import latest_version, read_table  # the tables, only when a run gets here
    from smartspec.schemas.sources import SourceSchema

    try:
        previous = set(read_table(dataset_dir, "sources")[SourceSchema.source_id])
    except VersionNotFound:
        return
    removed = sorted(previous - set(source_ids))
    if not previous or len(removed) <= max_share * len(previous):
        return
    shown = ", ".join(removed[:_REMOVED_SHOWN])
    if len(removed) > _REMOVED_SHOWN:
        shown += f" and {len(removed) - _REMOVED_SHOWN} more"
    raise TooManyRemovals(
        f"this run would remove {len(removed)} of the {len(previous)} sources of "
        f"v{latest_version(dataset_dir)} ({shown}); if their files were deleted on purpose, run again with "
        "--allow-removal; if not, check --raw (is the folder mounted?)"
    )
