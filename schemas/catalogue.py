"""Every published table by name (`TABLES`), and its schema as Table Schema JSON and as Pandera JSON."""

from __future__ import annotations

import warnings
from typing import Any

import pandera.pandas as pa

from smartspec.schemas.changes import ChangeSchema
from smartspec.schemas.current import CurrentSchema
from smartspec.schemas.partners import PartnerSchema
from smartspec.schemas.priorities import PrioritySchema
from smartspec.schemas.sources import SourceSchema
from smartspec.schemas.theme_changes import ThemeChangeSchema
from smartspec.schemas.themes import ThemeSchema

TABLES: dict[str, type[pa.DataFrameModel]] = {
    "priorities": PrioritySchema,
    "sources": SourceSchema,
    "changes": ChangeSchema,
    "current": CurrentSchema,
    # published with a version when it was tagged with the theme taxonomy
    "themes": ThemeSchema,
    "partners": PartnerSchema,
    "theme_changes": ThemeChangeSchema,
}
# Pandera check name -> (Table Schema constraint, statistic holding its value).
_CONSTRAINTS = {
    "greater_than_or_equal_to": ("minimum", "min_value"),
    "less_than_or_equal_to": ("maximum", "max_value"),
    "isin": ("enum", "allowed_values"),
}


def _field_type(dtype: str) -> str:
    """The Table Schema type of a Pandera dtype name ("Int64", "float64", "string[pyarrow]", ...)."""
    name = dtype.lower()
    for prefix, kind in (("int", "integer"), ("float", "number"), ("bool", "boolean"), ("str", "string"),
                         ("datetime", "datetime"), ("date", "date")):
        if name.startswith(prefix):
            return kind
    return "object"


def whole_value_pattern(pattern: str) -> str:
    """A Table Schema `pattern` (it must match the whole value) from a Pandera `str_matches`
    pattern (`re.match`: anchored at the start only): `^https?://` -> `https?://.*`."""
    body = pattern.removeprefix("^")
    return body.removesuffix("$") if body.endswith("$") and not body.endswith("\\$") else body + ".*"


def _field(name: str, column: Any) -> dict[str, Any]:
    constraints: dict[str, Any] = {"required": not column.nullable}
    if column.unique:
        constraints["unique"] = True
    checks = []
    for check in column.checks:
        if check.name in _CONSTRAINTS:
            key, statistic = _CONSTRAINTS[check.name]
            constraints[key] = check.statistics[statistic]
        elif check.name == "str_length" and check.statistics.get("min_value") is not None:
            constraints["minLength"] = check.statistics["min_value"]
        elif check.name == "str_matches":
            constraints["pattern"] = whole_value_pattern(check.statistics["pattern"])
        else:
            checks.append(check.error or str(check))
    field: dict[str, Any] = {"name": name, "type": _field_type(str(column.dtype)), "constraints": constraints}
    if checks:
        field["fails_when"] = checks
    return field


def json_schemas() -> dict[str, dict[str, Any]]:
    """A Table Schema-like description of each published table, keyed by table name.

    Fields carry Table Schema `constraints`; checks with no Table Schema equivalent are
    listed under `fails_when`, each naming what it rejects. Pandera's own `to_json_schema()`
    drops the checks and calls the bbox column a string, so this reads `Model.to_schema()`.
    """
    described = {}
    for table, model in TABLES.items():
        schema = model.to_schema()
        described[table] = {
            "name": table,
            "fields": [_field(name, column) for name, column in schema.columns.items()],
            "primaryKey": list(schema.unique or []),
            "fails_when": [check.error or str(check) for check in schema.checks],
        }
    return described


def pandera_json(table: str) -> str:
    """The Pandera schema of `table` in Pandera's own JSON format (`DataFrameSchema.to_json`).

    Pandera serialises only its built-in checks; the custom ones (named under `fails_when`
    in `json_schemas()`) are left out of this file, so it is a description, not the whole contract.
    """
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", message="Only registered checks may be serialized")
        return TABLES[table].to_schema().to_json(indent=2) + "\n"
