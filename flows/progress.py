"""Progress over the sources of a run: the flow reports it, the CLI may show it.

The flow logs one record per finished source on the `smartspec.flows.progress` logger, carrying
`(done, total)` in the record; nothing else needs to know who listens. The CLI attaches
`show_progress()`, a rich progress bar on stderr, for runs of more than a few sources, and
only on a terminal, so piped output stays as it was.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

logger = logging.getLogger(__name__)

PROGRESS_ATTR = "smartspec_progress"  # (done, total) on each progress record
MIN_SOURCES = 5  # show a bar only for runs of more sources than this


def report(done: int, total: int, source_id: str, outcome: str) -> None:
    logger.info("%d/%d %s: %s", done, total, source_id, outcome, extra={PROGRESS_ATTR: (done, total)})


class _BarHandler(logging.Handler):
    def __init__(self, console: Console, min_sources: int) -> None:
        super().__init__(logging.INFO)
        self.console = console
        self.min_sources = min_sources
        self.progress: Progress | None = None
        self.task_id = None

    def emit(self, record: logging.LogRecord) -> None:
        done, total = getattr(record, PROGRESS_ATTR, (None, None))
        if done is None or total <= self.min_sources:
            return
        if self.progress is None:
            self.progress = Progress(
                TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                console=self.console, transient=True, disable=not self.console.is_terminal,
            )
            self.progress.start()
            self.task_id = self.progress.add_task("sources", total=total)
        self.progress.update(self.task_id, completed=done, description=record.getMessage().split(" ", 1)[1])

    def close(self) -> None:
        if self.progress is not None:
            self.progress.stop()
        super().close()


@contextmanager
def show_progress(console: Console, min_sources: int = MIN_SOURCES) -> Iterator[None]:
    """Show a progress bar on `console` while the block runs a flow in this process."""
    handler = _BarHandler(console, min_sources)
    level, propagate = logger.level, logger.propagate
    logger.addHandler(handler)
    logger.setLevel(logging.INFO)
    logger.propagate = False  # the bar replaces these lines; they are not log news
    try:
        yield
    finally:
        logger.removeHandler(handler)
        logger.setLevel(level)
        logger.propagate = propagate
        handler.close()
