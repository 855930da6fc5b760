"""Make `extractors/regions.gazetteer.csv` hold every NUTS 2021 region (levels 0, 2 and 3).

Run from the repository root, with `../shared/geo/` beside it (or name the folder), after
`pip install -e '.[gazetteer]'` (pycountry and wordfreq, pinned):

    .venv/bin/python scripts/make_gazetteer.py [GEO_DIR]

It reads

- GEO_DIR: Eurostat GISCO's NUTS 2021 files (`nuts2021_level{0,2,3}_20M.geojson`), each
  region's code and its name in the national language (`na`); NUTS 1 is not there;
- the gazetteer as it stands: its comment lines and every row are kept, and a row's name,
  codes and `heading_only` stay as they are; aliases are only ever added to a row;
- pycountry (Debian's iso-codes): the ISO 3166-2 subdivision a region is, by name, whose
  code becomes the region's `iso_code` and whose names (its own, and its Swedish and English
  ones: Finland's regions by their Swedish names) become aliases; a country's English,
  official and Swedish names;
- `make_gazetteer.languages.csv` beside this script: each country's main language;
- wordfreq: how often a name is written as an ordinary word (the `heading_only` rule);

and writes the gazetteer again, rows in code order. The rules it follows are in the file's
header comment. Same inputs, same bytes: run on its own output, it changes nothing.
"""

from __future__ import annotations

import argparse
import csv
import functools
import gettext
import io
import json
import logging
import re
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pycountry
import wordfreq

from smartspec.extractors.regions import (
    ALIAS_SEPARATOR,
    COLUMNS,
    GAZETTEER_FILE,
    HEADING_ONLY,
    name_key,
    parse_gazetteer,
)

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_GEO = ROOT.parent / "shared" / "geo"
GAZETTEER = ROOT / "extractors" / GAZETTEER_FILE
LANGUAGES = Path(__file__).with_name("make_gazetteer.languages.csv")
NUTS_FILES = {level: f"nuts2021_level{level}_20M.geojson" for level in (0, 2, 3)}
WRITTEN_COLUMNS = (*COLUMNS, HEADING_ONLY)
# Where NUTS and ISO 3166 name a country differently.
ISO_COUNTRY = {"EL": "GR", "UK": "GB"}
# The documents' languages (the extractor's pipelines): a name used as often as an ordinary
# word of them is `heading_only`. wordfreq's Zipf scale is log10 of the uses per billion
# words: 4.0 is once in 100,000 ("West", "Border", "Southern", "Paris"; Swedish "var").
DOCUMENT_LANGUAGES = ("en", "sv")
COMMON_ZIPF = 4.0
# In the region's own language a name this common is a word that names bodies and programmes
# elsewhere too ("Centro", "Norte", "Nord"); a region's name alone seldom reaches it there
# ("Tirol" 4.2, "Galicia" 4.2).
OWN_LANGUAGE_ZIPF = 5.0
# ISO 3166-2 translations taken as aliases, beside the subdivision's own name.
TRANSLATIONS = ("sv", "en")
# NUTS's own disambiguation ("Limburg (NL)") and prefix ("Prov. Limburg (BE)").
_COUNTRY_SUFFIX_RE = re.compile(r"\s+\([A-Z]{2}\)$")
_PROVINCE_PREFIX_RE = re.compile(r"^Prov\.\s+")
# ISO names: "Galicia [Galicia]", "Stockholms län [SE-01]", "Asturias, Principado de",
# "País Vasco / Euskal Herria"; translations: "Madeira (region)".
_BRACKETS_RE = re.compile(r"\s*\[([^\]]+)\]")
_TRAILING_REMARK_RE = re.compile(r"\s+\([^)]*\)$")
_ISO_SLASH = " / "
_ISO_CODE_RE = re.compile(r"\b[A-Z]{2}-[A-Z0-9]{1,3}\b")
# A NUTS 2 or 3 region that is its whole country ("LU00", "CY000") is no ISO subdivision.
_WHOLE_COUNTRY_RE = re.compile(r"^[A-Z]{2}0+$")

logger = logging.getLogger("make_gazetteer")


