"""CHANGELOG.md at the dataset root: grows with each version, newest first, and can always be rebuilt."""

from __future__ import annotations

import dataclasses
import json
import shutil
from datetime import timedelta

import pandas as pd

from smartspec.publishing.changelog import CHANGELOG_FILE, VersionChanges, changelog_entries, render_changelog
from smartspec.publishing.changes import empty_changes
from smartspec.extractors.records import SourceRecord
from smartspec.publishing.versions import publish
from tests.helpers.records import (
    NORRBOTTEN_AREAS,
    NORRBOTTEN_SHA,
    NOW,
    norrbotten,
    priority,
    run,
    sources,
    tables,
)


def changelog(dataset) -> str:
    return (dataset / CHANGELOG_FILE).read_text(encoding="utf-8")


def test_the_changelog_grows_newest_first(tmp_path) -> None:
    dataset = tmp_path / "priorities"
    run(dataset)
    first = changelog(dataset)
    assert "## v1 (2025-03-01)" in first and "6 added, 0 removed (first version)" in first
    run(dataset, norrbotten([*NORRBOTTEN_AREAS[:4], "Besöksnäring"]), now=NOW + timedelta(days=30))
    text = changelog(dataset)
    assert text.index("## v2 (2025-03-31)") < text.index("## v1 (2025-03-01)")
    v2 = text[text.index("## v2"):text.index("## v1")]
    assert v2.splitlines() == [
        "## v2 (2025-03-31)",
        "",
        "6 priorities from 2 sources; 1 added, 1 removed since v1.",
        "",
        "Why:",
        "",
        "- source norrbotten-ris3: 1 priority added, 1 removed",
        "",
        "### Norrbotten (SE332)",
        "",
        "- added: Besöksnäring",
        "- removed: Upplevelsenäring",
        "",
    ]
    assert text.endswith(first[first.index("## v1"):])  # v1's section is unchanged


def test_an_unchanged_run_rewrites_a_lost_changelog(tmp_path) -> None:
    dataset = tmp_path / "priorities"
    run(dataset)
    expected = changelog(dataset)
    (dataset / CHANGELOG_FILE).unlink()
    assert run(dataset, now=NOW + timedelta(days=1)).status == "unchanged"
    assert changelog(dataset) == expected


def test_the_changelog_is_a_function_of_the_versions_alone(tmp_path) -> None:
    dataset = tmp_path / "priorities"
    run(dataset)
    run(dataset, norrbotten(NORRBOTTEN_AREAS[:2]), now=NOW + timedelta(days=1))
    copy = tmp_path / "copy" / "priorities"
    shutil.copytree(dataset, copy)
    (copy / CHANGELOG_FILE).write_text("edited by hand\n")
    run(copy, norrbotten(NORRBOTTEN_AREAS[:2]), now=NOW + timedelta(days=2))  # unchanged: rewrites it
    assert changelog(copy) == changelog(dataset)
    assert changelog(dataset) == render_changelog("priorities", changelog_entries(dataset))


def test_sub_items_regions_and_markdown_in_priorities(tmp_path) -> None:
    dataset = tmp_path / "priorities"
    records = [*norrbotten(), priority("Hav *och* [sjö]_fart", 1, region_code="SE224", region_name="Skåne")]
    run(dataset, records)
    text = changelog(dataset)
    assert "- added (sub-item): Rymdbaserade tjänster" in text
    assert "### Skåne (SE224)" in text and r"- added: Hav \*och\* \[sjö\]\_fart" in text
    assert text.index("### Skåne (SE224)") < text.index("### Norrbotten (SE332)")  # by region code


def test_a_version_without_changes_says_so() -> None:
    entry = VersionChanges(4, pd.Timestamp("2025-05-01", tz="UTC").to_pydatetime(), 3,
                           {"priorities": 6, "sources": 2}, empty_changes())
    assert render_changelog("priorities", [entry]).splitlines()[-1] == (
        "6 priorities from 2 sources; 0 added, 0 removed since v3.")


