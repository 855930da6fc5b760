"""Run settings: the defaults are this module's dataclasses, the one place they are given; a
project's `[tool.smartspec]` (pyproject.toml, or the file `--config` names) changes some, and
CLI flags override both. Values are checked as they load, a bad one named by its key.

`Settings` is built once by the CLI and passed down as an argument; nothing reads it as a global.
"""

from __future__ import annotations

import dataclasses
import tomllib
from dataclasses import dataclass, fields, is_dataclass
from pathlib import Path
from typing import Any


@dataclass(frozen=True, slots=True)
class SectionScoring:
    """How a single-region document's priority section is chosen (extractors/scoring.py).

    A candidate section (a heading, a sentence ending in ':' or a table header, with the
    items under it) scores the weights of the heading-lexicon labels in its heading, of the
    labels on the headings it sits under, and of what its items look like.
    """

    # Weight of each lexicon label found in the candidate's own heading or lead-in.
    label_weights: tuple[tuple[str, float], ...] = (
        ("PRIORITY", 3.0), ("THEME", 1.5), ("GOAL", -3.0), ("ACTOR", -3.0), ("ACTION", -1.5),
        ("CONTENTS", -6.0), ("SUMMARY", -2.0), ("SCENARIO", -3.0), ("SWOT", -3.0),
        ("BACKGROUND", -1.0), ("ANNEX", -2.0), ("S3", 1.0), ("OTHER_PLAN", -3.0),
        ("PREVIOUS", -3.0), ("CRITERIA", -3.0), ("HORIZONTAL", -3.0),
    )
    # Weight of a label on a heading the candidate sits under (a summary, an annex ...).
    context_weights: tuple[tuple[str, float], ...] = (
        ("PRIORITY", 0.5), ("THEME", 0.5), ("CONTENTS", -6.0), ("SUMMARY", -2.0),
        ("SCENARIO", -1.0), ("BACKGROUND", -1.0), ("ANNEX", -1.5), ("S3", 0.5),
        ("OTHER_PLAN", -2.0), ("PREVIOUS", -2.0), ("CRITERIA", -1.0), ("HORIZONTAL", -1.0),
    )
    # Weight of a label in the text that introduces the list (Candidate.lead) and not in its
    # heading: what that text attributes the list to.
    lead_weights: tuple[tuple[str, float], ...] = (
        ("S3", 1.5), ("PRIORITY", 0.5), ("OTHER_PLAN", -3.0), ("PREVIOUS", -3.0),
        ("CRITERIA", -3.0), ("HORIZONTAL", -3.0), ("GOAL", -1.0), ("ACTOR", -2.0), ("ACTION", -1.0),
        ("SCENARIO", -1.0), ("SWOT", -1.0),
    )
    # Times the share of level-1 items that read as clauses (lower-case start, final stop).
    clause_penalty: float = 2.0
    # Taken from every candidate of a document that never names smart specialisation.
    unmentioned_penalty: float = 3.0
    # Taken from a list whose items are mostly the headings of other lists: an outline of
    # its part of the document, which no more lists priorities than a table of contents.
    outline_penalty: float = 6.0
    # (A list whose heading or lead names only years before the latest period another list's
    # names, "Domains in the 2014-2020 strategy" beside "2021-2027", scores the PREVIOUS
    # label's weight.)
    # A runner-up listing other items within this much of the best: needs review.
    review_margin: float = 1.0
    # Added when the heading carries no positive label (PRIORITY or THEME) at all.
    unlabelled: float = -1.5
    # A sentence ending in ':' that names the list ("Six priority areas were chosen:").
    lead_in_bonus: float = 0.5
    # Number of level-1 items a list of priorities has; outside it the list is doubtful.
    items_min: int = 2
    items_max: int = 15
    items_ok: float = 1.0
    items_too_many: float = -1.5
    # An item whose name runs past this many words is a sentence, not a name.
    name_words_max: int = 12
    # Times the share of level-1 items that are sentences / carry a negative label.
    sentence_penalty: float = 2.0
    negative_item_penalty: float = 2.0
    # A table of contents: dot leaders, page numbers, or a page mostly made of such lines.
    toc_penalty: float = 6.0
    toc_page_share: float = 0.3
    # Items that each head a description (run-in names, sub-headings) or carry sub-items.
    structure_bonus: float = 0.5
    # The later of two candidates listing the same priorities (a summary repeated in the
    # main text, a list superseded further on) gains this; "the same" means this share of
    # the shorter list matches at this rapidfuzz token-set ratio.
    restatement_bonus: float = 1.0
    restatement_overlap: float = 0.5
    restatement_similarity: float = 90.0
    # Below this score no candidate is taken (NoPrioritiesFound); set so that a section
    # without a positive label is never taken, however list-like.
    min_score: float = 2.0
    # Confidence = logistic((score - min_score) / scale), scaled down when the runner-up
    # scores within `confidence_margin` of the winner.
    confidence_scale: float = 1.5
    confidence_margin: float = 1.0
    # Lead-in sentences longer than this are prose, not list introductions; in one longer
    # than `lead_in_max_words` words only what follows its last comma names the list.
    lead_in_max_chars: int = 300
    lead_in_max_words: int = 25
    # Paragraphs allowed between two items of one list (descriptions under run-in names).
    list_paragraph_gap: int = 4


@dataclass(frozen=True, slots=True)
class RegionInference:
    """How the region of a single-region document is inferred (extractors/attribution.py).

    Each region mentioned scores these weights for being named on the title page, on the
    first pages, in the file name, and its share of all region mentions in the text.
    """

    title_weight: float = 3.0
    front_weight: float = 2.0
    file_weight: float = 2.0
    text_weight: float = 3.0
    # Pages counted as "the first pages".
    front_pages: int = 2
    # The best region must score at least this, else the region is not resolved.
    min_score: float = 2.0


