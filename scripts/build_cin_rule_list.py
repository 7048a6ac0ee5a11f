"""Build src/csc_scorecard/validation/cin/rules.yml from the DfE's CIN census rule lists.

    python3 scripts/build_cin_rule_list.py [--specs ../shared/specs/cin_census]
                                           [--reference ../shared/reference/dfe_open_data]

Each collection year's list (code, message, affected fields) is read and the
years are turned into deltas: a rule's ``first_year`` is the first list it is
in, ``retired_in`` the first later list it is missing from, and a message that
changed is recorded under ``changes`` with the year it changed. The 2025-26
list is the 2024-25 one (the DfE changed nothing that year). ``tables`` are the
census tables the affected fields live in.

The same run writes la_codes.txt: the three-digit DfE codes of English local
authorities (post-April-1998 codes as the DfE's statistics use them), which
rule 1530 checks UPN characters 2-4 against.
"""

from __future__ import annotations

import argparse
import csv
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
OUT_DIR = ROOT / "src" / "csc_scorecard" / "validation" / "cin"

# The years in force and the list file each uses.
YEAR_FILES = {
    "2024-25": "dfe_rules_2024_25.csv",
    "2025-26": "dfe_rules_2024_25.csv",  # unchanged from 2024-25
    "2026-27": "dfe_rules_2026_27.csv",
}

# Which census table each affected field belongs to.
FIELD_TABLES = {
    "ReferenceDate": ["Header"],
    **{f: ["ChildIdentifiers"] for f in (
        "UPN", "FormerUPN", "UPNunknown", "LAchildID", "PersonBirthDate",
        "ExpectedPersonBirthDate", "PersonDeathDate", "Sex")},
    "Ethnicity": ["ChildCharacteristics"],
    "Disability": ["Disabilities"],
    **{f: ["CINdetails"] for f in (
        "CINdetailsID", "CINreferralDate", "ReferralSource", "PrimaryNeedCode", "CINclosureDate",
        "ReasonForClosure", "ReferralNFA")},
    "DateOfInitialCPC": ["CINdetails", "Section47"],
    **{f: ["Assessments"] for f in (
        "AssessmentActualStartDate", "AssessmentAuthorisationDate", "AssessmentFactors")},
    **{f: ["CINplanDates"] for f in ("CINPlanStartDate", "CINPlanEndDate")},
    **{f: ["Section47"] for f in ("S47ActualStartDate", "InitialCPCtarget", "ICPCnotRequired")},
    **{f: ["ChildProtectionPlans"] for f in (
        "CPPstartDate", "CPPendDate", "InitialCategoryOfAbuse", "LatestCategoryOfAbuse",
        "NumberOfPreviousCPP")},
    "CPPreviewDate": ["Reviews"],
}

_ENUM_NOISE = re.compile(r"<[^<>]*<enum '[^']*'>>")  # a table object printed into the field list
_QUOTED = re.compile(r"'([A-Za-z0-9]+)'")


def parse_fields(text: str) -> list[str]:
    fields: list[str] = []
    for name in _QUOTED.findall(_ENUM_NOISE.sub("", text)):
        if name not in fields:
            fields.append(name)
    return fields


def read_list(path: Path) -> dict[str, dict]:
    rules: dict[str, dict] = {}
    with path.open(encoding="utf-8-sig", newline="") as handle:
        for row in csv.DictReader(handle):
            code = row["Rule code"].strip()
            fields = parse_fields(row["Affected fields"])
            unknown = [f for f in fields if f not in FIELD_TABLES]
            if unknown:
                raise SystemExit(f"{path.name} rule {code}: fields with no known table {unknown}")
            tables: list[str] = []
            for f in fields:
                tables += [t for t in FIELD_TABLES[f] if t not in tables]
            rules[code] = {"message": row["Rule message"].strip(), "fields": fields, "tables": tables}
    return rules


def deltas(lists: dict[str, dict[str, dict]]) -> dict[str, dict]:
    years = list(lists)
    out: dict[str, dict] = {}
    for i, year in enumerate(years):
        for code, entry in lists[year].items():
            if code not in out:
                out[code] = {"code": code, **entry, "first_year": year, "retired_in": None}
                continue
            known = out[code]
            if known["retired_in"] is not None:
                raise SystemExit(f"rule {code} comes back in {year} after being retired")
            latest = known["changes"][-1]["message"] if known.get("changes") else known["message"]
            if entry["message"] != latest:
                known.setdefault("changes", []).append({"year": year, "message": entry["message"]})
        for code, known in out.items():
            if known["retired_in"] is None and code not in lists[year] and i > 0:
                known["retired_in"] = year
    return dict(sorted(out.items(), key=lambda kv: kv[0]))


def _quote(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def render(rules: dict[str, dict], sources: dict[str, str]) -> str:
    lines = [
        "# The DfE's CIN census validation rules: code, message, affected fields and",
        "# tables, and the collection years each applies to (first_year; retired_in =",
        "# the first year it no longer runs). Facts from the DfE's lists; written by",
        "# scripts/build_cin_rule_list.py - do not edit by hand.",
        "# Lists read: " + ", ".join(f"{y} <- {f}" for y, f in sources.items()),
        "rules:",
    ]
    for r in rules.values():
        lines.append(f"  - code: {_quote(r['code'])}")
        lines.append(f"    message: {_quote(r['message'])}")
        lines.append("    fields: [" + ", ".join(_quote(f) for f in r["fields"]) + "]")
        lines.append("    tables: [" + ", ".join(_quote(t) for t in r["tables"]) + "]")
        lines.append(f"    first_year: {_quote(r['first_year'])}")
        lines.append(f"    retired_in: {_quote(r['retired_in']) if r['retired_in'] else 'null'}")
        for change in r.get("changes", []):
            lines.append(f"    # message changed in {change['year']}: {change['message']}")
    return "\n".join(lines) + "\n"


def la_codes(reference: Path) -> list[str]:
    codes: set[str] = set()
    for name in ("b1_children_in_need_2013_to_2025.csv", "cla_number_and_rate_per_10k_children.csv"):
        with (reference / name).open(encoding="utf-8-sig", newline="") as handle:
            for row in csv.DictReader(handle):
                code = (row.get("old_la_code") or "").strip()
                if len(code) == 3 and code.isdigit():
                    codes.add(code)
    return sorted(codes)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--specs", type=Path, default=ROOT.parent / "shared" / "specs" / "cin_census")
    parser.add_argument(
        "--reference", type=Path, default=ROOT.parent / "shared" / "reference" / "dfe_open_data"
    )
    args = parser.parse_args()
    lists = {year: read_list(args.specs / name) for year, name in YEAR_FILES.items()}
    rules = deltas(lists)
    (OUT_DIR / "rules.yml").write_text(render(rules, YEAR_FILES), encoding="utf-8")
    codes = la_codes(args.reference)
    (OUT_DIR / "la_codes.txt").write_text(
        "# Three-digit DfE codes of English local authorities (from the DfE's published\n"
        "# statistics); written by scripts/build_cin_rule_list.py.\n" + "\n".join(codes) + "\n",
        encoding="utf-8",
    )
    print(f"{len(rules)} rules, {len(codes)} LA codes written to {OUT_DIR}")


if __name__ == "__main__":
    main()
