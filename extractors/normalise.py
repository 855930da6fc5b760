"""Text normalisers: small `str -> str` functions that each do one job.

`normalise_item()` calls them in a fixed order. `split_marker()` separates a list marker
(bullet glyph, "1.", "a)", "iv.") from the text after it; readers use it to record the marker.
"""

from __future__ import annotations

import re
import unicodedata

# Bullet glyphs seen in real strategies, including Symbol/Wingdings private-use code points
# that PDF exports of Word documents carry (U+F0B7 is Symbol's bullet, U+F0A7 Wingdings' square).
BULLET_GLYPHS = (
    "•◦▪▫■□●○◆◇►▶▸▹➢➤➔→✓✔❖⁃∙·‣⦿⦾-–—*+"
    "\uf0b7\uf0a7\uf0d8\uf0fc\uf076\uf0a8\uf0e0\uf0d7\uf02d\uf0be"
)
# Dashes and ASCII signs are markers only when white space follows ("-based" is a word);
# any other bullet glyph is a marker even when glued to the text ("•Life science").
_DASHES = "-–—*+"
_BULLET_RE = re.compile(
    rf"^(?:[{re.escape(BULLET_GLYPHS.translate(dict.fromkeys(map(ord, _DASHES))))}]"
    rf"[{re.escape(BULLET_GLYPHS)}]*\s*|[{re.escape(_DASHES)}]+(?:\s+|$))"
)
# "1.", "1)", "(1)", "1.2.", "15.4.", "a)", "(b)", "iv." followed by white space.
_NUMBER_RE = re.compile(
    r"^(?:\(?\d{1,3}(?:\.\d{1,3})*[.)]|\(\d{1,3}\)|\(?[a-z][.)]|\([a-z]\)|\(?(?:i{1,3}|iv|v|vi{1,3}|ix|x)[.)])(?=\s)\s*",
    re.IGNORECASE,
)
_SPACE_RE = re.compile(r"\s+")
_HYPHEN_BREAK_RE = re.compile(r"(\w)[-\u00ad]\s*\n\s*(\w)")
_ZERO_WIDTH = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff\u00ad"), None)


def split_marker(text: str) -> tuple[str, str]:
    """Split a leading bullet glyph or list number from `text`: ("•", "Life science")."""
    stripped = text.lstrip()
    for pattern in (_BULLET_RE, _NUMBER_RE):
        match = pattern.match(stripped)
        if match:
            return match.group(0).strip(), stripped[match.end():]
    return "", text


def typed_marker(text: str) -> tuple[str, str]:
    """The marker a writer typed in front of a plain paragraph, and the text after it.

    A bullet glyph ("▪\tItem", "•Item"; a dash or "*" only before white space) is a marker; a
    number or letter ("1.", "a)") only when a tab follows it, as Word's own lists set it, so
    a sentence opening with a year or a TOC line is not taken for an item. ("", text) otherwise.
    """
    stripped = text.lstrip()
    match = _BULLET_RE.match(stripped)
    if match:
        rest = stripped[match.end():]
        return (match.group(0).strip(), rest) if rest.strip() else ("", text)
    match = _NUMBER_RE.match(stripped)
    if match and match.group(0)[len(match.group(0).rstrip()):].startswith("\t"):
        rest = stripped[match.end():]
        return (match.group(0).strip(), rest) if rest.strip() else ("", text)
    return "", text


def strip_bullet(text: str) -> str:
    """Remove every leading bullet glyph or list number ("• 1. Life" -> "Life")."""
    previous = None
    while previous != text:
        previous = text
        text = split_marker(text)[1].lstrip()
    return text


def join_hyphenated(text: str) -> str:
    """Join a word broken over two lines by a hyphen: "innova-\\ntion" -> "innovation"."""
    return _HYPHEN_BREAK_RE.sub(r"\1\2", text)


def remove_invisible(text: str) -> str:
    """Drop zero-width characters and soft hyphens; NFC-compose what is left."""
    return unicodedata.normalize("NFC", text.translate(_ZERO_WIDTH))


def collapse_whitespace(text: str) -> str:
    """Fold runs of white space (line breaks and NBSP included) to one space; trim the ends."""
    return _SPACE_RE.sub(" ", text.replace("\u00a0", " ")).strip()


def strip_trailing_separators(text: str) -> str:
    """Drop list punctuation at the end of an item: "cyber security;" / "software; and"."""
    text = re.sub(r"(?:[;,]\s*(?:and|och|or|eller)?|:)\s*$", "", text, flags=re.IGNORECASE)
    return text.rstrip()


def normalise_item(text: str) -> str:
    """The verbatim priority as published: marker removed, breaks joined, spaces folded."""
    text = remove_invisible(text)
    text = join_hyphenated(text)
    text = collapse_whitespace(text)
    text = strip_bullet(text)
    text = strip_trailing_separators(text)
    return collapse_whitespace(text)


def fold(text: str) -> str:
    """Casefolded, accent-free form with one kind of dash and single spaces.

    "Västra  Götaland" -> "vastra gotaland"; "Jämtland–Härjedalen" -> "jamtland-harjedalen".
    Letters without a decomposition (ø, ł) stay as they are; casefolding makes "ß" "ss".
    """
    if text.isascii():  # no marks to strip, and "-" is ASCII's one dash: the same, faster
        return " ".join(text.lower().split())
    text = _strip_marks(text).casefold()
    text = _strip_marks(text)  # casefolding can add marks back ("İ" -> "i̇")
    text = "".join("-" if unicodedata.category(ch) == "Pd" else ch for ch in text)
    return " ".join(text.split())


def name_key(text: str) -> str:
    """The form in which two names are the same name: `fold`ed, a dash counted as a space
    ("Jämtland-Härjedalen", "JAMTLAND HARJEDALEN" -> "jamtland harjedalen")."""
    return " ".join(fold(text).replace("-", " ").split())


def _strip_marks(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))
