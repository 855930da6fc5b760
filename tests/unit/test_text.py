"""Property tests of the text and Markdown reader: any bytes in, a Document or an ExtractionError
out; headings, bullets and their nesting survive a round trip through Markdown."""

from __future__ import annotations

import string
from pathlib import Path

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from smartspec.extractors.document import BLOCK_KINDS, HEADING, LIST_ITEM, PARAGRAPH, TABLE_CELL, TITLE
from smartspec.extractors.errors import ExtractionError
from smartspec.extractors.readers import read_document
from smartspec.extractors.readers import text as text_reader

PROPERTY_SETTINGS = settings(max_examples=150, deadline=None,
                             suppress_health_check=[HealthCheck.function_scoped_fixture])

# Words that cannot be read as markup or list markers: letters only, Swedish ones included,
# and not the "o" that plain exports write for Word's sub-bullet.
WORDS = st.text(alphabet=string.ascii_letters + "åäöÅÄÖéü", min_size=1, max_size=12).filter(lambda w: w != "o")
PHRASES = st.lists(WORDS, min_size=1, max_size=6).map(" ".join)


@pytest.fixture(scope="module")
def folder(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("text")


def read_bytes(folder: Path, data: bytes, suffix: str):
    path = folder / f"doc{suffix}"
    path.write_bytes(data)
    return text_reader.read(path, source_id="doc")


@PROPERTY_SETTINGS
@given(data=st.binary(max_size=4096), suffix=st.sampled_from([".txt", ".md"]))
def test_any_bytes_give_a_document_or_an_extraction_error(folder, data: bytes, suffix: str) -> None:
    try:
        document = read_bytes(folder, data, suffix)
    except ExtractionError as error:
        assert error.message and error.source_id == "doc"
        return
    assert document.pages >= 1 and document.bytes == len(data)
    for block in document.blocks:
        assert block.kind in BLOCK_KINDS and block.level >= 1
        assert 1 <= block.provenance.page <= document.pages and block.provenance.bbox is None


@PROPERTY_SETTINGS
@given(text=st.text(max_size=2000), encoding=st.sampled_from(["utf-8", "utf-16", "utf-8-sig", "cp1252"]))
def test_any_text_in_any_supported_encoding_is_read(folder, text: str, encoding: str) -> None:
    try:
        data = text.encode(encoding)
    except UnicodeEncodeError:  # lone surrogates, or no such character in Windows-1252
        return
    if not data:
        return  # an empty file is refused, as it should be
    try:
        document = read_bytes(folder, data, ".md")
    except ExtractionError as error:
        assert "\x00" in text and error.message == "binary data in a text file", error.message
        return
    if "\x00" in text and encoding != "utf-16":
        return  # zero bytes without a BOM may as well be UTF-16: either reading is right
    assert document.pages == text.count("\f") + 1


SEED_TEXT_FILE = Path(__file__).resolve().parents[1] / "data" / "seed_deck.txt"


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "utf-16", "utf-16-le", "cp1252"])
def test_the_seed_deck_text_reads_the_same_in_every_encoding_and_says_which(folder, encoding: str) -> None:
    """Windows-1252 was decoded as UTF-16 whenever the file's length was even: 0 priorities of 64."""
    text = SEED_TEXT_FILE.read_text(encoding="utf-8")
    data = text.encode(encoding, errors="replace")
    data += b"\n" * (len(data) % 2)  # an even length, which once made it UTF-16
    expected = read_bytes(folder, text.encode("utf-8"), ".txt")
    document = read_bytes(folder, data, ".txt")
    assert document.encoding == encoding
    if encoding != "cp1252":  # its bullets (U+25B6) have no Windows-1252 byte and become "?"
        assert [b.text for b in document.blocks] == [b.text for b in expected.blocks]
    assert len(document.blocks) == len(expected.blocks)


# --- round trip ------------------------------------------------------------------------------

HEADINGS = st.tuples(st.just(HEADING), st.integers(1, 6), PHRASES)
LISTS = st.lists(st.tuples(st.just(LIST_ITEM), st.integers(1, 3), PHRASES), min_size=1, max_size=6).map(
    # a list starts at the outer level and goes at most one level deeper per item
    lambda items: [(kind, min(level, 1 + (items[i - 1][1] if i else 0)), text) for i, (kind, level, text) in
                   enumerate(items)]
)
PARAGRAPHS = st.tuples(st.just(PARAGRAPH), st.just(1), PHRASES)
SECTIONS = st.lists(st.one_of(HEADINGS.map(lambda h: [h]), LISTS, PARAGRAPHS.map(lambda p: [p])),
                    min_size=1, max_size=8)


