"""Bad input and bad days (issue 10): nothing lost, nothing stops the run.

Each test is one of the reproduced failures, with the message a user sees: a missing or
mistyped raw/, a damaged copy of a source, one bad entry among good ones, a run's own
problems (settings, output folder, disk), a server that trickles, a killed run.
"""

from __future__ import annotations

import dataclasses
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pandas as pd
import pytest
from typer.testing import CliRunner

from smartspec.flows.cli import app
from tests.conftest import DATA, DECK, ROOT
from tests.helpers.runs import config_file, raw_with_deck, run_refresh, smartspec_command

runner = CliRunner()
SEED_PDF = DATA / "seed_deck.pdf"




def _sources(out: Path, version: int) -> pd.DataFrame:
    return pd.read_parquet(out / "priorities" / f"v{version}" / "sources.parquet").set_index("source_id")


def _priorities(out: Path, version: int) -> pd.DataFrame:
    return pd.read_parquet(out / "priorities" / f"v{version}" / "priorities.parquet")


class _Handler(BaseHTTPRequestHandler):
    """Answers every GET as the test's `answer(handler)` says."""

    def do_GET(self) -> None:  # noqa: N802 (the stdlib's name)
        self.server.requests.append(self.path)
        self.server.answer(self)

    def send_body(self, body: bytes, content_type: str) -> None:
        self.send_response(200)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def trickle_head(self, seconds_per_byte: float) -> None:
        """A status line and headers, one byte at a time: never a timeout, never an answer."""
        for byte in b"HTTP/1.1 200 OK\r\nContent-Type: application/pdf\r\nX-Pad: " + b"x" * 1000:
            self.wfile.write(bytes([byte]))
            self.wfile.flush()
            time.sleep(seconds_per_byte)

    def log_message(self, *args) -> None:
        pass


class _Server(ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request, client_address) -> None:
        pass  # a client that gave up is what some tests are about


@contextmanager
def _server(answer: Callable[[_Handler], None]) -> Iterator[str]:
    """A real HTTP server on 127.0.0.1 and a free port; yields its base URL."""
    server = _Server(("127.0.0.1", 0), _Handler)
    server.answer, server.requests = answer, []
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


def _cli(tmp_path: Path, monkeypatch, *args: str):
    """`smartspec ARGS` in this process, from `tmp_path` (its own pyproject.toml and cache)."""
    monkeypatch.chdir(tmp_path)
    if not (tmp_path / "pyproject.toml").exists():
        config_file(tmp_path)
    return runner.invoke(app, list(args))


# --- 1. a run refuses to publish what looks like an accident --------------------------------

# The command a user types, in a fresh interpreter: what it prints and whether Prefect loaded.
_CLI_SCRIPT = (
    "import sys; from typer.testing import CliRunner; from smartspec.flows.cli import app; "
    "r = CliRunner().invoke(app, sys.argv[1:]); "
    "print(r.exit_code); print(r.output.strip()); "
    "print('prefect loaded' if [m for m in sys.modules if m.split('.')[0] == 'prefect'] else 'no prefect')"
)


@pytest.mark.parametrize("kind", ["missing", "a file", "empty", "only hidden files"])
def test_a_missing_or_empty_raw_folder_stops_the_run_before_it_starts(tmp_path, kind):
    raw = tmp_path / "raw"
    if kind == "a file":
        raw.write_text("not a folder")
    elif kind != "missing":
        raw.mkdir()
        if kind == "only hidden files":
            (raw / ".DS_Store").write_bytes(b"\0")
    out = tmp_path / "output"
    done = subprocess.run([sys.executable, "-c", _CLI_SCRIPT, "run", "--raw", str(raw), "--output", str(out)],
                          cwd=ROOT, capture_output=True, text=True, timeout=120)
    code, message, prefect = done.stdout.strip().splitlines()
    expected = {
        "missing": f"not run: raw folder {raw} not found: give --raw the folder that holds the documents "
                   "(is the share mounted?)",
        "a file": f"not run: raw folder {raw} is a file, not a folder: give --raw the folder that holds the documents",
        "empty": f"not run: raw folder {raw} is empty: put the documents in it, or give --raw the folder that "
                 "holds them (is the share mounted?)",
    }
    assert (code, prefect) == ("2", "no prefect")  # refused before Prefect (seconds of start-up) loads
    assert message == expected.get(kind, expected["empty"])
    assert not out.exists()  # nothing published, not even a folder made


