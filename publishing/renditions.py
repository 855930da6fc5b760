"""Renditions: one document in several formats (`x.pdf`, `x.pptx`), linked by `document_id`.

`renditions_agree()` says, per source, whether the renditions of its document yielded the
same priorities: for each region, the same set of level-1 `priority_key`s.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence

from smartspec.extractors.records import PriorityRecord, SourceRecord
from smartspec.schemas.vocabulary import STATUSES_WITH_PRIORITIES


def renditions_agree(sources: Sequence[SourceRecord], priorities: Sequence[PriorityRecord]) -> dict[str, bool | None]:
    """Source id -> whether the renditions of its document agree.

    Compared are the renditions that yielded priorities (status ok or partial): their sets
    of (region_code, priority_key) over level-1 rows. None where a document has fewer than
    two such renditions; a rendition that yielded none gets the value of the others.
    """
    keys: dict[str, set[tuple[str, str]]] = defaultdict(set)
    for record in priorities:
        if record.level == 1:
            keys[record.source_id].add((record.region_code, record.priority_key))
    compared: dict[str, list[frozenset[tuple[str, str]]]] = defaultdict(list)
    for source in sources:
        if source.status in STATUSES_WITH_PRIORITIES:
            compared[_document(source)].append(frozenset(keys[source.source_id]))
    agree = {
        document: None if len(found) < 2 else len(set(found)) == 1 for document, found in compared.items()
    }
    return {source.source_id: agree.get(_document(source)) for source in sources}


def _document(source: SourceRecord) -> str:
    return source.document_id or source.source_id
