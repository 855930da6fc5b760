"""Which pages of a long PDF to lay out: the fast path's page selector.

pdfplumber's layout analysis is the slow part of reading a PDF, and a strategy states its
priorities on a few of its pages. `select_pages()` looks only at each page's plain text (the
reader's fast pypdfium2 pass, `Document.page_texts`) and keeps the pages extraction needs:

- the title page (region inference reads its headings);
- pages with a line that names a region as a whole with a list under it (an overview's
  region sections), and the pages that list goes on to;
- each heading-like line or lead-in sentence (ending in ':') in which the heading lexicons
  find a PRIORITY or THEME wording, where a candidate section would start: its page, up to
  the end of its section read from the numbering ("3.1" runs to the line numbered "3.2" or
  "4"; a footnote "8" ends nothing), else the pages its list goes on to; the pages of the
  numbered headings it sits under; and, for each way a heading looks (numbered, in
  capitals, plain), the nearest heading before it whose labels the scorer weighs as context
  (`section_scoring.context_weights`);
- pages that list again, as lines of their own, names listed on the pages kept (the earlier
  statement the scorer gives a restatement its bonus against).

A list goes on to the next page when the page ends with list lines and the next begins with
them; a heading among the last lines of a page heads what starts on the next. A document of
at most `FULL_READ_PAGES` pages is laid out whole: there is little to save. Running headers
and footers (the same line, digits aside, on most pages) and contents pages (lines ending in
rising page numbers) are no evidence. Thresholds are the module's constants.

This is a heuristic, kept honest by tests/unit/test_fast_path.py: on every PDF of both
corpora the priorities are exactly those of laying out every page. What it cannot see from
text alone (a heading set apart only by its size, closing a section on a page not kept)
could change a result on another document; `pdf_fast_path = false` lays out every page.
"""
from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from itertools import pairwise

from extractors.extract import Toolkit
from extractors.language import detect_language
from extractors.normalise import collapse_whitespace, split_marker, strip_bullet
from extractors.regions import match_region
from extractors.sections import POSITIVE_LABELS

# Documents this short are laid out whole.
FULL_READ_PAGES = 12
# The first pages, always kept.
TITLE_PAGES = 1
# The lines at the foot and the head of a page that show a list going on over the break; a
# heading among the last lines of a page heads what starts on the next.
TAIL_LINES = 4
# A heading-like line has at most this many characters and words; one standing apart from
# running text, with no section number and not in capitals, at most SHORT_HEADING_WORDS.
HEADING_MAX_CHARS = 150
HEADING_MAX_WORDS = 12
SHORT_HEADING_WORDS = 8
# A region heading has a list line within this many lines after it.
REGION_LIST_REACH = 3
# Lead-in sentences ending in ':' are read with up to this many lines before them.
LEAD_IN_LINES = 3
# A line is page furniture when it repeats (digits aside) on this share of the pages, and
# on at least FURNITURE_MIN_PAGES of them.
FURNITURE_SHARE = 0.5
FURNITURE_MIN_PAGES = 3
# A contents page: at least TOC_MIN_LINES lines end in a page number, this share of its lines.
TOC_MIN_LINES = 4
TOC_LINE_SHARE = 0.3
TOC_RISING_SHARE = 0.8
# Names (list lines, numbered lines) of at most this many words are looked for on other pages.
NAME_MAX_WORDS = 12
NAME_MIN_CHARS = 4
# ... and a page restates them with at least this many of them.
RESTATED_MIN_NAMES = 2

# "3.1 Title", "3.1. Title", "15. Title", "4 Title": a section number before a capital
_NUMBERED_RE = re.compile(r"^(\d{1,2}(?:\.\d{1,2})*)\.?\s+(?=[^\W\d_])")
_SENTENCE_END_RE = re.compile(r"(?<=[a-z0-9)][.!?])\s+(?=[A-Z0-9‘“\"'])")
_DIGITS_RE = re.compile(r"\d+")
_PAGE_REF_RE = re.compile(r"[^\W\d_)][\s.…_]*[\s.…_](\d{1,3})$")
# A line starting with a mark and a space: a bullet PDFium may give as any glyph.
_MARK_RE = re.compile(r"^[^\w\s\"'‘“(]\s")


@dataclass(frozen=True, slots=True)
class _Line:
    page: int
    text: str
    number: tuple[int, ...] | None  # its section number, when it starts with one


