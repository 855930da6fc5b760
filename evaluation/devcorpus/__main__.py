"""`python -m smartspec.evaluation.devcorpus build --split SPLIT OUT_DIR` (SPLIT: tuned, heldout,
fresh, unseen, blind, sealed or all), and
`python -m smartspec.evaluation.devcorpus build-fixtures [OUT_DIR]` (default tests/data/strategies)."""

from __future__ import annotations

import argparse
import logging
import sys
from pathlib import Path

from smartspec.evaluation.devcorpus.build import build
from smartspec.evaluation.devcorpus.documents import SPLITS
from smartspec.evaluation.devcorpus.fixtures import build_fixtures

FIXTURES_DIR = Path("tests/data/strategies")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m smartspec.evaluation.devcorpus",
                                     description="Write the development corpus and its truth files.")
    commands = parser.add_subparsers(dest="command", required=True)
    command = commands.add_parser("build", help="write a split's documents into OUT_DIR")
    command.add_argument("--split", choices=(*SPLITS, "all"), default="all")
    command.add_argument("out_dir", type=Path)
    command = commands.add_parser("build-fixtures", help="write the strategy test set and its truth "
                                  f"files into OUT_DIR (default {FIXTURES_DIR}, run from the repository)")
    command.add_argument("out_dir", type=Path, nargs="?", default=FIXTURES_DIR)
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    if args.command == "build-fixtures":
        paths = build_fixtures(args.out_dir)
    else:
        paths = build(args.split, args.out_dir)
    sys.stdout.write(f"{len(paths)} documents written to {args.out_dir}\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
