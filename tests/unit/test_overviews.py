"""Overview documents of ../shared/corpus/sv-strategies: every region and its listed areas.

Tables with a region per row (PPTX and its PDF export), side-by-side boxes on map slides,
"Region (forts.)" continuations. Each truth file gives the regions and their priorities.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from smartspec.extractors.extract import extract
from smartspec.extractors.readers import read_document

SV = Path(__file__).resolve().parents[2].parent / "shared" / "corpus" / "sv-strategies"
OVERVIEWS = ["tillvaxtverket_region_for_region_2019.pptx", "tillvaxtverket_region_for_region_2019.pdf",
             "s3_region_for_region_2021_2027.pptx", "s3_region_for_region_2021_2027.pdf"]


@pytest.mark.skipif(not SV.is_dir(), reason=f"corpus folder {SV} is absent")
@pytest.mark.parametrize("name", OVERVIEWS)
def test_every_region_of_an_overview_gets_its_areas(name, toolkit):
    truth = json.loads((SV / f"{name}.truth.json").read_text(encoding="utf-8"))
    document = read_document(SV / name, source_id=Path(name).stem)
    records = [r for r in extract(document, toolkit, source_file=name).records if r.level == 1]
    found: dict[str, list[str]] = {}
    for record in records:
        found.setdefault(record.region_code, []).append(record.priority)
    for region in truth["regions"]:
        assert found.get(region["nuts2021_code"]) == region["priorities"], region["region"]


BULLETED_REGIONS = """# Smart specialisering i norra Sverige

## Om smart specialisering

- Regionerna ansvarar för sina strategier
- Tillväxtverket samordnar nätverket

## Övre Norrland

- Norrbotten
  - Rymd och geodata
  - Testverksamhet i kallt klimat
- Västerbotten
  - Batterier och elektrifiering
  - Hälsa och life science
- Nätverkets nästa steg
  - Gemensam uppföljning
"""


def test_a_bullet_naming_a_region_heads_its_sub_bullets(tmp_path, toolkit):
    """A region as a bullet over its areas as sub-bullets is an overview section; the bullets
    before the regions and the bullet after them that names no region stay out."""
    path = tmp_path / "norra.md"
    path.write_text(BULLETED_REGIONS, encoding="utf-8")
    extraction = extract(read_document(path, source_id="norra"), toolkit)
    found: dict[str, list[tuple[int, str]]] = {}
    for record in extraction.records:
        found.setdefault(record.region_code, []).append((record.level, record.priority))
    assert extraction.scope == "overview"
    assert found == {
        "SE332": [(1, "Rymd och geodata"), (1, "Testverksamhet i kallt klimat")],
        "SE331": [(1, "Batterier och elektrifiering"), (1, "Hälsa och life science")],
    }
