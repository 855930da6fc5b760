"""Where a run's log lines go: our INFO lines to the Prefect API, the console quiet unless -v.

Prefect sends a logger's records made inside a flow or task run to its API when the logger is
named in `PREFECT_LOGGING_EXTRA_LOGGERS`. `prefect_log_settings()` gives those environment
defaults; the CLI sets them before Prefect loads, and the processes of served runs inherit
them. `set_operator_levels()` sets the levels: our packages at INFO, third-party chatter (httpx,
Prefect's internals) at WARNING. Each flow runs inside `operator_logging()`, so a served run's
process, which no CLI set up, logs as a run from the command line does.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager

# The loggers whose INFO lines an operator wants in the flow run's log: all of smartspec's.
# pyproject.toml's [tool.prefect] logging.extra_loggers names the same, for Prefect processes
# started in the project folder (a served run, a Dask worker).
PROJECT_LOGGERS = ("smartspec",)
# Libraries that log each request or internal step at INFO: WARNING and up only.
THIRD_PARTY_LOGGERS = ("httpx", "httpcore", "urllib3", "asyncio", "distributed")


def prefect_log_settings(verbose: bool) -> dict[str, str]:
    """Environment for Prefect's logging: our loggers to the API, Prefect's own run loggers
    at INFO and its internals at WARNING, its console at WARNING unless `verbose`."""
    return {
        "PREFECT_LOGGING_EXTRA_LOGGERS": ",".join(PROJECT_LOGGERS),
        # our loggers also speak outside flow runs (the CLI's checks, `extract`): not a mistake
        "PREFECT_LOGGING_TO_API_WHEN_MISSING_FLOW": "ignore",
        "PREFECT_LOGGING_LEVEL": "WARNING",
        "PREFECT_LOGGING_LOGGERS_PREFECT_FLOW_RUNS_LEVEL": "INFO",
        "PREFECT_LOGGING_LOGGERS_PREFECT_TASK_RUNS_LEVEL": "INFO",
        "PREFECT_LOGGING_HANDLERS_CONSOLE_LEVEL": "INFO" if verbose else "WARNING",
    }


def set_operator_levels() -> dict[str, int]:
    """Our loggers at INFO (what reaches a handler is the handler's to decide), others quiet;
    returns the levels they had."""
    levels = {name: logging.getLogger(name).level for name in (*PROJECT_LOGGERS, *THIRD_PARTY_LOGGERS)}
    for name in PROJECT_LOGGERS:
        logging.getLogger(name).setLevel(logging.INFO)
    for name in THIRD_PARTY_LOGGERS:
        logging.getLogger(name).setLevel(logging.WARNING)
    return levels


def reaches_prefect_api() -> bool:
    """Whether our loggers send to the Prefect API in this process (Prefect set it up with
    `PREFECT_LOGGING_EXTRA_LOGGERS` naming them)."""
    from prefect.logging.handlers import APILogHandler

    return all(any(isinstance(handler, APILogHandler) for handler in logging.getLogger(name).handlers)
               for name in PROJECT_LOGGERS)


class _Collected(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(record.getMessage())


@contextmanager
def collected_warnings() -> Iterator[list[str]]:
    """The messages of the warnings our loggers log in this block, in this process: what a task
    on a worker process says, for the flow to log where operators look (the worker's own log
    may be on another machine, or not reach Prefect)."""
    handler = _Collected()
    loggers = [logging.getLogger(name) for name in PROJECT_LOGGERS]
    for each in loggers:
        each.addHandler(handler)
    try:
        yield handler.messages
    finally:
        for each in loggers:
            each.removeHandler(handler)


@contextmanager
def operator_logging() -> Iterator[None]:
    """`set_operator_levels()` for the block: a flow run in someone else's process leaves
    their logging as it found it."""
    levels = set_operator_levels()
    try:
        yield
    finally:
        for name, level in levels.items():
            logging.getLogger(name).setLevel(level)
