"""extractors/settings.py: one source of defaults, a file of changes found from --config or the
current folder, values checked as they load."""

from __future__ import annotations

import dataclasses
import logging
import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

from smartspec.extractors.settings import Settings, SettingsError, load_settings
from smartspec.flows.cli import app
from tests.conftest import ROOT

runner = CliRunner()


def test_the_projects_file_changes_nothing_the_defaults_are_the_dataclass():
    assert load_settings(ROOT / "pyproject.toml") == Settings() == load_settings(None)


def test_a_file_holds_only_what_it_changes(tmp_path):
    config = tmp_path / "smartspec.toml"
    config.write_text("[tool.smartspec]\nworkers = 3\nmax_file_mb = 50\n", encoding="utf-8")
    settings = load_settings(config)
    assert (settings.workers, settings.max_file_mb) == (3, 50)
    assert settings.max_pages == Settings().max_pages


def test_settings_hold_only_what_a_user_tunes():
    """Folders, workers, limits, fetching, the schedule: plain values. The extractor's weights
    are its data (extractors/weights.extraction.toml), not settings."""
    for field in dataclasses.fields(Settings):
        assert isinstance(getattr(Settings(), field.name), str | int | float | Path | None), field.name
    assert not {"section_scoring", "region_inference", "region_fuzzy_threshold"} & {
        f.name for f in dataclasses.fields(Settings)}


@pytest.mark.parametrize(("text", "message"), [
    ('workers = "two"', "[tool.smartspec] workers must be a whole number, not 'two'"),
    ("wokers = 2", "unknown [tool.smartspec] settings: wokers"),
    ("section_scoring.min_score = 1.0", "[tool.smartspec] section_scoring: not settings any more: the extractor's "
                                        "weights are data files of the extractor (README, Settings)"),
    ("region_fuzzy_threshold = 80", "[tool.smartspec] region_fuzzy_threshold: not settings any more"),
])
def test_a_bad_value_is_named_by_its_key(tmp_path, text, message):
    config = tmp_path / "pyproject.toml"
    config.write_text(f"[tool.smartspec]\n{text}\n", encoding="utf-8")
    with pytest.raises(SettingsError, match=re.escape(message)):
        load_settings(config)


def _versions(tmp_path: Path, monkeypatch, *args: str):
    monkeypatch.chdir(tmp_path)
    # the CLI configures logging on each call; let this test's records through pytest's handler
    monkeypatch.setattr(logging.root, "handlers", list(logging.root.handlers))
    return runner.invoke(app, ["versions", "--output", str(tmp_path / "out"), *args])


def test_the_file_given_to_config_is_used_and_v_names_it(tmp_path, monkeypatch, caplog):
    (tmp_path / "pyproject.toml").write_text("[tool.smartspec]\nworkers = 2\n", encoding="utf-8")
    chosen = tmp_path / "elsewhere.toml"
    chosen.write_text('[tool.smartspec]\nworkers = "two"\n', encoding="utf-8")
    result = _versions(tmp_path, monkeypatch, "--config", str(chosen))
    assert result.exit_code == 2
    assert "elsewhere.toml: [tool.smartspec] workers must be a whole number" in result.output
    with caplog.at_level(logging.INFO, logger="smartspec.flows.cli"):
        result = _versions(tmp_path, monkeypatch, "-v")
    assert result.exit_code == 0, result.output
    assert f"settings: {tmp_path / 'pyproject.toml'}" in caplog.text


def test_without_a_project_file_the_defaults_apply_and_v_says_so(tmp_path, monkeypatch, caplog):
    with caplog.at_level(logging.INFO, logger="smartspec.flows.cli"):
        result = _versions(tmp_path, monkeypatch, "-v")
    assert result.exit_code == 0, result.output
    assert f"settings: the defaults (no pyproject.toml in {tmp_path})" in caplog.text


def test_a_config_file_that_is_not_there_stops_the_command(tmp_path, monkeypatch):
    result = _versions(tmp_path, monkeypatch, "--config", "missing.toml")
    assert result.exit_code == 2
    assert "--config missing.toml: no such file" in result.output
