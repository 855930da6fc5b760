"""What a file is by its content: its first bytes, and for a ZIP package the part that marks it.

A suffix can lie (a DOCX saved as `.pdf`, a web page saved as `.txt`); the bytes cannot, so
the readers go by these where they say something, and by the suffix where they do not
(plain text and Markdown have no signature).
"""

from __future__ import annotations

import zipfile
from pathlib import Path

HEAD_BYTES = 1024  # how much of the file the signatures are looked for in
PDF_SIGNATURE = b"%PDF-"
ZIP_SIGNATURE = b"PK\x03\x04"
# Word, PowerPoint and Excel 97-2003 (OLE2 compound files): no reader here
OLE2_SIGNATURE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
LEGACY_OFFICE = ".doc"
_HTML_STARTS = (b"<!doctype html", b"<html")
_UTF8_BOM = b"\xef\xbb\xbf"
# The part every package of that format has, and the suffix of its reader.
_PACKAGE_PARTS = (("word/document.xml", ".docx"), ("ppt/presentation.xml", ".pptx"))
NAMES = {".pdf": "PDF", ".docx": "DOCX", ".pptx": "PPTX", ".html": "HTML", LEGACY_OFFICE: "Office 97-2003"}


def content_suffix(path: Path) -> str | None:
    """The suffix of the format the content has (".pdf", ".docx", ".pptx", ".html", or
    LEGACY_OFFICE), or None when the content names none (text, or too damaged to tell)."""
    with path.open("rb") as fh:
        head = fh.read(HEAD_BYTES)
    start = head.removeprefix(_UTF8_BOM).lstrip()
    if start.startswith(PDF_SIGNATURE):
        return ".pdf"
    if head.startswith(OLE2_SIGNATURE):
        return LEGACY_OFFICE
    if head.startswith(ZIP_SIGNATURE):
        return _package_suffix(path)
    if start[:len(_HTML_STARTS[0])].lower().startswith(_HTML_STARTS):
        return ".html"
    return None


def _package_suffix(path: Path) -> str | None:
    """Which OOXML package a ZIP file is; None for another ZIP or a damaged one (the reader
    of its suffix then says what is wrong). Reads only the ZIP's directory."""
    try:
        with zipfile.ZipFile(path) as package:
            names = set(package.namelist())
    except (zipfile.BadZipFile, OSError, ValueError):
        return None
    return next((suffix for part, suffix in _PACKAGE_PARTS if part in names), None)
