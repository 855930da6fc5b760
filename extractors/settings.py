"""Run settings: what a user tunes (folders, workers, limits, fetching, the schedule). The
defaults are this module's dataclass, the one place they are given; a project's
`[tool.smartspec]` (pyproject.toml, or the file `--config` names) changes some, and CLI flags
override both. Values are checked as they load, a bad one named by its key.

`Settings` is built once by the CLI and passed down as an argument; nothing reads it as a global.
The extractor's own weights are not settings: they are data of the extractor
(extractors/weights.py).
"""

from __future__ import annotations

import dataclasses
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any


@dataclass(frozen=True, slots=True)
class Settings:
    raw_dir: Path = Path("raw")
    output_dir: Path = Path("output")
    # Limits on one document (running/isolation.py): wall-clock seconds to read and extract it,
    # memory it may use beyond what the run already holds, pages, and file size.
    document_timeout_s: float = 120.0
    document_memory_mb: float = 2048.0
    max_pages: int = 2000
    max_file_mb: float = 200.0
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


# Keys of [tool.smartspec] that were settings before the weights became the extractor's data.
FORMER_WEIGHTS = frozenset({"region_fuzzy_threshold", "region_heading_max_chars", "section_scoring", "region_inference"})


def absolute_folders(settings: Settings) -> Settings:
    """`settings` with its folders absolute, against the current folder: for a run whose tasks
    may run in a process whose working folder differs."""
    return dataclasses.replace(settings, raw_dir=settings.raw_dir.resolve(), output_dir=settings.output_dir.resolve(),
                               cache_dir=settings.cache_dir.resolve())


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
    weights = sorted(set(values) & FORMER_WEIGHTS)
    if weights:
        raise SettingsError(f"{pyproject}: [tool.smartspec] {', '.join(weights)}: not settings any more: the "
                            "extractor's weights are data files of the extractor (README, Settings); remove "
                            "them from the file")
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
    return Settings(**values)


def _type_problem(default: Any, value: Any) -> str | None:
    """What `value` should be, given the default of its setting; None when it fits."""
    if isinstance(default, bool):
        return None if isinstance(value, bool) else "true or false"
    if isinstance(default, int):
        return None if isinstance(value, int) and not isinstance(value, bool) else "a whole number"
    if isinstance(default, float):
        return None if isinstance(value, int | float) and not isinstance(value, bool) else "a number"
    if isinstance(default, str | Path) or default is None:
        return None if isinstance(value, str) else "text in quotes"
    return None
