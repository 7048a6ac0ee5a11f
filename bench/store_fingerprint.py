"""A fingerprint of everything an ingest stored, to show a faster ingest stores the same.

    python bench/store_fingerprint.py RETURN_PATH... [--home DIR] [--out FILE.json]

Ingests the paths into a fresh SQLite store (in --home, or a temporary folder),
then prints, per canonical table, the issue records and the rule outcomes, the
row count and a sha256 of the rows in a stable order (submission ids replaced by
each submission's return type and subtype, row ids left out, so two runs compare
whatever order the submissions were stored in), plus each submission's year,
LA, counts and window. Two versions of the code store the same thing when their
fingerprints are equal: `diff` the two --out files. The timing of the rules
(rule_counts' "seconds") is left out, as it differs run to run.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import re
import sys
import tempfile
from pathlib import Path


def fingerprint() -> dict:
    from django.db import connection

    from csc_scorecard.store.models import CANONICAL_TABLES, IssueRecord, RuleOutcome, Submission

    names = {s.pk: f"{s.return_type}/{s.subtype}/{s.year}" for s in Submission.objects.all()}
    out: dict = {"submissions": {}}
    for s in Submission.objects.order_by("return_type", "subtype", "year"):
        counts = {k: v for k, v in (s.rule_counts or {}).items() if k != "seconds"}
        out["submissions"][names[s.pk]] = {
            "la": s.la_code, "rows": s.row_counts, "quarantined": s.quarantined_counts,
            "issues": s.issue_counts, "rules": counts, "superseded": s.superseded_by_id is not None,
            "window": [str(s.window_start), str(s.window_end), str(s.as_at)],
        }
    models = dict(CANONICAL_TABLES, issue_record=IssueRecord, rule_outcome=RuleOutcome)
    for table, model in sorted(models.items()):
        columns = [f.column for f in model._meta.concrete_fields if f.column != "id"]
        with connection.cursor() as cursor:
            quote = connection.ops.quote_name
            cursor.execute(f"SELECT {', '.join(map(quote, columns))} FROM {quote(model._meta.db_table)}")
            rows = cursor.fetchall()
        at = columns.index("submission_id")
        keyed = sorted(
            json.dumps([names.get(r[at]), *(r[:at] + r[at + 1:])], default=str) for r in rows
        )
        digest = hashlib.sha256("\n".join(keyed).encode()).hexdigest()
        out[table] = {"rows": len(rows), "sha256": digest[:16]}
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("paths", nargs="+", type=Path)
    parser.add_argument("--home", type=Path)
    parser.add_argument("--out", type=Path)
    args = parser.parse_args()
    home = args.home or Path(tempfile.mkdtemp(prefix="fingerprint-"))
    os.environ["CSC_SCORECARD_HOME"] = str(home)
    os.environ.pop("DATABASE_URL", None)
    os.environ.setdefault("NO_PROGRESS", "1")
    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))
    from csc_scorecard.django_setup import setup

    setup(migrate=True)
    from csc_scorecard.store.ingest import ingest_paths

    outcomes = ingest_paths(args.paths)
    # a duplicate's reason names the submission it matched, whose number depends on the order
    # the ingest stored things in (read-ahead may store a group read sooner first)
    reasons = [re.sub(r"submission \d+", "submission N", o.reason) for o in outcomes]
    result = {"outcomes": sorted(f"{Path(o.label).name}: {o.status} {reason}"
                                 for o, reason in zip(outcomes, reasons, strict=True)),
              **fingerprint()}
    text = json.dumps(result, indent=1, sort_keys=True, default=str)
    if args.out:
        args.out.write_text(text + "\n", encoding="utf-8")
    print(text)


if __name__ == "__main__":
    main()
