"""The development corpus as data: documents (content parts and truth) read from
`documents.<set>.toml`, one file per split and one for the strategy fixtures.

A document is a title page's facts, an ordered list of content parts and its truth. Part
kinds (every builder renders every kind in its own way):

- `heading`  `text`, `level` (1-3); in a deck a level-1 heading opens a new slide
- `para`     `text`
- `list`     `items` (a string, or `{text, subs = [...], tail}` for an item with sub-items
             or a run-in description printed after its name) and `style`: a glyph (`•`,
             `–`, `▪`, `➢`, `-`, `o`, Symbol's private-use bullet U+F0B7), `1.`, `1)` or
             `a)`; optional `sub_style` (the sub-items' style), `start` (the number of the
             first item, for a list continued after a break) and `bold_names`
- `table`    `header` and `rows` (a cell's lines are separated by newlines); optional
             `widths` (fractions of the text width) and `caption`
- `toc`      a table of contents of the document's headings down to `depth` (default 2)
- `break`    a new page, or in a brochure or a `columns` section the next column
- `columns`  `count` columns from here on (1 ends a multi-column section)

Any part may carry `trap`, a comment saying what other list it is (the fixtures' truth
records it with its heading, items and pages).
"""

from __future__ import annotations

import tomllib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from importlib import resources
from typing import Any

SPLITS = ("tuned", "heldout", "fresh", "unseen", "blind", "sealed")
FIXTURES = "fixtures"  # the strategy test set of tests/data/strategies (see fixtures.py)
PART_KINDS = frozenset({"heading", "para", "list", "table", "toc", "break", "columns"})
SYMBOL_BULLET = "\uf0b7"  # Word's default bullet: a private-use code point drawn in the Symbol font
LIST_STYLES = frozenset({"•", "–", "▪", "➢", "-", "o", SYMBOL_BULLET, "1.", "1)", "a)"})
FORMATS = frozenset({"pdf", "docx", "pptx", "html", "txt", "md"})
LANGUAGES = frozenset({"sv", "en"})
CONTENTS_LABELS = {"sv": "Innehåll", "en": "Contents"}  # a contents part's heading when it gives none


@dataclass(frozen=True, slots=True)
class Item:
    """One list item, with its sub-items; `tail` is a run-in description printed after it."""

    text: str
    subs: tuple[str, ...] = ()
    tail: str = ""


@dataclass(frozen=True, slots=True)
class Part:
    kind: str
    text: str = ""
    level: int = 1
    style: str = "•"
    items: tuple[Item, ...] = ()
    header: tuple[str, ...] = ()
    rows: tuple[tuple[str, ...], ...] = ()
    start: int = 1  # list: the number of the first item
    sub_style: str = ""  # list: the sub-items' style; "" = the builder's glyph for `style`
    bold_names: bool = False  # list: item names in bold before their tails
    widths: tuple[float, ...] = ()  # table: column widths, fractions of the text width
    caption: str = ""  # table: a caption line above it
    depth: int = 2  # toc: the deepest heading level listed
    count: int = 1  # columns: how many
    trap: str = ""  # what other list this is, for the fixtures' truth


@dataclass(frozen=True, slots=True)
class RegionTruth:
    region: str
    nuts2021_code: str
    priorities: tuple[str, ...]
    lan_code: str | None = None
    sub_priorities: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    optional_priorities: tuple[str, ...] = ()
    aliases: Mapping[str, tuple[str, ...]] = field(default_factory=dict)  # other wordings in the text
    section: str = ""  # the heading of the section holding the list


@dataclass(frozen=True, slots=True)
class CorpusDocument:
    id: str
    layout: str
    format: str
    language: str
    title: str
    parts: tuple[Part, ...]
    regions: tuple[RegionTruth, ...]
    traps: tuple[str, ...]
    notes: str
    trap_kinds: tuple[str, ...] = ()
    subtitle: str = ""
    publisher: str = ""
    date: str = ""
    header: str = ""  # running header of paged layouts
    nav: tuple[str, ...] = ()  # web pages: menu links
    sidebar: tuple[str, ...] = ()  # web pages: related links
    footer: tuple[str, ...] = ()  # web pages: footer links
    breadcrumbs: tuple[str, ...] = ()  # saved web pages: the trail above the article
    url: str = ""  # saved web pages: the address it was saved from
    features: tuple[str, ...] = ()  # fixtures: the layouts of issue 3 the document shows

    @property
    def file_name(self) -> str:
        return f"{self.id}.{self.format}"

    @property
    def headings(self) -> list[Part]:
        return [p for p in self.parts if p.kind == "heading"]


def load_documents(split: str) -> list[CorpusDocument]:
    """Every document of `split` (or of the strategy fixtures, `FIXTURES`), in file order.
    Raises ValueError on a malformed entry."""
    if split not in (*SPLITS, FIXTURES):
        raise ValueError(f"unknown split {split!r}; splits: {', '.join(SPLITS)}, {FIXTURES}")
    text = resources.files(__package__).joinpath(f"documents.{split}.toml").read_text("utf-8")
    entries = tomllib.loads(text).get("document", [])
    return [_document(entry, split) for entry in entries]


