"""Safety checks for Office Open XML packages (DOCX, PPTX), run before python-docx/-pptx open them.

`check_package()` refuses, with `UnreadableDocument`:
- a file that is not a zip archive (truncated, damaged, or an encrypted/legacy OLE file);
- a zip bomb: more than `MAX_ENTRIES` entries or more than `MAX_UNCOMPRESSED_BYTES` declared
  uncompressed bytes (zipfile never inflates a member past its declared size, so the
  declared sizes bound what the libraries will read);
- XML parts with a DOCTYPE or entity declarations. OPC forbids DTDs in package XML, so no
  genuine package has one, and refusing them rules out billion-laughs expansion whatever the
  XML parser does. (python-docx and python-pptx parse with `resolve_entities=False`, and
  libxml2 stops at its amplification limit, but we do not rely on either.)
"""

from __future__ import annotations

import logging
import posixpath
import zipfile
import zlib
from pathlib import Path
from typing import Any

from lxml import etree

from smartspec.extractors.errors import UnreadableDocument

logger = logging.getLogger(__name__)

MAX_UNCOMPRESSED_BYTES = 200 * 1024 * 1024
MAX_ENTRIES = 10_000
_CHUNK = 1024 * 1024
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_CONTENT_TYPES = "[Content_Types].xml"
_CT_NS = "{http://schemas.openxmlformats.org/package/2006/content-types}"
_XML_SUFFIXES = (".xml", ".rels", ".vml")
# XML parts may be UTF-8 or UTF-16 (OPC); look for the markers in each encoding.
_DTD_MARKERS = tuple(
    marker.encode(encoding)
    for marker in ("<!DOCTYPE", "<!ENTITY")
    for encoding in ("utf-8", "utf-16-le", "utf-16-be")
)
_OVERLAP = max(len(marker) for marker in _DTD_MARKERS)


def check_package(path: Path, *, source_id: str) -> None:
    """Raise UnreadableDocument unless `path` is a zip package that is safe to hand to python-docx/-pptx."""
    kind = path.suffix.lower().lstrip(".").upper() or "OOXML"
    try:
        with zipfile.ZipFile(path) as archive:
            infos = archive.infolist()
            _check_sizes(infos, source_id)
            for name in _xml_part_names(archive, infos, source_id):
                _check_no_dtd(archive, name, source_id)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, zlib.error, EOFError, OSError, ValueError,
            NotImplementedError) as e:  # NotImplementedError: a compression method zipfile lacks
        raise UnreadableDocument(
            source_id, "read", f"truncated or damaged file: not a valid {kind} package ({_describe(path, e)})"
        ) from e


def _check_sizes(infos: list[zipfile.ZipInfo], source_id: str) -> None:
    if any(not info.filename for info in infos):
        raise ValueError("a zip member has no name")  # a damaged central directory
    if len(infos) >= MAX_ENTRIES:
        raise UnreadableDocument(source_id, "read", f"refused: zip package with {len(infos)} entries "
                                 f"(limit {MAX_ENTRIES}); possible zip bomb")
    total = sum(info.file_size for info in infos)
    if total >= MAX_UNCOMPRESSED_BYTES:
        raise UnreadableDocument(source_id, "read", f"refused: zip package inflates to {total} bytes "
                                 f"(limit {MAX_UNCOMPRESSED_BYTES}); possible zip bomb")


def _xml_part_names(archive: zipfile.ZipFile, infos: list[zipfile.ZipInfo], source_id: str) -> list[str]:
    """Every member the OPC readers will parse as XML: by suffix, and by declared content type.

    The content types matter because a package may store its main part under any name
    ("word/body.bin") as long as [Content_Types].xml calls it XML. SVG images are skipped:
    they are never parsed by the readers and legitimately carry a DOCTYPE.
    """
    names = {info.filename for info in infos if not info.is_dir()}
    if _CONTENT_TYPES not in names:
        return sorted(name for name in names if name.lower().endswith(_XML_SUFFIXES))
    _check_no_dtd(archive, _CONTENT_TYPES, source_id)
    defaults, overrides = _content_types(archive.read(_CONTENT_TYPES))
    selected = []
    for name in sorted(names):
        extension = posixpath.splitext(name)[1].lstrip(".").lower()
        content_type = overrides.get("/" + name.lower(), defaults.get(extension, ""))
        if content_type == "image/svg+xml":
            continue
        if name.lower().endswith(_XML_SUFFIXES) or content_type.endswith("xml"):
            selected.append(name)
    return selected


def _content_types(data: bytes) -> tuple[dict[str, str], dict[str, str]]:
    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False)
    try:
        root = etree.fromstring(data, parser)
    except etree.XMLSyntaxError as e:
        raise ValueError(f"[Content_Types].xml is not well-formed XML: {e}") from e
    defaults = {
        el.get("Extension", "").lower(): el.get("ContentType", "").lower()
        for el in root.iter(f"{_CT_NS}Default")
    }
    overrides = {
        el.get("PartName", "").lower(): el.get("ContentType", "").lower()
        for el in root.iter(f"{_CT_NS}Override")
    }
    return defaults, overrides


def _check_no_dtd(archive: zipfile.ZipFile, name: str, source_id: str) -> None:
    tail = b""
    with archive.open(name) as member:
        while chunk := member.read(_CHUNK):
            window = tail + chunk
            if any(marker in window for marker in _DTD_MARKERS):
                logger.warning("%s: refused package part %s with DTD/entity declarations", source_id, name)
                raise UnreadableDocument(source_id, "read", f"refused: XML with a DOCTYPE/entity declarations ({name})")
            tail = window[-_OVERLAP:]


def _describe(path: Path, error: Exception) -> str:
    try:
        with path.open("rb") as handle:
            if handle.read(len(_OLE_MAGIC)) == _OLE_MAGIC:
                return "an OLE compound file: password-protected, or a legacy binary file renamed"
    except OSError:
        pass
    return f"{type(error).__name__}: {error}"


# The relationship type of a package's core properties (the same in DOCX and PPTX).
CORE_PROPERTIES_RELATIONSHIP = "http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties"


def core_properties_part(package: Any, part_type: type, source_id: str) -> Any | None:
    """The core-properties part of an opened package, or None when it has none, or declares it
    with another content type (python-docx and python-pptx then load raw bytes, and reading
    their properties would fail): a warning says so."""
    try:
        part = package.part_related_by(CORE_PROPERTIES_RELATIONSHIP)
    except KeyError:
        return None
    if not isinstance(part, part_type):
        logger.warning("%s: %s is not stored as core properties (content type %s); ignored",
                       source_id, part.partname, part.content_type)
        return None
    return part
