"""`smartspec diff A B`: per-region changes between any two published versions."""

from __future__ import annotations

from datetime import timedelta

import pytest
from typer.testing import CliRunner

from smartspec.flows.cli import app
from smartspec.publishing import VersionNotFound, diff_lines, diff_versions, parse_version, read_version
from tests.conftest import copy_dataset
from tests.helpers.records import NORRBOTTEN_AREAS, NOW, norrbotten, priority, run


@pytest.fixture(scope="module")
def three_versions(tmp_path_factory):
    dataset = tmp_path_factory.mktemp("diff") / "priorities"
    run(dataset)  # v1: five areas and a sub-item
    run(dataset, norrbotten([*NORRBOTTEN_AREAS[:4], "Besöksnäring"]), now=NOW + timedelta(days=1))  # v2
    skane = priority("Livsmedel", 1, region_code="SE224", region_name="Skåne")
    run(dataset, [*norrbotten(NORRBOTTEN_AREAS[:3]), skane], now=NOW + timedelta(days=2))  # v3
    return dataset


@pytest.fixture
def output(three_versions, tmp_path):
    """An output folder whose priorities/ holds the three versions (a copy: published once per module)."""
    copy_dataset(three_versions, tmp_path / "priorities")
    return tmp_path


def test_diff_of_consecutive_versions_is_their_changes_table(output) -> None:
    dataset = output / "priorities"
    _, _, changes = read_version(dataset, 2)
    assert diff_versions(dataset, 1, 2).equals(changes)


def test_diff_across_versions_and_backwards(output) -> None:
    dataset = output / "priorities"
    assert diff_lines(diff_versions(dataset, 1, 3), 1, 3) == [
        "v1 -> v3: 1 added, 2 removed in 2 regions",
        "Skåne (SE224)",
        "  + Livsmedel",
        "Norrbotten (SE332)",
        "  - Testverksamhet i kallt klimat",
        "  - Upplevelsenäring",
    ]
    backwards = diff_lines(diff_versions(dataset, 3, 1), 3, 1)
    assert backwards[0] == "v3 -> v1: 2 added, 1 removed in 2 regions"
    assert diff_lines(diff_versions(dataset, 2, 2), 2, 2) == ["v2 -> v2: no priority added or removed"]


def test_version_names(output) -> None:
    dataset = output / "priorities"
    assert [parse_version(name, dataset) for name in ("2", "v2", "V2", "latest")] == [2, 2, 2, 3]
    for bad in ("two", "v0", "-1", ""):
        with pytest.raises(VersionNotFound, match="is not a version"):
            parse_version(bad, dataset)
    with pytest.raises(VersionNotFound, match="v9 is missing or incomplete"):
        diff_versions(dataset, 1, 9)


def test_cli_prints_the_diff(output) -> None:
    result = CliRunner().invoke(app, ["diff", "v1", "2", "--output", str(output)])
    assert result.exit_code == 0, result.output
    assert result.output.splitlines() == [
        "v1 -> v2: 1 added, 1 removed in 1 region",
        "Norrbotten (SE332)",
        "  + Besöksnäring",
        "  - Upplevelsenäring",
    ]


def test_cli_names_a_missing_version_and_exits_non_zero(output) -> None:
    result = CliRunner().invoke(app, ["diff", "1", "7", "--output", str(output)])
    assert result.exit_code == 1
    assert "v7 is missing or incomplete" in result.output