def _document(entry: Mapping[str, Any], split: str) -> CorpusDocument:
    where = f"documents.{split}.toml: {entry.get('id', '?')}"
    for key in ("id", "layout", "format", "language", "title", "parts"):
        if key not in entry:
            raise ValueError(f"{where}: lacks {key!r}")
    if entry["format"] not in FORMATS or entry["language"] not in LANGUAGES:
        raise ValueError(f"{where}: bad format or language")
    return CorpusDocument(
        id=entry["id"], layout=entry["layout"], format=entry["format"],
        language=entry["language"], title=entry["title"],
        parts=tuple(_part(p, where) for p in entry["parts"]),
        regions=tuple(_region(r) for r in entry.get("regions", ())),
        traps=tuple(entry.get("non_priority_traps", ())),
        notes=entry.get("notes", ""), trap_kinds=tuple(entry.get("trap_kinds", ())),
        subtitle=entry.get("subtitle", ""), publisher=entry.get("publisher", ""),
        date=entry.get("date", ""), header=entry.get("header", ""),
        nav=tuple(entry.get("nav", ())), sidebar=tuple(entry.get("sidebar", ())),
        footer=tuple(entry.get("footer", ())), breadcrumbs=tuple(entry.get("breadcrumbs", ())),
        url=entry.get("url", ""), features=tuple(entry.get("features", ())),
    )


def _part(raw: Mapping[str, Any], where: str) -> Part:
    kind = raw.get("kind")
    if kind not in PART_KINDS:
        raise ValueError(f"{where}: unknown part kind {kind!r}")
    style, sub_style = raw.get("style", "•"), raw.get("sub_style", "")
    if style not in LIST_STYLES or sub_style not in (*LIST_STYLES, ""):
        raise ValueError(f"{where}: unknown list style {style!r} or {sub_style!r}")
    return Part(
        kind=kind, text=raw.get("text", ""), level=int(raw.get("level", 1)), style=style,
        items=tuple(_item(i) for i in raw.get("items", ())),
        header=tuple(raw.get("header", ())),
        rows=tuple(tuple(row) for row in raw.get("rows", ())),
        start=int(raw.get("start", 1)), sub_style=sub_style,
        bold_names=bool(raw.get("bold_names", False)),
        widths=tuple(float(w) for w in raw.get("widths", ())), caption=raw.get("caption", ""),
        depth=int(raw.get("depth", 2)), count=int(raw.get("count", 1)), trap=raw.get("trap", ""),
    )


def _item(raw: str | Mapping[str, Any]) -> Item:
    if isinstance(raw, str):
        return Item(raw)
    return Item(raw["text"], tuple(raw.get("subs", ())), raw.get("tail", ""))


def _region(raw: Mapping[str, Any]) -> RegionTruth:
    return RegionTruth(
        region=raw["region"], nuts2021_code=raw["nuts2021_code"],
        priorities=tuple(raw["priorities"]), lan_code=raw.get("lan_code"),
        sub_priorities={k: tuple(v) for k, v in (raw.get("sub_priorities") or {}).items()},
        optional_priorities=tuple(raw.get("optional_priorities", ())),
        aliases={k: tuple(v) for k, v in (raw.get("aliases") or {}).items()},
        section=raw.get("section", ""),
    )


def marker(style: str, index: int) -> str:
    """The marker of the `index`-th (from 0) item of a list in `style`: "•", "3.", "c)"."""
    if style == "1.":
        return f"{index + 1}."
    if style == "1)":
        return f"{index + 1})"
    if style == "a)":
        return f"{'abcdefghijklmnopqrstuvwxyz'[index]})"
    return style


def sub_marker(style: str) -> str:
    """The glyph of sub-items under an item in `style`."""
    return "–" if style in ("•", "▪", "➢", "1.", "1)", "a)") else "o"


def contents_label(part: Part, language: str) -> str:
    """The heading of a contents part: its text, or the language's word for it."""
    return part.text or CONTENTS_LABELS[language]


def item_marker(part: Part, index: int) -> str:
    """The marker of the `index`-th (from 0) item of a list part, counting from its `start`."""
    return marker(part.style, part.start - 1 + index)


def sub_item_marker(part: Part, index: int) -> str:
    """The marker of the `index`-th (from 0) sub-item under an item of a list part."""
    return marker(part.sub_style, index) if part.sub_style else sub_marker(part.style)


def numbered_headings(parts: Sequence[Part]) -> list[tuple[Part, str]]:
    """Each heading with its section number ("2", "2.1"), for layouts that number them."""
    counters = [0, 0, 0]
    out = []
    for part in parts:
        if part.kind != "heading":
            continue
        depth = min(max(part.level, 1), 3) - 1
        counters[depth] += 1
        counters[depth + 1:] = [0] * (2 - depth)
        out.append((part, ".".join(str(c) for c in counters[: depth + 1])))
    return out
