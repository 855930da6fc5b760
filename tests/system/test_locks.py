"""The run lock: a second run waits for the first or stops with a clear message."""

from __future__ import annotations

import threading
import time

import filelock
import pytest

from smartspec.publishing import RunLocked, run_lock
from smartspec.publishing.locks import RUN_LOCK_FILE


def test_a_held_run_lock_stops_a_second_run_at_once(tmp_path) -> None:
    with run_lock(tmp_path) as path:
        assert path == tmp_path / RUN_LOCK_FILE
        with pytest.raises(RunLocked) as raised:
            with run_lock(tmp_path):
                pass
    assert str(raised.value) == f"another smartspec run is in progress (lock held: {tmp_path / RUN_LOCK_FILE})"
    with run_lock(tmp_path):  # free again
        pass


def test_a_second_run_waits_when_told_to(tmp_path) -> None:
    order = []
    held = threading.Event()

    def first() -> None:
        with run_lock(tmp_path):
            held.set()
            time.sleep(0.3)
            order.append("first done")

    thread = threading.Thread(target=first)
    thread.start()
    held.wait(10)
    with run_lock(tmp_path, timeout=30):
        order.append("second in")
    thread.join()
    assert order == ["first done", "second in"]


def test_the_wait_has_a_limit(tmp_path) -> None:
    with filelock.FileLock(tmp_path / RUN_LOCK_FILE), pytest.raises(RunLocked, match=r"after waiting 0\.1 s$"):
        with run_lock(tmp_path, timeout=0.1):
            pass


def test_the_output_folder_is_made_if_missing(tmp_path) -> None:
    with run_lock(tmp_path / "new" / "output") as path:
        assert path.parent.is_dir()
