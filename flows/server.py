"""A local Prefect server for `smartspec serve`: Prefect schedules nothing on its ephemeral
in-process server, so scheduled runs need a real one.

`local_server()` starts `prefect server start` as a subprocess on 127.0.0.1 and a free port,
with its home (settings and the SQLite database) in a project-local folder, waits until its
API answers, and stops it (the whole process group) on exit. Imports no Prefect: the server
is a separate program, and the caller points Prefect at it with `PREFECT_API_URL`.
"""

from __future__ import annotations

import logging
import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import httpx

logger = logging.getLogger(__name__)

HOST = "127.0.0.1"  # never listen beyond this machine
LOG_NAME = "server.log"  # in the server's home
STARTUP_TIMEOUT = 120.0  # seconds: migrating a new database takes a while
STOP_TIMEOUT = 15.0  # seconds between SIGTERM and SIGKILL
_POLL = 0.25  # seconds between health checks
_LOG_TAIL = 2000  # characters of the server log an error quotes


class ServerError(RuntimeError):
    """The local Prefect server did not start."""


@dataclass(frozen=True, slots=True)
class LocalServer:
    api_url: str  # what PREFECT_API_URL should be: http://127.0.0.1:<port>/api
    ui_url: str
    home: Path
    pid: int


def free_port(host: str = HOST) -> int:
    """A port nothing listens on now (the OS picks it)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((host, 0))
        return sock.getsockname()[1]


def server_command(port: int, *, ui: bool = True, host: str = HOST) -> list[str]:
    return [sys.executable, "-m", "prefect", "server", "start", "--host", host, "--port", str(port),
            "--ui" if ui else "--no-ui", "--analytics-off"]


def server_environment(home: Path, base: dict[str, str] | None = None) -> dict[str, str]:
    """The environment of the server process: its own home and SQLite database, no telemetry."""
    env = dict(os.environ if base is None else base)
    env.pop("PREFECT_API_URL", None)  # the server is not a client of another server
    env.update({
        "PREFECT_HOME": str(home),
        "PREFECT_API_DATABASE_CONNECTION_URL": f"sqlite+aiosqlite:///{home / 'prefect.db'}",
        "PREFECT_SERVER_ANALYTICS_ENABLED": "false",
    })
    return env


def wait_until_healthy(api_url: str, process: subprocess.Popen, deadline: float, log_path: Path) -> None:
    """Poll `<api_url>/health` until it answers 200; raise ServerError if the server exits or
    `deadline` (a time.monotonic() value) passes."""
    with httpx.Client(timeout=2.0) as client:
        while True:
            if process.poll() is not None:
                raise ServerError(f"prefect server exited with code {process.returncode}:\n{_tail(log_path)}")
            try:
                if client.get(f"{api_url}/health").status_code == 200:
                    return
            except httpx.TransportError:
                pass
            if time.monotonic() > deadline:
                raise ServerError(f"prefect server did not answer at {api_url} in time:\n{_tail(log_path)}")
            time.sleep(_POLL)


@contextmanager
def local_server(
    home: Path, *, port: int | None = None, ui: bool = True, timeout: float = STARTUP_TIMEOUT
) -> Iterator[LocalServer]:
    """Run a Prefect server on 127.0.0.1 for the duration of the block."""
    home = home.resolve()
    home.mkdir(parents=True, exist_ok=True)
    port = port or free_port()
    api_url = f"http://{HOST}:{port}/api"
    log_path = home / LOG_NAME
    logger.info("starting a Prefect server at %s (home %s, log %s)", api_url, home, log_path)
    with log_path.open("ab") as log:
        process = subprocess.Popen(
            server_command(port, ui=ui), env=server_environment(home), stdout=log, stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL, start_new_session=True,  # its own process group, stopped as one
        )
    try:
        wait_until_healthy(api_url, process, time.monotonic() + timeout, log_path)
        yield LocalServer(api_url=api_url, ui_url=f"http://{HOST}:{port}", home=home, pid=process.pid)
    finally:
        stop(process)


def stop(process: subprocess.Popen, timeout: float = STOP_TIMEOUT) -> None:
    """SIGTERM the process group, then SIGKILL it if it has not exited after `timeout` s."""
    if process.poll() is not None:
        return
    logger.info("stopping the Prefect server (pid %d)", process.pid)
    _signal_group(process, signal.SIGTERM)
    try:
        process.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        _signal_group(process, signal.SIGKILL)
        process.wait(timeout=timeout)


def _signal_group(process: subprocess.Popen, sig: signal.Signals) -> None:
    try:
        os.killpg(process.pid, sig)  # the group start_new_session made, led by the process
    except ProcessLookupError:
        pass


def _tail(log_path: Path) -> str:
    try:
        return log_path.read_text(encoding="utf-8", errors="replace")[-_LOG_TAIL:]
    except OSError:
        return "(no server log)"
