"""Themes and partners through the command line, on a published version of the bundled raw/."""

from __future__ import annotations

import shutil

import pytest
from typer.testing import CliRunner

from smartspec.flows import themes as themes_flow
from smartspec.flows.cli import app
from smartspec.publishing.versions import publish, read_table
from tests.conftest import RAW

runner = CliRunner()


@pytest.fixture(scope="module")
def published(tmp_path_factory):
    """`smartspec run` on a copy of the bundled raw/, with the defaults and a cache of its own."""
    root = tmp_path_factory.mktemp("themes-run")
    shutil.copytree(RAW, root / "raw")
    with pytest.MonkeyPatch.context() as patch:
        patch.chdir(root)  # no pyproject.toml here: the defaults, and the cache under ./.smartspec
        result = runner.invoke(app, ["run", "--raw", "raw", "--output", "output"])
    assert result.exit_code == 0, result.output
    assert "published v1" in result.output
    return root


def partners(root, *args: str) -> list[str]:
    result = runner.invoke(app, ["partners", *args, "--output", str(root / "output")])
    assert result.exit_code == 0, result.output
    return result.stdout.splitlines()


def test_partners_of_vasterbotten_name_the_priorities_they_share(published):
    lines = partners(published, "Västerbotten", "--top", "17")
    text = "\n".join(lines)
    assert lines[0].startswith("Partners of Västerbotten (SE331) in v1, best first")
    assert "Uppsala (SE121)" in text and "Life Science  ~  Life science" in text  # life science
    assert "Hälsa och sjukvård  ~  Hälsa vård, omsorg" in text  # health, Stockholm
    assert "Digitala tjänster  ~  Digitala tjänster/processer" in text  # digital, Gävleborg
    assert "objective:health_life_science Health and life science" in text
    assert partners(published, "SE331", "--top", "17") == lines  # by NUTS code too
    assert len([line for line in partners(published, "Västerbotten", "--top", "2") if line[:3].strip(". ").isdigit()]) == 2


def test_the_published_version_has_themes_for_every_tagged_priority(published):
    dataset = published / "output" / "priorities"
    themes, priorities = read_table(dataset, "themes"), read_table(dataset, "priorities")
    key = ["source_id", "region_code", "level", "position"]
    economic = themes[themes.dimension == "nace"][key].drop_duplicates()
    assert len(economic) / len(priorities) >= 0.9
    assert (published / ".smartspec" / "cache" / "themes").is_dir()


def test_a_rerun_takes_the_tags_from_the_theme_cache_and_publishes_nothing(published, monkeypatch):
    def refuse(*args, **kwargs):
        raise AssertionError("built theme matchers although every text was tagged before")

    monkeypatch.setattr(themes_flow, "build_theme_matchers", refuse)
    monkeypatch.chdir(published)
    before = (published / "output" / "priorities" / "v1" / "themes.parquet").read_bytes()
    result = runner.invoke(app, ["run", "--raw", "raw", "--output", "output"])
    assert result.exit_code == 0, result.output
    assert result.stdout.strip().endswith("unchanged")
    assert (published / "output" / "priorities" / "v1" / "themes.parquet").read_bytes() == before


def test_partners_says_what_is_wrong(published, tmp_path):
    unknown = runner.invoke(app, ["partners", "Atlantis", "--output", str(published / "output")])
    assert unknown.exit_code == 2 and "no region 'Atlantis'" in unknown.output
    # a version published without themes has no partners table
    dataset = tmp_path / "output" / "priorities"
    priorities = read_table(published / "output" / "priorities", "priorities")
    sources = read_table(published / "output" / "priorities", "sources")
    publish(priorities, sources, dataset, code_version="0", inputs={})
    old = runner.invoke(app, ["partners", "Västerbotten", "--output", str(tmp_path / "output")])
    assert old.exit_code == 1 and "no partners table" in old.output