@dataclass(slots=True)
class Row:
    """One gazetteer row while it is made."""

    code: str
    name: str
    country: str
    nuts_level: int
    national_code: str = ""
    iso_code: str = ""
    language: str = ""
    aliases: list[str] = field(default_factory=list)
    heading_only: list[str] = field(default_factory=list)

    def names(self) -> list[str]:
        return [self.name, *self.aliases]

    def cells(self) -> list[str]:
        return [self.code, self.name, self.country, str(self.nuts_level), self.national_code,
                self.iso_code, self.language, ALIAS_SEPARATOR.join(self.aliases),
                ALIAS_SEPARATOR.join(self.heading_only)]


def make(geo_dir: Path, current: str) -> str:
    """The gazetteer `current` with every NUTS region of `geo_dir`, as the docstring says."""
    comments, rows = _read_current(current)
    nuts = _read_nuts(geo_dir)
    languages = _read_languages()
    owners = _Owners()
    for row in rows:
        owners.take(row.code, [row.code, row.iso_code, *row.names()])
    known = {row.code for row in rows}
    new = [Row(code, _iso_country(code).name if level == 0 else na, code[:2], level,
               language=_language(code, languages))
           for code, (na, level) in sorted(nuts.items()) if code not in known]
    added = _name(new, nuts, owners)
    rows += new
    for code, aliases in _add_aliases(rows, _proposals(rows, nuts, owners), owners).items():
        added.setdefault(code, []).extend(aliases)
    country_words = frozenset(word for row in rows if row.nuts_level == 0 for name in row.names()
                              for word in [name_key(name)] if " " not in word)
    for row in rows:
        row.heading_only += [name for name in dict.fromkeys(added.get(row.code, []))
                             if _is_common(name, row.language, country_words)]
    text = _write(comments, sorted(rows, key=lambda row: row.code))
    parse_gazetteer(text)  # the loader's own checks: one region per name, codes well formed
    return text


# ---- reading -----------------------------------------------------------------------------

def _read_current(text: str) -> tuple[list[str], list[Row]]:
    """The file's comment lines (those before its header) and its rows."""
    lines = text.splitlines()
    comments = []
    while lines and (not lines[0].strip() or lines[0].lstrip().startswith("#")):
        comments.append(lines.pop(0))
    records = csv.DictReader(line for line in lines if line.strip() and not line.lstrip().startswith("#"))
    rows = [Row(r["code"], r["name"], r["country"], int(r["nuts_level"]), r["national_code"],
                r["iso_code"], r["language"], _split(r["aliases"]), _split(r.get(HEADING_ONLY) or ""))
            for r in records]
    return comments, rows


def _split(cell: str) -> list[str]:
    return [part.strip() for part in cell.split(ALIAS_SEPARATOR) if part.strip()]


def _read_nuts(geo_dir: Path) -> dict[str, tuple[str, int]]:
    """code -> (national-language name, level), over GISCO's three files."""
    found = {}
    for level, name in NUTS_FILES.items():
        collection = json.loads((geo_dir / name).read_text(encoding="utf-8"))
        for feature in collection["features"]:
            properties = feature["properties"]
            found[properties["id"]] = (_tidy(properties["na"]), level)
    return found


def _tidy(name: str) -> str:
    """Single spaces, none around a slash: "Région de Bruxelles-Capitale/ Brussels ..."."""
    return re.sub(r"\s*/\s*", "/", " ".join(name.split()))


def _read_languages() -> dict[str, str]:
    """NUTS code or code start -> language."""
    lines = [line for line in LANGUAGES.read_text(encoding="utf-8").splitlines()
             if line.strip() and not line.startswith("#")]
    return {r["code"]: r["language"] for r in csv.DictReader(lines)}


def _language(code: str, languages: dict[str, str]) -> str:
    return languages[max((start for start in languages if code.startswith(start)), key=len)]


def _iso_country(code: str):  # noqa: ANN202 (pycountry's record type is not public)
    return pycountry.countries.get(alpha_2=ISO_COUNTRY.get(code[:2], code[:2]))


# ---- who owns a name ---------------------------------------------------------------------

class _Owners:
    """Matching key of a name or code -> the region that has it."""

    def __init__(self) -> None:
        self.by_key: dict[str, str] = {}

    def take(self, code: str, names: Iterable[str]) -> None:
        for name in names:
            if name:
                self.by_key.setdefault(name_key(name), code)

    def owner(self, name: str) -> str | None:
        return self.by_key.get(name_key(name))


def _winner(codes: Iterable[str]) -> str | None:
    """Of regions proposing one name, the one that holds all the others (a country over its
    regions, a NUTS 2 over its NUTS 3), or the only one; None when neither holds the other."""
    codes = sorted(set(codes), key=lambda code: (len(code), code))
    top = codes[0]
    return top if all(code.startswith(top) for code in codes) else None


