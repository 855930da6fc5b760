"""Page furniture: what a page carries besides its text, in one place for the readers and extraction.

Running headers and footers, page numbers and tables of contents. The PDF reader drops
headers, footers and page numbers by where they stand on the page (`readers/pdf.py`, with the
text rules here); extraction recognises what a reader kept, and contents pages, from the
blocks' text alone (`outline.py`).
"""

from __future__ import annotations

import re
import unicodedata

from smartspec.extractors.normalise import collapse_whitespace

# Running headers and footers: texts in the top and bottom RUNNING_ZONE of the page height that
# repeat on RUNNING_SHARE of the pages (or of the odd or even ones) and on RUNNING_MIN_PAGES.
RUNNING_ZONE = 0.08
RUNNING_SHARE = 0.5
RUNNING_MIN_PAGES = 3
RUNNING_MIN_CHARS = 4  # shorter texts are too common to count (bare page numbers aside)
RUNNING_GAP_EM = 2.0  # words in a header line further apart (ems) are separate runs
# a page number as a header or footer gives it, alone: "12", "- 3 -", "Page 4 of 20", "sida 2 av 9", "xii"
_PAGE_NUMBER_RE = re.compile(
    r"^(?:page|p\.|pag\.|side|sida|seite|sivu|pagina|strona)?\s*[-–—(\[|]?\s*"
    r"(?:\d{1,5}|(?=[ivxlcdm])m{0,3}(?:cm|cd|d?c{0,3})(?:xc|xl|l?x{0,3})(?:ix|iv|v?i{0,3}))"
    r"\s*(?:(?:/|of|av|von|sur|z|/\s*)\s*\d{1,4})?\s*[-–—)\]|]?$",
    re.IGNORECASE,
)
# A contents page has at least this many lines ending in page numbers or dot leaders.
TOC_MIN_LINES = 4
# ... and this share of them at least as high as the line before.
TOC_RISING_SHARE = 0.8

# dot leaders, an ellipsis run, underscores or a tab between a contents line's title and its page
_LEADERS_RE = re.compile(r"(?:\.\s?){4,}|…{2,}|_{4,}|\t")
# the page number a contents line ends in
_PAGE_REF_RE = re.compile(r"(?:^|\s|\.)(\d{1,3})$")
# a bare number: a page number, or a chapter number set alone ("3.", "4.1")
_NUMBER_ONLY_RE = re.compile(r"^\(?\d{1,2}(?:\.\d{1,2})*[.)]?$")


def is_page_number(text: str) -> bool:
    """A page number standing alone in a header or footer: "12", "- 3 -", "Page 4 of 20", "xii"."""
    return bool(_PAGE_NUMBER_RE.match(text))


def is_number_only(text: str) -> bool:
    """A bare number ("12", "3.", "(4.1)"): a page number a reader kept, or a chapter number."""
    return bool(_NUMBER_ONLY_RE.match(text.strip()))


def running_key(text: str) -> str:
    """Header text compared across pages: no white space, digits as '#', case folded."""
    text = unicodedata.normalize("NFKC", text)
    return re.sub(r"\d+", "#", re.sub(r"\s+", "", text)).casefold()


def repeats_on_pages(key: str, pool: dict[int, str]) -> bool:
    """Whether a header text (`running_key`) is in the header and footer strips (`pool`: page
    number -> its strips' keys joined) of RUNNING_MIN_PAGES pages and RUNNING_SHARE of all pages,
    or of the odd or the even ones."""
    found = [n for n, strip in pool.items() if key in strip]
    return len(found) >= RUNNING_MIN_PAGES and any(
        (candidates := [n for n in pool if parity is None or n % 2 == parity])
        and sum(1 for n in found if parity is None or n % 2 == parity) >= RUNNING_SHARE * len(candidates)
        for parity in (None, 0, 1))


def page_reference(text: str) -> int | None:
    """The page number a contents line ends in ("Summary ..... 4", a bare "12"), or None."""
    text = text.strip()
    match = _PAGE_REF_RE.search(text)
    if match is None:
        return None
    if text == match.group(1) or _LEADERS_RE.search(text):
        return int(match.group(1))
    return None


def furniture_key(text: str) -> str:
    """A block's text compared across pages to find furniture a reader kept: digits as '#'."""
    return re.sub(r"\d+", "#", collapse_whitespace(text).casefold())
