"""Regions: the gazetteer of NUTS regions and the functions that find them in text.

The names live in `regions.gazetteer.csv` beside this module (one row per region, its format
documented at the top of the file); nothing here names a region. Matching ignores case and
accents ("Skane" finds Skåne) and treats a hyphen like a space ("Jämtland Härjedalen").

- `load_gazetteer()` reads and checks the bundled file (cached); `parse_gazetteer(text)` does
  the work and is what tests feed bad files to.
- `add_region_names(nlp, gazetteer)` puts every name and alias (but those a row lists as
  `heading_only`: common words, famous city names) into the pipeline's name finder (label
  "REGION", id = NUTS code).
- `match_region(heading, ...)` says whether a short heading names one region as a whole (a
  heading-only name too); `find_regions(text, ...)` lists every region mention in running
  text (never by a heading-only name).
"""

from __future__ import annotations

import csv
import functools
import logging
import re
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from rapidfuzz import fuzz, process

from smartspec.extractors.errors import ReferenceDataError
from smartspec.extractors.normalise import collapse_whitespace, name_key, remove_invisible, strip_bullet
from smartspec.extractors.reference import read_reference

if TYPE_CHECKING:  # the gazetteer itself needs no spaCy: a run's checks read it before spaCy loads
    from spacy.language import Language

logger = logging.getLogger(__name__)


class UnknownRegion(ValueError):
    """A region named by a user that the gazetteer does not know."""

GAZETTEER_FILE = "regions.gazetteer.csv"
REGION_LABEL = "REGION"
COLUMNS = ("code", "name", "country", "nuts_level", "national_code", "iso_code", "language",
           "aliases")
# An optional column: the row's names (its name or aliases) that are common words, shared
# or city names, so name the region only as a whole heading ("West", "Centro", "Paris").
HEADING_ONLY = "heading_only"
ALIAS_SEPARATOR = "|"
# How a RegionMatch was found.
EXACT = "exact"  # the canonical name, any case
ALIAS = "alias"  # an alias, or the name spelled without its accents
FUZZY = "fuzzy"  # a near miss of a name or alias ("Norrbottnen")

_CODE_RE = re.compile(r"[A-Z]{2}[A-Z0-9]{0,3}")
_COUNTRY_RE = re.compile(r"[A-Z]{2}")
_LANGUAGE_RE = re.compile(r"[a-z]{2,3}")
_ISO_RE = re.compile(r"[A-Z]{2}-[A-Z0-9]{1,3}")
# Section numbering that `strip_bullet` leaves ("1." and "1)" it takes): "2.1 Skåne", "3 Skåne".
_LEADING_NUMBER_RE = re.compile(r"^\d{1,2}(?:\.\d{1,2})*\.?\s+")


@dataclass(frozen=True, slots=True)
class Region:
    code: str  # NUTS 2021
    name: str
    country: str  # ISO 3166-1 alpha-2 (NUTS prefix)
    nuts_level: int
    national_code: str
    iso_code: str  # ISO 3166-2, "" if none
    language: str
    aliases: tuple[str, ...] = ()
    heading_only: tuple[str, ...] = ()  # names (of `names`) that count only as a whole heading

    @property
    def names(self) -> tuple[str, ...]:
        """The canonical name, then the aliases."""
        return (self.name, *self.aliases)

    @property
    def text_names(self) -> tuple[str, ...]:
        """The names that find the region wherever they are written: all but `heading_only`."""
        alone = {name_key(name) for name in self.heading_only}
        return tuple(name for name in self.names if name_key(name) not in alone)


@dataclass(frozen=True, slots=True)
class RegionMatch:
    region: Region
    match: str  # EXACT | ALIAS | FUZZY
    text: str  # the text that matched, as written (after trimming numbering and punctuation)
    score: float  # 100.0 for exact and alias matches; the rapidfuzz ratio for fuzzy ones