def _name(new: list[Row], nuts: dict[str, tuple[str, int]], owners: _Owners) -> dict[str, list[str]]:
    """Give each new row its name: NUTS's for a region, English for a country, whose national
    names compete too. A name that another region has already, or shares with a region that
    holds it or that neither holds, becomes "Name (CODE)" for the row that loses it.
    Returns the names given (for `heading_only`), by code."""
    claims: dict[str, list[tuple[Row, str]]] = defaultdict(list)
    for row in new:
        claims[name_key(row.name)].append((row, row.name))
        if row.nuts_level == 0:
            for national in nuts[row.code][0].split("/"):
                claims[name_key(national)].append((row, national))
    given: dict[str, list[str]] = defaultdict(list)
    for key in sorted(claims):
        rows = claims[key]
        winner = None if owners.by_key.get(key) else _winner(row.code for row, _ in rows)
        for row, name in rows:
            if row.code == winner:
                if name != row.name and name not in row.aliases:
                    row.aliases.append(name)
                owners.take(row.code, [name])
                given[row.code].append(name)
            elif name == row.name:
                row.name = f"{name} ({row.code})"
                owners.take(row.code, [row.name])
        if winner is None:
            owners.by_key.setdefault(key, "")  # nobody's: no alias may take it later
    return given


# ---- aliases -----------------------------------------------------------------------------

def _proposals(rows: list[Row], nuts: dict[str, tuple[str, int]], owners: _Owners) -> list[tuple[str, str]]:
    """(code, alias) for every row, in a fixed order: NUTS's name and its forms without NUTS's
    disambiguation, a country's national, official and Swedish names, and the names of the
    ISO 3166-2 subdivision the region is (which also gives a blank `iso_code`)."""
    proposals = []
    for row in rows:
        na = nuts.get(row.code, ("", 0))[0]
        if row.nuts_level == 0:
            country = _iso_country(row.code)
            names = [*na.split("/"), getattr(country, "official_name", ""),
                     _translation("iso3166-1", "sv", country.name)] if country else na.split("/")
        else:
            names = _nuts_forms(na)
        proposals += [(row.code, name) for name in names if name]
    for row, subdivision in _subdivisions(rows, nuts, owners):
        if not row.iso_code:
            row.iso_code = subdivision.code
            owners.take(row.code, [row.iso_code])
        translations = [_translation("iso3166-2", lang, subdivision.name) for lang in TRANSLATIONS]
        names = _iso_forms(subdivision.name)
        names += [form for translation in translations if translation != subdivision.name
                  for form in _iso_forms(translation, inverted=False)]
        proposals += [(row.code, name) for name in names]
    return proposals


def _nuts_forms(na: str) -> list[str]:
    """A NUTS name, without its country suffix, and without its "Prov." prefix too."""
    plain = _COUNTRY_SUFFIX_RE.sub("", na)
    return list(dict.fromkeys(name for name in (na, plain, _PROVINCE_PREFIX_RE.sub("", plain)) if name))


def _iso_forms(name: str, *, inverted: bool = True) -> list[str]:
    """The names an ISO 3166-2 name holds: "Catalunya [Cataluña]" two, "País Vasco / Euskal
    Herria" two; "Stockholms län [SE-01]" one (a code in brackets is no name). With
    `inverted`, ISO's inverted names are turned round: "Asturias, Principado de" is "Principado
    de Asturias", "Bristol, City of" "City of Bristol" (a list, "Newry, Mourne and Down", stays)."""
    parts = [_BRACKETS_RE.sub("", name)]
    parts += [_ISO_CODE_RE.sub("", inside).strip() for inside in _BRACKETS_RE.findall(name)]
    forms = []
    for part in parts:
        for piece in part.split(_ISO_SLASH):
            head, comma, tail = piece.partition(", ")
            words = tail.split()
            if inverted and comma and (len(words) <= 2 or words[-1].islower()):
                piece = f"{tail} {head}"
            forms.append(_TRAILING_REMARK_RE.sub("", piece).strip())
    return list(dict.fromkeys(form for form in forms if form))


def _translation(domain: str, lang: str, name: str) -> str:
    return _catalogue(domain, lang).gettext(name)


@functools.cache
def _catalogue(domain: str, lang: str) -> gettext.NullTranslations:
    return gettext.translation(domain, pycountry.LOCALES_DIR, languages=[lang])


