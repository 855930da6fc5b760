"""The development corpus as data: documents (content parts and truth) read from
`documents.<split>.toml`, one file per split.

A document is a title page's facts, an ordered list of content parts and its truth. Part
kinds (every builder renders every kind in its own way):

- `heading`  `text`, `level` (1-3); in a deck a level-1 heading opens a new slide
- `para`     `text`
- `list`     `items` (a string, or `{text, subs = [...]}` for an item with sub-items) and
             `style`: a glyph (`•`, `–`, `▪`, `➢`, `-`), `1.`, `1)` or `a)`; `start` (default
             1) numbers a list that goes on from an earlier part (after a column break)
- `table`    `header` and `rows` (a cell's lines are separated by newlines)
- `toc`      a table of contents of the document's headings
- `break`    a new page, or in a brochure the next column
"""

from __future__ import annotations

import tomllib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from importlib import resources
from typing import Any

SPLITS = ("tuned", "heldout", "fresh")
PART_KINDS = frozenset({"heading", "para", "list", "table", "toc", "break"})
LIST_STYLES = frozenset({"•", "–", "▪", "➢", "-", "o", "1.", "1)", "a)"})
FORMATS = frozenset({"pdf", "docx", "pptx", "html", "txt", "md"})
LANGUAGES = frozenset({"sv", "en"})


@dataclass(frozen=True, slots=True)
class Item:
    """One list item, with its sub-items."""

    text: str
    subs: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Part:
    kind: str
    text: str = ""
    level: int = 1
    style: str = "•"
    items: tuple[Item, ...] = ()
    header: tuple[str, ...] = ()
    rows: tuple[tuple[str, ...], ...] = ()
    start: int = 1  # number of a numbered list's first item

    def marker(self, index: int) -> str:
        """The marker of this list's `index`-th item (from 0), counting from `start`."""
        return marker(self.style, self.start - 1 + index)


@dataclass(frozen=True, slots=True)
class RegionTruth:
    region: str
    nuts2021_code: str
    priorities: tuple[str, ...]
    lan_code: str | None = None
    sub_priorities: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    optional_priorities: tuple[str, ...] = ()


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

    @property
    def file_name(self) -> str:
        return f"{self.id}.{self.format}"

    @property
    def headings(self) -> list[Part]:
        return [p for p in self.parts if p.kind == "heading"]


def load_documents(split: str) -> list[CorpusDocument]:
    """Every document of `split`, in file order. Raises ValueError on a malformed entry."""
    if split not in SPLITS:
        raise ValueError(f"unknown split {split!r}; splits: {', '.join(SPLITS)}")
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
        footer=tuple(entry.get("footer", ())),
    )


def _part(raw: Mapping[str, Any], where: str) -> Part:
    kind = raw.get("kind")
    if kind not in PART_KINDS:
        raise ValueError(f"{where}: unknown part kind {kind!r}")
    style = raw.get("style", "•")
    if style not in LIST_STYLES:
        raise ValueError(f"{where}: unknown list style {style!r}")
    return Part(
        kind=kind, text=raw.get("text", ""), level=int(raw.get("level", 1)), style=style,
        items=tuple(_item(i) for i in raw.get("items", ())),
        header=tuple(raw.get("header", ())),
        rows=tuple(tuple(row) for row in raw.get("rows", ())),
        start=int(raw.get("start", 1)),
    )


def _item(raw: str | Mapping[str, Any]) -> Item:
    if isinstance(raw, str):
        return Item(raw)
    return Item(raw["text"], tuple(raw.get("subs", ())))


def _region(raw: Mapping[str, Any]) -> RegionTruth:
    return RegionTruth(
        region=raw["region"], nuts2021_code=raw["nuts2021_code"],
        priorities=tuple(raw["priorities"]), lan_code=raw.get("lan_code"),
        sub_priorities={k: tuple(v) for k, v in (raw.get("sub_priorities") or {}).items()},
        optional_priorities=tuple(raw.get("optional_priorities", ())),
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
