"""Versions published with theme tags: the three tables, the manifest, byte-identical reruns,
and a new version naming the tags a changed pattern file gave and took."""

from __future__ import annotations

import hashlib
import json
from datetime import UTC, datetime, timedelta
from importlib.resources import files
from pathlib import Path

import pandas as pd
import pyarrow.parquet as pq
import pytest

from smartspec.extractors.tagging import assign_themes, build_theme_matchers
from smartspec.extractors.themes import PATTERNS_FILE, TAXONOMY_FILE, TERMS_FILE, load_taxonomy
from smartspec.publishing.changelog import CHANGELOG_FILE
from smartspec.publishing.errors import ValidationFailed
from smartspec.publishing.themes import ThemeTables, themes_frame, validate_themes
from smartspec.publishing.layout import THEME_TABLE_FILES
from smartspec.publishing.versions import publish, read_table

NOW = datetime(2025, 3, 1, tzinfo=UTC)


def _publish(dataset: Path, seed_tables, themes: ThemeTables | None = None, now: datetime = NOW):
    priorities, sources, tagged = seed_tables
    return publish(priorities, sources, dataset, code_version="0", inputs={}, now=now,
                   themes=tagged if themes is None else themes)


def _tagged(seed_tables, toolkit, taxonomy) -> ThemeTables:
    priorities = seed_tables[0]
    matchers = build_theme_matchers(toolkit.pipelines, taxonomy)
    found = {(lang, text): assign_themes(text, lang, matchers)
             for lang, text in zip(priorities.language, priorities.priority, strict=True)}
    return ThemeTables(validate_themes(themes_frame(priorities, found), priorities, taxonomy), taxonomy)


def _taxonomy_copy(tmp_path: Path, name: str, edit) -> Path:
    folder = tmp_path / "taxonomy"
    folder.mkdir()
    for file in (TAXONOMY_FILE, TERMS_FILE, PATTERNS_FILE.format(lang="sv"), PATTERNS_FILE.format(lang="en")):
        text = files("smartspec.extractors").joinpath(file).read_text(encoding="utf-8")
        (folder / file).write_text(edit(text) if file == name else text, encoding="utf-8")
    return folder


def test_a_version_with_themes_has_the_three_tables_in_its_manifest_and_datapackage(tmp_path, seed_tables):
    import frictionless
    from frictionless import Package

    result = _publish(tmp_path / "priorities", seed_tables)
    manifest = json.loads((result.path / "manifest.json").read_text())
    taxonomy = seed_tables[2].taxonomy
    assert manifest["taxonomy"] == {"name": taxonomy.name, "version": taxonomy.version, "sha256": taxonomy.sha256}
    assert manifest["themes"]["priorities"] == 64 and manifest["themes"]["tagged"]["nace"] >= 58
    assert manifest["row_counts"]["partners"] == 18 * 17 and manifest["row_counts"]["theme_changes"] == 0
    package = json.loads((result.path / "datapackage.json").read_text())
    assert Package.validate_descriptor(package).valid
    resources = {r["name"]: r for r in package["resources"]}
    assert set(THEME_TABLE_FILES) <= set(resources)
    for name in THEME_TABLE_FILES:
        data = (result.path / resources[name]["path"]).read_bytes()
        assert resources[name]["hash"] == "sha256:" + hashlib.sha256(data).hexdigest()
        assert manifest["files"][f"schemas/{name}.pandera.json"]
    checked = frictionless.validate(result.path / "datapackage.json")  # reads the Parquet files
    assert checked.valid, checked.flatten(["taskName", "rowNumber", "fieldName", "note"])
    fields = {f["name"]: f for f in resources["partners"]["schema"]["fields"]}
    # lists reach frictionless as NumPy arrays, which its `array` type rejects: `any`, the type described
    assert fields["shared_codes"]["type"] == fields["evidence"]["type"] == "any"
    assert fields["shared_codes"]["description"] == "Parquet list<item: string not null>"


def test_every_tag_has_evidence_and_points_at_a_priority(tmp_path, seed_tables):
    path = _publish(tmp_path / "priorities", seed_tables).path
    themes = pd.read_parquet(path / "themes.parquet")
    priorities = pd.read_parquet(path / "priorities.parquet")
    assert (themes.evidence.str.len() > 0).all() and (themes.rule.str.len() > 0).all()
    key = ["source_id", "region_code", "level", "position"]
    assert len(themes[key].drop_duplicates().merge(priorities[key])) == len(themes[key].drop_duplicates())
    life = themes[(themes.priority == "Life Science") & (themes.dimension == "nace")]
    assert {"C21", "M72"} <= set(life.code) and set(life.evidence) == {"Life Science"}


def test_the_same_inputs_give_byte_identical_theme_files(tmp_path, seed_tables, toolkit, taxonomy):
    first = _publish(tmp_path / "a" / "priorities", seed_tables).path
    # tagged again from scratch, published at another time into another folder
    again = _publish(tmp_path / "b" / "priorities", seed_tables, _tagged(seed_tables, toolkit, taxonomy),
                     now=NOW + timedelta(days=3)).path
    for name in THEME_TABLE_FILES.values():
        assert (first / name).read_bytes() == (again / name).read_bytes(), name
    assert _publish(tmp_path / "a" / "priorities", seed_tables, now=NOW + timedelta(days=1)).status == "unchanged"


