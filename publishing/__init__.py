"""Validated tables -> immutable dataset versions, changelog and latest pointer.

Imports `extractors.records`/`errors` and `schemas`; never Prefect, never `flows`.
"""

from publishing.current import current_priorities
from publishing.diff import diff_lines, diff_versions, parse_version
from publishing.errors import PublishingError, PublishLocked, RunLocked, ValidationFailed, VersionExists, VersionNotFound
from publishing.locks import run_lock
from publishing.parquet import (
    ARROW_SCHEMAS,
    CHANGES_ARROW,
    CURRENT_ARROW,
    PRIORITIES_ARROW,
    SOURCES_ARROW,
    data_fingerprint,
)
from publishing.tables import priorities_frame, sources_frame, validate, write_failure_cases
from publishing.versions import (
    PublishResult,
    VersionInfo,
    latest_version,
    list_versions,
    publish,
    read_manifest,
    read_table,
    read_version,
)

__all__ = [
    "ARROW_SCHEMAS", "CHANGES_ARROW", "CURRENT_ARROW", "PRIORITIES_ARROW", "SOURCES_ARROW",
    "PublishLocked", "PublishResult", "PublishingError", "RunLocked", "ValidationFailed", "VersionExists",
    "VersionInfo", "VersionNotFound", "current_priorities", "data_fingerprint", "diff_lines", "diff_versions",
    "latest_version", "list_versions", "parse_version", "priorities_frame", "publish", "read_manifest", "read_table", "read_version",
    "run_lock", "sources_frame", "validate", "write_failure_cases",
]
