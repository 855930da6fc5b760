"""A version's `datapackage.json`: a Frictionless Data Package descriptor of its tables, each
with its path, hash and Table Schema (made from the Pandera model, field types from the Parquet
file), and the schema files beside them (`schemas/<table>.pandera.json`).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from smartspec.publishing.parquet import ARROW_SCHEMAS
from smartspec.schemas.catalogue import json_schemas

# Frictionless Data Package descriptor of a version: resources, hashes, table schemas.
DATAPACKAGE_FILE = "datapackage.json"
# Each table's Pandera schema, in Pandera's JSON format, beside the data it describes.
SCHEMAS_DIR = "schemas"
# Table Schema field type of each Arrow type id the published tables use.
_TABLE_SCHEMA_TYPES = {"int32": "integer", "int64": "integer", "double": "number", "string": "string",
                       "bool": "boolean", "date32[day]": "date"}


def table_schema(table: str, described: dict[str, Any]) -> dict[str, Any]:
    """The Table Schema of a published table: constraints from Pandera, field types from the Parquet file.

    Written so that `frictionless validate datapackage.json` checks the Parquet files as they
    are: frictionless reads Parquet through pandas, where a null number arrives as NaN (so a
    nullable number field counts "nan" as missing) and a list as a NumPy array, which its
    `array` type rejects (so a list field is `any`, its Parquet type in `description`).
    """
    arrow = ARROW_SCHEMAS[table]
    fields = []
    for field in described["fields"]:
        arrow_type = str(arrow.field(field["name"]).type)
        extra: dict[str, Any] = {}
        if arrow_type.startswith("timestamp"):
            kind = "datetime"
        elif arrow_type.startswith("list"):  # shared_codes, evidence
            kind, extra = "any", {"description": f"Parquet {arrow_type}"}
        else:
            kind = _TABLE_SCHEMA_TYPES.get(arrow_type, "object")
        if kind in ("integer", "number") and not field["constraints"]["required"]:
            extra["missingValues"] = ["", "nan"]
        fields.append({**field, "type": kind, **extra})
    return {**described, "fields": fields}


def datapackage(
    dataset_dir: Path, version: int, created_at: str, files: dict[str, dict[str, Any]], tables: dict[str, str],
) -> dict[str, Any]:
    """A Frictionless Data Package descriptor: each table's path, size, hash and schema."""
    schemas = json_schemas()
    resources = [
        {
            "name": table, "path": name, "format": "parquet", "mediatype": "application/vnd.apache.parquet",
            # no "bytes": frictionless counts no bytes of a Parquet file it reads, and would
            # report every resource; manifest.json has each file's size
            "hash": f"sha256:{files[name]['sha256']}",
            "schema": table_schema(table, schemas[table]),
            "arrow_schema": {field.name: str(field.type) for field in ARROW_SCHEMAS[table]},
            "pandera_schema": schema_file(table),
        }
        for table, name in tables.items()
    ]
    return {
        "profile": "data-package", "name": dataset_dir.name.lower(), "version": str(version),
        "created": created_at, "resources": resources,
    }


def schema_file(table: str) -> str:
    return f"{SCHEMAS_DIR}/{table}.pandera.json"
