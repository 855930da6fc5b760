"""Why a publish did not happen. These fail the run; they are not per-document input errors."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import pandas as pd


class PublishingError(Exception):
    """Base of every error `publishing/` raises on purpose."""


class ValidationFailed(PublishingError):
    """The tables broke the schemas or a cross-table reference; nothing was published.

    `failure_cases` has one row per failing value: table, schema_context, column, check,
    check_number, failure_case, index, source_id, page.
    """

    def __init__(self, message: str, failure_cases: pd.DataFrame) -> None:
        super().__init__(message)
        self.message = message
        self.failure_cases = failure_cases


class PublishLocked(PublishingError):
    """Another run held the dataset's lock for longer than the timeout."""


class RunLocked(PublishingError):
    """Another smartspec run holds the run lock of the output folder (`locks.run_lock`)."""


class VersionExists(PublishingError):
    """A version directory is already there; versions are never overwritten."""


class VersionNotFound(PublishingError):
    """The dataset has no such (complete) version."""


class TooManyRemovals(PublishingError):
    """The run would remove more of the previous version's sources than `max_removed_share`."""


class OutputUnusable(PublishingError):
    """The output folder cannot hold versions: it is a file, it cannot be written, or a file
    smartspec owns there is something else (latest.json a folder)."""
