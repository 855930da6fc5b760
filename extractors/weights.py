"""The extractor's own weights: how a single region's priority section is chosen
(`SectionScoring`), how its region is inferred (`RegionInference`) and how a heading is taken
for a region's name (`RegionMatching`).

They are data of the extractor, not settings: their values, each with its meaning, are in
`weights.extraction.toml` beside this module, versioned with the code and part of the
extraction cache key (the cache fingerprints every data file of the package).
`load_weights()` reads and checks the file once; `parse_weights()` does the work and names
the table and key of every problem.
"""

from __future__ import annotations

import functools
import tomllib
from dataclasses import dataclass, fields
from typing import Any, get_type_hints

from smartspec.extractors.errors import ReferenceDataError
from smartspec.extractors.lexicon import HEADING_LABELS
from smartspec.extractors.reference import read_reference

WEIGHTS_FILE = "weights.extraction.toml"

# A table of label -> weight: a label absent weighs nothing.
LabelWeights = tuple[tuple[str, float], ...]


@dataclass(frozen=True, slots=True)
class SectionScoring:
    """How a single-region document's priority section is chosen (candidates.py, scoring.py)."""

    label_weights: LabelWeights
    context_weights: LabelWeights
    lead_weights: LabelWeights
    clause_penalty: float
    unmentioned_penalty: float
    outline_penalty: float
    review_margin: float
    unlabelled: float
    lead_in_bonus: float
    items_min: int
    items_max: int
    items_ok: float
    items_too_many: float
    name_words_max: int
    sentence_penalty: float
    negative_item_penalty: float
    toc_penalty: float
    toc_page_share: float
    structure_bonus: float
    restatement_bonus: float
    restatement_overlap: float
    restatement_similarity: float
    min_score: float
    confidence_scale: float
    confidence_margin: float
    lead_in_max_chars: int
    lead_in_max_words: int
    list_paragraph_gap: int


@dataclass(frozen=True, slots=True)
class RegionInference:
    """How the region of a single-region document is inferred (attribution.py)."""

    title_weight: float
    front_weight: float
    file_weight: float
    text_weight: float
    front_pages: int
    min_score: float


@dataclass(frozen=True, slots=True)
class RegionMatching:
    """How a heading is taken for a region's name (regions.match_region, sections)."""

    fuzzy_threshold: float
    heading_max_chars: int


@functools.cache
def load_weights() -> Weights:
    """The bundled `weights.extraction.toml`, checked. Raises ReferenceDataError if it is bad."""
    return parse_weights(read_reference(WEIGHTS_FILE), WEIGHTS_FILE)


@dataclass(frozen=True, slots=True)
class Weights:
    """The three tables of the weights file."""

    section_scoring: SectionScoring
    region_inference: RegionInference
    region_matching: RegionMatching


def parse_weights(text: str, name: str = WEIGHTS_FILE) -> Weights:
    """Parse and check weights TOML text. Not cached.

    Every table and key of `Weights` must be there, with a number (a whole number where the
    weight counts something), and nothing else; a label table names labels of the heading
    lexicons. Every problem is reported in one ReferenceDataError, by table and key.
    """
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as e:
        raise ReferenceDataError(name, "reference", f"not valid TOML: {e}") from e
    problems: list[str] = []
    tables = _checked(Weights, data, "", problems)
    if problems:
        raise ReferenceDataError(name, "reference", "; ".join(problems))
    return Weights(**tables)


def _checked(kind: type, table: dict[str, Any], where: str, problems: list[str]) -> dict[str, Any]:
    """The values of `kind`'s fields from `table`, checked; what is wrong goes to `problems`."""
    types = get_type_hints(kind)
    known = [f.name for f in fields(kind)]
    problems += [f"{_key(where, k)} is unknown (known: {', '.join(known)})" for k in table if k not in known]
    values: dict[str, Any] = {}
    for field in known:
        key, wanted = _key(where, field), types[field]
        if field not in table:
            problems.append(f"{key} is missing")
        elif isinstance(wanted, type) and hasattr(wanted, "__dataclass_fields__"):
            if isinstance(table[field], dict):
                before = len(problems)
                nested = _checked(wanted, table[field], field, problems)
                values[field] = wanted(**nested) if len(problems) == before else None
            else:
                problems.append(f"{key} must be a table")
        else:
            values[field] = _value(key, wanted, table[field], problems)
    return values


def _value(key: str, wanted: Any, value: Any, problems: list[str]) -> Any:
    if wanted is int:
        if isinstance(value, int) and not isinstance(value, bool):
            return value
        problems.append(f"{key} must be a whole number, not {value!r}")
    elif wanted is float:
        if isinstance(value, int | float) and not isinstance(value, bool):
            return float(value)
        problems.append(f"{key} must be a number, not {value!r}")
    elif not isinstance(value, dict):
        problems.append(f"{key} must be a table of label = weight")
    else:
        weights = []
        for label, weight in value.items():
            if label not in HEADING_LABELS:
                problems.append(f"{key}.{label}: not a label of the heading lexicons")
            elif not isinstance(weight, int | float) or isinstance(weight, bool):
                problems.append(f"{key}.{label} must be a number, not {weight!r}")
            else:
                weights.append((label, float(weight)))
        return tuple(weights)
    return None


def _key(where: str, field: str) -> str:
    return f"[{where}] {field}" if where else f"[{field}]"