def markdown(sections: list[list[tuple[str, int, str]]], bullet: str) -> str:
    chunks = []
    for section in sections:
        lines = []
        for kind, level, text in section:
            if kind == HEADING:
                lines.append(f"{'#' * level} {text}")
            elif kind == LIST_ITEM:
                lines.append(f"{'  ' * (level - 1)}{bullet} {text}")
            else:
                lines.append(text)
        chunks.append("\n".join(lines))
    return "\n\n".join(chunks) + "\n"


@PROPERTY_SETTINGS
@given(sections=SECTIONS, bullet=st.sampled_from(["-", "*", "•", "1."]))
def test_headings_bullets_and_nesting_round_trip(folder, sections, bullet: str) -> None:
    assume(any(kind == HEADING for section in sections for kind, _, _ in section))  # Markdown, not plain
    document = read_bytes(folder, markdown(sections, bullet).encode("utf-8"), ".md")
    expected = [item for section in sections for item in section]
    got = [(HEADING if block.kind == TITLE else block.kind, block.level, block.text) for block in document.blocks]
    assert got == expected
    first_heading = next((block for block in document.blocks if block.kind in (TITLE, HEADING)), None)
    if first_heading is not None:  # only the first heading, and only a rank-1 one, is the title
        assert (first_heading.kind == TITLE) == (first_heading.level == 1)
    assert all(block.kind != TITLE for block in document.blocks if block is not first_heading)
    assert {block.marker for block in document.blocks if block.kind == LIST_ITEM} <= {bullet}


def test_form_feeds_make_pages(folder) -> None:
    document = read_document(_write(folder, "# One\n- a b\n\f# Two\n- c d\n"), source_id="doc")
    assert document.pages == 2
    assert [(b.text, b.provenance.page) for b in document.blocks] == [
        ("One", 1), ("a b", 1), ("Two", 2), ("c d", 2)]


def _write(folder: Path, text: str) -> Path:
    path = folder / "pages.md"
    path.write_text(text, encoding="utf-8")
    return path


PLAIN_EXPORT = """REGION DRENTHE INNOVATION STRATEGY

Plain text version

Innovation domains

For smart specialisation the strategy chooses two domains:

o Hydrogen and green gas
o Care technology

A sentence that ends as one.
"""


def test_a_plain_export_has_headings_and_word_sub_bullets(folder) -> None:
    """No Markdown heading at all: short lines standing alone are headings, the first the
    title; Word's "o" sub-bullet is a bullet; sentences and lead-ins stay paragraphs."""
    document = read_bytes(folder, PLAIN_EXPORT.encode("utf-8"), ".txt")
    assert [(b.kind, b.text) for b in document.blocks] == [
        (TITLE, "REGION DRENTHE INNOVATION STRATEGY"),
        (HEADING, "Plain text version"),
        (HEADING, "Innovation domains"),
        (PARAGRAPH, "For smart specialisation the strategy chooses two domains:"),
        (LIST_ITEM, "Hydrogen and green gas"),
        (LIST_ITEM, "Care technology"),
        (PARAGRAPH, "A sentence that ends as one."),
    ]


def test_markdown_pipe_tables_are_table_cells(folder) -> None:
    text = ("# Areas\n\n| Area | Examples |\n|---|:--|\n| Batteries | Skellefteå |\n"
            "| Forest materials | Biobased chemicals |\n\nAfter the table.\n")
    document = read_bytes(folder, text.encode("utf-8"), ".md")
    cells = [(b.row, b.level, b.text, b.bold) for b in document.blocks if b.kind == TABLE_CELL]
    assert cells == [(1, 1, "Area", True), (1, 2, "Examples", True), (2, 1, "Batteries", False),
                     (2, 2, "Skellefteå", False), (3, 1, "Forest materials", False),
                     (3, 2, "Biobased chemicals", False)]
    assert document.blocks[-1].kind == PARAGRAPH