def select_pages(page_texts: Sequence[str], toolkit: Toolkit) -> frozenset[int]:
    """The pages (from 1) worth laying out, from the text of every page (module docstring)."""
    count = len(page_texts)
    if count <= FULL_READ_PAGES:
        return frozenset(range(1, count + 1))
    pages = _page_lines(page_texts)
    lines = [line for page in pages for line in page]
    toc = {n for n, page in enumerate(pages, start=1) if _is_contents(page)}
    kept = set(range(1, TITLE_PAGES + 1))
    for number in _region_pages(pages, toolkit):
        kept |= _list_pages(pages, number)
    labelled = _labelled_lines(pages, toc, toolkit, detect_language(page_texts))
    context_labels = frozenset(label for label, weight in toolkit.settings.section_scoring.context_weights
                               if weight)
    for index, (_, labels) in sorted(labelled.items()):
        if labels & POSITIVE_LABELS:
            kept |= _section_pages(lines, index, pages, toc)
            kept |= _context_pages(lines, index, labelled, context_labels)
    kept |= _restating_pages(pages, kept, toc)
    return frozenset(n for n in kept if 1 <= n <= count)


def _page_lines(page_texts: Sequence[str]) -> list[list[_Line]]:
    """Each page's lines, without running headers, footers and bare page numbers."""
    texts = [[line for line in (collapse_whitespace(raw) for raw in text.split("\n")) if line]
             for text in page_texts]
    seen = Counter(key for page in texts for key in {_furniture_key(line) for line in page})
    common = {key for key, n in seen.items()
              if n >= max(FURNITURE_MIN_PAGES, FURNITURE_SHARE * len(texts))}
    pages = []
    for number, page in enumerate(texts, start=1):
        kept = [line for line in page
                if _furniture_key(line) not in common and _DIGITS_RE.sub("", line).strip()]
        pages.append([_Line(number, line, _number(line)) for line in kept])
    return pages


def _furniture_key(line: str) -> str:
    return _DIGITS_RE.sub("#", line).casefold()


def _number(line: str) -> tuple[int, ...] | None:
    match = _NUMBERED_RE.match(line)
    if match is None or len(line.split()) > HEADING_MAX_WORDS * 4:
        return None
    return tuple(int(part) for part in match.group(1).split("."))


def _is_contents(page: list[_Line]) -> bool:
    """Lines ending in page numbers (after dot leaders or not), mostly rising."""
    references = [int(m.group(1)) for m in (_PAGE_REF_RE.search(line.text) for line in page) if m]
    rising = sum(1 for a, b in pairwise(references) if b >= a)
    return (len(references) >= TOC_MIN_LINES and len(references) >= TOC_LINE_SHARE * len(page)
            and rising >= TOC_RISING_SHARE * (len(references) - 1))


def _is_list_line(line: _Line) -> bool:
    return bool(split_marker(line.text)[0] or _MARK_RE.match(line.text)) or line.number is not None


def _region_pages(pages: list[list[_Line]], toolkit: Toolkit) -> set[int]:
    """Pages with a line that names one region as a whole, as a region heading would."""
    settings = toolkit.settings
    nlp = toolkit.pipeline("en")
    found = set()
    for page in pages:
        for i, line in enumerate(page):
            if (len(line.text) <= settings.region_heading_max_chars
                    and any(_is_list_line(other) for other in page[i + 1:i + 1 + REGION_LIST_REACH])
                    and match_region(line.text, nlp, toolkit.gazetteer,
                                     fuzzy_threshold=settings.region_fuzzy_threshold)):
                found.add(line.page)
                break
    return found


def _heading_like(page: list[_Line], i: int) -> bool:
    """Whether line i looks like a heading from its text alone: a section number before a
    short title, capitals, or a short line standing apart from running text."""
    text = page[i].text
    words = text.split()
    if len(words) > HEADING_MAX_WORDS or len(text) > HEADING_MAX_CHARS or text.endswith((".", ",", ";")):
        return False
    after = page[i + 1].text if i + 1 < len(page) else ""
    if after[:1].islower():
        return False  # the sentence goes on
    letters = [ch for ch in text if ch.isalpha()]
    if page[i].number is not None or (len(letters) >= 4 and all(ch.isupper() for ch in letters)):
        return True
    before = page[i - 1].text if i > 0 else ""
    starts_apart = not before or before.endswith((".", ":", "!", "?")) or _is_list_line(page[i - 1])
    return len(words) <= SHORT_HEADING_WORDS and starts_apart


def _wraps(line: _Line, after: _Line) -> bool:
    """Whether `after` may be the second line of heading `line`: short, no new item."""
    return (not line.text.endswith(":") and len(after.text.split()) <= SHORT_HEADING_WORDS
            and not _is_list_line(after) and not after.text.endswith((".", ";", ",")))


