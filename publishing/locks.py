"""File locks that keep runs from stepping on each other.

Two locks, taken in this order when both are held, so they never deadlock:

- the run lock, `<output_dir>/.smartspec-run.lock`: held by a whole `smartspec run`, from
  discovery to publish, so a second run waits for it or stops with a clear message;
- the publish lock, `<dataset_dir>/.lock`: held by `versions.publish()` while it decides the
  next version number and writes it (also guards anyone who publishes without a run).

Both are `filelock` locks: the operating system drops them when the holding process dies,
even by kill -9, so a crashed run never leaves a stale lock behind.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import filelock

from smartspec.publishing.errors import PublishLocked, RunLocked

RUN_LOCK_FILE = ".smartspec-run.lock"
PUBLISH_LOCK_FILE = ".lock"


@contextmanager
def _held(path: Path, timeout: float, refuse: Callable[[filelock.Timeout], Exception]) -> Iterator[Path]:
    path.parent.mkdir(parents=True, exist_ok=True)
    lock = filelock.FileLock(path, timeout=timeout)
    try:
        lock.acquire()
    except filelock.Timeout as error:
        raise refuse(error) from error
    try:
        yield path
    finally:
        lock.release()


def _waited(timeout: float) -> str:
    return f" after waiting {timeout:g} s" if timeout > 0 else ""


@contextmanager
def run_lock(output_dir: Path, timeout: float = 0) -> Iterator[Path]:
    """Hold the run lock of `output_dir` for the `with` block; yields the lock file's path.

    `timeout` is how long to wait for another run to finish: 0 fails at once, a negative
    value waits for ever. Raises `RunLocked` ("another smartspec run is in progress ...").
    """
    path = output_dir / RUN_LOCK_FILE

    def refuse(_: filelock.Timeout) -> RunLocked:
        return RunLocked(f"another smartspec run is in progress (lock held: {path}){_waited(timeout)}")

    with _held(path, timeout, refuse) as held:
        yield held


@contextmanager
def publish_lock(dataset_dir: Path, timeout: float) -> Iterator[Path]:
    """Hold the publish lock of `dataset_dir`; raises `PublishLocked` after `timeout` seconds."""
    path = dataset_dir / PUBLISH_LOCK_FILE

    def refuse(_: filelock.Timeout) -> PublishLocked:
        return PublishLocked(f"another run has held {path} for over {timeout:g} s; nothing published")

    with _held(path, timeout, refuse) as held:
        yield held
