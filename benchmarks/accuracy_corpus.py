"""Extraction accuracy on the development corpus (tuned, held-out, fresh, unseen, blind and sealed
splits, built into a temporary folder) and on ../shared/corpus/sv-strategies when it is present.
Run on request.

    .venv/bin/python benchmarks/accuracy_corpus.py [--details] [--by-kind] [--split tuned|heldout|fresh|unseen|blind|sealed|all]

Prints a per-document table (TP, FP, FN, precision, recall, F1, region accuracy, trap hits)
and the micro-averaged overall line for each corpus, then one summary line per corpus.
"""

from __future__ import annotations

import argparse
import logging
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SV_STRATEGIES = ROOT.parent / "shared" / "corpus" / "sv-strategies"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--split", choices=("tuned", "heldout", "fresh", "unseen", "blind", "sealed", "all"),
                        default="all")
    parser.add_argument("--details", action="store_true", help="list missed, invented and trap items")
    parser.add_argument("--by-kind", action="store_true", help="figures per layout and per kind of trap")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.ERROR, format="%(levelname)s %(name)s: %(message)s")

    from smartspec.evaluation.corpus_scoring import evaluate_corpus, kind_lines, load_truths, report_lines
    from smartspec.evaluation.devcorpus import SPLITS, build
    from smartspec.extractors.extract import build_toolkit

    started = time.perf_counter()
    toolkit = build_toolkit()
    summary = []
    with tempfile.TemporaryDirectory(prefix="devcorpus-") as tmp:
        corpora = []
        for split in SPLITS if args.split == "all" else (args.split,):
            out = Path(tmp) / split
            build(split, out)
            corpora.append((f"devcorpus {split}", out))
        if SV_STRATEGIES.is_dir():
            corpora.append(("sv-strategies", SV_STRATEGIES))
        else:
            summary.append(f"sv-strategies not found at {SV_STRATEGIES}; skipped")
        for name, folder in corpora:
            report = evaluate_corpus(folder, toolkit)
            lines = [f"== {name} ({len(report.documents)} documents)",
                     *report_lines(report, details=args.details), ""]
            if args.by_kind:
                lines += [*kind_lines(report, load_truths(folder)), ""]
            sys.stdout.write("\n".join(lines) + "\n")
            summary.append(f"{name:<20} F1={report.f1:.3f} precision={report.precision:.3f} "
                           f"recall={report.recall:.3f} traps={report.traps} "
                           f"region accuracy={report.region_accuracy:.3f}")
    summary.append(f"{time.perf_counter() - started:.1f} s")
    sys.stdout.write("\n".join(summary) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