def _labelled_lines(pages: list[list[_Line]], toc: set[int], toolkit: Toolkit, language: str
                    ) -> dict[int, tuple[bool, frozenset[str]]]:
    """Heading-like lines and lead-ins (by index into the document's lines) with the heading
    lexicons' labels found in them: {index: (is a heading, labels)}."""
    texts: list[str] = []
    owners: list[tuple[int, bool]] = []
    index = 0
    for page in pages:
        for i, line in enumerate(page):
            if line.page not in toc:
                if _heading_like(page, i):
                    texts.append(line.text)
                    owners.append((index, True))
                    if i + 1 < len(page) and _wraps(line, page[i + 1]):
                        texts.append(f"{line.text} {page[i + 1].text}")  # a heading over two lines
                        owners.append((index, True))
                if line.text.endswith(":"):
                    before = " ".join(other.text for other in page[max(i - LEAD_IN_LINES, 0):i + 1])
                    texts.append(_SENTENCE_END_RE.split(before)[-1])
                    owners.append((index, False))
            index += 1
    found: dict[int, tuple[bool, frozenset[str]]] = {}
    for (owner, heading), labels in zip(owners, toolkit.heading_matcher(language).labels(texts)):
        was_heading, before = found.get(owner, (False, frozenset()))
        found[owner] = (heading or was_heading, before | {label.label for label in labels})
    return found


def _context_pages(lines: list[_Line], index: int, labelled: dict[int, tuple[bool, frozenset[str]]],
                   context_labels: frozenset[str]) -> set[int]:
    """Pages of the headings a place may sit under that weigh in its score: for each way a
    heading looks (numbered, in capitals, plain), the nearest one before it with a label
    the scorer weighs as context."""
    kept: set[int] = set()
    styles: set[str] = set()
    for k in range(index - 1, -1, -1):
        heading, labels = labelled.get(k, (False, frozenset()))
        if heading and labels & context_labels:
            style = _style(lines[k])
            if style not in styles:
                styles.add(style)
                kept.add(lines[k].page)
                if len(styles) == 3:
                    break
    return kept


def _style(line: _Line) -> str:
    if line.number is not None:
        return "numbered"
    letters = [ch for ch in line.text if ch.isalpha()]
    return "capitals" if letters and all(ch.isupper() for ch in letters) else "plain"


def _section_pages(lines: list[_Line], index: int, pages: list[list[_Line]], toc: set[int]) -> set[int]:
    """The pages of lines[index]'s section and of the numbered headings it sits under.

    A numbered heading's section runs to the line numbering the next section at its level or
    above; an unnumbered one's (or a lead-in's list) over the list pages that follow it.
    """
    start = lines[index]
    kept = _list_pages(pages, start.page)
    page = pages[start.page - 1]
    if page.index(start) >= len(page) - TAIL_LINES:  # what it heads starts on the next page
        kept |= _list_pages(pages, start.page + 1)
    number = start.number
    if number is None:
        parent = next((line for line in reversed(lines[:index])
                       if line.number is not None and line.page not in toc), None)
        if parent is None:
            return kept
        number, kept = parent.number, kept | {parent.page}
    else:
        end = next((line for line in lines[index + 1:] if line.number is not None
                    and line.page not in toc and _closes(line.number, number)), None)
        kept |= set(range(start.page, (end.page if end else len(pages)) + 1))
    for depth in range(1, len(number)):  # the headings it sits under
        heading = next((line for line in reversed(lines[:index])
                        if line.number == number[:depth] and line.page not in toc), None)
        if heading is not None:
            kept.add(heading.page)
    return kept


def _list_pages(pages: list[list[_Line]], number: int) -> set[int]:
    """Page `number` and the pages a list at its foot goes on to: each next page that starts
    with a list line while the page before ends with one."""
    kept = {number} if 1 <= number <= len(pages) else set()
    while number < len(pages):
        foot, head = pages[number - 1][-TAIL_LINES:], pages[number][:TAIL_LINES]
        if not (any(map(_is_list_line, foot)) and any(map(_is_list_line, head))):
            break
        number += 1
        kept.add(number)
    return kept


def _closes(number: tuple[int, ...], section: tuple[int, ...]) -> bool:
    """Whether a line numbered `number` ends section `section`: it numbers the next section
    at the same or a higher level ("3.2" or "4" after "3.1"; not a footnote "8" or "3.1.2")."""
    depth = len(number)
    return depth <= len(section) and number[:-1] == section[:depth - 1] and number[-1] == section[depth - 1] + 1


def _restating_pages(pages: list[list[_Line]], kept: set[int], toc: set[int]) -> set[int]:
    """Other pages on which a name listed on a kept page (a list line, a numbered heading)
    appears again as a line of its own."""
    names = {_name(line) for n in kept if 1 <= n <= len(pages) for line in pages[n - 1]
             if _is_list_line(line)}
    names = {name for name in names if len(name) >= NAME_MIN_CHARS and len(name.split()) <= NAME_MAX_WORDS}
    hits = Counter(line.page for page in pages for line in page
                   if line.page not in kept and line.page not in toc and _name(line) in names)
    return {page for page, n in hits.items() if n >= RESTATED_MIN_NAMES}


def _name(line: _Line) -> str:
    text = strip_bullet(_NUMBERED_RE.sub("", line.text))
    return text.casefold().rstrip(" .:;,")
