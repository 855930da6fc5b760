"""Prefect's process pool, with its workers talking to this process's Prefect API.

In Prefect's ephemeral mode (no `PREFECT_API_URL`) the flow's process starts a local API
server on first use. A process-pool worker is a fresh interpreter that inherits the flow's
settings, with no API URL in them, so each worker started a server of its own: seconds of
CPU apiece and several servers on one SQLite database, which on two cores cost the
parallel run most of its gain. `SharedServerProcessPool` hands each task the URL of the
server the flow already runs, so the workers use it. With `PREFECT_API_URL` set (a real
server, `smartspec serve`) it is Prefect's pool unchanged.
"""

from __future__ import annotations

from typing import Any

from prefect.settings import PREFECT_API_URL, temporary_settings
from prefect.task_runners import ProcessPoolTaskRunner


def ephemeral_api_url() -> str | None:
    """The URL of the ephemeral API server this process runs, or None (a server is
    configured, or none was started)."""
    if PREFECT_API_URL.value():
        return None
    from prefect.server.api.server import (
        SubprocessASGIServer,  # the one get_client() starts
    )

    server = SubprocessASGIServer()
    return server.api_url if server.running and server.port else None


class SharedServerProcessPool(ProcessPoolTaskRunner):
    """`ProcessPoolTaskRunner` whose workers use the flow's ephemeral API server."""

    def submit(self, task: Any, parameters: dict[str, Any], wait_for: Any = None, dependencies: Any = None) -> Any:
        url = ephemeral_api_url()
        if url is None:
            return super().submit(task, parameters, wait_for, dependencies)
        with temporary_settings({PREFECT_API_URL: url}):  # serialised into the task's context
            return super().submit(task, parameters, wait_for, dependencies)
