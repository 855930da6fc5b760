from datetime import date

import pytest

from extractors.sources import discover, load_source_configs, source_id


def test_source_id_is_the_configured_id_else_the_relative_path_without_suffix(tmp_path):
    assert source_id("skane/strategi.pdf") == "skane/strategi"
    assert source_id("deck.pptx") == "deck"


def test_discover_skips_hidden_snapshots_and_config(tmp_path):
    (tmp_path / "a").mkdir()
    (tmp_path / "a" / "deck.pptx").write_bytes(b"x")
    (tmp_path / ".hidden.pdf").write_bytes(b"x")
    (tmp_path / "_snapshots").mkdir()
    (tmp_path / "_snapshots" / "old.pdf").write_bytes(b"x")
    (tmp_path / "plan.pdf").write_bytes(b"x")
    (tmp_path / "sources.toml").write_text(
        '[[source]]\nid = "skane-plan"\npath = "plan.pdf"\nregion = "SE224"\npublished = 2024-05-01\n'
    )
    found = discover(tmp_path)
    assert [(s.source_id, s.relative) for s in found] == [("a/deck", "a/deck.pptx"), ("skane-plan", "plan.pdf")]
    assert found[1].config.region == "SE224" and found[1].config.published == date(2024, 5, 1)


def test_paths_cannot_escape_raw(tmp_path):
    (tmp_path / "sources.toml").write_text('[[source]]\nid = "x"\npath = "../etc/passwd"\n')
    with pytest.raises(ValueError, match="outside"):
        load_source_configs(tmp_path)


def test_two_files_with_one_id_are_refused(tmp_path):
    (tmp_path / "plan.pdf").write_bytes(b"x")
    (tmp_path / "plan.pptx").write_bytes(b"x")
    with pytest.raises(ValueError, match="give one an id"):
        discover(tmp_path)


def test_unknown_keys_are_refused(tmp_path):
    (tmp_path / "sources.toml").write_text('[[source]]\nid = "x"\nregoin = "SE224"\n')
    with pytest.raises(ValueError, match="unknown keys"):
        load_source_configs(tmp_path)
