"""flows/server.py: the local Prefect server's command, environment and startup checks
(the real server is started in tests/integration/test_flow.py)."""

from __future__ import annotations

import socket
import subprocess
import sys
import time

import pytest

from smartspec.flows.server import HOST, ServerError, free_port, server_command, server_environment, stop, wait_until_healthy


def test_free_port_is_on_loopback_and_free():
    port = free_port()
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((HOST, port))  # nothing holds it


def test_command_listens_on_loopback_only(tmp_path):
    command = server_command(4321, ui=False)
    assert command[:5] == [sys.executable, "-m", "prefect", "server", "start"]
    assert command[command.index("--host") + 1] == "127.0.0.1"
    assert command[command.index("--port") + 1] == "4321"
    assert "--no-ui" in command and "--analytics-off" in command


def test_environment_has_its_own_home_and_sqlite_and_no_api_url(tmp_path):
    env = server_environment(tmp_path, {"PREFECT_API_URL": "http://127.0.0.1:1/api", "PATH": "/bin"})
    assert "PREFECT_API_URL" not in env and env["PATH"] == "/bin"
    assert env["PREFECT_HOME"] == str(tmp_path)
    assert env["PREFECT_API_DATABASE_CONNECTION_URL"] == f"sqlite+aiosqlite:///{tmp_path / 'prefect.db'}"
    assert env["PREFECT_SERVER_ANALYTICS_ENABLED"] == "false"


def test_a_server_that_exits_is_reported_with_its_log(tmp_path):
    log = tmp_path / "server.log"
    log.write_text("Address already in use\n")
    process = subprocess.Popen([sys.executable, "-c", "raise SystemExit(3)"])
    process.wait()
    with pytest.raises(ServerError, match="(?s)exited with code 3.*Address already in use"):
        wait_until_healthy(f"http://{HOST}:{free_port()}/api", process, time.monotonic() + 5, log)


def test_a_server_that_never_answers_times_out_and_is_stopped(tmp_path):
    process = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"], start_new_session=True)
    try:
        with pytest.raises(ServerError, match="did not answer"):
            wait_until_healthy(f"http://{HOST}:{free_port()}/api", process, time.monotonic() + 0.5,
                               tmp_path / "none.log")
    finally:
        stop(process, timeout=5)
    assert process.returncode is not None
