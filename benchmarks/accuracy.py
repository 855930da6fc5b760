"""Extraction accuracy on the real strategies in ../shared/corpus/ris3, run on request.

    .venv/bin/python benchmarks/accuracy.py [--level 2] [--quiet]

Prints precision, recall and F1 per document with a truth file (and the items missed and
invented), the micro-averaged overall figure, and what comes out of the documents that have
no truth file, so they can be judged by eye.
"""

from __future__ import annotations

import argparse
import logging
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT.parent / "shared" / "corpus" / "ris3"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=CORPUS)
    parser.add_argument("--level", type=int, default=1, help="1 priorities, 2 sub-priorities")
    parser.add_argument("--quiet", action="store_true", help="no missed/invented items")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    if not (args.corpus / "truth").is_dir():
        sys.stdout.write(f"corpus not found at {args.corpus}; nothing to measure\n")
        return 1

    from smartspec.evaluation.harness import evaluate, report_lines
    from smartspec.extractors.errors import ExtractionError
    from smartspec.extractors.extract import build_toolkit, extract
    from smartspec.extractors.readers import read_document

    started = time.perf_counter()
    toolkit = build_toolkit()
    results = evaluate(args.corpus / "truth", args.corpus, toolkit, level=args.level)
    lines = report_lines([(r.truth.document, r.score) for r in results], details=not args.quiet)
    for r in results:
        if r.extraction is not None:
            section = r.extraction.sections[0] if r.extraction.sections else None
            lines.append(f"{r.truth.document}: {r.extraction.region_evidence}; section "
                         f"{section.heading if section else '-'!r} p.{section.pages if section else ''} "
                         f"confidence {section.confidence if section else '-'}")
    scored = {r.truth.document for r in results}
    for path in sorted(args.corpus.glob("*.pdf")):
        if path.name in scored:
            continue
        lines.append("")
        lines.append(f"{path.name} (no truth file):")
        try:
            extraction = extract(read_document(path, source_id=path.stem), toolkit,
                                 source_file=path.name)
        except ExtractionError as e:
            lines.append(f"    {e.status}: {e.message}")
            continue
        section = extraction.sections[0]
        lines.append(f"    region {extraction.records[0].region_code}: {extraction.region_evidence}")
        lines.append(f"    section {section.heading!r} p.{section.pages} confidence {section.confidence}")
        lines += [f"    {'  ' * (r.level - 1)}{r.position}. {r.priority}" for r in extraction.records]
    lines.append("")
    lines.append(f"{time.perf_counter() - started:.1f} s")
    sys.stdout.write("\n".join(lines) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