def test_changing_one_pattern_file_makes_a_version_naming_the_tags_it_changed(tmp_path, seed_tables, toolkit):
    dataset = tmp_path / "priorities"
    assert _publish(dataset, seed_tables).version == 1
    sv = PATTERNS_FILE.format(lang="sv")
    # take the food term's Swedish patterns out
    folder = _taxonomy_copy(tmp_path, sv, lambda text: "".join(
        line for line in text.splitlines(keepends=True) if json.loads(line)["label"] != "food"))
    edited = load_taxonomy(folder)
    result = _publish(dataset, seed_tables, _tagged(seed_tables, toolkit, edited), now=NOW + timedelta(days=1))
    assert (result.status, result.version) == ("published", 2)
    assert read_table(dataset, "changes", 2).empty  # no priority changed, only tags
    changes = read_table(dataset, "theme_changes", 2)
    assert set(changes.change) == {"removed"}
    c10 = changes[changes.code == "C10"]
    assert sorted(c10.region_name) == ["Gotland", "Kalmar", "Örebro"]
    assert set(c10.label) == {"Manufacture of food products"}
    food = changes[changes.code == "food"]
    assert sorted(food.region_name) == ["Gotland", "Kalmar"]  # Örebro keeps food through "måltid"
    manifest = json.loads((result.path / "manifest.json").read_text())
    assert manifest["taxonomy"]["sha256"] == edited.sha256
    changelog = (dataset / CHANGELOG_FILE).read_text(encoding="utf-8")
    v2 = changelog[changelog.index("## v2"):changelog.index("## v1")]
    assert "The taxonomy changed" in v2
    line = next(line for line in v2.splitlines() if line.startswith("- removed nace:C10 Manufacture of food products: "))
    assert all(f"{region}: Livsmedel" in line for region in ("Gotland", "Kalmar", "Örebro")), line


def test_a_new_taxonomy_is_a_new_version_even_when_no_tag_changes(tmp_path, seed_tables, toolkit):
    dataset = tmp_path / "priorities"
    _publish(dataset, seed_tables)
    folder = _taxonomy_copy(tmp_path, TAXONOMY_FILE, lambda text: text.replace("version: 1.0.0", "version: 1.0.1"))
    result = _publish(dataset, seed_tables, _tagged(seed_tables, toolkit, load_taxonomy(folder)),
                      now=NOW + timedelta(days=1))
    assert (result.status, result.version) == ("published", 2)
    assert read_table(dataset, "theme_changes", 2).empty
    assert json.loads((result.path / "manifest.json").read_text())["taxonomy"]["version"] == "1.0.1"


def test_themes_after_a_version_without_them_are_all_new_tags(tmp_path, seed_tables):
    dataset = tmp_path / "priorities"
    priorities, sources, tagged = seed_tables
    publish(priorities, sources, dataset, code_version="0", inputs={}, now=NOW)
    assert not (dataset / "v1" / "themes.parquet").exists()
    result = _publish(dataset, seed_tables, now=NOW + timedelta(days=1))
    assert result.version == 2
    changes = read_table(dataset, "theme_changes", 2)
    assert len(changes) == len(tagged.themes) and set(changes.change) == {"added"}


def test_tags_that_point_nowhere_or_at_no_category_do_not_validate(seed_tables, taxonomy):
    priorities, _, tagged = seed_tables
    bad = tagged.themes.copy()
    bad.loc[0, "position"] = 99
    bad.loc[1, "code"] = "Z99"
    bad.loc[2, "label"] = "Something else"
    bad.loc[3, "evidence"] = ""
    with pytest.raises(ValidationFailed) as caught:
        validate_themes(bad, priorities, taxonomy)
    checks = set(caught.value.failure_cases["check"])
    assert {"tag points to no published priority", "code is not a category of the taxonomy",
            "label is not the category's label"} <= checks
    assert any("str_length" in str(check) for check in checks)
    assert set(caught.value.failure_cases["source_id"].dropna()) == {"seed_deck"}


def test_the_readme_duckdb_queries_run(tmp_path, seed_tables):
    import duckdb

    from tests.conftest import ROOT

    dataset = tmp_path / "output" / "priorities"
    _publish(dataset, seed_tables)
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme[readme.index("### Querying themes and partners with DuckDB"):]
    sql = section[section.index("```sql") + len("```sql"):section.index("```", section.index("```sql") + 6)]
    queries = [q.strip() for q in sql.replace("output/priorities/v1", str(dataset / "v1")).split(";") if q.strip()]
    assert len(queries) == 4
    economic, health, untagged, partners = (duckdb.sql(q).fetchall() for q in queries)
    assert ("Västerbotten", "Life Science", "C21", "Manufacture of basic pharmaceutical products and pharmaceutical "
            "preparations", "Life Science") in economic
    assert ("Uppsala", ["Life science"]) in health
    assert ("Jönköping", "Samverkan för innovation") in untagged and len(untagged) == 5
    assert partners[0][0] == "Norrbotten" and partners[0][2:4] == ("Digitala tjänster", "Digitala tjänstenärings")


def test_publishing_never_loads_spacy():
    """A publishing process (a second run waiting on the lock, the kill tests' children) starts
    in the time its imports take: the theme tables must not pull spaCy in."""
    import subprocess
    import sys

    script = ("import sys, smartspec.publishing.versions, smartspec.publishing.partners, smartspec.publishing.themes; "
              "assert 'spacy' not in sys.modules, 'spacy imported'")
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr[-2000:]
