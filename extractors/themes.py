"""The theme taxonomy: its dimensions, categories, terms and patterns, read from data files.

The taxonomy is data (README, "Themes and partners"): `themes.taxonomy.yml` (dimensions,
categories, what a category implies, the partner weights), `themes.terms.yml` (the tags each
term brings) and one `themes.patterns.<lang>.jsonl` per language (spaCy pattern shape: the
term as `label`; a string is a phrase, a list a token pattern). `load_taxonomy()` reads and
checks them once; `smartspec.extractors.tagging` matches the patterns.
"""

from __future__ import annotations

import hashlib
import json
import logging
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from importlib.resources import files
from importlib.resources.abc import Traversable
from pathlib import Path
from typing import Any

import yaml
from spacy.matcher import Matcher
from spacy.vocab import Vocab

from smartspec.extractors.errors import ReferenceDataError

logger = logging.getLogger(__name__)

TAXONOMY_FILE = "themes.taxonomy.yml"
TERMS_FILE = "themes.terms.yml"
PATTERNS_FILE = "themes.patterns.{lang}.jsonl"
# Token attributes a token pattern may test (whole words only; LEMMA is lemmatised like the text).
TOKEN_ATTRIBUTES = frozenset({"ORTH", "LOWER", "NORM", "LEMMA", "IS_DIGIT", "LENGTH", "OP"})


def tag_of(dimension: str, code: str) -> str:
    """A category's tag, as tags are written everywhere: "nace:C21"."""
    return f"{dimension}:{code}"


@dataclass(frozen=True, slots=True)
class Category:
    dimension: str
    code: str
    label: str
    parent: str | None = None  # the parent category's tag
    implies: tuple[str, ...] = ()  # tags a pattern match on this category brings too
    source: str | None = None  # where the category comes from, when not its dimension's source

    @property
    def tag(self) -> str:
        return tag_of(self.dimension, self.code)


@dataclass(frozen=True, slots=True)
class Dimension:
    id: str
    label: str
    source: str


@dataclass(frozen=True, slots=True)
class ThemePattern:
    term: str  # the pattern's `label`
    pattern: str | tuple[dict[str, Any], ...]  # a phrase, or a token pattern
    id: str | None


@dataclass(frozen=True, slots=True)
class PartnerScoring:
    """How smartspec.publishing.partners compares two regions' priorities (see themes.taxonomy.yml)."""

    tag_weight: float
    text_weight: float
    text_min: float
    evidence_min: float


@dataclass(frozen=True, slots=True, eq=False)
class Taxonomy:
    name: str
    version: str
    sha256: str  # of the taxonomy, terms and pattern files, in that order
    dimensions: tuple[Dimension, ...]
    categories: Mapping[str, Category]  # by tag, in the file's order
    terms: Mapping[str, tuple[str, ...]]  # term -> tags
    patterns: Mapping[str, tuple[ThemePattern, ...]]  # language -> patterns
    compounds: frozenset[str]  # languages whose compounds are matched by their parts
    partners: PartnerScoring

    def category(self, tag: str) -> Category:
        return self.categories[tag]


# --- the data files -------------------------------------------------------------------------


def load_taxonomy(folder: Path | None = None) -> Taxonomy:
    """The bundled taxonomy (or the one in `folder`, with the same file names), checked.

    Raises ReferenceDataError naming the file and every problem found. Cached per folder.
    """
    return _load_taxonomy(folder)


@cache
def _load_taxonomy(folder: Path | None) -> Taxonomy:
    root: Traversable | Path = folder if folder is not None else files("smartspec.extractors")
    raw = _read(root, TAXONOMY_FILE)
    taxonomy = _yaml(raw, TAXONOMY_FILE)
    terms_raw = _read(root, TERMS_FILE)
    languages = taxonomy.get("languages")
    if not isinstance(languages, dict) or not languages:
        raise _bad(TAXONOMY_FILE, ["`languages` must map each language to its options"])
    pattern_files = {lang: _read(root, PATTERNS_FILE.format(lang=lang)) for lang in sorted(languages)}
    digest = hashlib.sha256()
    for name, data in [(TAXONOMY_FILE, raw), (TERMS_FILE, terms_raw),
                       *((PATTERNS_FILE.format(lang=lang), data) for lang, data in pattern_files.items())]:
        digest.update(name.encode() + b"\0" + data + b"\0")

    dimensions, categories = _categories(taxonomy)
    terms = _terms(_yaml(terms_raw, TERMS_FILE), categories)
    patterns = {lang: _patterns(PATTERNS_FILE.format(lang=lang), data, terms)
                for lang, data in pattern_files.items()}
    unused = sorted(set(terms) - {p.term for found in patterns.values() for p in found})
    if unused:
        raise _bad(TERMS_FILE, [f"term {term!r} has no pattern in any language" for term in unused])
    version = taxonomy.get("version")
    name = taxonomy.get("name")
    if not isinstance(version, str) or not isinstance(name, str):
        raise _bad(TAXONOMY_FILE, ["`name` and `version` must be strings"])
    loaded = Taxonomy(
        name=name, version=version, sha256=digest.hexdigest(), dimensions=dimensions,
        categories=categories, terms=terms, patterns=patterns,
        compounds=frozenset(lang for lang, options in languages.items()
                            if isinstance(options, dict) and options.get("compounds")),
        partners=_partner_scoring(taxonomy.get("partners")),
    )
    logger.info("theme taxonomy %s %s: %d categories, %d terms, patterns for %s", name, version,
                len(categories), len(terms), ", ".join(patterns))
    return loaded