def test_a_run_that_would_remove_most_sources_needs_allow_removal(tmp_path, monkeypatch):
    raw = raw_with_deck(tmp_path)
    for name in ("a.md", "b.md", "c.md"):
        (raw / name).write_text("# Anteckningar\n\nInga prioriteringar här.\n", encoding="utf-8")
    first = _cli(tmp_path, monkeypatch, "run", "--raw", "raw", "--output", "output")
    assert first.exit_code == 0 and "published v1" in first.output

    for name in ("a.md", "b.md", DECK.name):  # 3 of 4 gone: a share half synced, a wrong copy of raw/
        (raw / name).unlink()
    refused = _cli(tmp_path, monkeypatch, "run", "--raw", "raw", "--output", "output")
    assert refused.exit_code == 1
    assert refused.output.strip() == (
        f"not published: this run would remove 3 of the 4 sources of v1 (a, b, {DECK.stem}); if their files "
        "were deleted on purpose, run again with --allow-removal; if not, check --raw (is the folder mounted?)")
    assert "Traceback" not in refused.output
    assert sorted(p.name for p in (tmp_path / "output" / "priorities").glob("v*")) == ["v1"]

    allowed = _cli(tmp_path, monkeypatch, "run", "--raw", "raw", "--output", "output", "--allow-removal")
    assert allowed.exit_code == 0 and "published v2" in allowed.output
    assert list(_sources(tmp_path / "output", 2).index) == ["c"]


# --- 2. last good rows stay -------------------------------------------------------------------


