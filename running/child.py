"""What a child process of a run sets up first: its log records kept for the parent, its
memory and CPU time bounded (see running/isolation.py, which runs each document in one, and
running/readahead.py). Nothing here imports extraction, so a child can be forked before spaCy
is loaded.
"""

from __future__ import annotations

import logging
import math
import multiprocessing
import os

MB = 1024 * 1024
# At most this many log records of one child are replayed in the parent.
MAX_LOG_RECORDS = 500
# CPU-seconds a child may use beyond its wall-clock limit before the kernel kills it: a
# backstop for a child whose parent died and can no longer enforce the timeout.
CPU_SLACK_S = 30


def start_context() -> multiprocessing.context.BaseContext:
    """Fork where the platform can (the child shares what the parent loaded), else spawn."""
    method = "fork" if "fork" in multiprocessing.get_all_start_methods() else "spawn"
    return multiprocessing.get_context(method)


class LogCollector(logging.Handler):
    """Keeps the child's log records, made picklable, to send to the parent."""

    def __init__(self) -> None:
        super().__init__(logging.NOTSET)
        self.records: list[logging.LogRecord] = []
        self.dropped = 0

    def emit(self, record: logging.LogRecord) -> None:
        if len(self.records) >= MAX_LOG_RECORDS:
            self.dropped += 1
            return
        message = record.getMessage()
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        record.msg, record.args, record.exc_info = message, None, None
        self.records.append(record)


def collect_logs() -> LogCollector:
    """Route every log record of this (child) process to one collector.

    The inherited handlers write to the parent's streams and services (Prefect's API log
    worker lives in a thread the child does not have), so the child drops them all; the
    parent replays the records through its own. Levels stay as configured.
    """
    collector = LogCollector()
    loggers = [logging.getLogger(), *(item for item in logging.Logger.manager.loggerDict.values()
                                      if isinstance(item, logging.Logger))]
    for each in loggers:
        for handler in list(each.handlers):
            each.removeHandler(handler)
        each.propagate = True
    logging.getLogger().addHandler(collector)
    return collector


def _address_space_bytes() -> int | None:
    try:
        with open("/proc/self/statm", encoding="ascii") as statm:
            return int(statm.read().split()[0]) * os.sysconf("SC_PAGE_SIZE")
    except (OSError, ValueError, IndexError):
        return None


def limit_resources(memory_mb: float | None, timeout_s: float) -> None:
    """Cap this (child) process: address space = what it inherited + memory_mb; CPU time."""
    try:
        import resource
    except ImportError:  # not on Windows
        return
    if memory_mb is not None:
        inherited = _address_space_bytes()
        if inherited is not None:
            soft = inherited + int(memory_mb * MB)
            _, hard = resource.getrlimit(resource.RLIMIT_AS)
            if hard == resource.RLIM_INFINITY or soft <= hard:
                resource.setrlimit(resource.RLIMIT_AS, (soft, hard))
    cpu = math.ceil(timeout_s) + CPU_SLACK_S
    _, hard = resource.getrlimit(resource.RLIMIT_CPU)
    if hard == resource.RLIM_INFINITY or cpu < hard:
        resource.setrlimit(resource.RLIMIT_CPU, (cpu, hard))


def lift_memory_limit() -> None:
    try:
        import resource
    except ImportError:
        return
    _, hard = resource.getrlimit(resource.RLIMIT_AS)
    resource.setrlimit(resource.RLIMIT_AS, (hard, hard))