def _read(root: Traversable | Path, name: str) -> bytes:
    try:
        return root.joinpath(name).read_bytes()
    except OSError as e:
        raise ReferenceDataError(name, "reference", f"cannot read: {e}") from e


def _yaml(data: bytes, name: str) -> dict[str, Any]:
    try:
        loaded = yaml.safe_load(data.decode("utf-8"))
    except (UnicodeDecodeError, yaml.YAMLError) as e:
        raise ReferenceDataError(name, "reference", f"not valid YAML: {e}") from e
    if not isinstance(loaded, dict):
        raise _bad(name, ["the file must hold a mapping"])
    return loaded


def _bad(name: str, problems: list[str]) -> ReferenceDataError:
    return ReferenceDataError(name, "reference", "; ".join(problems))


def _categories(taxonomy: dict[str, Any]) -> tuple[tuple[Dimension, ...], dict[str, Category]]:
    problems: list[str] = []
    dimensions, categories = [], {}
    for number, entry in enumerate(taxonomy.get("dimensions") or [], start=1):
        if not isinstance(entry, dict) or not all(isinstance(entry.get(k), str) for k in ("id", "label", "source")):
            problems.append(f"dimension {number}: needs `id`, `label` and `source`")
            continue
        dimensions.append(Dimension(entry["id"], entry["label"], " ".join(entry["source"].split())))
        for item in entry.get("categories") or []:
            code, label = (item.get("code"), item.get("label")) if isinstance(item, dict) else (None, None)
            if not isinstance(code, str) or not code or not isinstance(label, str) or not label:
                problems.append(f"{entry['id']}: a category without `code` or `label`: {item!r}")
                continue
            parent = item.get("parent")
            category = Category(
                entry["id"], code, label, f"{entry['id']}:{parent}" if parent is not None else None,
                tuple(item.get("implies") or ()), item.get("source"),
            )
            if category.tag in categories:
                problems.append(f"{category.tag} is listed twice")
            categories[category.tag] = category
    if not dimensions:
        problems.append("no dimensions")
    for category in categories.values():
        if category.parent is not None and category.parent not in categories:
            problems.append(f"{category.tag}: parent {category.parent} is not a category")
        problems += [f"{category.tag}: implies {tag}, which is not a category"
                     for tag in category.implies if tag not in categories]
    if problems:
        raise _bad(TAXONOMY_FILE, problems)
    return tuple(dimensions), categories


def _terms(entries: dict[str, Any], categories: Mapping[str, Category]) -> dict[str, tuple[str, ...]]:
    problems, terms = [], {}
    for term, tags in entries.items():
        if not isinstance(tags, list) or not tags or not all(isinstance(tag, str) for tag in tags):
            problems.append(f"{term}: give a list of tags")
            continue
        problems += [f"{term}: {tag} is not a category" for tag in tags if tag not in categories]
        terms[str(term)] = tuple(dict.fromkeys(tags))
    if problems:
        raise _bad(TERMS_FILE, problems)
    return terms


def _patterns(name: str, data: bytes, terms: Mapping[str, tuple[str, ...]]) -> tuple[ThemePattern, ...]:
    problems, patterns = [], []
    check = Matcher(Vocab(), validate=True)
    try:
        lines = data.decode("utf-8").splitlines()
    except UnicodeDecodeError as e:
        raise ReferenceDataError(name, "reference", f"not UTF-8: {e}") from e
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            entry = json.loads(line)
        except ValueError as e:
            problems.append(f"line {number}: not JSON ({e})")
            continue
        if not isinstance(entry, dict):
            problems.append(f"line {number}: not a JSON object")
            continue
        term, pattern = entry.get("label"), entry.get("pattern")
        if term not in terms:
            problems.append(f"line {number}: label {term!r} is not a term of {TERMS_FILE}")
        elif isinstance(pattern, str) and any(ch.isalnum() for ch in pattern):
            patterns.append(ThemePattern(term, pattern, entry.get("id")))
        elif isinstance(pattern, list) and pattern and all(isinstance(t, dict) and set(t) <= TOKEN_ATTRIBUTES
                                                           for t in pattern):
            try:
                check.add(f"line {number}", [pattern])
            except ValueError as e:  # spaCy's own pattern validation
                problems.append(f"line {number}: {e}")
                continue
            patterns.append(ThemePattern(term, tuple(pattern), entry.get("id")))
        else:
            problems.append(f"line {number}: `pattern` must be a phrase or a list of token patterns "
                            f"testing {', '.join(sorted(TOKEN_ATTRIBUTES))}")
    if problems:
        raise _bad(name, problems)
    return tuple(patterns)


def _partner_scoring(entry: Any) -> PartnerScoring:
    names = ("tag_weight", "text_weight", "text_min", "evidence_min")
    if not isinstance(entry, dict):
        raise _bad(TAXONOMY_FILE, [f"`partners` must give {', '.join(names)}"])
    values = {name: entry.get(name) for name in names}
    problems = [f"partners.{name} must be a number from 0 to 1" for name, value in values.items()
                if isinstance(value, bool) or not isinstance(value, int | float) or not 0 <= value <= 1]
    if problems:
        raise _bad(TAXONOMY_FILE, problems)
    return PartnerScoring(**{name: float(value) for name, value in values.items()})
