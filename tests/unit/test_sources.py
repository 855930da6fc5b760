from datetime import date

import pytest

from smartspec.inputs.sources import (
    SourcesFileError,
    discover,
    file_ids,
    find_sources,
    load_source_configs,
    source_id,
)


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
    assert load_source_configs(tmp_path) == []
    [refused] = find_sources(tmp_path).refused
    assert (refused.source_id, refused.error_type) == ("x", "SourceEntryInvalid")
    assert refused.message == (f"sources.toml: source 1 ('x'): path '../etc/passwd' points outside {tmp_path.name}/; "
                               "this entry is not read: fix it")


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
    [refused] = find_sources(tmp_path).refused
    assert refused.message == ("sources.toml: source 1 ('x'): unknown key 'regoin' (known: id, path, url, region, "
                               "scope, publisher, published); this entry is not read: fix it")


# Each mistake in one entry of sources.toml is that entry's failed row; the others are read.
BAD_ENTRIES = {
    'id = 5\npath = "a.pdf"': ("a", "source 1: id must be text in quotes, not 5"),
    'id = "f"\nurl = "file:///etc/passwd"': ("f", "source 1 ('f'): url 'file:///etc/passwd': only http and https "
                                                  "URLs are fetched"),
    'id = "g"\nurl = "ftp://example.org/x.pdf"': ("g", "source 1 ('g'): url 'ftp://example.org/x.pdf': only http "
                                                       "and https URLs are fetched"),
    'id = "h"\nurl = ""': ("h", "source 1 ('h'): url is empty"),
    'id = "i"\nurl = "http://[::1"': ("i", "source 1 ('i'): url 'http://[::1' is not a valid URL (Invalid IPv6 URL)"),
    'id = "j"\nurl = "https:///x.pdf"': ("j", "source 1 ('j'): url 'https:///x.pdf' names no host"),
    'path = "a.pdf"': ("a", "source 1: needs an id"),
    'id = "k"\npath = "a.pdf"\nscope = "national"': ("a", "source 1 ('k'): scope must be 'region' or "
                                                           "'overview', not 'national'"),
    'id = "l"\npath = "a.pdf"\npublished = "May 2024"': ("a", "source 1 ('l'): published must be a date "
                                                              "(2024-05-01), not 'May 2024'"),
    'id = "m"\npath = "a.pdf"\npublished = 1066-10-14': ("a", "source 1 ('m'): published 1066-10-14 is out of "
                                                               "range (1678 to 2261)"),
}


@pytest.mark.parametrize("entry", list(BAD_ENTRIES), ids=list(range(len(BAD_ENTRIES))))
def test_a_bad_entry_is_its_own_refused_row_and_the_rest_are_read(tmp_path, entry):
    _files(tmp_path, "a.pdf", "b.pdf")
    (tmp_path / "sources.toml").write_text(f'[[source]]\n{entry}\n[[source]]\nid = "bee"\npath = "b.pdf"\n')
    found = find_sources(tmp_path)
    row_id, why = BAD_ENTRIES[entry]
    assert {(f.source_id, f.relative) for f in found.files} == {("bee", "b.pdf")} | (
        set() if row_id == "a" else {("a", "a.pdf")})
    [refused] = found.refused
    assert (refused.source_id, refused.error_type) == (row_id, "SourceEntryInvalid")
    assert refused.message == f"sources.toml: {why}; this entry is not read: fix it"


def test_a_scope_given_in_sources_toml_is_accepted(tmp_path):
    _files(tmp_path, "a.pdf")
    (tmp_path / "sources.toml").write_text('[[source]]\nid = "a"\npath = "a.pdf"\nscope = "overview"\n')
    assert [c.scope for c in load_source_configs(tmp_path)] == ["overview"]


def test_sources_toml_that_is_not_toml_stops_with_one_line(tmp_path):
    (tmp_path / "sources.toml").write_text('[[source]]\nid = "a\n')
    with pytest.raises(SourcesFileError) as raised:
        find_sources(tmp_path)
    assert str(raised.value) == (f"{tmp_path / 'sources.toml'} is not valid TOML: Illegal character '\\n' "
                                 "(at line 2, column 8): fix the file")
