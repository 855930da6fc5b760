"""A run's processes end with the run, however it ends (SIGKILL included).

A run starts processes of its own: Prefect's ephemeral API server (uvicorn), a child per
document read, pool workers. Killed with SIGKILL, a run cannot stop them itself, and they
outlived it (four uvicorn processes of about 190 MB each, still listening minutes later).

So `supervise()` splits the command in three processes:

- the supervisor, the process the user started: it only waits. SIGINT and SIGTERM it
  passes on to the run (not to its group: the run's shutdown still talks to Prefect's
  server), and after `STOP_GRACE_S` it kills what is left of the group;
- the run, a child in a process group of its own, which every process it starts joins; it
  gets SIGTERM should the supervisor die first (Linux's parent-death signal);
- the reaper, a small child in a group of its own that ignores the terminal's signals: it
  waits for a pipe from the supervisor to close, which happens however the supervisor ends,
  and then ends the run's group (SIGTERM, then SIGKILL after `STOP_GRACE_S`).

Where processes cannot fork (Windows), the command runs as one process, as before.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import errno
import os
import signal
import sys
import time

# Seconds from SIGTERM (or Ctrl-C) to SIGKILL of whatever of the run is left.
STOP_GRACE_S = 3.0
# How often the supervisor and the reaper look whether the run is still there.
POLL_S = 0.05
_PR_SET_PDEATHSIG = 1  # prctl(2)
_FORWARDED = tuple(getattr(signal, name) for name in ("SIGINT", "SIGTERM", "SIGHUP") if hasattr(signal, name))


def supervise() -> None:
    """Return in the run's process, a child of this one, which then does the command's work;
    this process supervises it and exits with its status (never returns). Returns at once,
    unsupervised, where the platform cannot fork."""
    if not hasattr(os, "fork") or not hasattr(os, "killpg"):
        return
    for stream in (sys.stdout, sys.stderr):  # what is buffered must not be written twice
        stream.flush()
    supervisor = os.getpid()
    run = os.fork()
    if run == 0:
        os.setpgid(0, 0)
        _die_with(supervisor)
        return
    try:
        os.setpgid(run, run)  # also here, so that the group exists whichever process gets there first
    except OSError:
        pass  # the run made it already
    _start_reaper(run)
    os._exit(_wait(run))


def _die_with(parent: int) -> None:
    """SIGTERM this process when `parent` dies (Linux); elsewhere the reaper alone sees to it."""
    library = ctypes.util.find_library("c")
    if library is None:
        return
    try:
        ctypes.CDLL(library, use_errno=True).prctl(_PR_SET_PDEATHSIG, signal.SIGTERM)
    except (OSError, AttributeError):
        return
    if os.getppid() != parent:  # the parent died before the signal was set up
        os.kill(os.getpid(), signal.SIGTERM)


def _wait(run: int) -> int:
    """Wait for the run, passing on signals; its exit status as a shell gives it."""
    stop_asked: list[tuple[int, float]] = []

    def forward(signum: int, frame: object) -> None:
        stop_asked.append((signum, time.monotonic()))
        try:
            os.kill(run, signum)
        except ProcessLookupError:
            pass  # it has just ended

    for signum in _FORWARDED:
        signal.signal(signum, forward)
    killed = False
    while True:
        pid, status = os.waitpid(run, os.WNOHANG)
        if pid == run:
            break
        if stop_asked and not killed and time.monotonic() - stop_asked[0][1] > STOP_GRACE_S:
            name = signal.Signals(stop_asked[0][0]).name
            sys.stderr.write(f"stopped: the run did not end within {STOP_GRACE_S:g} s of {name}; killed it\n")
            killed = _signal_group(run, signal.SIGKILL) or True
        time.sleep(POLL_S)
    _signal_group(run, signal.SIGKILL)  # whatever the run left behind
    if not os.WIFSIGNALED(status):
        return os.waitstatus_to_exitcode(status)
    if stop_asked and not killed:  # it ended by the signal passed on, before it could say so
        sys.stderr.write(f"stopped: {signal.Signals(stop_asked[0][0]).name} received\n")
    return 128 + (stop_asked[0][0] if stop_asked else os.WTERMSIG(status))


def _start_reaper(run: int) -> None:
    """Fork the reaper, which ends the run's group once this process is gone."""
    read_end, write_end = os.pipe()
    if os.fork() != 0:
        os.close(read_end)
        return  # the supervisor keeps write_end open until it exits, however it exits
    try:
        os.setpgid(0, 0)  # out of the terminal's group and out of the run's
        for signum in _FORWARDED:
            signal.signal(signum, signal.SIG_IGN)
        _detach(keep=read_end)
        while os.read(read_end, 1):
            pass
        _end_group(run)
    finally:
        os._exit(0)


def _detach(keep: int) -> None:
    """Close every inherited descriptor but `keep` (a caller waiting for the supervisor's output
    must not wait for the reaper) and point 0, 1 and 2 at /dev/null."""
    null = os.open(os.devnull, os.O_RDWR)
    for descriptor in (0, 1, 2):
        os.dup2(null, descriptor)
    os.closerange(3, keep)
    os.closerange(keep + 1, os.sysconf("SC_OPEN_MAX") if hasattr(os, "sysconf") else 1024)


def _end_group(group: int) -> None:
    """SIGTERM the group, then SIGKILL what is left of it after STOP_GRACE_S."""
    if not _signal_group(group, signal.SIGTERM):
        return
    deadline = time.monotonic() + STOP_GRACE_S
    while time.monotonic() < deadline:
        if not _signal_group(group, 0):
            return
        time.sleep(POLL_S)
    _signal_group(group, signal.SIGKILL)


def _signal_group(group: int, signum: int) -> bool:
    """Send `signum` to the process group; False when no process is left in it."""
    try:
        os.killpg(group, signum)
    except ProcessLookupError:
        return False
    except PermissionError as e:  # a member that is not ours: leave it alone
        return e.errno == errno.EPERM
    return True
