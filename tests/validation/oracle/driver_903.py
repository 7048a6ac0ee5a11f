"""Run the sector's SSDA903 validator (csc-validator-be-903) and print, per rule code,
the children it flags, as JSON on stdout.

Runs only inside a virtual environment of its own (the package pins old pandas
and numpy); it never imports csc_scorecard.

    VENV/bin/python driver_903.py --year 2025 --la E10000027 THIS_YEAR_FILES... [--last LAST_YEAR_FILES...]

--year is the collection year's end (2025 for 2024-25).
"""

from __future__ import annotations

import argparse
import contextlib
import io
import json
import logging


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--year", required=True)
    parser.add_argument("--la", default="")
    parser.add_argument("--last", nargs="*", default=[])
    parser.add_argument("files", nargs="+")
    args = parser.parse_args()
    logging.disable(logging.CRITICAL)
    import importlib

    from lac_validator.lac_validator import LacValidator
    from lac_validator.utils import process_uploaded_files

    start = int(args.year) - 1
    rules = importlib.import_module(f"lac_validator.rules.lac{start}_{str(start + 1)[2:]}")
    groups = {"This year": args.files}
    if args.last:
        groups["Prev year"] = args.last
    with contextlib.redirect_stdout(io.StringIO()):
        v = LacValidator(
            metadata={"collectionYear": args.year, "localAuthority": args.la},
            files=process_uploaded_files(groups),
            registry=rules.registry,
        )
    flagged: dict[str, set[str]] = {}
    for frame in v.ds_results.values():
        if "CHILD" not in getattr(frame, "columns", []):
            continue
        for col in frame.columns:
            if str(col).startswith("ERR_"):
                hit = frame.loc[frame[col].fillna(False).astype(bool), "CHILD"]
                flagged.setdefault(col[4:], set()).update(str(c) for c in hit if c == c)
    out = {
        "flagged": {code: sorted(ids) for code, ids in flagged.items()},
        "ran": sorted(str(c) for c in v.dones),
        "skipped": sorted(str(c) for c in v.skips),
        "crashed": sorted(str(c) for c in v.fails),
    }
    print(json.dumps(out))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
