"""What a curator settles that the machine cannot: `raw/curation.toml`.

Each `[[source]]` entry names a source by id and by the sha256 of the file it was written
for, and says any of:

- `choose`: the candidate list to take, by `page` and `heading` (as `smartspec explain`
  prints them);
- `drop`: item names to leave out;
- `add`: item names to append (level 1, after the chosen items);
- `region`: the region (code or name), for a document whose region the machine cannot tell;
- `note`: why, for the next curator.

An entry applies only while the file's sha256 is the one it names: when the file changes,
the entry stops applying and the source says so, so a curation never silently outlives the
document it was written for. Rows an entry shapes are marked `method = "curated"`.
"""

from __future__ import annotations

import hashlib
import logging
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from smartspec.extractors.normalise import collapse_whitespace

logger = logging.getLogger(__name__)

CURATION_NAME = "curation.toml"
# what became of a source's entry (`sources.curation`)
_KEYS = frozenset({"source_id", "sha256", "choose", "drop", "add", "region", "note"})
_CHOOSE_KEYS = frozenset({"page", "heading"})


class CurationError(ValueError):
    """`raw/curation.toml` is malformed; the message names the entry and the key."""


@dataclass(frozen=True, slots=True)
class Choose:
    page: int
    heading: str


@dataclass(frozen=True, slots=True)
class CurationEntry:
    source_id: str
    sha256: str
    choose: Choose | None = None
    drop: tuple[str, ...] = ()
    add: tuple[str, ...] = ()
    region: str | None = None
    note: str | None = None

    def applies_to(self, sha256: str | None) -> bool:
        return sha256 is not None and sha256.lower().startswith(self.sha256.lower())

    def fingerprint(self) -> str:
        """A short hash of what the entry says: part of a cached extraction's key."""
        text = repr((self.source_id, self.sha256, self.choose, self.drop, self.add, self.region))
        return hashlib.sha256(text.encode()).hexdigest()[:16]

    def stale_message(self, sha256: str | None) -> str:
        return (f"curation entry not applied: it was written for sha256 {self.sha256[:12]}, "
                f"the file is now {(sha256 or 'unreadable')[:12]}; check the extraction and "
                f"update the entry in raw/{CURATION_NAME}")


def same_heading(a: str, b: str) -> bool:
    """Whether two headings are the same as a curator would see them (case and spaces aside)."""
    return collapse_whitespace(a).casefold() == collapse_whitespace(b).casefold()


def load_curation(raw_dir: Path) -> dict[str, CurationEntry]:
    """The entries of `raw/curation.toml` by source id ({} when there is none).

    Raises CurationError naming the entry and key when the file is malformed."""
    path = Path(raw_dir) / CURATION_NAME
    if not path.is_file():
        return {}
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as e:
        raise CurationError(f"{CURATION_NAME}: not valid TOML: {e}") from e
    entries = data.get("source", [])
    unknown = set(data) - {"source"}
    if unknown:
        raise CurationError(f"{CURATION_NAME}: unknown top-level key(s) {sorted(unknown)}; "
                            "entries are [[source]] tables")
    if not isinstance(entries, list):
        raise CurationError(f"{CURATION_NAME}: 'source' must be a list of [[source]] tables")
    found: dict[str, CurationEntry] = {}
    for n, raw in enumerate(entries, 1):
        entry = _entry(raw, n)
        if entry.source_id in found:
            raise CurationError(f"{CURATION_NAME}: entry {n}: a second entry for source "
                                f"{entry.source_id!r}")
        found[entry.source_id] = entry
    return found


def _entry(raw: Any, n: int) -> CurationEntry:
    where = f"{CURATION_NAME}: entry {n}"
    if not isinstance(raw, dict):
        raise CurationError(f"{where}: must be a table")
    unknown = set(raw) - _KEYS
    if unknown:
        raise CurationError(f"{where}: unknown key(s) {sorted(unknown)}; known: {sorted(_KEYS)}")
    for key in ("source_id", "sha256"):
        if not isinstance(raw.get(key), str) or not raw[key].strip():
            raise CurationError(f"{where}: '{key}' is required and must be a string")
    sha = raw["sha256"].strip().lower()
    if len(sha) < 12 or any(ch not in "0123456789abcdef" for ch in sha):
        raise CurationError(f"{where}: 'sha256' must be the file's hex sha256 (12 or more digits)")
    choose = None
    if "choose" in raw:
        spec = raw["choose"]
        if (not isinstance(spec, dict) or set(spec) - _CHOOSE_KEYS
                or not isinstance(spec.get("page"), int) or isinstance(spec.get("page"), bool)
                or not isinstance(spec.get("heading"), str)):
            raise CurationError(f"{where}: 'choose' must be {{ page = <int>, heading = \"...\" }}")
        choose = Choose(spec["page"], spec["heading"])
    lists = {}
    for key in ("drop", "add"):
        value = raw.get(key, [])
        if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
            raise CurationError(f"{where}: '{key}' must be a list of item names")
        lists[key] = tuple(collapse_whitespace(v) for v in value)
    for key in ("region", "note"):
        if key in raw and not isinstance(raw[key], str):
            raise CurationError(f"{where}: '{key}' must be a string")
    if choose is None and not lists["drop"] and not lists["add"] and "region" not in raw:
        raise CurationError(f"{where}: says nothing to do (give choose, drop, add or region)")
    return CurationEntry(raw["source_id"], sha, choose, lists["drop"], lists["add"],
                         raw.get("region"), raw.get("note"))
