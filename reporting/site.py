"""Write a version's report: `v<N>/report/index.html` with its stylesheet and script.

The site is static and self-contained: the maps are inline SVG, the data sits in the page, and
nothing is loaded from a network, so it opens from the file system or any static host. It is
built in a temporary folder and renamed into place, so a reader never sees half of one; the same
tables give the same bytes.
"""

from __future__ import annotations

import logging
import os
import shutil
import uuid
from importlib.resources import files
from pathlib import Path

import pyarrow.parquet as pq

from smartspec.extractors.regions import load_gazetteer
from smartspec.publishing.current import current_priorities
from smartspec.publishing.errors import VersionNotFound
from smartspec.publishing.storage import TEMP_PREFIX
from smartspec.publishing.versions import read_manifest, read_table
from smartspec.reporting.content import ReportContent, report_content
from smartspec.reporting.maps import country_maps
from smartspec.reporting.page import render_page
from smartspec.reporting.shapes import SWEDEN, region_shapes

logger = logging.getLogger(__name__)

REPORT_DIR = "report"
INDEX_FILE = "index.html"
# The site's files: name in the report folder -> data file of this package it is copied from.
ASSETS = {"report.css": "page.style.css", "report.js": "page.script.js"}
# An optional table of a version: issue 14's themes, where that version has them.
THEMES_FILE = "themes.parquet"


def version_content(dataset_dir: Path, version: int) -> ReportContent:
    """The report content of a published version, read from its files."""
    manifest = read_manifest(dataset_dir, version)
    priorities = read_table(dataset_dir, "priorities", version)
    sources = read_table(dataset_dir, "sources", version)
    changes = read_table(dataset_dir, "changes", version)
    try:
        current = read_table(dataset_dir, "current", version)
    except VersionNotFound:  # published before `current` existed: derive it the same way
        current = current_priorities(priorities, sources)
    themes_path = dataset_dir / f"v{version}" / THEMES_FILE
    themes = pq.read_table(themes_path).to_pandas() if themes_path.is_file() else None
    return report_content(
        version=version, previous_version=manifest.get("previous_version"),
        code_version=str(manifest.get("code_version", "")), priorities=priorities, current=current,
        sources=sources, changes=changes, gazetteer=load_gazetteer(), themes=themes, always=(SWEDEN,),
    )


def site_files(content: ReportContent) -> dict[str, bytes]:
    """File name -> bytes of the report of `content`."""
    maps, unmapped = country_maps(content.regions, region_shapes())
    stylesheet, script = ASSETS
    html = render_page(content, maps, unmapped, stylesheet=stylesheet, script=script)
    out = {INDEX_FILE: html.encode("utf-8")}
    for name, source in ASSETS.items():
        out[name] = files("smartspec.reporting").joinpath(source).read_bytes()
    return out


def write_report(dataset_dir: Path, version: int) -> Path:
    """Write (or rewrite) `v<version>/report/` and return the path of its index.html.

    Raises VersionNotFound when the version is missing or incomplete.
    """
    content = version_content(dataset_dir, version)
    version_dir = dataset_dir / f"v{version}"
    target = version_dir / REPORT_DIR
    temp = version_dir / f"{TEMP_PREFIX}{REPORT_DIR}-{uuid.uuid4().hex}"
    old = version_dir / f"{TEMP_PREFIX}{REPORT_DIR}-old-{uuid.uuid4().hex}"
    _remove_leftovers(version_dir)
    temp.mkdir()
    try:
        for name, data in site_files(content).items():
            (temp / name).write_bytes(data)
        if target.exists():
            os.rename(target, old)  # then the new one in: a reader sees the old or the new report
        os.rename(temp, target)
    finally:
        for leftover in (temp, old):
            if leftover.exists():
                shutil.rmtree(leftover)
    logger.info("wrote the report of v%d: %s", version, target / INDEX_FILE)
    return target / INDEX_FILE


def _remove_leftovers(version_dir: Path) -> None:
    """Temp folders of a report write that was killed."""
    for path in version_dir.glob(f"{TEMP_PREFIX}{REPORT_DIR}-*"):
        shutil.rmtree(path, ignore_errors=True)


def report_path(dataset_dir: Path, version: int) -> Path:
    return dataset_dir / f"v{version}" / REPORT_DIR / INDEX_FILE

