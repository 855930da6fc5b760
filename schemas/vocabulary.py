"""The words the published tables hold: statuses, scopes, error types, fetch and curation states.

The one home of these words: the schemas check columns against them, and extraction, the
run and the report import them from here. Standard library only, so that importing a word
brings no pandas or Pandera along.
"""

from __future__ import annotations

# --- sources.status ------------------------------------------------------------------------
STATUS_OK = "ok"
STATUS_FAILED = "failed"
STATUS_NO_TEXT = "no_text"  # the file opens but holds no text (scanned)
STATUS_NO_PRIORITIES = "no_priorities"
STATUS_REGION_UNRESOLVED = "region_unresolved"
STATUS_NEEDS_REVIEW = "needs_review"  # competing lists: a curator chooses in raw/curation.toml
# A source that yielded some priorities and says in `error_message` what went wrong. No step
# produces it today; the schema and the tables keep it for a reader that will.
STATUS_PARTIAL = "partial"
# A source that was ok and now fails: its rows are those of its last good copy, whose sha256
# the row keeps; `error_message` says what failed.
STATUS_STALE = "stale"
# A source whose rows failed validation: quarantined, the failing checks in `error_message`.
STATUS_INVALID = "invalid"
STATUSES = (STATUS_OK, STATUS_FAILED, STATUS_NO_TEXT, STATUS_NO_PRIORITIES, STATUS_REGION_UNRESOLVED,
            STATUS_NEEDS_REVIEW, STATUS_PARTIAL, STATUS_STALE, STATUS_INVALID)
# Statuses whose source may carry priority rows. A partial source yielded some priorities
# and recorded what went wrong in `error_message`; a stale one carries its last good copy's;
# every other non-ok status yields none.
STATUSES_WITH_PRIORITIES = (STATUS_OK, STATUS_PARTIAL, STATUS_STALE)
# Statuses after which a source keeps the rows of its last good copy, marked stale: it could
# not be read, or what was read did not validate. A file deleted from raw/ has no row at all.
STATUSES_KEEPING_LAST_GOOD = (STATUS_FAILED, STATUS_INVALID)

# --- sources.scope: how extraction read the document -----------------------------------------
SCOPE_REGION = "region"  # one region's own strategy
SCOPE_OVERVIEW = "overview"  # region headings over lists, for several regions
SCOPES = (SCOPE_REGION, SCOPE_OVERVIEW)
# A document whose region headings hold lists for this many regions or more is an overview;
# so is a source without a recorded scope whose priorities name this many regions or more.
OVERVIEW_MIN_REGIONS = 2

# --- sources.error_type ----------------------------------------------------------------------
# The extraction errors (extractors/errors.py) are named by their class: UnsupportedFormat,
# UnreadableDocument, FileChanged, NoTextLayer, RegionNotResolved, NoPrioritiesFound,
# ReferenceDataError, NeedsReview, CurationNotApplicable. The rows made without reading give these:
# a path refused before it is opened (running/admission.py)
BAD_NAME_ERROR = "BadFileName"
NOT_A_FILE_ERROR = "NotAFile"
UNSAFE_PATH_ERROR = "UnsafePath"
TOO_LARGE_ERROR = "DocumentTooLarge"
UNREADABLE_ERROR = "UnreadableDocument"
# a document stopped by the limits of its child process (running/isolation.py; the others are
# named by their class there: IsolationError, DocumentTimedOut, DocumentOutOfMemory, ReaderCrashed)
TOO_MANY_PAGES_ERROR = "TooManyPages"
# a sources.toml entry that is not read: its id or path an earlier entry has, or it is not valid
ID_CLASH_ERROR = "SourceIdClash"
INVALID_ENTRY_ERROR = "SourceEntryInvalid"
# a configured source with nothing to read
FETCH_FAILED_ERROR = "FetchFailed"
NOT_FOUND_ERROR = "SourceNotFound"
# a source whose rows failed validation (status invalid)
VALIDATION_ERROR = "ValidationFailed"

# --- sources.encoding: how a text export was decoded -------------------------------------------
ENCODINGS = ("utf-8", "utf-8-sig", "utf-16", "utf-16-le", "utf-16-be", "cp1252")

# --- sources.fetch_status: what this run's fetch of a remote source did ------------------------
FETCH_OK = "ok"
FETCH_FAILED = "failed"
FETCH_STATUSES = (FETCH_OK, FETCH_FAILED)

# --- sources.curation: what became of the source's entry in raw/curation.toml ------------------
CURATION_APPLIED = "applied"
CURATION_STALE = "stale"  # written for other bytes: the machine's extraction stands
CURATION_STATES = (CURATION_APPLIED, CURATION_STALE)

# --- priorities.method: how a priority row came about ------------------------------------------
METHOD_EXTRACTED = "extracted"
METHOD_CURATED = "curated"
