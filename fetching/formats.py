"""What a fetched file should be, and whether its first bytes agree.

The expected format comes from the URL the user configured, then the URL the redirects ended
at, then the response's Content-Disposition file name, then its Content-Type. A server that
answers a `.pdf` URL with an HTML login page is caught here, before the page becomes a snapshot.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from email.message import Message
from pathlib import PurePosixPath
from urllib.parse import unquote, urlsplit

logger = logging.getLogger(__name__)

HEAD_BYTES = 64  # how much of the body the magic check looks at
_SHOWN_BYTES = 5  # how much of a wrong body an error message quotes
_UTF8_BOM = b"\xef\xbb\xbf"


@dataclass(frozen=True, slots=True)
class Format:
    name: str  # as an error message says it: "a PDF"
    suffix: str  # the snapshot file's suffix, one the readers know by
    magic: bytes | None  # the body starts with this; None: markup, checked by `_is_markup`


PDF = Format("a PDF", ".pdf", b"%PDF-")
PPTX = Format("a PPTX file", ".pptx", b"PK\x03\x04")
PPTM = Format("a PPTM file", ".pptm", b"PK\x03\x04")
DOCX = Format("a DOCX file", ".docx", b"PK\x03\x04")
HTML = Format("HTML", ".html", None)

BY_SUFFIX: dict[str, Format] = {
    ".pdf": PDF, ".pptx": PPTX, ".pptm": PPTM, ".docx": DOCX, ".html": HTML, ".htm": HTML,
}
BY_CONTENT_TYPE: dict[str, Format] = {
    "application/pdf": PDF,
    "application/x-pdf": PDF,
    "application/vnd.openxmlformats-officedocument.presentationml.presentation": PPTX,
    "application/vnd.ms-powerpoint.presentation.macroenabled.12": PPTM,
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": DOCX,
    "text/html": HTML,
    "application/xhtml+xml": HTML,
}


def expected_format(
    url: str, final_url: str, content_disposition: str | None, content_type: str | None
) -> Format | None:
    """The format the body should have, or None when nothing names a known one."""
    for name in (_url_file_name(url), _url_file_name(final_url), _disposition_file_name(content_disposition)):
        if name and (fmt := BY_SUFFIX.get(PurePosixPath(name).suffix.lower())):
            return fmt
    if content_type:
        return BY_CONTENT_TYPE.get(content_type.split(";", 1)[0].strip().lower())
    return None


def describe_unknown(content_type: str | None) -> str:
    known = sorted({fmt.suffix for fmt in BY_SUFFIX.values()})
    return (
        f"unknown format: neither the URL nor Content-Type {content_type or '(none)'!r} "
        f"names one of {', '.join(known)}"
    )


def check_magic(head: bytes, fmt: Format) -> str | None:
    """None when `head` (the body's first bytes) fits `fmt`, else why not."""
    if not head:
        return "empty response body"
    fits = head.startswith(fmt.magic) if fmt.magic is not None else _is_markup(head)
    if fits:
        return None
    return f"content is not {fmt.name} (starts with {head[:_SHOWN_BYTES]!r})"


def _is_markup(head: bytes) -> bool:
    text = head.removeprefix(_UTF8_BOM).lstrip()
    return text.startswith(b"<") and b"\x00" not in head


def _url_file_name(url: str) -> str:
    return PurePosixPath(unquote(urlsplit(url).path)).name


def _disposition_file_name(value: str | None) -> str | None:
    if not value:
        return None
    message = Message()
    message["content-disposition"] = value
    name = message.get_filename()
    return PurePosixPath(name.replace("\\", "/")).name if name else None
