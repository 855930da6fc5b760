"""Validated tables -> immutable dataset versions, changelog and latest pointer.

Imports `extractors.records`/`errors` and `schemas`; never Prefect, never `flows`.
"""

from publishing.errors import PublishingError, PublishLocked, ValidationFailed, VersionExists, VersionNotFound
from publishing.parquet import ARROW_SCHEMAS, CHANGES_ARROW, PRIORITIES_ARROW, SOURCES_ARROW, data_fingerprint
from publishing.tables import priorities_frame, sources_frame, validate, write_failure_cases
from publishing.versions import (
    PublishResult,
    VersionInfo,
    latest_version,
    list_versions,
    publish,
    read_version,
)

__all__ = [
    "ARROW_SCHEMAS", "CHANGES_ARROW", "PRIORITIES_ARROW", "SOURCES_ARROW",
    "PublishLocked", "PublishResult", "PublishingError", "ValidationFailed", "VersionExists", "VersionInfo",
    "VersionNotFound", "data_fingerprint", "latest_version", "list_versions", "priorities_frame", "publish",
    "read_version", "sources_frame", "validate", "write_failure_cases",
]
