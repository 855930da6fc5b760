"""Publishing survives kill -9 anywhere, and concurrent runs take turns.

A child process publishes; the test kills it with SIGKILL at each named checkpoint of
`versions.publish()` (the child replaces the `storage.reached` seam with one that stops there)
and at seeded random moments. After every kill, latest.json names a complete version whose
files match their hashes, and the next publish succeeds.
"""

from __future__ import annotations

import hashlib
import json
import os
import random
import signal
import subprocess
import sys
import time
from datetime import timedelta
from pathlib import Path

import pandas as pd
import pytest

from smartspec.publishing import latest_version, list_versions, read_table, read_version
from smartspec.publishing.changelog import CHANGELOG_FILE
from smartspec.publishing.datapackage import DATAPACKAGE_FILE
from smartspec.publishing.layout import LATEST_FILE
from smartspec.publishing.manifest import MANIFEST_FILE
from smartspec.publishing.storage import CHECKPOINTS
from tests.conftest import ROOT
from tests.helpers.records import NORRBOTTEN_AREAS, NOW, norrbotten, run, tables

pytestmark = pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="needs POSIX signals")

# The child: publish the pickled frames, optionally under the run lock, stopping where told.
CHILD = r"""
import json, sys, time
from datetime import datetime
from pathlib import Path
import pandas as pd
import smartspec.publishing.storage as storage
import smartspec.publishing.versions as versions
from smartspec.publishing import RunLocked, run_lock

config = json.loads(sys.argv[1])
marker = Path(config["marker"])

def reached(checkpoint):
    if checkpoint == config.get("pause_at"):
        marker.write_text(checkpoint)
        time.sleep(config["pause_s"])

storage.reached = reached
frames = [pd.read_pickle(path) for path in config["frames"]]
dataset = Path(config["dataset"])

def publish_all():
    for number, (priorities, sources) in enumerate(zip(frames[::2], frames[1::2])):
        now = datetime.fromisoformat(config["now"])
        versions.publish(priorities, sources, dataset, code_version="kill-test", inputs={}, now=now)
        print(f"published {number}", flush=True)

if "run_lock" in config:
    try:
        with run_lock(dataset.parent, timeout=config["run_lock"]):
            marker.write_text("locked")
            publish_all()
    except RunLocked as error:
        print(error, file=sys.stderr)
        sys.exit(3)
else:
    publish_all()
"""

VARIANTS = [NORRBOTTEN_AREAS[:n] for n in range(1, 6)]
RANDOM_KILLS = 6


def frames_for(tmp_path: Path, areas: list[str]) -> list[str]:
    """Pickled (priorities, sources) frames of one data variant, as child arguments."""
    priorities, sources = tables(norrbotten(areas))
    key = hashlib.sha256("|".join(areas).encode()).hexdigest()[:12]
    paths = [tmp_path / f"{key}-priorities.pkl", tmp_path / f"{key}-sources.pkl"]
    priorities.to_pickle(paths[0])
    sources.to_pickle(paths[1])
    return [str(path) for path in paths]


