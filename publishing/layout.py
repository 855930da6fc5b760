"""The names of what smartspec keeps in an output folder, for every module that needs one.

    <output>/<DATASET>/           the published dataset (publishing/versions.py)
        latest.json, latest       the pointer to and the link to the newest version
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