@dataclass(frozen=True, slots=True)
class Gazetteer:
    """Regions with lookup by code and by any name, alias or ISO code.

    Building one checks that no two regions share a code or a (folded) name; `parse_gazetteer`
    reports the same problems with line numbers first.
    """

    regions: tuple[Region, ...]
    # Indexes built from `regions`; plain dicts, never mutated, so a Gazetteer pickles.
    _by_code: Mapping[str, Region] = field(init=False, repr=False, compare=False)
    _by_key: Mapping[str, Region] = field(init=False, repr=False, compare=False)
    _codes: frozenset[str] = field(init=False, repr=False, compare=False)
    # matching key of a heading-only name -> region
    _by_heading_name: Mapping[str, Region] = field(init=False, repr=False, compare=False)
    # (matching key of a name or alias, region), for the fuzzy fallback (no heading-only name);
    # the keys alone, what rapidfuzz compares a heading with
    _forms: tuple[tuple[str, Region], ...] = field(init=False, repr=False, compare=False)
    _form_keys: tuple[str, ...] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        by_code: dict[str, Region] = {}
        by_key: dict[str, Region] = {}
        forms: dict[tuple[str, str], Region] = {}
        for region in self.regions:
            if region.code in by_code:
                raise ValueError(f"two regions have the code {region.code}")
            by_code[region.code] = region
            for key in _lookup_keys(region):
                other = by_key.setdefault(key, region)
                if other.code != region.code:
                    raise ValueError(f"{key!r} names both {other.code} and {region.code}")
            for name in region.text_names:
                forms.setdefault((name_key(name), region.code), region)
        object.__setattr__(self, "_by_code", by_code)
        object.__setattr__(self, "_by_heading_name", {name_key(name): region for region in self.regions
                                                      for name in region.heading_only})
        object.__setattr__(self, "_by_key", by_key)
        object.__setattr__(self, "_codes", frozenset(by_code))
        object.__setattr__(self, "_forms",
                           tuple((key, region) for (key, _), region in forms.items()))
        object.__setattr__(self, "_form_keys", tuple(key for key, _ in self._forms))

    @property
    def codes(self) -> frozenset[str]:
        return self._codes

    def by_code(self, code: str) -> Region:
        """The region with NUTS code `code`; KeyError if there is none."""
        return self._by_code[code]

    def resolve(self, name_or_code: str) -> Region | None:
        """The region a NUTS code, ISO 3166-2 code, name or alias stands for (any case, accents)."""
        return self._by_key.get(name_key(name_or_code))

    def resolve_heading_name(self, text: str) -> Region | None:
        """The region one of whose heading-only names `text` is (any case, accents)."""
        return self._by_heading_name.get(name_key(text))

    def resolve_names(self, names: Iterable[str]) -> dict[str, str]:
        """Region code -> the name given for it, for each of `names`; raises UnknownRegion for
        the first that is none of a name, alias or code of the gazetteer."""
        codes = {}
        for name in names:
            region = self.resolve(name)
            if region is None:
                raise UnknownRegion(f"unknown region {name!r}: not a name, alias or code in the gazetteer")
            codes[region.code] = name
        return codes


def _lookup_keys(region: Region) -> set[str]:
    keys = {name_key(name) for name in region.names} | {name_key(region.code)}
    if region.iso_code:
        keys.add(name_key(region.iso_code))
    keys.discard("")
    return keys


@functools.cache
def load_gazetteer() -> Gazetteer:
    """The bundled `regions.gazetteer.csv`, checked. Raises ReferenceDataError if it is bad."""
    return parse_gazetteer(read_reference(GAZETTEER_FILE))