def start_child(tmp_path: Path, dataset: Path, variants: list[list[str]], **config: object) -> subprocess.Popen:
    config = {"dataset": str(dataset), "frames": [p for areas in variants for p in frames_for(tmp_path, areas)],
              "now": (NOW + timedelta(days=1)).isoformat(), "marker": str(tmp_path / "marker"), "pause_s": 600,
              **config}
    (tmp_path / "marker").unlink(missing_ok=True)
    return subprocess.Popen([sys.executable, "-c", CHILD, json.dumps(config)], cwd=ROOT,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def wait_for_marker(tmp_path: Path, child: subprocess.Popen, timeout: float = 60) -> str:
    deadline = time.monotonic() + timeout
    marker = tmp_path / "marker"
    while time.monotonic() < deadline:
        if marker.exists() and marker.read_text():
            return marker.read_text()
        if child.poll() is not None:
            raise AssertionError(f"child exited {child.returncode} before the marker: {child.communicate()}")
        time.sleep(0.02)
    raise AssertionError("child never got to the marker")


def kill(child: subprocess.Popen) -> None:
    os.kill(child.pid, signal.SIGKILL)
    child.wait(30)
    assert child.returncode == -signal.SIGKILL


def assert_consistent(dataset: Path) -> int:
    """latest.json names a complete, loadable version whose files match manifest and datapackage."""
    named = json.loads((dataset / LATEST_FILE).read_text())["version"]
    assert latest_version(dataset) == named
    path = dataset / f"v{named}"
    manifest = json.loads((path / MANIFEST_FILE).read_text())
    for name, described in manifest["files"].items():
        data = (path / name).read_bytes()
        assert (len(data), hashlib.sha256(data).hexdigest()) == (described["bytes"], described["sha256"]), name
    for resource in json.loads((path / DATAPACKAGE_FILE).read_text())["resources"]:
        assert resource["hash"] == "sha256:" + hashlib.sha256((path / resource["path"]).read_bytes()).hexdigest()
    priorities, _, _ = read_version(dataset)
    assert len(priorities) == manifest["row_counts"]["priorities"]
    assert len(read_table(dataset, "current")) == manifest["row_counts"]["current"]
    for info in list_versions(dataset):  # every version a reader can see is whole
        read_version(dataset, info.version)
    return named


def assert_next_publish_succeeds(dataset: Path, areas: list[str]) -> None:
    result = run(dataset, norrbotten(areas), now=NOW + timedelta(days=2))
    assert result.status in ("published", "unchanged")
    assert assert_consistent(dataset) == result.version
    assert not list(dataset.glob(".tmp-*"))
    versions = [info.version for info in list_versions(dataset)]
    assert versions == list(range(1, len(versions) + 1))
    text = (dataset / CHANGELOG_FILE).read_text()
    assert [f"## v{n} " in text for n in versions] == [True] * len(versions)  # regenerated, none lost


@pytest.mark.parametrize("checkpoint", CHECKPOINTS)
def test_kill_at_each_checkpoint(tmp_path: Path, checkpoint: str) -> None:
    dataset = tmp_path / "priorities"
    run(dataset)  # v1, complete
    child = start_child(tmp_path, dataset, [NORRBOTTEN_AREAS[:2]], pause_at=checkpoint)
    assert wait_for_marker(tmp_path, child) == checkpoint
    kill(child)
    committed = checkpoint in ("pointer-written", "changelog-temp-written")
    assert assert_consistent(dataset) == (2 if committed else 1)
    if checkpoint in ("renamed", "pointer-temp-written"):  # v2 is in place, latest.json not yet moved
        assert [info.version for info in list_versions(dataset)] == [1, 2]
    assert_next_publish_succeeds(dataset, NORRBOTTEN_AREAS[:3])
    previous = {"temp-written": 1, "before-rename": 1}.get(checkpoint, 2)
    _, _, changes = read_version(dataset)
    assert set(changes["previous_version"]) == {previous}  # rolled forward to v2 once it was committed


def test_kill_at_random_moments(tmp_path: Path) -> None:
    dataset = tmp_path / "priorities"
    run(dataset)
    chance = random.Random(20250301)
    survived = 0
    for attempt in range(RANDOM_KILLS):
        variants = [VARIANTS[(attempt + n) % len(VARIANTS)] for n in range(6)]
        child = start_child(tmp_path, dataset, variants)
        time.sleep(chance.uniform(1.0, 2.2))  # the child imports for about a second, then publishes in a loop
        if child.poll() is None:
            kill(child)
        assert_consistent(dataset)
        survived += 1
    assert survived == RANDOM_KILLS
    assert_next_publish_succeeds(dataset, NORRBOTTEN_AREAS)


def test_two_publishing_processes_take_turns(tmp_path: Path) -> None:
    """The first holds the publish lock (paused mid-write); the second waits, then builds on it."""
    dataset = tmp_path / "priorities"
    for name in ("a", "b"):
        (tmp_path / name).mkdir()
    first = start_child(tmp_path / "a", dataset, [NORRBOTTEN_AREAS[:2]], pause_at="temp-written", pause_s=1.5)
    wait_for_marker(tmp_path / "a", first)
    second = start_child(tmp_path / "b", dataset, [NORRBOTTEN_AREAS[:4]])
    for child in (first, second):
        out, err = child.communicate(timeout=120)
        assert child.returncode == 0, err
    assert [info.version for info in list_versions(dataset)] == [1, 2]
    assert assert_consistent(dataset) == 2 and not list(dataset.glob(".tmp-*"))
    changes = read_table(dataset, "changes", 2)
    assert set(changes["previous_version"]) == {1} and len(changes) == 2  # v2 saw v1: the runs were serial


def test_a_second_run_is_refused_or_waits_for_the_run_lock(tmp_path: Path) -> None:
    dataset = tmp_path / "priorities"
    for name in ("a", "b", "c"):
        (tmp_path / name).mkdir()
    first = start_child(tmp_path / "a", dataset, [NORRBOTTEN_AREAS[:2]], run_lock=0, pause_at="renamed", pause_s=2)
    wait_for_marker(tmp_path / "a", first)
    refused = start_child(tmp_path / "b", dataset, [NORRBOTTEN_AREAS[:3]], run_lock=0)
    waiting = start_child(tmp_path / "c", dataset, [NORRBOTTEN_AREAS[:4]], run_lock=60)
    _, err = refused.communicate(timeout=60)
    assert refused.returncode == 3
    assert f"another smartspec run is in progress (lock held: {tmp_path / '.smartspec-run.lock'})" in err
    for child in (first, waiting):
        _, err = child.communicate(timeout=120)
        assert child.returncode == 0, err
    assert [info.version for info in list_versions(dataset)] == [1, 2]
    assert set(pd.unique(read_table(dataset, "changes", 2)["previous_version"])) == {1}
    assert_consistent(dataset)
