from datetime import date

import pytest

from extractors.sources import discover, file_ids, find_sources, load_source_configs, source_id


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


def _files(raw, *names: str) -> None:
    for name in names:
        (raw / name).parent.mkdir(parents=True, exist_ok=True)
        (raw / name).write_bytes(b"x")


def test_files_that_differ_only_in_suffix_take_their_paths_as_ids_and_share_a_document_id(tmp_path):
    _files(tmp_path, "plan.pdf", "plan.pptx", "plan.docx", "deck.pdf", "sub/plan.pdf")
    found = {s.relative: s for s in discover(tmp_path)}
    assert {r: s.source_id for r, s in found.items()} == {
        "deck.pdf": "deck", "plan.docx": "plan.docx", "plan.pdf": "plan.pdf", "plan.pptx": "plan.pptx",
        "sub/plan.pdf": "sub/plan",
    }
    assert {found[r].document_id for r in ("plan.pdf", "plan.pptx", "plan.docx")} == {"plan"}
    assert found["deck.pdf"].document_id is None and found["sub/plan.pdf"].document_id is None


def test_file_ids_depend_on_no_other_file_than_their_siblings():
    assert file_ids(["x.pdf"]) == {"x.pdf": "x"}
    assert file_ids(["x.pdf", "x.pptx", "y.pdf"]) == {"x.pdf": "x.pdf", "x.pptx": "x.pptx", "y.pdf": "y"}
    # a third rendition leaves the ids of the other two as they were
    assert file_ids(["x.pdf", "x.pptx", "x.docx"])["x.pptx"] == "x.pptx"
    # case: `x.pdf` and `x.PDF` clash on `x`; `X.pdf` and `x.pdf` already differ
    assert file_ids(["x.PDF", "x.pdf"]) == {"x.PDF": "x.PDF", "x.pdf": "x.pdf"}
    assert file_ids(["X.pdf", "x.pdf"]) == {"X.pdf": "X", "x.pdf": "x"}
    # an id given in sources.toml is the configured source's; the file takes its path
    assert file_ids(["x.pdf"], taken={"x"}) == {"x.pdf": "x.pdf"}
    # even the path taken (by `x.pdf.txt`, whose id is `x.pdf`): numbered, the unclashing id kept
    assert file_ids(["x.pdf", "x.pdf.txt", "x.pptx"]) == {"x.pdf.txt": "x.pdf", "x.pdf": "x.pdf#2",
                                                          "x.pptx": "x.pptx"}
    assert file_ids(["README", "README.md"]) == {"README": "README", "README.md": "README.md"}


def test_a_clashing_configured_id_never_stops_discovery(tmp_path):
    _files(tmp_path, "deck.pdf", "a.pdf", "b.pdf", "c.pdf")
    (tmp_path / "sources.toml").write_text(
        '[[source]]\nid = "deck"\npath = "a.pdf"\n'  # takes the id deck.pdf would have had
        '[[source]]\nid = "deck"\npath = "b.pdf"\n'  # the same id again: refused
        '[[source]]\nid = "other"\npath = "a.pdf"\n'  # the same path again: refused
        '[[source]]\nid = "deck"\nurl = "https://example.org/deck.pdf"\n'  # refused, no file
    )
    found = find_sources(tmp_path)
    assert [(f.source_id, f.relative) for f in found.files] == [("deck", "a.pdf"), ("c", "c.pdf"),
                                                                 ("deck.pdf", "deck.pdf")]
    assert [(r.source_id, r.relative) for r in found.refused] == [("b", "b.pdf"), ("other", None),
                                                                   ("deck#2", None)]
    assert "source id 'deck' is given twice (also to a.pdf)" in found.refused[0].message
    assert "path 'a.pdf' is given twice (also to source 'deck')" in found.refused[1].message
    assert all("\n" not in r.message for r in found.refused)


def test_unknown_keys_are_refused(tmp_path):
    (tmp_path / "sources.toml").write_text('[[source]]\nid = "x"\nregoin = "SE224"\n')
    with pytest.raises(ValueError, match="unknown keys"):
        load_source_configs(tmp_path)