def parse_gazetteer(text: str) -> Gazetteer:
    """Parse and check gazetteer CSV text ("#" lines are comments). Not cached.

    Every problem found is reported in one ReferenceDataError, each with its line number.
    """
    lines = [(number, line) for number, line in enumerate(text.splitlines(), start=1)
             if line.strip() and not line.lstrip().startswith("#")]
    if not lines:
        raise _bad("no header row and no regions")
    rows = list(csv.reader(line for _, line in lines))
    header = [column.strip() for column in rows[0]]
    missing = [column for column in COLUMNS if column not in header]
    if missing:
        raise _bad(f"line {lines[0][0]}: missing column(s) {', '.join(missing)}")
    if len(set(header)) != len(header):
        raise _bad(f"line {lines[0][0]}: a column name appears twice")

    problems: list[str] = []
    regions: list[Region] = []
    line_of: dict[str, int] = {}  # code -> line
    owner_of: dict[str, tuple[str, int]] = {}  # matching key -> (code, line)
    for (number, _), row in zip(lines[1:], rows[1:]):
        if len(row) != len(header):
            problems.append(f"line {number}: {len(row)} fields, the header has {len(header)}")
            continue
        values = dict(zip(header, (value.strip() for value in row)))
        region, row_problems = _region_from_row(values)
        problems.extend(f"line {number}: {problem}" for problem in row_problems)
        if region is None:
            continue
        if region.code in line_of:
            problems.append(f"line {number}: code {region.code} is already on line "
                            f"{line_of[region.code]}")
            continue
        line_of[region.code] = number
        for key in sorted(_lookup_keys(region)):
            code, line = owner_of.setdefault(key, (region.code, number))
            if code != region.code:
                problems.append(f"line {number}: {key!r} names both {code} (line {line}) "
                                f"and {region.code}")
        regions.append(region)
    if not regions and not problems:
        problems.append("no regions")
    if problems:
        raise _bad("; ".join(problems))
    return Gazetteer(tuple(regions))


def _region_from_row(values: dict[str, str]) -> tuple[Region | None, list[str]]:
    problems = []
    code, country, language, iso = (values["code"], values["country"], values["language"],
                                    values["iso_code"])
    if not _CODE_RE.fullmatch(code):
        problems.append(f"code {code!r} is not a NUTS code")
    if not _COUNTRY_RE.fullmatch(country):
        problems.append(f"country {country!r} is not two capital letters")
    elif not code.startswith(country):
        problems.append(f"code {code!r} does not start with its country {country!r}")
    level = values["nuts_level"]
    if level not in {"0", "1", "2", "3"}:
        problems.append(f"nuts_level {level!r} is not 0-3")
    elif _CODE_RE.fullmatch(code) and len(code) != 2 + int(level):
        problems.append(f"code {code!r} has {len(code)} characters; NUTS {level} codes "
                        f"have {2 + int(level)}")
    if not values["name"]:
        problems.append("name is empty")
    if not _LANGUAGE_RE.fullmatch(language):
        problems.append(f"language {language!r} is not an ISO 639-1 code")
    if iso and not _ISO_RE.fullmatch(iso):
        problems.append(f"iso_code {iso!r} is not an ISO 3166-2 code")
    if problems:
        return None, problems
    aliases = [alias.strip() for alias in values["aliases"].split(ALIAS_SEPARATOR)]
    own = {name_key(name) for name in (values["name"], *aliases)}
    alone = [name.strip() for name in values.get(HEADING_ONLY, "").split(ALIAS_SEPARATOR)
             if name.strip()]
    strangers = [name for name in alone if name_key(name) not in own]
    if strangers:
        return None, [f"{HEADING_ONLY} {', '.join(map(repr, strangers))} is not the row's name "
                      f"or one of its aliases"]
    region = Region(
        code=code,
        name=values["name"],
        country=country,
        nuts_level=int(level),
        national_code=values["national_code"],
        iso_code=iso,
        language=language,
        aliases=tuple(dict.fromkeys(a for a in aliases if a and a != values["name"])),
        heading_only=tuple(dict.fromkeys(alone)),
    )
    return region, []


def _bad(message: str) -> ReferenceDataError:
    return ReferenceDataError(source_id=GAZETTEER_FILE, stage="reference", message=message)


def add_region_names(nlp: Language, gazetteer: Gazetteer) -> None:
    """Put every region name and alias (but the heading-only ones) into `nlp`'s name finder
    (`smartspec.extractors.nlp.build_pipeline`), label REGION, id = NUTS code. Found as
    folded words, with a dash counted as a space: "Jamtland Harjedalen" is Jämtland-Härjedalen."""
    from smartspec.extractors.nlp import NAMES_PIPE

    nlp.get_pipe(NAMES_PIPE).add(REGION_LABEL, ((name, region.code) for region in gazetteer.regions
                                                for name in region.text_names))


