"""The gazetteer made from NUTS 2021 data (scripts/make_gazetteer.py): every region once, one
region per name, and the committed file exactly what the script makes."""

from __future__ import annotations

import json
import runpy

import pytest

from smartspec.extractors.regions import GAZETTEER_FILE, load_gazetteer, name_key
from tests.conftest import ROOT, SHARED

GEO = SHARED / "geo"


def _nuts_codes(level: int) -> set[str]:
    if not GEO.is_dir():
        pytest.skip(f"GISCO's NUTS 2021 files not found at {GEO} (shared/ not beside the repo)")
    collection = json.loads((GEO / f"nuts2021_level{level}_20M.geojson").read_text(encoding="utf-8"))
    return {feature["properties"]["id"] for feature in collection["features"]}


@pytest.mark.parametrize("level", [0, 2, 3])
def test_every_nuts_2021_region_is_in_the_gazetteer_once(level):
    codes = [r.code for r in load_gazetteer().regions if r.nuts_level == level]
    assert len(codes) == len(set(codes))
    assert set(codes) == _nuts_codes(level)


def test_every_name_and_alias_names_one_region():
    owners: dict[str, str] = {}
    for region in load_gazetteer().regions:
        for name in dict.fromkeys(name_key(n) for n in region.names):
            assert owners.setdefault(name, region.code) == region.code, name


def test_the_committed_gazetteer_is_what_the_script_makes():
    if not GEO.is_dir():
        pytest.skip(f"GISCO's NUTS 2021 files not found at {GEO} (shared/ not beside the repo)")
    pytest.importorskip("pycountry", reason="the gazetteer extra (pycountry, wordfreq) is not installed")
    pytest.importorskip("wordfreq", reason="the gazetteer extra (pycountry, wordfreq) is not installed")
    # run from its file, not imported as `scripts.make_gazetteer`: no module of ours may stay
    # loaded outside the smartspec namespace (tests/unit/test_namespace.py)
    make = runpy.run_path(str(ROOT / "scripts" / "make_gazetteer.py"), run_name="make_gazetteer")["make"]
    committed = (ROOT / "extractors" / GAZETTEER_FILE).read_text(encoding="utf-8")
    assert make(GEO, committed) == committed
