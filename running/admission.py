"""What a path must be before anything reads it: checked on every run, cached or not.

`refusal()` turns a path that must not or cannot be read into a failed `sources` row, without
opening it: a name that is not UTF-8, a link to nothing, in a loop or out of raw/, a folder,
FIFO, socket or device, a file over `max_file_mb`. The extraction cache is asked only after
it (`smartspec.running.incremental`), so a link out of raw/ is refused whether or not its bytes are cached.
"""

from __future__ import annotations

import errno
import logging
import os
import stat
from pathlib import Path

from smartspec.extractors.readers import format_of
from smartspec.extractors.records import failed_record
from smartspec.extractors.settings import Settings
from smartspec.inputs.sources import SourceFile, has_undecodable_name
from smartspec.extractors.records import SourceOutcome
from smartspec.schemas.vocabulary import BAD_NAME_ERROR, NOT_A_FILE_ERROR, TOO_LARGE_ERROR, UNREADABLE_ERROR, UNSAFE_PATH_ERROR

logger = logging.getLogger(__name__)

MB = 1024 * 1024


def failed(source: SourceFile, error_type: str, message: str, *, size: int = 0, sha256: str | None = None,
           pages: int | None = None) -> SourceOutcome:
    """A failed sources row for `source` saying why."""
    logger.warning("%s: %s (%s)", source.source_id, message, error_type)
    return SourceOutcome(failed_record(source.source_id, source.relative, format_of(source.path), error_type, message,
                                       size=size, sha256=sha256, pages=pages))


def refusal(source: SourceFile, settings: Settings) -> SourceOutcome | None:
    """The failed row of a path that is not to be read, or None when it may be read."""
    path, shown = source.path, source.relative
    if has_undecodable_name(path):
        return failed(source, BAD_NAME_ERROR, f"file name is not valid UTF-8 ({shown}): rename the file to read it")
    try:
        info = path.stat()
    except FileNotFoundError:
        if path.is_symlink():
            return failed(source, NOT_A_FILE_ERROR, f"refused: {shown} is a link to nothing "
                                                    f"({os.readlink(path)} does not exist)")
        return failed(source, UNREADABLE_ERROR, "file not found")
    except OSError as e:
        if e.errno == errno.ELOOP:
            return failed(source, NOT_A_FILE_ERROR, f"refused: {shown} is a loop of symbolic links")
        return failed(source, UNREADABLE_ERROR, f"cannot open file: {e.strerror or e}")
    if _escapes(path, settings.raw_dir):  # never opened, so neither size nor hash
        return failed(source, UNSAFE_PATH_ERROR, f"refused: {shown} is a link to a file outside {settings.raw_dir}")
    if not stat.S_ISREG(info.st_mode):
        return failed(source, NOT_A_FILE_ERROR, f"refused: {shown} is {_kind(path, info.st_mode)}, not a file")
    if info.st_size > settings.max_file_mb * MB:  # not read, so no hash
        return failed(source, TOO_LARGE_ERROR,
                      f"too large: {info.st_size / MB:.1f} MB (limit {settings.max_file_mb:g} MB)",
                      size=info.st_size)
    return None


def _kind(path: Path, mode: int) -> str:
    if stat.S_ISDIR(mode):
        return "a link to a folder (links to folders are not followed)" if path.is_symlink() else "a folder"
    if stat.S_ISFIFO(mode):
        return "a FIFO (named pipe)"
    if stat.S_ISSOCK(mode):
        return "a socket"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    return "not a regular file"


def _escapes(path: Path, raw_dir: Path) -> bool:
    """True when `path` lies in raw_dir but resolves (through a link) to a file outside it."""
    root = Path(os.path.abspath(raw_dir))
    if root not in Path(os.path.abspath(path)).parents:
        return False  # not a raw/ file (`smartspec extract FILE`): nothing to contain
    resolved_root = root.resolve()
    return resolved_root not in path.resolve().parents
