"""CHANGELOG.md at the dataset root: grows with each version, newest first, and can always be rebuilt."""

from __future__ import annotations

import json
import shutil
from datetime import timedelta

import pandas as pd

from publishing.changelog import CHANGELOG_FILE, VersionChanges, render_changelog
from publishing.changes import empty_changes
from publishing.versions import _changelog_entries
from tests.unit.test_publishing import NORRBOTTEN_AREAS, NOW, norrbotten, priority, run


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
    assert changelog(dataset) == render_changelog("priorities", _changelog_entries(dataset))


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
    assert [(e.version, e.previous_version) for e in _changelog_entries(dataset)] == [(1, None), (2, 1)]
