"""The run's theme tagging (flows/themes.py) builds the pipelines of the languages it tags only."""

from __future__ import annotations

import pandas as pd
import pytest

from smartspec.extractors.settings import Settings
from smartspec.extractors.themes import load_taxonomy
from smartspec.flows.themes import theme_tags
from smartspec.running import steps
from smartspec.schemas.priorities import PrioritySchema


@pytest.fixture
def fresh_toolkit():
    """The process's shared toolkit as a run starts it: no pipeline built yet (and afterwards
    another, so that no other test sees this one's)."""
    steps._toolkit.cache_clear()
    yield
    steps._toolkit.cache_clear()


def test_swedish_priorities_build_the_swedish_pipeline_alone(tmp_path, fresh_toolkit):
    settings = Settings(cache_dir=tmp_path / "cache")  # a theme cache of this test's own
    priorities = pd.DataFrame({PrioritySchema.language: ["sv", "sv", "fi"],
                               PrioritySchema.priority: ["Hållbar energi", "Life science", "Metsäteollisuus"]})
    tags = theme_tags(priorities, settings, load_taxonomy())
    assert set(tags) == {("sv", "Hållbar energi"), ("sv", "Life science")}  # no patterns for Finnish
    assert tags[("sv", "Hållbar energi")]
    assert list(steps.shared_toolkit().built) == ["sv"]
