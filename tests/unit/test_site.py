"""A version's report written from published tables: the panel's facts, changes against the
previous version, other countries' maps, themes where the version has them, the rewrite and the
`smartspec report` command. (The browser test is in tests/integration/test_report.py.)"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pandas as pd
import pytest
from bs4 import BeautifulSoup
from typer.testing import CliRunner

from smartspec.extractors.records import PriorityRecord, SourceRecord
from smartspec.flows.cli import app
from smartspec.publishing import priorities_frame, publish, sources_frame, validate
from smartspec.reporting import report_path, write_report
from smartspec.reporting.site import THEMES_FILE
from tests.conftest import copy_dataset

STRATEGY = "norrbotten-ris3"
STRATEGY_URL = "https://example.org/norrbotten-ris3.pdf"


def _area(code: str, name: str, text: str, position: int, *, level: int = 1, parent: int | None = None,
          source_id: str = STRATEGY, confidence: float | None = 0.874, method: str = "extracted") -> PriorityRecord:
    return PriorityRecord(
        region_code=code, region_name=name, country=code[:2], priority=text, priority_key=text.casefold(),
        position=position, level=level, parent_position=parent, language="sv", source_id=source_id,
        source_file=f"{source_id}.pdf", source_sha256=hashlib.sha256(source_id.encode()).hexdigest(),
        page=10 + position, bbox=None, region_match="config", section_heading="Prioriterade områden",
        section_confidence=confidence, method=method,
    )


def _strategy_source(source_id: str, count: int, **values) -> SourceRecord:
    return SourceRecord(
        source_id=source_id, source_file=f"{source_id}.pdf", format="pdf",
        sha256=hashlib.sha256(source_id.encode()).hexdigest(), bytes=1000, pages=40, status="ok",
        error_type=None, error_message=None, region_count=1, priority_count=count, document_id=source_id,
        **values,
    )


def _publish(dataset: Path, first_area: str, method: str = "extracted") -> int:
    records = [
        _area("SE332", "Norrbotten", first_area, 1, method=method),
        _area("SE332", "Norrbotten", "Rymd", 2),
        _area("SE332", "Norrbotten", "Uppskjutning av satelliter", 3, level=2, parent=2),
        _area("FI1B", "Helsinki-Uusimaa", "Health tech", 1, source_id="helsinki-uusimaa", confidence=None),
        _area("SE", "Sweden", "Hållbar industri", 1, source_id="nationell-strategi"),
    ]
    sources = [
        _strategy_source(STRATEGY, 3, url=STRATEGY_URL),
        _strategy_source("helsinki-uusimaa", 1),
        _strategy_source("nationell-strategi", 1),
    ]
    priorities, source_rows = validate(priorities_frame(records), sources_frame(sources),
                                       region_codes={"SE332", "FI1B", "SE"})
    return publish(priorities, source_rows, dataset, code_version="9.9", inputs={}).version


@pytest.fixture(scope="module")
def two_versions(tmp_path_factory) -> Path:
    dataset = tmp_path_factory.mktemp("site") / "priorities"
    assert _publish(dataset, "Gruvnäring") == 1
    assert _publish(dataset, "Processindustri", "curated") == 2  # chosen in raw/curation.toml
    return dataset


@pytest.fixture
def dataset(two_versions, tmp_path) -> Path:
    """output/priorities with the two versions, a copy the test may change (published once per module)."""
    return copy_dataset(two_versions, tmp_path / "output" / "priorities")


def _page(index: Path) -> BeautifulSoup:
    return BeautifulSoup(index.read_text(encoding="utf-8"), "lxml")


def _data(page: BeautifulSoup) -> dict:
    return json.loads(page.select_one("#report-data").string)


def test_a_regions_panel_has_its_priorities_in_order_with_their_facts_and_changes(dataset):
    index = write_report(dataset, 2)
    assert index == report_path(dataset, 2) and index.is_file()
    panel = _page(index).select_one("#region-SE332")
    level1 = panel.select(".source-list.current > ol > li[data-level='1']")
    assert [li.select_one(".priority-text").get_text() for li in level1] == ["Processindustri", "Rymd"]
    sub = level1[1].select(".sub-priorities li")
    assert [li.select_one(".priority-text").get_text() for li in sub] == ["Uppskjutning av satelliter"]
    meta = level1[0].select_one(".item-meta").get_text(" ", strip=True)
    for fact in ("nivå 1", f"{STRATEGY}.pdf, sida 11", "kurerad", "avsnitt: Prioriterade områden",
                 "säkerhet 87 %"):
        assert fact in meta
    assert "extraherad" in level1[1].select_one(".item-meta").get_text()
    assert level1[0].select_one(".item-meta a")["href"] == f"{STRATEGY_URL}#page=11"
    changes = [li.get_text(" ", strip=True) for li in panel.select(".change")]
    assert changes == [f"+ tillagd : Processindustri ({STRATEGY}, kurerad )", f"− borttagen : Gruvnäring ({STRATEGY})"]
    assert "Jämfört med version 1" in panel.get_text()


def test_other_countries_are_drawn_from_nuts_shapes_and_a_region_without_one_is_listed(dataset):
    page = _page(write_report(dataset, 2))
    maps = {figure["data-country"]: figure for figure in page.select("figure.map")}
    assert list(maps) == ["SE", "FI"]
    assert len(maps["SE"].select("path.region")) == 21
    assert [p["data-code"] for p in maps["FI"].select("path.region")] == ["FI1B"]
    assert len(maps["FI"].select("path.ground")) == 1  # Finland's outline under it
    assert "© EuroGeographics" in maps["FI"].select_one("figcaption").get_text()
    national = page.select_one('.region-choice[data-code="SE"]').get_text(" ", strip=True)
    assert "Utan karta" in national and "1 prioritering" in national
    assert "Uppskjutning av satelliter" not in _data(page)["regions"]["SE332"]["priorities"]  # level 1 only


def test_themes_colour_the_map_where_the_version_has_them(dataset):
    page = _page(write_report(dataset, 2))
    assert page.select("#measure option") and not page.select("#measure optgroup")
    assert list(_data(page)["measures"]) == ["priorities"]

    pd.DataFrame({
        "source_id": [STRATEGY, STRATEGY, "helsinki-uusimaa"], "region_code": ["SE332", "SE332", "FI1B"],
        "position": [1, 2, 1], "dimension": ["policy"] * 3, "code": ["P01", "P02", "P01"],
        "label": ["Industry", "Space", "Industry"], "evidence": ["industri", "rymd", "tech"],
        "method": ["lexicon"] * 3,
    }).to_parquet(dataset / "v2" / THEMES_FILE)
    page = _page(write_report(dataset, 2))
    options = [(o.parent.get("label"), o["value"], o.get_text()) for o in page.select("#measure optgroup option")]
    assert options == [("policy", "theme:policy:P01", "Industry"), ("policy", "theme:policy:P02", "Space")]
    assert _data(page)["measures"]["theme:policy:P01"]["counts"] == {"FI1B": 1, "SE332": 1}
    first = page.select_one("#region-SE332 li[data-level='1'] .item-themes").get_text(" ", strip=True)
    assert first == "teman : Industry"


def test_a_rewrite_gives_the_same_bytes_and_leaves_no_temp_folder(dataset):
    index = write_report(dataset, 2)
    before = {p.name: p.read_bytes() for p in index.parent.iterdir()}
    (dataset / "v2" / ".tmp-report-left-by-a-killed-run").mkdir()
    assert write_report(dataset, 2) == index
    assert {p.name: p.read_bytes() for p in index.parent.iterdir()} == before
    assert sorted(p.name for p in (dataset / "v2").iterdir() if p.name.startswith(".")) == []


def test_the_report_command_writes_the_version_asked_for_or_says_why_not(dataset):
    runner = CliRunner()
    output = str(dataset.parent)
    result = runner.invoke(app, ["report", "--output", output])
    assert result.exit_code == 0, result.output
    assert report_path(dataset, 2).is_file() and not report_path(dataset, 1).exists()
    result = runner.invoke(app, ["report", "--version", "v1", "--output", output])
    assert result.exit_code == 0 and report_path(dataset, 1).is_file()
    result = runner.invoke(app, ["report", "--version", "7", "--output", output])
    assert result.exit_code == 1 and "v7 is missing or incomplete" in result.output
