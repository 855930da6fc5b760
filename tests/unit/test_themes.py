"""The theme taxonomy: the data files, checked on loading."""

from __future__ import annotations

import shutil
from importlib.resources import files
from pathlib import Path

import pytest

from smartspec.extractors.errors import ReferenceDataError
from smartspec.extractors.tagging import METHODS
from smartspec.extractors.themes import PATTERNS_FILE, TAXONOMY_FILE, TERMS_FILE, load_taxonomy
from smartspec.schemas.themes import DIMENSIONS
from smartspec.schemas.themes import METHODS as SCHEMA_METHODS


def test_the_taxonomy_has_three_dimensions_as_the_schema_says(taxonomy):
    assert tuple(d.id for d in taxonomy.dimensions) == DIMENSIONS
    assert METHODS == SCHEMA_METHODS
    assert all(d.source for d in taxonomy.dimensions)
    assert taxonomy.version and len(taxonomy.sha256) == 64
    assert set(taxonomy.patterns) == {"sv", "en"} and taxonomy.compounds == {"sv"}


def test_nace_has_every_section_and_division_with_its_label(taxonomy):
    nace = [c for c in taxonomy.categories.values() if c.dimension == "nace"]
    sections = [c for c in nace if c.parent is None]
    divisions = [c for c in nace if c.parent is not None]
    assert [c.code for c in sections] == list("ABCDEFGHIJKLMNOPQRSTU")
    assert len(divisions) == 88  # NACE Rev. 2 has 88 divisions
    assert all(c.code[0] == c.parent.removeprefix("nace:") and len(c.code) == 3 for c in divisions)
    assert taxonomy.category("nace:C21").label == (
        "Manufacture of basic pharmaceutical products and pharmaceutical preparations")
    assert taxonomy.category("nace:N79").label == "Travel agency, tour operator reservation service and related activities"


def test_ford_has_six_broad_fields_and_objectives_say_where_they_come_from(taxonomy):
    ford = [c for c in taxonomy.categories.values() if c.dimension == "ford"]
    assert [c.code for c in ford if c.parent is None] == ["1", "2", "3", "4", "5", "6"]
    assert taxonomy.category("ford:2.10").label == "Nano-technology"
    objectives = [c for c in taxonomy.categories.values() if c.dimension == "objective"]
    assert len(objectives) >= 12 and all(c.source for c in objectives)
    assert {"digital_transformation", "key_enabling_technologies", "energy_transition", "circular_bioeconomy",
            "health_life_science", "creative_cultural", "tourism_experience", "mobility_logistics", "food",
            "advanced_materials", "security_defence_space", "public_sector_innovation"} <= {c.code for c in objectives}


def test_every_term_tags_known_categories_and_has_patterns(taxonomy):
    patterned = {p.term for found in taxonomy.patterns.values() for p in found}
    assert set(taxonomy.terms) == patterned
    assert all(tag in taxonomy.categories for found in taxonomy.terms.values() for tag in found)


def test_load_taxonomy_is_cached():
    assert load_taxonomy() is load_taxonomy()


def _copy(tmp_path: Path) -> Path:
    folder = tmp_path / "taxonomy"
    folder.mkdir()
    for name in (TAXONOMY_FILE, TERMS_FILE, PATTERNS_FILE.format(lang="sv"), PATTERNS_FILE.format(lang="en")):
        (folder / name).write_bytes(files("smartspec.extractors").joinpath(name).read_bytes())
    return folder


def test_a_copy_loads_the_same_and_an_edit_changes_the_hash(tmp_path, taxonomy):
    folder = _copy(tmp_path)
    copied = load_taxonomy(folder)
    assert copied.sha256 == taxonomy.sha256 and copied.terms == taxonomy.terms
    patterns = folder / PATTERNS_FILE.format(lang="sv")
    patterns.write_text(patterns.read_text(encoding="utf-8") + '{"label": "food", "pattern": "ost"}\n',
                        encoding="utf-8")
    assert load_taxonomy(folder).sha256 == taxonomy.sha256  # cached per folder
    other = tmp_path / "other"
    shutil.copytree(folder, other)
    assert load_taxonomy(other).sha256 != taxonomy.sha256


@pytest.mark.parametrize(("name", "edit", "problem"), [
    (TERMS_FILE, lambda text: text + "cheese: [nace:C99]\n", "cheese: nace:C99 is not a category"),
    (TERMS_FILE, lambda text: text + "cheese: [objective:food]\n", "term 'cheese' has no pattern"),
    (PATTERNS_FILE.format(lang="sv"), lambda text: text + '{"label": "ost", "pattern": "ost"}\n',
     "label 'ost' is not a term"),
    (PATTERNS_FILE.format(lang="en"), lambda text: text + '{"label": "food", "pattern": [{"TAG": "NN"}]}\n',
     "must be a phrase or a list of token patterns"),
    (PATTERNS_FILE.format(lang="en"), lambda text: text + "not json\n", "not JSON"),
    (TAXONOMY_FILE, lambda text: text.replace("{code: C21, parent: C,", "{code: C21, parent: X,"),
     "nace:C21: parent nace:X is not a category"),
    (TAXONOMY_FILE, lambda text: text.replace("implies: [objective:food]}", "implies: [objective:cheese]}", 1),
     "implies objective:cheese, which is not a category"),
    (TAXONOMY_FILE, lambda text: text.replace("text_min: 0.8", "text_min: 8"), "partners.text_min must be"),
])
def test_a_bad_data_file_is_refused_naming_the_problem(tmp_path, name, edit, problem):
    folder = _copy(tmp_path)
    path = folder / name
    path.write_text(edit(path.read_text(encoding="utf-8")), encoding="utf-8")
    with pytest.raises(ReferenceDataError) as caught:
        load_taxonomy(folder)
    assert caught.value.source_id == name and problem in caught.value.message