def match_region(text: str, nlp: Language, gazetteer: Gazetteer, *,
                 fuzzy_threshold: float = 88.0, fuzzy_margin: float = 3.0,
                 fuzzy_min_chars: int = 6) -> RegionMatch | None:
    """The region a short heading names as a whole, or None.

    Leading bullets and numbering and surrounding punctuation are trimmed ("2. Skåne:").
    Matched by the name finder when one REGION entity spans the whole heading: the canonical
    name gives "exact", an alias or an accent-less spelling "alias"; so does a heading that
    is one of a region's `heading_only` names ("West", "Centro"). Otherwise a fuzzy match
    ("fuzzy"): rapidfuzz `ratio` against every name and alias but the heading-only ones,
    accepted if the heading has at least `fuzzy_min_chars` characters (in a shorter one a
    letter more or less makes another word: "Land" is not "Åland"), the best region scores at
    least `fuzzy_threshold` and it beats the next best region by at least `fuzzy_margin`.

    `nlp` must hold the region names (`add_region_names`). A country ("Sverige") matches
    its NUTS 0 entry; whether a country heading counts is the caller's decision.
    """
    heading = _clean_heading(text)
    if not heading:
        return None
    _require_region_names(nlp)
    doc = nlp(heading)
    for ent in doc.ents:
        if ent.label_ == REGION_LABEL and ent.start == 0 and ent.end == len(doc):
            region = gazetteer.by_code(ent.ent_id_)
            return RegionMatch(region, _match_kind(heading, region), heading, 100.0)
    region = gazetteer.resolve_heading_name(heading)
    if region is not None:
        return RegionMatch(region, _match_kind(heading, region), heading, 100.0)
    if len(heading) < fuzzy_min_chars:
        return None
    return _fuzzy_match(heading, gazetteer, fuzzy_threshold, fuzzy_margin)


def find_regions(text: str, nlp: Language, gazetteer: Gazetteer) -> list[RegionMatch]:
    """Every region mention in running text, in order (the name finder only, no fuzzy matching)."""
    _require_region_names(nlp)
    doc = nlp(text)
    matches = []
    for ent in doc.ents:
        if ent.label_ == REGION_LABEL:
            region = gazetteer.by_code(ent.ent_id_)
            matches.append(RegionMatch(region, _match_kind(ent.text, region), ent.text, 100.0))
    return matches


def _clean_heading(text: str) -> str:
    text = strip_bullet(collapse_whitespace(remove_invisible(text)))
    text = _LEADING_NUMBER_RE.sub("", text)
    start, end = 0, len(text)
    while start < end and _is_trimmable(text[start]):
        start += 1
    while end > start and _is_trimmable(text[end - 1]):
        end -= 1
    return text[start:end]


def _is_trimmable(ch: str) -> bool:
    return ch.isspace() or unicodedata.category(ch).startswith("P")


def _match_kind(text: str, region: Region) -> str:
    same = _casefolded(text) == _casefolded(region.name)
    return EXACT if same else ALIAS


def _casefolded(text: str) -> str:
    return " ".join(unicodedata.normalize("NFC", text).casefold().split())


def _fuzzy_match(heading: str, gazetteer: Gazetteer, threshold: float,
                 margin: float) -> RegionMatch | None:
    query = name_key(heading)
    # Regions scoring below threshold - margin can neither win nor spoil the margin.
    hits = process.extract(query, gazetteer._form_keys, scorer=fuzz.ratio, limit=None,
                           score_cutoff=max(threshold - margin, 0.0))
    best: dict[str, float] = {}
    for _, score, index in hits:
        code = gazetteer._forms[index][1].code
        best[code] = max(score, best.get(code, 0.0))
    if not best:
        return None
    ranked = sorted(best.items(), key=lambda item: item[1], reverse=True)
    code, top = ranked[0]
    runner_up = ranked[1][1] if len(ranked) > 1 else 0.0
    if top < threshold or top - runner_up < margin:
        return None
    return RegionMatch(gazetteer.by_code(code), FUZZY, heading, float(top))


def _require_region_names(nlp: Language) -> None:
    from smartspec.extractors.nlp import NAMES_PIPE

    finder = nlp.get_pipe(NAMES_PIPE) if nlp.has_pipe(NAMES_PIPE) else None
    if finder is None or REGION_LABEL not in finder.labels:
        raise ValueError(f"the pipeline has no {REGION_LABEL} names: add_region_names() puts them "
                         f"into its {NAMES_PIPE!r}")
