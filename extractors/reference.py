"""The extractor's bundled data files (gazetteer, heading lexicons, weights), read the one way:
with importlib.resources, as package data, a file that cannot be read raising
ReferenceDataError that names it. Each file's own loader parses and checks what it reads."""

from __future__ import annotations

from importlib.resources import files

from smartspec.extractors.errors import ReferenceDataError

PACKAGE = "smartspec.extractors"


def has_reference(name: str) -> bool:
    """Whether the package holds the data file `name`."""
    return files(PACKAGE).joinpath(name).is_file()


def read_reference(name: str) -> str:
    """The text of the data file `name` beside the extractor's modules."""
    try:
        return files(PACKAGE).joinpath(name).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as e:
        raise ReferenceDataError(name, "reference", f"cannot read: {e}") from e
