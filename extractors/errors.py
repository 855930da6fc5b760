"""The only exceptions bad input may raise. Anything else escaping a reader is a bug.

Each names the `sources.status` it leaves (schemas/vocabulary.py); its class name is the `error_type`.
"""

from __future__ import annotations

from smartspec.schemas.vocabulary import (
    STATUS_FAILED,
    STATUS_NEEDS_REVIEW,
    STATUS_NO_PRIORITIES,
    STATUS_NO_TEXT,
    STATUS_REGION_UNRESOLVED,
)


class ExtractionError(Exception):
    """A source could not be turned into priorities; the run records it and goes on."""

    status = STATUS_FAILED

    def __init__(self, source_id: str, stage: str, message: str) -> None:
        super().__init__(f"{source_id}: {stage}: {message}")
        self.source_id = source_id
        self.stage = stage
        self.message = message

    @property
    def error_type(self) -> str:
        return type(self).__name__


class UnsupportedFormat(ExtractionError):
    pass


class UnreadableDocument(ExtractionError):
    """The file is empty, damaged, encrypted or otherwise cannot be read."""


class FileChanged(UnreadableDocument):
    """The file changed between the run hashing it and reading it: what was read is not known
    to be the bytes hashed, so the row has no sha256 and nothing is cached."""


class NoTextLayer(UnreadableDocument):
    """The file opens but holds no text: scanned pages or images only."""

    status = STATUS_NO_TEXT


class RegionNotResolved(ExtractionError):
    status = STATUS_REGION_UNRESOLVED


class NoPrioritiesFound(ExtractionError):
    status = STATUS_NO_PRIORITIES


class ReferenceDataError(ExtractionError):
    """A bundled or user-edited reference data file is malformed. Not bad input: fail loudly."""


class NeedsReview(ExtractionError):
    """The evidence does not single out one list: nothing is published for the source until a
    curator chooses (raw/curation.toml). `candidates` are the competing lists, best first,
    each a mapping with page, heading, score and items."""

    status = STATUS_NEEDS_REVIEW

    def __init__(self, source_id: str, stage: str, message: str,
                 candidates: tuple[dict, ...] = ()) -> None:
        super().__init__(source_id, stage, message)
        self.candidates = candidates

    def __reduce__(self):
        return (type(self), (self.source_id, self.stage, self.message, self.candidates))


class CurationNotApplicable(ExtractionError):
    """A curation entry names a candidate the document does not have."""

    status = STATUS_NEEDS_REVIEW
