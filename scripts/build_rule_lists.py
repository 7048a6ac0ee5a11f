"""Build validation/ssda903/rules.yml from the DfE's SSDA903 rule lists.

    python3 scripts/build_rule_lists.py [SPEC_DIR]

SPEC_DIR defaults to ../shared/specs/ssda903 and holds one CSV per collection
year (``Rule code, Rule message, Affected fields, Tables``). The output lists
every code once with its message, fields and tables (from the latest year that
holds it) and the years it is in force, worked out from which lists hold it:
``first_year`` is the first list with the code, ``retired_in`` the first later
list without it. Only facts are carried over (codes, messages, field and
table names); no logic.

2024-25 has two lists: the earlier DfE list and the one the sector's validator
runs. The later (validator) list is the one in force; codes found only in the
earlier list are written under ``withdrawn_2024_25`` for the record.
"""

from __future__ import annotations

import ast
import csv
import sys
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "src/csc_scorecard/validation/ssda903/rules.yml"
YEARS = {  # collection year -> list file, oldest first
    "2024-25": "dfe_rules_2024_25_validator.csv",
    "2025-26": "dfe_rules_2025_26.csv",
    "2026-27": "dfe_rules_2026_27.csv",
}
EARLY_2024_25 = "dfe_rules_2024_25.csv"
# Table names as the lists spell them when they misspell them.
TABLE_FIXES = {"HEader_last": "Header_last", "MIssing": "Missing", "OC2s": "OC2",
               "EPISODES": "Episodes", "DOLO_last": "DoLo_last"}


def _names(text: str) -> list[str]:
    value = ast.literal_eval(text) if text.strip() else []
    out: list[str] = []
    for v in value:
        v = TABLE_FIXES.get(str(v).strip(), str(v).strip())
        if v not in out:
            out.append(v)
    return out


def read_list(path: Path) -> dict[str, dict]:
    with open(path, newline="", encoding="utf-8-sig") as handle:
        return {
            row["Rule code"].strip(): {
                "message": " ".join(row["Rule message"].split()),
                "fields": _names(row["Affected fields"]),
                "tables": _names(row["Tables"]),
            }
            for row in csv.DictReader(handle)
        }


def build(spec_dir: Path) -> dict:
    lists = {year: read_list(spec_dir / name) for year, name in YEARS.items()}
    years = list(lists)
    rules = []
    for code in sorted({c for lst in lists.values() for c in lst}):
        held = [y for y in years if code in lists[y]]
        first = held[0]
        after = [y for y in years[years.index(first):] if code not in lists[y]]
        if any(code in lists[y] for y in years[years.index(after[0]):]) if after else False:
            raise SystemExit(f"{code} leaves a list and comes back; write its years by hand")
        latest = lists[held[-1]][code]
        entry = {"code": code, **latest, "first_year": first}
        if after:
            entry["retired_in"] = after[0]
        changed = [y for y in held[1:] if lists[y][code]["message"] != lists[held[held.index(y) - 1]][code]["message"]]
        if changed:
            entry["message_changed_in"] = changed
        rules.append(entry)
    early = read_list(spec_dir / EARLY_2024_25)
    withdrawn = sorted(set(early) - {c for lst in lists.values() for c in lst})
    return {"years": years, "rules": rules, "withdrawn_2024_25": withdrawn}


def main(argv: list[str]) -> int:
    spec_dir = Path(argv[1]) if len(argv) > 1 else ROOT.parent / "shared/specs/ssda903"
    data = build(spec_dir)
    header = (
        "# SSDA903 rule facts (codes, DfE messages, fields, tables, years in force).\n"
        "# Built by scripts/build_rule_lists.py from the DfE rule lists; do not edit by hand.\n"
    )
    OUT.write_text(header + yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=100))
    print(f"{len(data['rules'])} rules written to {OUT.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv))
