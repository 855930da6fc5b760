"""Which shapes each country's map draws, in which order, and which regions have none.

Sweden's map draws all its län, with priorities or not. Another country gets a map when the
version has priorities there: its outline (NUTS 0) underneath, then each region with
priorities, coarser levels first so that a finer region lies on top of the one it belongs to.
A region with no shape (a country-wide Swedish strategy, a region missing from
`shapes.nuts2021.geojson`) is listed apart.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from smartspec.reporting.content import RegionView
from smartspec.reporting.shapes import SWEDEN, Shape
from smartspec.reporting.svg import draw


@dataclass(frozen=True, slots=True)
class MapRegion:
    code: str
    name: str
    path: str  # SVG path data
    count: int  # level-1 priorities in the region's current list
    interactive: bool  # False for a country outline drawn only as the ground


@dataclass(frozen=True, slots=True)
class CountryMap:
    country: str
    view_box: str
    width: float
    height: float
    regions: tuple[MapRegion, ...]  # in drawing order
    attribution: str


def country_maps(
    regions: tuple[RegionView, ...], shapes: Mapping[str, Shape]
) -> tuple[tuple[CountryMap, ...], tuple[RegionView, ...]]:
    """(the maps, Sweden first, then by country code; the regions no map shows)."""
    by_country: dict[str, list[RegionView]] = {}
    for region in regions:
        by_country.setdefault(region.country, []).append(region)
    maps, unmapped = [], []
    for country in sorted(by_country, key=lambda c: (c != SWEDEN, c)):
        drawn = [r for r in by_country[country] if r.code in shapes and r.code != country]
        drawn.sort(key=lambda r: (len(r.code), r.code))
        own = next((r for r in by_country[country] if r.code == country), None)
        ground = shapes.get(country) if country != SWEDEN else None
        unmapped += [r for r in by_country[country]
                     if r.code not in shapes or (r.code == country and ground is None)]
        layers: list[tuple[Shape, RegionView | None]] = []
        if ground is not None:
            layers.append((ground, own))
        layers += [(shapes[r.code], r) for r in drawn]
        if not layers:
            continue
        drawing = draw([shape for shape, _ in layers])
        maps.append(CountryMap(
            country=country, view_box=drawing.view_box, width=drawing.width, height=drawing.height,
            regions=tuple(
                MapRegion(shape.code, region.name if region else country, drawing.paths[shape.code],
                          region.count if region else 0, region is not None)
                for shape, region in layers
            ),
            attribution=layers[0][0].attribution,
        ))
    return tuple(maps), tuple(unmapped)
