"""Pandera models: the contract of the published tables. Imports nothing from the project.

The names below are loaded from their modules on first use, so that `schemas.vocabulary`
(the words the tables hold, which extraction and the run import) brings no pandas or Pandera.
"""

from __future__ import annotations

import importlib
from typing import Any

_HOMES = {
    "ChangeSchema": "changes",
    "CurrentSchema": "current",
    "PartnerSchema": "partners",
    "PrioritySchema": "priorities",
    "SourceSchema": "sources",
    "ThemeChangeSchema": "theme_changes",
    "ThemeSchema": "themes",
    **dict.fromkeys(("TABLES", "json_schemas", "pandera_json", "whole_value_pattern"), "catalogue"),
}
__all__ = sorted(_HOMES)


def __getattr__(name: str) -> Any:
    home = _HOMES.get(name)
    if home is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(f"{__name__}.{home}"), name)
    globals()[name] = value
    return value
