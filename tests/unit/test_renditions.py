"""publishing/renditions.py: whether the renditions of one document yielded the same priorities."""

from __future__ import annotations

import dataclasses

from smartspec.publishing.renditions import renditions_agree
from tests.helpers.records import items, source


def test_renditions_agree_on_level_1_keys_per_region() -> None:
    sources = [source("x.pdf", document_id="x"), source("x.pptx", document_id="x"), source("y")]
    same = [*items("x.pdf", "SE332", "Rymd", "Gruvor"), *items("x.pptx", "SE332", "Gruvor", "Rymd")]
    sub = dataclasses.replace(items("x.pptx", "SE332", "Malm")[0], level=2, parent_position=1)
    assert renditions_agree(sources, [*same, sub]) == {"x.pdf": True, "x.pptx": True, "y": None}
    other_region = items("x.pptx", "SE224", "Rymd")
    assert renditions_agree(sources, [*same, *other_region])["x.pdf"] is False


def test_a_rendition_that_yielded_nothing_is_not_compared() -> None:
    failed = dataclasses.replace(source("x.docx", document_id="x"), status="failed", error_message="damaged")
    sources = [source("x.pdf", document_id="x"), failed]
    assert renditions_agree(sources, items("x.pdf", "SE332", "Rymd")) == {"x.pdf": None, "x.docx": None}
