"""flows/extract_priorities.py: which task runner the settings ask for (flows run in tests/integration)."""

from __future__ import annotations

import pytest

from smartspec.extractors.settings import Settings


# Prefect is imported by the tests, not at collection: a test process that runs neither of
# them (a pytest-xdist worker given other tests) never pays for importing it.
def test_task_runner_follows_workers_and_dask_address():
    from prefect.task_runners import ProcessPoolTaskRunner, ThreadPoolTaskRunner

    from smartspec.flows.extract_priorities import task_runner_for

    sequential = task_runner_for(Settings())
    assert isinstance(sequential, ThreadPoolTaskRunner) and sequential._max_workers == 1
    threads = task_runner_for(Settings(workers=3))  # each document in a forked child of the flow's process
    assert isinstance(threads, ThreadPoolTaskRunner) and threads._max_workers == 3
    pool = task_runner_for(Settings(workers=3, worker_pool="processes"))
    assert isinstance(pool, ProcessPoolTaskRunner) and pool._max_workers == 3
    with pytest.raises(ValueError, match="worker_pool must be"):
        task_runner_for(Settings(workers=3, worker_pool="fibres"))
    dask = task_runner_for(Settings(workers=3, dask_address="tcp://127.0.0.1:8786"))
    assert type(dask).__name__ == "DaskTaskRunner" and dask.address == "tcp://127.0.0.1:8786"


def test_fetch_policy_from_settings():
    from smartspec.flows.extract_priorities import fetch_policy

    policy = fetch_policy(Settings(fetch_timeout=5.0, fetch_retries=1, fetch_backoff=0.0, fetch_max_bytes=10))
    assert (policy.timeout, policy.retries, policy.backoff, policy.max_bytes) == (5.0, 1, 0.0, 10)