def _subdivisions(rows: list[Row], nuts: dict[str, tuple[str, int]], owners: _Owners) -> Iterator[tuple[Row, object]]:
    """Each region with the ISO 3166-2 subdivision it is: the one its `iso_code` names, else
    an unused one of its country with one of its names (a NUTS 2 before its NUTS 3, and of
    two subdivisions of one name, the one with none above it: Cantabria the community before
    Cantabria the province). A region that is its whole country ("LU00") is none."""
    by_code = {s.code: s for s in pycountry.subdivisions}
    used = {row.iso_code for row in rows if row.iso_code}
    by_key: dict[tuple[str, str], list] = defaultdict(list)
    for subdivision in sorted(pycountry.subdivisions, key=lambda s: (s.parent_code is not None, s.code)):
        if subdivision.code not in used:
            for form in _iso_forms(subdivision.name):
                by_key[(subdivision.country_code, name_key(form))].append(subdivision)
    for row in sorted(rows, key=lambda row: (row.nuts_level, row.code)):
        if row.nuts_level == 0 or _WHOLE_COUNTRY_RE.match(row.code):
            continue
        if row.iso_code:
            if row.iso_code in by_code:
                yield row, by_code[row.iso_code]
            continue
        country = ISO_COUNTRY.get(row.country, row.country)
        forms = [*_nuts_forms(nuts.get(row.code, ("", 0))[0]), *row.names()]
        forms += [part for form in list(forms) for part in form.split("/")]
        found = [s for form in dict.fromkeys(forms) for s in by_key.get((country, name_key(form)), ())
                 if s.code not in used and owners.owner(s.code) is None]
        if found:
            subdivision = min(found, key=lambda s: (s.parent_code is not None, s.code))
            used.add(subdivision.code)
            yield row, subdivision


def _add_aliases(rows: list[Row], proposals: list[tuple[str, str]], owners: _Owners) -> dict[str, list[str]]:
    """Add each proposed alias that no region has yet to the region proposing it (of several,
    the one that holds the others; none when neither holds the other). Returns those added."""
    by_code = {row.code: row for row in rows}
    proposers: dict[str, list[tuple[str, str]]] = defaultdict(list)
    for code, alias in proposals:
        proposers[name_key(alias)].append((code, alias))
    added: dict[str, list[str]] = defaultdict(list)
    for key in sorted(proposers):
        if key in owners.by_key:
            continue
        winner = _winner(code for code, _ in proposers[key])
        if winner is None:
            continue
        alias = next(alias for code, alias in proposers[key] if code == winner)
        by_code[winner].aliases.append(alias)
        owners.take(winner, [alias])
        added[winner].append(alias)
    return added


# ---- common words ------------------------------------------------------------------------

def _is_common(name: str, language: str, country_words: frozenset[str]) -> bool:
    """Whether `name` is written as an ordinary word too often to name a region wherever it
    stands: as common as COMMON_ZIPF in English or Swedish, or OWN_LANGUAGE_ZIPF in the
    region's language. A name of several words is common when each of its words is too and
    none names a country ("Northern and Western" is common, "Central Finland" is not)."""
    words = name_key(name).split()
    if len(words) > 1 and country_words.intersection(words):
        return False
    limits = {lang: COMMON_ZIPF for lang in DOCUMENT_LANGUAGES}
    if language in wordfreq.available_languages():
        limits.setdefault(language, OWN_LANGUAGE_ZIPF)
    return any(all(wordfreq.zipf_frequency(part, lang) >= limit
                   for part in (name, *wordfreq.tokenize(name, lang)))
               for lang, limit in limits.items())


# ---- writing -----------------------------------------------------------------------------

def _write(comments: list[str], rows: list[Row]) -> str:
    out = io.StringIO()
    out.write("".join(f"{line}\n" for line in comments))
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(WRITTEN_COLUMNS)
    writer.writerows(row.cells() for row in rows)
    return out.getvalue()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("geo_dir", nargs="?", type=Path, default=DEFAULT_GEO)
    args = parser.parse_args()
    logging.basicConfig(level=logging.INFO, format="%(levelname)s %(message)s")
    text = make(args.geo_dir, GAZETTEER.read_text(encoding="utf-8"))
    GAZETTEER.write_text(text, encoding="utf-8")
    logger.info("wrote %d regions to extractors/%s", len(parse_gazetteer(text).regions), GAZETTEER_FILE)


if __name__ == "__main__":
    main()
