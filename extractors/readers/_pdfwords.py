"""Words from a page's characters, as pdfplumber's `extract_words()` makes them for the reader.

The reader calls for `extract_words(chars, extra_attrs=["fontname", "size"],
keep_blank_chars=False, use_text_flow=False)` with pdfplumber's default tolerances and
directions. `words()` is that call written out for characters kept as tuples rather than
dicts (a dict per character costs about as much as the rest of the word building):

1. characters are taken in runs of the same uprightness, font name and size, in the order
   they are drawn;
2. each run is cut into lines: upright text by its top, rotated text by its left edge,
   values within `TOLERANCE` of the one before joined (a chain), lines in order of that
   value; inside a line, characters by their left edge (rotated: by top, then bottom);
3. a line is cut into words at white space and where a character does not follow the one
   before (starts before it, more than `TOLERANCE` after its end, or more than `TOLERANCE`
   above or below); a character with no text is a word of its own;
4. a word's box holds its characters; its text expands ligatures; uprightness, font name and
   size are those of its first character.

tests/unit/test_pdf.py checks it against `extract_words()` on every page of the corpora.
"""

from __future__ import annotations

from itertools import groupby
from operator import itemgetter

from pdfplumber.utils.text import DEFAULT_X_TOLERANCE, DEFAULT_Y_TOLERANCE, LIGATURES

# (text, x0, top, x1, bottom, upright, size, fontname), pdfplumber's coordinates
Char = tuple[str, float, float, float, float, bool, float, str]
TEXT, X0, TOP, X1, BOTTOM, UPRIGHT, SIZE, FONTNAME = range(8)
TOLERANCE = DEFAULT_X_TOLERANCE
assert DEFAULT_X_TOLERANCE == DEFAULT_Y_TOLERANCE, "words() uses one tolerance for both"

_RUN_KEY = itemgetter(UPRIGHT, FONTNAME, SIZE)
_X0_KEY, _X1_KEY = itemgetter(X0), itemgetter(X1)
_TOP_KEY, _BOTTOM_KEY = itemgetter(TOP), itemgetter(BOTTOM)
_LIGATURE_CHARS = frozenset(LIGATURES)
_TOP_BOTTOM_KEY = itemgetter(TOP, BOTTOM)


def words(chars: list[Char]) -> list[Char]:
    """The words of `chars` (see the module docstring), as tuples shaped like characters."""
    found: list[Char] = []
    for (upright, _, _), run in groupby(chars, _RUN_KEY):
        if upright:
            for line in _lines(list(run), TOP):
                line.sort(key=_X0_KEY)
                _words_of_line(line, X0, X1, TOP, found)
        else:
            for line in _lines(list(run), X0):
                line.sort(key=_TOP_BOTTOM_KEY)
                _words_of_line(line, TOP, BOTTOM, X0, found)
    return found


def _lines(run: list[Char], key: int) -> list[list[Char]]:
    """pdfplumber's cluster_objects: values within TOLERANCE of the one before are one line."""
    values = sorted({char[key] for char in run})
    cluster: dict[float, int] = {}
    index, last = 0, values[0]
    for value in values:
        if value > last + TOLERANCE:
            index += 1
        cluster[value] = index
        last = value
    lines: list[list[Char]] = [[] for _ in range(index + 1)]
    for char in run:
        lines[cluster[char[key]]].append(char)
    return lines


def _words_of_line(line: list[Char], start: int, end: int, across: int, found: list[Char]) -> None:
    current: list[Char] = []
    for char in line:
        text = char[TEXT]
        if text.isspace():
            _close(current, found)
            current = []
        elif text == "":  # pdfplumber's `text in split_at_punctuation`, with none given
            _close(current, found)
            _close([char], found)
            current = []
        elif current and _begins_word(current[-1], char, start, end, across):
            _close(current, found)
            current = [char]
        else:
            current.append(char)
    _close(current, found)


def _begins_word(prev: Char, char: Char, start: int, end: int, across: int) -> bool:
    return (char[start] < prev[start] or char[start] > prev[end] + TOLERANCE
            or abs(char[across] - prev[across]) > TOLERANCE)


def _close(chars: list[Char], found: list[Char]) -> None:
    if not chars:
        return
    first = chars[0]
    texts = [char[TEXT] for char in chars]
    if _LIGATURE_CHARS.isdisjoint(texts):  # "".join of the texts: no character is a ligature
        text = "".join(texts)
    else:
        text = "".join(LIGATURES.get(t, t or "") for t in texts)
    found.append((text, min(map(_X0_KEY, chars)), min(map(_TOP_KEY, chars)), max(map(_X1_KEY, chars)),
                  max(map(_BOTTOM_KEY, chars)), first[UPRIGHT], first[SIZE], first[FONTNAME]))
