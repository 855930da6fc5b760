"""Running extraction over a folder of documents and scoring it against their truth files.

`evaluate_dir()` reads each truth file's document from the documents folder, extracts it and
scores it; `report_lines()` turns the results into the table `smartspec evaluate` and
`benchmarks/accuracy.py` print.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from pathlib import Path

from smartspec.evaluation.scoring import Score, Truth, load_truth, overall, score
from smartspec.extractors.errors import ExtractionError
from smartspec.extractors.extract import Extraction, Toolkit, extract
from smartspec.extractors.readers import read_document
from smartspec.inputs.sources import source_id

logger = logging.getLogger(__name__)

TRUTH_SUFFIX = ".json"


@dataclass(frozen=True, slots=True)
class Evaluated:
    """One document's truth, what was extracted from it (None if extraction failed) and
    its score."""

    truth: Truth
    extraction: Extraction | None
    score: Score


def evaluate_dir(truth_dir: Path, documents_dir: Path, toolkit: Toolkit,
                 *, level: int = 1) -> list[tuple[str, Score]]:
    """(document name, score) for every truth file in `truth_dir`, in name order."""
    return [(e.truth.document, e.score) for e in evaluate(truth_dir, documents_dir, toolkit,
                                                           level=level)]


def evaluate(truth_dir: Path, documents_dir: Path, toolkit: Toolkit,
             *, level: int = 1) -> list[Evaluated]:
    """Like `evaluate_dir`, keeping each extraction (for reports)."""
    results = []
    for path in sorted(Path(truth_dir).glob(f"*{TRUTH_SUFFIX}")):
        truth = load_truth(path)
        document_path = Path(documents_dir) / truth.document
        extraction, error = None, None
        if not document_path.is_file():
            error = f"document not found: {document_path}"
        else:
            try:
                document = read_document(document_path, source_id=source_id(document_path.name))
                extraction = extract(document, toolkit, source_file=document_path.name)
            except ExtractionError as e:
                error = f"{e.status}: {e.message}"
        records = extraction.records if extraction is not None else ()
        if error:
            logger.warning("%s: %s", truth.document, error)
        results.append(Evaluated(truth, extraction, score(records, truth, level=level,
                                                          error=error)))
    return results


def report_lines(results: list[tuple[str, Score]], *, details: bool = True) -> list[str]:
    """Per-document precision, recall and F1 with missed and invented items, then overall."""
    lines = [f"{'document':<60} {'P':>6} {'R':>6} {'F1':>6}  region  toc"]
    for name, s in results:
        lines.append(f"{name[:60]:<60} {s.precision:6.2f} {s.recall:6.2f} {s.f1:6.2f}  "
                     f"{'ok' if s.region_ok else 'WRONG':<6}  {s.from_toc}")
        if s.error:
            lines.append(f"    error: {s.error}")
        if details:
            lines += [f"    missed:   {item}" for item in s.missed]
            lines += [f"    invented: {item}" for item in s.invented]
            lines += [f"    trap:     {item}" for item in s.traps]
    total = overall(s for _, s in results)
    lines.append(
        f"{'overall (micro)':<60} {total.precision:6.2f} {total.recall:6.2f} {total.f1:6.2f}  "
        f"{total.region_ok}/{total.documents:<4}  {total.from_toc}"
    )
    return lines
