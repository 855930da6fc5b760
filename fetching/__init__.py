"""Remote sources: fetch the `url` of `[[source]]` entries into immutable snapshots under raw/_snapshots/.

Imports only `smartspec.inputs.sources` from the project; never Prefect, `flows` or `publishing`.
"""

from smartspec.fetching.http import FetchPolicy, FetchResult, default_user_agent, fetch_source
from smartspec.fetching.snapshots import (
    SNAPSHOTS_DIRNAME,
    FetchState,
    Snapshot,
    current_snapshot,
    list_snapshots,
    load_snapshot,
    read_state,
    restore_current,
    snapshot_dir_for,
    snapshots_root,
)

__all__ = [
    "SNAPSHOTS_DIRNAME",
    "FetchPolicy",
    "FetchResult",
    "FetchState",
    "Snapshot",
    "current_snapshot",
    "default_user_agent",
    "fetch_source",
    "list_snapshots",
    "load_snapshot",
    "read_state",
    "restore_current",
    "snapshot_dir_for",
    "snapshots_root",
]
