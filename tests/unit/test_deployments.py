"""flows/deployments.py: the served flows' parameter is the serving command's settings, kept as
JSON by the deployment and validated back into the same `Settings` by Prefect."""

from __future__ import annotations

import json
from pathlib import Path

from smartspec.extractors.settings import Settings, absolute_folders
from smartspec.flows.deployments import SERVED_LOCK_WAIT_S, deployment_parameters
from smartspec.flows.extract_priorities import reextract, refresh


def test_the_settings_go_to_a_deployment_as_json_and_come_back_the_same(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    settings = Settings(raw_dir=Path("raw"), workers=3, max_file_mb=50.0, dask_address=None)
    parameters = json.loads(json.dumps(deployment_parameters(settings)))  # as the Prefect API keeps them
    assert parameters["settings"]["raw_dir"] == str(tmp_path / "raw") and parameters["lock_wait_s"] == SERVED_LOCK_WAIT_S
    for flow in (refresh, reextract):
        validated = flow.validate_parameters(parameters)
        assert validated["settings"] == absolute_folders(settings)
        assert isinstance(validated["settings"], Settings) and isinstance(validated["settings"].raw_dir, Path)
