"""The run's theme tagging (flows/themes.py) builds the pipelines of the languages it tags only."""

from __future__ import annotations

import pandas as pd

from smartspec.extractors.settings import Settings
from smartspec.extractors.themes import load_taxonomy
from smartspec.flows.themes import theme_tags
from smartspec.running.steps import toolkit_for
from smartspec.schemas.priorities import PrioritySchema


def test_swedish_priorities_build_the_swedish_pipeline_alone(tmp_path):
    settings = Settings(cache_dir=tmp_path / "cache")  # a toolkit and a theme cache of this test's own
    priorities = pd.DataFrame({PrioritySchema.language: ["sv", "sv", "fi"],
                               PrioritySchema.priority: ["Hållbar energi", "Life science", "Metsäteollisuus"]})
    tags = theme_tags(priorities, settings, load_taxonomy())
    assert set(tags) == {("sv", "Hållbar energi"), ("sv", "Life science")}  # no patterns for Finnish
    assert tags[("sv", "Hållbar energi")]
    assert list(toolkit_for(settings).built) == ["sv"]
