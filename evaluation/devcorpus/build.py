"""Writing a split's documents, each with `<file>.truth.json` beside it in the truth format
of ../shared/corpus/sv-strategies."""

from __future__ import annotations

import json
import logging
from collections.abc import Callable
from pathlib import Path

from smartspec.evaluation.devcorpus import docx_layouts, pdf_layouts, pptx_layouts, text_layouts
from smartspec.evaluation.devcorpus.documents import SPLITS, CorpusDocument, load_documents

logger = logging.getLogger(__name__)

Builder = Callable[[CorpusDocument, Path], None]

# One builder per layout, with the formats it writes.
LAYOUTS: dict[str, tuple[Builder, frozenset[str]]] = {
    "report_pdf": (pdf_layouts.report_pdf, frozenset({"pdf"})),
    "brochure_pdf": (pdf_layouts.brochure_pdf, frozenset({"pdf"})),
    "slides_pdf": (pdf_layouts.slides_pdf, frozenset({"pdf"})),
    "table_pdf": (pdf_layouts.table_pdf, frozenset({"pdf"})),
    "report_docx": (docx_layouts.report_docx, frozenset({"docx"})),
    "typed_docx": (docx_layouts.typed_docx, frozenset({"docx"})),
    "table_docx": (docx_layouts.table_docx, frozenset({"docx"})),
    "slides_pptx": (pptx_layouts.slides_pptx, frozenset({"pptx"})),
    "overview_pptx": (pptx_layouts.overview_pptx, frozenset({"pptx"})),
    "web_html": (text_layouts.web_html, frozenset({"html"})),
    "text_export": (text_layouts.text_export, frozenset({"txt", "md"})),
}
# Layouts only the strategy fixtures use so far (fixtures.py).
FIXTURE_LAYOUTS: dict[str, tuple[Builder, frozenset[str]]] = {
    "word_docx": (docx_layouts.word_docx, frozenset({"docx"})),
    "word_pdf": (pdf_layouts.word_pdf, frozenset({"pdf"})),
    "wide_pptx": (pptx_layouts.wide_pptx, frozenset({"pptx"})),
    "saved_html": (text_layouts.saved_html, frozenset({"html"})),
}
TRUTH_SUFFIX = ".truth.json"


def truth_of(document: CorpusDocument) -> dict:
    """The document's truth in the sv-strategies format."""
    regions = []
    for region in document.regions:
        entry = {"region": region.region, "lan_code": region.lan_code,
                 "nuts2021_code": region.nuts2021_code, "priorities": list(region.priorities)}
        if region.optional_priorities:
            entry["optional_priorities"] = list(region.optional_priorities)
        if region.sub_priorities:
            entry["sub_priorities"] = {k: list(v) for k, v in region.sub_priorities.items()}
        regions.append(entry)
    return {"document": document.file_name, "format": document.format,
            "language": document.language, "layout": document.layout, "regions": regions,
            "non_priority_traps": list(document.traps), "trap_kinds": list(document.trap_kinds),
            "notes": document.notes}


def write_document(document: CorpusDocument, path: Path) -> None:
    """Write `document` to `path` with the builder of its layout."""
    builder, formats = {**LAYOUTS, **FIXTURE_LAYOUTS}[document.layout]
    if document.format not in formats:
        raise ValueError(f"{document.id}: layout {document.layout} writes no {document.format}")
    builder(document, path)


def build_document(document: CorpusDocument, out_dir: Path) -> Path:
    path = out_dir / document.file_name
    write_document(document, path)
    truth = json.dumps(truth_of(document), ensure_ascii=False, indent=2) + "\n"
    (out_dir / f"{document.file_name}{TRUTH_SUFFIX}").write_text(truth, encoding="utf-8")
    return path


def build(split: str, out_dir: Path) -> list[Path]:
    """Write every document of `split` ("tuned", "heldout", "fresh", "unseen", "blind", "sealed" or
    "all") into `out_dir`; the paths of the documents written, in data order."""
    splits = SPLITS if split == "all" else (split,)
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    paths = []
    for name in splits:
        for document in load_documents(name):
            paths.append(build_document(document, out_dir))
            logger.info("%s: built %s", name, document.file_name)
    return paths