@dataclass(frozen=True, slots=True)
class Settings:
    raw_dir: Path = Path("raw")
    output_dir: Path = Path("output")
    # Fuzzy fallback for region names (rapidfuzz ratio, 0-100).
    region_fuzzy_threshold: float = 88.0
    # Longest heading, in characters, still tried as a region name.
    region_heading_max_chars: int = 60
    # Limits on one document (running/isolation.py): wall-clock seconds to read and extract it,
    # memory it may use beyond what the run already holds, pages, and file size.
    document_timeout_s: float = 120.0
    document_memory_mb: float = 2048.0
    max_pages: int = 2000
    max_file_mb: float = 200.0
    # Choosing the priority section of a single-region document, and inferring its region.
    section_scoring: SectionScoring = SectionScoring()
    region_inference: RegionInference = RegionInference()
    # Extraction results cached by content (see running/cache.py); relative to the working folder.
    cache_dir: Path = Path(".smartspec/cache")
    # Sources a run extracts at once: 1 runs them one after another (`smartspec extract` takes
    # its own --workers, by default one per CPU).
    workers: int = 1
    # How more than one worker runs: "threads" runs that many per-source tasks in the flow's
    # process, each reading its document in a child process forked from it (running/isolation.py),
    # so the children share the loaded pipelines and start in milliseconds; "processes" runs
    # them on Prefect's ProcessPoolTaskRunner, worker interpreters that each load everything
    # once (where processes cannot be forked).
    worker_pool: str = "threads"
    # A Dask scheduler ("tcp://host:8786") to extract on instead of local processes.
    dask_address: str | None = None
    # When `smartspec serve` runs the refresh deployment (cron, IANA time zone).
    refresh_cron: str = "0 6 * * *"
    refresh_timezone: str = "Europe/Stockholm"
    # Fetching remote sources (smartspec.fetching.FetchPolicy): seconds per network operation, retries
    # after the first attempt on network errors and 5xx, seconds before the first retry
    # (doubling after), largest body accepted.
    fetch_timeout: float = 30.0
    fetch_retries: int = 3
    fetch_backoff: float = 0.5
    fetch_max_bytes: int = 100_000_000
    # Seconds one fetch may take in all (connect, headers, body and retries together); then it
    # is given up and the run goes on from the last snapshot.
    fetch_deadline_s: float = 300.0
    # A run that would remove more than this share of the previous version's sources (files
    # gone from raw/: an unmounted share, a wrong --raw) stops, unless `--allow-removal`.
    max_removed_share: float = 0.5


class SettingsError(ValueError):
    """The settings file cannot be used; the message names the file and the key."""


def load_settings(pyproject: Path | None = None, **overrides: Any) -> Settings:
    """Read `[tool.smartspec]` from `pyproject` (if it exists), then apply non-None overrides.

    Raises SettingsError, naming the file and the key, for a file that is not TOML, an
    unknown key or a value of the wrong type.
    """
    values: dict[str, Any] = {}
    if pyproject is not None and pyproject.is_file():
        try:
            with pyproject.open("rb") as fh:
                values = tomllib.load(fh).get("tool", {}).get("smartspec", {})
        except tomllib.TOMLDecodeError as e:
            raise SettingsError(f"{pyproject} is not valid TOML: {e}: fix the file") from e
        except OSError as e:
            raise SettingsError(f"{pyproject} cannot be read: {e.strerror or e}") from e
    known = {f.name: f for f in dataclasses.fields(Settings)}
    unknown = sorted(set(values) - set(known))
    if unknown:
        raise SettingsError(f"{pyproject}: unknown [tool.smartspec] settings: {', '.join(unknown)}")
    for name, value in values.items():
        problem = _type_problem(known[name].default, value)
        if problem is not None:
            raise SettingsError(f"{pyproject}: [tool.smartspec] {name} must be {problem}, not {value!r}")
    values.update({k: v for k, v in overrides.items() if v is not None})
    for name in ("raw_dir", "output_dir", "cache_dir"):
        if name in values:
            values[name] = Path(values[name])
    for name, value in list(values.items()):
        default = known[name].default if name in known else None
        if is_dataclass(default) and isinstance(value, dict):
            values[name] = _nested(type(default), value, name)
    return Settings(**values)


def _type_problem(default: Any, value: Any) -> str | None:
    """What `value` should be, given the default of its setting; None when it fits."""
    if is_dataclass(default):
        return None if isinstance(value, dict) else "a table"
    if isinstance(default, bool):
        return None if isinstance(value, bool) else "true or false"
    if isinstance(default, int):
        return None if isinstance(value, int) and not isinstance(value, bool) else "a whole number"
    if isinstance(default, float):
        return None if isinstance(value, int | float) and not isinstance(value, bool) else "a number"
    if isinstance(default, str | Path) or default is None:
        return None if isinstance(value, str) else "text in quotes"
    return None


def _nested(kind: type, table: dict[str, Any], name: str) -> Any:
    """A nested settings dataclass from its TOML table.

    An inline table (`label_weights = { PRIORITY = 4.0 }`) overrides only the keys it names.
    """
    known = {f.name for f in fields(kind)}
    unknown = sorted(set(table) - known)
    if unknown:
        raise SettingsError(f"unknown [tool.smartspec] {name} settings: {', '.join(unknown)}")
    defaults = kind()
    return kind(**{
        k: tuple((dict(getattr(defaults, k)) | v).items()) if isinstance(v, dict) else v
        for k, v in table.items()
    })
