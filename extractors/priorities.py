"""From a section's items to numbered priorities with nesting, each named as published.

Item levels are made relative to the shallowest item of the section, so a list that the source
indents once (level 2 everywhere) still gives level-1 priorities. Deeper items become level-2
sub-items of the level-1 item before them; anything deeper still is folded into level 2.

A priority is only its NAME. `priority_name()` takes it from an item's text: marker and
numbering removed, and for a run-in item only the run-in name: "Name: a description.",
"Name – for example ...", "1. Name. Long sentence ..." all give "Name"; a short phrase after
the break with no stop ("Smart industri – formningsteknologi och marin teknik") is part of
the name. An item with no such
break is kept whole, and one longer than `max_words` is flagged as a sentence: that is what a
list of goals or actions looks like, so the section scorer counts it against its section.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from importlib.resources import files
from dataclasses import dataclass

from smartspec.extractors.document import Block
from smartspec.extractors.normalise import collapse_whitespace, normalise_item

MAX_LEVEL = 2
# A run-in name is followed by at least this many words of description.
MIN_DESCRIPTION_WORDS = 2
# ... and when the description does not end as a sentence does, at least this many.
MIN_UNSTOPPED_DESCRIPTION_WORDS = 8
# Section numbers a heading may keep in its text: "4.1.1 Name", "3 Name", "15.4. Name".
_SECTION_NUMBER_RE = re.compile(r"^\(?\d{1,3}(?:\.\d{1,3})*\.?\)?\s+(?=\S)")
_DASHES = "–—-"
# Words that open a description, not a name ("– for example, ...", ": t.ex. ..."): data, one
# phrase a line, any language.
_OPENERS, _CLOSERS = "([{", ")]}"
_WORD_RE = re.compile(r"\w+(?:[-'’]\w+)*")


@dataclass(frozen=True, slots=True)
class Item:
    """One priority as published: its name, 1-based position, nesting and where it stands.

    `run_in` says the name was cut from a longer item; `sentence` that the item is a long
    sentence with no name to cut from it.
    """

    text: str
    position: int
    level: int
    parent_position: int | None
    block: Block
    run_in: bool = False
    sentence: bool = False


@dataclass(frozen=True, slots=True)
class Entry:
    """An item of a section before naming: the block it comes from, its nesting level as the
    source shows it, and its text when that differs from the block's (a table row's cell)."""

    block: Block
    level: int
    text: str | None = None


def number_items(blocks: Sequence[Block]) -> list[Item]:
    """Number a section's list items in order; position counts all items of the section.

    Items are taken whole (the names of an overview deck's bullets are the bullets).
    """
    return _number([Entry(block, block.level) for block in blocks], whole=True, max_words=0)


def number_entries(entries: Sequence[Entry], *, max_words: int) -> list[Item]:
    """Number a section's entries, naming each with `priority_name`."""
    return _number(entries, whole=False, max_words=max_words)


def _number(entries: Sequence[Entry], *, whole: bool, max_words: int) -> list[Item]:
    if not entries:
        return []
    base = min(entry.level for entry in entries)
    items: list[Item] = []
    parent: int | None = None
    for entry in entries:
        raw = entry.block.text if entry.text is None else entry.text
        if whole:
            text, run_in, sentence = normalise_item(raw), False, False
        else:
            text, run_in, sentence = priority_name(raw, max_words=max_words)
        if not text:
            continue
        level = min(entry.level - base + 1, MAX_LEVEL)
        if level > 1 and parent is None:
            level = 1  # a sub-item with nothing above it is a priority of its own
        position = len(items) + 1
        items.append(Item(text, position, level, parent if level > 1 else None, entry.block,
                          run_in, sentence))
        if level == 1:
            parent = position
    return items


def priority_name(text: str, *, max_words: int) -> tuple[str, bool, bool]:
    """(name, cut from a run-in item, a long sentence) for an item's text."""
    text = strip_section_number(normalise_item(text))
    head = run_in_name(text, max_words=max_words)
    name = head if head is not None else text
    name = strip_final_stop(normalise_item(name))
    sentence = head is None and word_count(name) > max_words
    return name, head is not None, sentence


def strip_section_number(text: str) -> str:
    """Drop a section number a heading keeps in its text: "4.1.1 Innovative materials"."""
    return _SECTION_NUMBER_RE.sub("", text, count=1)


def strip_final_stop(text: str) -> str:
    """Drop one full stop ending a name, unless it ends an abbreviation ("e.g.")."""
    if text.endswith(".") and not text.endswith(".."):
        last = text.rsplit(None, 1)[-1]
        if "." not in last[:-1]:
            return text[:-1].rstrip()
    return text


def word_count(text: str) -> int:
    return len(_WORD_RE.findall(text))


def run_in_name(text: str, *, max_words: int) -> str | None:
    """The run-in name that opens `text`, or None.

    The name ends at the first ": ", spaced dash or sentence end outside brackets and
    quotes, if it has 1 to `max_words` words and at least MIN_DESCRIPTION_WORDS follow.
    A full stop ends a sentence only before a capital letter, a digit or an opening quote,
    and not after an abbreviation (a one-letter word, or a word with a dot inside: "e.g.").
    """
    text = collapse_whitespace(text)
    depth = 0
    for i, ch in enumerate(text):
        if ch in _OPENERS:
            depth += 1
        elif ch in _CLOSERS:
            depth = max(depth - 1, 0)
        if depth or not _separates(text, i):
            continue
        head, tail = text[:i].strip(), text[i + 1:].strip()
        if not head:
            return None
        if word_count(head) > max_words:
            return None
        if word_count(tail) < MIN_DESCRIPTION_WORDS or not _describes(tail):
            return None
        return head
    return None


def _phrases(name: str) -> list[str]:
    """The phrases of a data file of this package: one a line, '#' comments skipped."""
    text = (files("smartspec.extractors") / name).read_text(encoding="utf-8")
    return [line.strip() for line in text.splitlines() if line.strip() and not line.startswith("#")]


_CLAUSE_WORDS = re.compile(r"\b(?:" + "|".join(map(re.escape, _phrases("clause_words.txt"))) + r")\b",
                           re.IGNORECASE)


def reads_as_name(text: str, *, max_words: int) -> bool:
    """Whether a line reads as a name, not part of a sentence: at most `max_words` words,
    opening with a capital or a digit, no stop, colon or semicolon at its end and no word that
    only clauses hold ("Cirkulär processindustri" does; "och miljöteknik" does not)."""
    text = collapse_whitespace(text)
    return (bool(text) and (text[0].isupper() or text[0].isdigit())
            and not text.endswith((".", ":", ";", ","))
            and word_count(text) <= max_words and not has_clause_word(text))


def has_clause_word(text: str) -> bool:
    """Whether `text` holds a word only clauses hold (a personal pronoun, a finite auxiliary
    or copula: "We are focusing on ...", "Estonia became known ..."), per clause_words.txt."""
    return _CLAUSE_WORDS.search(text) is not None


_DESCRIPTION_OPENERS = re.compile(
    r"(?:" + "|".join(map(re.escape, _phrases("priorities.description_openers.txt"))) + r")(?!\w)",
    re.IGNORECASE)


def _describes(tail: str) -> bool:
    """Whether what follows a separator is a description rather than the rest of the name: a
    sentence (it ends with a stop or holds a clause word), a long phrase, or a phrase opening
    as descriptions do ("for example"). "Smart industri – formningsteknologi och
    marin teknik" and "Smart Industry: Marine technology" are names whole."""
    return tail.rstrip(_CLOSERS + "\"'”’").endswith((".", "!", "?", ";")) \
        or word_count(tail) >= MIN_UNSTOPPED_DESCRIPTION_WORDS \
        or _DESCRIPTION_OPENERS.match(tail) is not None or has_clause_word(tail)


def _separates(text: str, i: int) -> bool:
    ch = text[i]
    after = text[i + 1:i + 2]
    if ch == ":":
        return after == " "
    if ch in _DASHES:
        return i > 0 and text[i - 1] == " " and after == " "
    if ch in ".!?":
        if after != " ":
            return False
        following = text[i + 2:i + 3]
        if not (following[:1].isupper() or following[:1].isdigit() or following in "‘“\"'"):
            return False
        word = text[:i].rsplit(None, 1)[-1] if text[:i].strip() else ""
        return len(word.strip("()[]\"'‘’“”")) > 1 and "." not in word
    return False
