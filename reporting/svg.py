"""Shapes in longitude/latitude -> SVG path data fitted to a box.

The projection is equirectangular with longitudes shrunk by the cosine of the map's middle
latitude: for one country at a time (Sweden spans 55-69°N) it keeps shapes recognisable
without a projection library.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import shapely

from smartspec.reporting.shapes import Shape

# Width of a map's viewBox in SVG user units; the height follows the country's shape.
MAP_WIDTH = 400.0
# Space around the shapes, in the same units.
MARGIN = 6.0
# Decimals of the path coordinates: a tenth of a unit is finer than a screen pixel.
DECIMALS = 1


@dataclass(frozen=True, slots=True)
class Drawing:
    view_box: str  # "0 0 W H"
    width: float
    height: float
    paths: dict[str, str]  # NUTS code -> path data, in the order of the shapes given


def draw(shapes: Sequence[Shape], width: float = MAP_WIDTH) -> Drawing:
    """Path data for `shapes`, all scaled together into a box `width` wide."""
    if not shapes:
        raise ValueError("nothing to draw")
    union = shapely.GeometryCollection([s.geometry for s in shapes])
    west, south, east, north = union.bounds
    shrink = math.cos(math.radians((south + north) / 2))
    span_x, span_y = max((east - west) * shrink, 1e-9), max(north - south, 1e-9)
    scale = (width - 2 * MARGIN) / span_x
    height = round(span_y * scale + 2 * MARGIN, DECIMALS)

    def point(lon: float, lat: float) -> str:
        x = MARGIN + (lon - west) * shrink * scale
        y = MARGIN + (north - lat) * scale
        return f"{x:.{DECIMALS}f} {y:.{DECIMALS}f}"

    paths = {s.code: _path(s.geometry, point) for s in shapes}
    return Drawing(f"0 0 {width:g} {height:g}", width, height, paths)


def _path(geometry: shapely.Geometry, point) -> str:
    parts = []
    for polygon in getattr(geometry, "geoms", [geometry]):
        for ring in (polygon.exterior, *polygon.interiors):
            coords = list(ring.coords)[:-1]  # the closing point: "Z" closes the ring
            if len(coords) < 3:
                continue
            parts.append("M" + "L".join(point(lon, lat) for lon, lat in coords) + "Z")
    return "".join(parts)
