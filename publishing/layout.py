"""The names of what smartspec keeps in an output folder, for every module that needs one.

    <output>/<DATASET>/           the published dataset (publishing/versions.py)
        latest.json, latest       the pointer to and the link to the newest version
        v<N>/<table>.parquet      a version's tables (manifest.py, datapackage.py: its other files)
        runs.jsonl                the run record (publishing/runs.py)

Plain constants, so that checking an output folder before a run starts loads nothing else.
"""

from __future__ import annotations

# The published dataset: output/<DATASET>/v<N>/
DATASET = "priorities"
LATEST_FILE = "latest.json"
# A link to the newest version's folder: the one path to read the latest data by
LATEST_LINK = "latest"
RUNS_FILE = "runs.jsonl"
# The tables of a version: output/<DATASET>/v<N>/<file>
TABLE_FILES = {
    "priorities": "priorities.parquet", "sources": "sources.parquet", "changes": "changes.parquet",
    "current": "current.parquet",
}
# Tables of a version published with its theme tags (publish(..., themes=...)): the tags, the
# partners derived from them and `current`, and the tags changed since the previous version.
THEME_TABLE_FILES = {
    "themes": "themes.parquet", "partners": "partners.parquet", "theme_changes": "theme_changes.parquet",
}
ALL_TABLE_FILES = {**TABLE_FILES, **THEME_TABLE_FILES}