def test_a_truncated_copy_of_the_deck_keeps_its_64_priorities_marked_stale(tmp_path):
    raw = raw_with_deck(tmp_path)
    out = tmp_path / "output"
    assert run_refresh(raw, out).version == 1
    good = _sources(out, 1).loc[DECK.stem]

    deck = raw / DECK.name
    deck.write_bytes(DECK.read_bytes()[: DECK.stat().st_size // 2])  # a copy cut short
    second = run_refresh(raw, out)
    assert (second.status, second.version, second.priorities, second.regions) == ("published", 2, 64, 18)
    row = _sources(out, 2).loc[DECK.stem]
    assert (row.status, row.error_type, row.sha256, row.priority_count) == (
        "stale", "UnreadableDocument", good.sha256, 64)
    assert row.error_message == (
        "truncated or damaged file: not a valid PPTX package (BadZipFile: File is not a zip file); keeping the 64 priorities of its last good copy "
        f"(sha256 {good.sha256[:12]})")
    assert _priorities(out, 2).equals(_priorities(out, 1))
    assert pd.read_parquet(out / "priorities" / "v2" / "changes.parquet").empty
    assert f"  {DECK.stem}: stale: truncated or damaged file" in "\n".join(second.lines())

    third = run_refresh(raw, out)  # still broken: still stale, nothing new to publish
    assert (third.status, third.version, third.priorities) == ("unchanged", 2, 64)

    shutil.copy(DECK, deck)  # repaired
    fourth = run_refresh(raw, out)
    assert (fourth.status, fourth.version) == ("published", 3)
    assert _sources(out, 3).loc[DECK.stem, "status"] == "ok"


def test_a_deleted_file_is_a_removal_and_a_failing_one_is_not(tmp_path):
    raw = raw_with_deck(tmp_path)
    shutil.copy(DATA / "seed_deck.txt", raw / "notes.txt")
    out = tmp_path / "output"
    assert run_refresh(raw, out).priorities == 128
    (raw / "notes.txt").unlink()
    second = run_refresh(raw, out)
    assert (second.status, second.priorities) == ("published", 64)
    assert list(_sources(out, second.version).index) == [DECK.stem]


def test_a_remote_copy_that_cannot_be_read_neither_removes_the_priorities_nor_replaces_the_snapshot(
        tmp_path, monkeypatch):
    """A server answering 200 with a truncated body that starts like a PDF."""
    monkeypatch.setenv("NO_PROXY", "127.0.0.1")
    body = {"data": SEED_PDF.read_bytes()}
    with _server(lambda handler: handler.send_body(body["data"], "application/pdf")) as url:
        raw = tmp_path / "raw"
        raw.mkdir()
        (raw / "sources.toml").write_text(f'[[source]]\nid = "deck"\nurl = "{url}/deck.pdf"\n', encoding="utf-8")
        config_file(tmp_path, fetch_retries=0)
        out = tmp_path / "output"
        assert run_refresh(raw, out).priorities == 64
        snapshots = raw / "_snapshots" / "deck"
        good = _current_snapshot_name(snapshots)

        body["data"] = SEED_PDF.read_bytes()[:5000]  # starts with %PDF-, so the download is taken
        second = run_refresh(raw, out)
        assert (second.status, second.priorities) == ("published", 64)
        row = _sources(out, second.version).loc["deck"]
        assert (row.status, row.fetch_status, row.sha256) == ("stale", "ok", _sources(out, 1).loc["deck", "sha256"])
        assert row.error_message.startswith("truncated or damaged file: ")
        assert row.error_message.endswith(f"; keeping the 64 priorities of its last good copy (sha256 {row.sha256[:12]})")
        assert _current_snapshot_name(snapshots) == good  # the good copy stays the one to read
        assert len(list(snapshots.glob("*.pdf"))) == 2  # the bad one is kept too, as every fetched version


def _current_snapshot_name(folder: Path) -> str:
    import json

    return json.loads((folder / "state.json").read_text(encoding="utf-8"))["current"]


# --- 3, 4 and 9. one bad entry is one row; the rest publish ---------------------------------


def test_odd_files_and_bad_entries_are_each_a_row_and_the_rest_publish(tmp_path, monkeypatch):
    raw = raw_with_deck(tmp_path)
    shutil.copy(DATA / "seed_deck.txt", raw / os.fsdecode(b"anteckningar-\xe5.txt"))  # Latin-1 bytes in a name
    shutil.copy(SEED_PDF, raw / "x.pdf")
    shutil.copy(DECK, raw / "x.pptx")
    shutil.copy(DATA / "strategies" / "skane-innovationsstrategi-2021-2027.docx", raw / "skane.pdf")
    os.mkfifo(raw / "pipe.pdf")
    (raw / "folder.pdf").mkdir()
    (raw / "gone.pdf").symlink_to(raw / "nowhere.pdf")
    (raw / "loop.pdf").symlink_to(raw / "loop.pdf")
    outside = tmp_path / "outside.txt"
    shutil.copy(DATA / "seed_deck.txt", outside)
    (raw / "link.txt").symlink_to(outside)
    (raw / "sources.toml").write_text(
        '[[source]]\nid = 5\npath = "x.pdf"\n'
        '[[source]]\nid = "local"\nurl = "file:///etc/passwd"\n'
        '[[source]]\nid = "ftp"\nurl = "ftp://example.org/plan.pdf"\n'
        '[[source]]\nid = "empty"\nurl = ""\n'
        '[[source]]\nid = "v6"\nurl = "http://[::1"\n'
        '[[source]]\nid = "deck"\npath = "tillvaxtverket-smart-specialisering-2019.pptx"\nscope = "overview"\n',
        encoding="utf-8")
    result = _cli(tmp_path, monkeypatch, "run", "--raw", "raw", "--output", "output")
    assert result.exit_code == 0, result.output
    assert "Traceback" not in result.output and "published v1" in result.output

    sources = _sources(tmp_path / "output", 1)
    why = {source_id: message if isinstance(message, str) else None
           for source_id, message in sources.error_message.items()}
    assert why == {
        "anteckningar-\\xe5": "file name is not valid UTF-8 (anteckningar-\\xe5.txt): rename the file to read it",
        "deck": None,
        "empty": "sources.toml: source 4 ('empty'): url is empty; this entry is not read: fix it",
        "folder": "refused: folder.pdf is a folder, not a file",
        "ftp": "sources.toml: source 3 ('ftp'): url 'ftp://example.org/plan.pdf': only http and https URLs are "
               "fetched; this entry is not read: fix it",
        "gone": f"refused: gone.pdf is a link to nothing ({raw / 'nowhere.pdf'} does not exist)",
        "link": f"refused: link.txt is a link to a file outside {raw.resolve()}",
        "local": "sources.toml: source 2 ('local'): url 'file:///etc/passwd': only http and https URLs are "
                 "fetched; this entry is not read: fix it",
        "loop": "refused: loop.pdf is a loop of symbolic links",
        "pipe": "refused: pipe.pdf is a FIFO (named pipe), not a file",
        "skane": None,
        "v6": "sources.toml: source 5 ('v6'): url 'http://[::1' is not a valid URL (Invalid IPv6 URL); this entry "
              "is not read: fix it",
        "x.pdf": "sources.toml: source 1: id must be text in quotes, not 5; this entry is not read: fix it",
        "x.pptx": None,
    }
    assert sources.loc["skane", "notes"] == "a DOCX file named .pdf: read as DOCX"
    assert (sources.loc["skane", "format"], sources.loc["skane", "status"]) == ("docx", "ok")
    assert sources.loc["deck", "scope"] == "overview"
    assert set(_priorities(tmp_path / "output", 1).source_id) == {"deck", "skane", "x.pptx"}


def test_an_unreadable_file_is_its_own_row(tmp_path):
    """As root nothing is unreadable, so the step runs as nobody in a child process."""
    import multiprocessing

    from smartspec.extractors.settings import load_settings
    from smartspec.inputs.sources import SourceFile
    from smartspec.running.incremental import extract_source

    folder = Path(tempfile.mkdtemp(prefix="smartspec-unreadable-"))  # a folder nobody may enter
    try:
        folder.chmod(0o755)
        locked = folder / "locked.txt"
        shutil.copy(DATA / "seed_deck.txt", locked)
        locked.chmod(0)
        settings = dataclasses.replace(load_settings(ROOT / "pyproject.toml"), raw_dir=folder,
                                       cache_dir=tmp_path / "cache")
        receiver, sender = multiprocessing.get_context("fork").Pipe(duplex=False)

        def as_nobody() -> None:
            if os.getuid() == 0:
                os.setgid(65534)
                os.setuid(65534)
            sender.send(extract_source(SourceFile("locked", locked, "locked.txt"), settings).source)

        child = multiprocessing.get_context("fork").Process(target=as_nobody)
        child.start()
        row = receiver.recv()
        child.join(30)
    finally:
        shutil.rmtree(folder)
    assert (row.status, row.error_type, row.error_message) == (
        "failed", "UnreadableDocument", "cannot open file: Permission denied")


# --- 4. the run's own problems: one line naming the file and the fix ------------------------


def test_a_broken_pyproject_is_one_line_not_a_traceback(tmp_path, monkeypatch):
    raw_with_deck(tmp_path)
    (tmp_path / "pyproject.toml").write_text("[tool.smartspec]\nworkers = \n", encoding="utf-8")
    broken = _cli(tmp_path, monkeypatch, "run", "--raw", "raw", "--output", "output")
    assert broken.exit_code == 2
    assert broken.output.strip() == (
        "not run: pyproject.toml is not valid TOML: Invalid value (at line 2, column 11): fix the file")
    (tmp_path / "pyproject.toml").write_text('[tool.smartspec]\nworkers = "two"\n', encoding="utf-8")
    mistyped = _cli(tmp_path, monkeypatch, "run", "--raw", "raw", "--output", "output")
    assert mistyped.exit_code == 2
    assert mistyped.output.strip() == "not run: pyproject.toml: [tool.smartspec] workers must be a whole number, not 'two'"


def test_an_output_that_is_a_file_or_holds_a_folder_latest_json_is_one_line(tmp_path, monkeypatch):
    raw_with_deck(tmp_path)
    (tmp_path / "output").write_text("a file where the output folder should be")
    as_file = _cli(tmp_path, monkeypatch, "run", "--raw", "raw", "--output", "output")
    assert (as_file.exit_code, as_file.output.strip()) == (
        2, "not run: output folder output is a file, not a folder: move it away or give --output another folder")
    (tmp_path / "output").unlink()
    (tmp_path / "output" / "priorities" / "latest.json").mkdir(parents=True)
    as_folder = _cli(tmp_path, monkeypatch, "run", "--raw", "raw", "--output", "output")
    assert (as_folder.exit_code, as_folder.output.strip()) == (
        2, "not run: output/priorities/latest.json is not a file (smartspec keeps its pointer to the latest "
           "version there): move it away")


def test_a_stray_file_named_like_a_version_is_passed_over(tmp_path):
    raw = raw_with_deck(tmp_path)
    out = tmp_path / "output"
    assert run_refresh(raw, out).version == 1
    (out / "priorities" / "v2").write_text("not a version")
    (raw / "notes.md").write_text("# Anteckningar\n", encoding="utf-8")
    second = run_refresh(raw, out)
    assert (second.status, second.version) == ("published", 3)
    assert (out / "priorities" / "v2").read_text() == "not a version"


def _can_mount() -> bool:
    """Root in a system that allows a private mount namespace (unshare -m): a test may mount there."""
    if shutil.which("unshare") is None or os.geteuid() != 0:
        return False
    return subprocess.run(["unshare", "-m", "true"], capture_output=True).returncode == 0



def _run_on_mount(tmp_path: Path, mount: str) -> subprocess.CompletedProcess:
    """`smartspec run` with output/ a fresh tmpfs mounted by `mount` (shell, $OUT is the folder),
    in a mount namespace of its own: nothing is mounted outside the command."""
    raw_with_deck(tmp_path)
    config_file(tmp_path)
    (tmp_path / "output").mkdir()
    command = " ".join(f"'{part}'" for part in [*smartspec_command(), "run", "--raw", "raw", "--output", "output"])
    script = f"OUT=output; {mount} && exec {command}"
    return subprocess.run(["unshare", "-m", "sh", "-c", script], cwd=tmp_path, capture_output=True, text=True,
                          timeout=600)


@pytest.mark.skipif(not _can_mount(), reason="needs root and unshare -m to mount a small file system")
def test_a_full_disk_is_one_line_naming_the_file(tmp_path):
    done = _run_on_mount(tmp_path, 'mount -t tmpfs -o size=64k tmpfs "$OUT" && '
                                   'dd if=/dev/zero of="$OUT/filler" bs=4k 2>/dev/null; true')
    assert done.returncode == 1, done.stderr
    [line] = done.stderr.strip().splitlines()
    assert line.startswith(f"run stopped: No space left on device ({tmp_path / 'output' / 'priorities'}/.tmp-")
    assert line.endswith("/priorities.parquet): free some space and run again")


@pytest.mark.skipif(not _can_mount(), reason="needs root and unshare -m to mount a read-only file system")
def test_a_read_only_output_is_one_line(tmp_path):
    done = _run_on_mount(tmp_path, 'mount -t tmpfs -o ro tmpfs "$OUT"')
    assert done.returncode == 2, done.stderr
    assert done.stderr.strip() == ("not run: cannot write to output folder output: Read-only file system: "
                                   "make it writable or give --output another folder")


# --- 5 and 6. time-boxed fetches; a stopped or killed run leaves nothing behind -------------


def test_a_trickling_server_is_cut_off_at_the_deadline_and_the_others_publish(tmp_path, monkeypatch):
    monkeypatch.setenv("NO_PROXY", "127.0.0.1")
    with _server(lambda handler: handler.trickle_head(1.0)) as url:
        raw = raw_with_deck(tmp_path)
        (raw / "sources.toml").write_text(f'[[source]]\nid = "slow"\nurl = "{url}/plan.pdf"\n', encoding="utf-8")
        config_file(tmp_path, fetch_deadline_s=3, fetch_timeout=30, fetch_retries=2, fetch_backoff=0)
        summary = run_refresh(raw, tmp_path / "output")
    assert (summary.status, summary.priorities) == ("published", 64)
    row = _sources(tmp_path / "output", 1).loc["slow"]
    assert (row.status, row.fetch_status) == ("failed", "failed")
    assert row.fetch_error == "too slow: no complete answer within 3 s (fetch_deadline_s)"


def _session(session_id: int) -> list[tuple[int, str]]:
    """(pid, command line) of every live process in the session, read from /proc."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
            fields = stat[stat.rindex(")") + 2:].split()  # after "pid (comm) "
            if int(fields[3]) == session_id and fields[0] != "Z":
                found.append((int(entry.name), (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode()))
        except (OSError, ValueError):
            continue  # gone while we looked
    return found


def _start_run_fetching_from_a_trickler(tmp_path: Path, url: str) -> subprocess.Popen:
    """`smartspec run` in a session of its own, with a remote source that never answers."""
    raw = raw_with_deck(tmp_path)
    (raw / "sources.toml").write_text(f'[[source]]\nid = "slow"\nurl = "{url}/plan.pdf"\n', encoding="utf-8")
    config_file(tmp_path, fetch_deadline_s=600, fetch_timeout=30, fetch_retries=0)
    env = {**os.environ, "NO_PROXY": "127.0.0.1"}
    return subprocess.Popen([*smartspec_command(), "run", "--raw", "raw", "--output", "output"], cwd=tmp_path, env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, start_new_session=True)


def _wait_for(condition: Callable[[], bool], what: str, process: subprocess.Popen, timeout: float = 300) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert process.poll() is None, f"the run exited before {what}: {process.communicate()}"
        assert time.monotonic() < deadline, f"no {what} in time"
        time.sleep(0.1)


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="lists processes from /proc")
def test_sigterm_during_a_fetch_ends_the_run_and_frees_the_lock(tmp_path):
    from smartspec.publishing.locks import run_lock

    fetching = threading.Event()

    def answer(handler: _Handler) -> None:
        fetching.set()
        handler.trickle_head(1.0)

    with _server(answer) as url:
        run = _start_run_fetching_from_a_trickler(tmp_path, url)
        try:
            _wait_for(fetching.is_set, "fetch", run)
            os.kill(run.pid, signal.SIGTERM)
            _, stderr = run.communicate(timeout=60)
        finally:
            _kill_session(run)
    assert run.returncode == 128 + signal.SIGTERM
    assert stderr.strip().splitlines()[-1] == "stopped: SIGTERM received"
    with run_lock(tmp_path / "output", timeout=0):  # free: no process of the run holds it
        pass
    assert _session(run.pid) == []
    assert not (tmp_path / "output" / "priorities" / "latest.json").exists()


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="lists processes from /proc")
def test_sigkill_of_a_run_leaves_no_process_of_it(tmp_path):
    """Prefect's ephemeral API server (uvicorn) outlived a run killed with SIGKILL."""
    with _server(lambda handler: handler.trickle_head(1.0)) as url:
        run = _start_run_fetching_from_a_trickler(tmp_path, url)
        try:
            _wait_for(lambda: any("uvicorn" in command for _, command in _session(run.pid)), "API server", run)
            _wait_for(lambda: len(_session(run.pid)) >= 3, "run, supervisor and reaper", run)
            os.kill(run.pid, signal.SIGKILL)  # the process the user started
            run.wait(30)
            deadline = time.monotonic() + 5
            while _session(run.pid) and time.monotonic() < deadline:
                time.sleep(0.1)
            left = _session(run.pid)
        finally:
            _kill_session(run)
    assert left == []


def _kill_session(process: subprocess.Popen) -> None:
    """Whatever a failed test leaves of a run: end it, so no test leaves processes behind."""
    for pid, _ in _session(process.pid):
        try:
            os.kill(pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
    if process.poll() is None:
        process.kill()
    process.wait(30)
