"""flows/progress.py: progress records reach the bar, not the log, and only for long runs."""

from __future__ import annotations

import io
import logging

from rich.console import Console

from smartspec.flows import progress


def test_progress_is_silent_off_a_terminal_and_leaves_logging_as_it_was(caplog):
    out = io.StringIO()
    console = Console(file=out, force_terminal=False)
    logger = logging.getLogger("smartspec.flows.progress")
    before = (logger.level, logger.propagate, list(logger.handlers))
    with caplog.at_level(logging.INFO):
        with progress.show_progress(console, min_sources=2):
            for done in range(1, 4):
                progress.report(done, 3, f"s{done}", "extracted")
        assert not [r for r in caplog.records if r.name == "smartspec.flows.progress"]
    assert out.getvalue() == ""
    assert (logger.level, logger.propagate, list(logger.handlers)) == before


def test_progress_bar_on_a_terminal_for_more_than_a_few_sources():
    out = io.StringIO()
    console = Console(file=out, force_terminal=True, width=80)
    with progress.show_progress(console, min_sources=2):
        for done in range(1, 4):
            progress.report(done, 3, f"s{done}", "cached")
    assert "3/3" in out.getvalue()
    short = io.StringIO()
    with progress.show_progress(Console(file=short, force_terminal=True), min_sources=5):
        progress.report(1, 3, "s1", "cached")
    assert short.getvalue() == ""
