"""Run settings: defaults from `[tool.smartspec]` in pyproject.toml, overridden by CLI flags.

`Settings` is built once by the CLI and passed down as an argument; nothing reads it as a global.
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
    # Fuzzy fallback for region names (rapidfuzz ratio, 0-100).
    region_fuzzy_threshold: float = 88.0
    # Longest heading, in characters, still tried as a region name.
    region_heading_max_chars: int = 60
    # Limits on one document (flows/isolation.py): wall-clock seconds to read and extract it,
    # memory it may use beyond what the run already holds, pages, and file size.
    document_timeout_s: float = 120.0
    document_memory_mb: float = 2048.0
    max_pages: int = 2000
    max_file_mb: float = 200.0


def load_settings(pyproject: Path | None = None, **overrides: Any) -> Settings:
    """Read `[tool.smartspec]` from `pyproject` (if it exists), then apply non-None overrides."""
    values: dict[str, Any] = {}
    if pyproject is not None and pyproject.is_file():
        with pyproject.open("rb") as fh:
            values = tomllib.load(fh).get("tool", {}).get("smartspec", {})
    known = {f.name: f for f in dataclasses.fields(Settings)}
    unknown = sorted(set(values) - set(known))
    if unknown:
        raise ValueError(f"unknown [tool.smartspec] settings: {', '.join(unknown)}")
    values.update({k: v for k, v in overrides.items() if v is not None})
    for name in ("raw_dir", "output_dir"):
        if name in values:
            values[name] = Path(values[name])
    return Settings(**values)
