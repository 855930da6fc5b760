"""Validated tables -> immutable dataset versions, changelog and latest pointer.

Imports `smartspec.extractors.records`/`errors` and `schemas`; never Prefect, never `flows`.

The names below are loaded from their modules on first use, so that `smartspec.publishing.errors` or
`smartspec.publishing.locks` (which the command line checks with before anything starts) do not bring
pandas, pyarrow and Pandera along.
"""

from __future__ import annotations

import importlib
from typing import Any

_HOMES = {
    "current_priorities": "current",
    **dict.fromkeys(("diff_lines", "diff_versions", "parse_version"), "diff"),
    **dict.fromkeys(("PublishingError", "PublishLocked", "RunLocked", "ValidationFailed", "VersionExists",
                     "VersionNotFound"), "errors"),
    "run_lock": "locks",
    **dict.fromkeys(("ARROW_SCHEMAS", "CHANGES_ARROW", "CURRENT_ARROW", "PRIORITIES_ARROW", "SOURCES_ARROW",
                     "data_fingerprint"), "parquet"),
    **dict.fromkeys(("priorities_frame", "sources_frame", "validate", "write_failure_cases"), "tables"),
    **dict.fromkeys(("VersionInfo", "list_versions"), "manifest"),
    **dict.fromkeys(("PublishResult", "latest_version", "publish", "read_manifest", "read_table", "read_version"),
                    "versions"),
}
__all__ = sorted(_HOMES)


def __getattr__(name: str) -> Any:
    home = _HOMES.get(name)
    if home is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(f"{__name__}.{home}"), name)
    globals()[name] = value
    return value