def test_manifests_from_before_previous_version_was_recorded(tmp_path) -> None:
    dataset = tmp_path / "priorities"
    run(dataset)
    run(dataset, norrbotten(list(reversed(NORRBOTTEN_AREAS))), now=NOW + timedelta(days=1))  # no changes
    for version in (1, 2):
        path = dataset / f"v{version}" / "manifest.json"
        manifest = json.loads(path.read_text())
        del manifest["previous_version"]
        path.write_text(json.dumps(manifest))
    assert [(e.version, e.previous_version) for e in changelog_entries(dataset)] == [(1, None), (2, 1)]


# --- why a version exists ------------------------------------------------------------------


def _publish_sources(dataset, records, *, days: int, priorities=None):
    table, source_table = tables(priorities, records)
    return publish(table, source_table, dataset, code_version="0", inputs={}, now=NOW + timedelta(days=days))


def _reasons(result) -> list[str]:
    return json.loads((result.path / "manifest.json").read_text())["reasons"]


def test_a_byte_only_replacement_is_a_version_that_says_same_priorities(tmp_path) -> None:
    dataset = tmp_path / "priorities"
    assert _reasons(_publish_sources(dataset, sources(), days=0)) == ["first version"]
    copy = [dataclasses.replace(record, source_sha256="ab" * 32) for record in norrbotten()]
    replaced = _publish_sources(dataset, sources(sha256="ab" * 32), days=1, priorities=copy)
    assert replaced.status == "published" and replaced.changes.empty
    assert _reasons(replaced) == [f"source norrbotten-ris3 replaced (sha256 {NORRBOTTEN_SHA[:12]} -> abababababab): "
                                  "same priorities"]
    assert "- source norrbotten-ris3 replaced (sha256" in changelog(dataset)


def test_run_time_facts_and_failing_sources_make_no_version(tmp_path) -> None:
    dataset = tmp_path / "priorities"
    _publish_sources(dataset, sources(url="https://example.org/a.pdf", fetch_status="ok"), days=0)
    outage = sources(url="https://example.org/a.pdf", fetch_status="failed", fetch_error="unreachable")
    assert _publish_sources(dataset, outage, days=1).status == "unchanged"
    # a new source that fails (like skane-ris3 in every one of these) adds nothing either
    failing = SourceRecord(
        source_id="gone", source_file="_snapshots/gone", format="unknown", sha256=None, bytes=0, pages=None,
        status="failed", error_type="FetchFailed", error_message="HTTP 404", region_count=0, priority_count=0)
    assert _publish_sources(dataset, [*sources(url="https://example.org/a.pdf"), failing], days=3).status == "unchanged"


def test_a_source_gone_stale_and_mended_is_a_version_each_time(tmp_path) -> None:
    dataset = tmp_path / "priorities"
    _publish_sources(dataset, sources(), days=0)
    stale = sources(status="stale", error_type="UnreadableDocument",
                    error_message="truncated; keeping the 6 priorities of its last good copy")
    assert _reasons(_publish_sources(dataset, stale, days=1)) == ["source norrbotten-ris3: ok -> stale"]
    assert _reasons(_publish_sources(dataset, sources(), days=2)) == ["source norrbotten-ris3: stale -> ok"]


def test_a_version_names_each_source_that_changed(tmp_path) -> None:
    dataset = tmp_path / "priorities"
    _publish_sources(dataset, sources(), days=0)
    review = SourceRecord(
        source_id="uppsala", source_file="uppsala.pdf", format="pdf", sha256="cd" * 32, bytes=10, pages=3,
        status="needs_review", error_type=None, error_message="two candidate lists", region_count=0,
        priority_count=0)
    result = _publish_sources(dataset, [*sources(publisher="Region Norrbotten"), review], days=1)
    assert _reasons(result) == ["source norrbotten-ris3: publisher changed", "source uppsala added: needs_review"]
