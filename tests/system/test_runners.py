"""flows/runners.py: the process pool whose workers share the flow's ephemeral API."""

from __future__ import annotations

from prefect.settings import PREFECT_API_URL, temporary_settings
from prefect.task_runners import ProcessPoolTaskRunner

from smartspec.extractors.settings import Settings
from smartspec.flows.extract_priorities import task_runner_for
from smartspec.flows.runners import SharedServerProcessPool, ephemeral_api_url


def test_process_workers_get_the_shared_pool():
    runner = task_runner_for(Settings(workers=2, worker_pool="processes"))
    assert isinstance(runner, SharedServerProcessPool) and isinstance(runner, ProcessPoolTaskRunner)
    assert isinstance(runner.duplicate(), SharedServerProcessPool)


def test_a_configured_server_is_left_alone():
    with temporary_settings({PREFECT_API_URL: "http://127.0.0.1:4200/api"}):
        assert ephemeral_api_url() is None
