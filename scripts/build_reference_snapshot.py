#!/usr/bin/env python3
"""Rebuild the reference snapshot shipped in src/csc_scorecard/benchmarks/snapshot/.

Usage: python3 scripts/build_reference_snapshot.py [SOURCE_DIR] [--out DIR]

SOURCE_DIR holds the published DfE open-data CSVs, the LAIT long table and
dictionary, the statistical-neighbour model CSVs and the ONS 0-17 population
(default: ../shared/reference, or $CSC_SCORECARD_SHARED/reference). Run it
again whenever DfE publishes a new year, or after measures.yml maps a new
LAIT measure, and commit the folder it writes.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path


def main(argv: list[str] | None = None) -> int:
    from csc_scorecard.benchmarks.errors import ReferenceDataError
    from csc_scorecard.benchmarks.snapshot import build_snapshot
    from csc_scorecard.config import shared_dir

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("source", nargs="?", type=Path, default=shared_dir() / "reference")
    parser.add_argument(
        "--out", type=Path, default=None, help="default: the package's snapshot folder"
    )
    args = parser.parse_args(argv)
    try:
        built = build_snapshot(args.source, args.out)
    except ReferenceDataError as exc:
        print(f"Error: {exc}", file=sys.stderr)
        return 2
    print("\n".join(built.lines()))
    return 0


if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))
    sys.exit(main())
