"""Runs the sector's CIN census validator (csc-validator-be-cin) on one file.

Run with the Python of the virtual environment the validator is installed in, never
the project's (it pins old pandas):

    <venv>/bin/python oracle_driver_cin.py FILE RULESET     (RULESET e.g. cin2024_25)

Prints JSON: {"flagged": {rule: [children]}, "la_level": [rules], "crashed": [rules]}.
The validator prints a rule that raised ("Error with rule 8565: ...") and goes on;
those lines are collected as "crashed".
"""

import contextlib
import importlib
import io
import json
import re
import sys
import xml.etree.ElementTree as ET


def main() -> None:
    path, ruleset = sys.argv[1], sys.argv[2]
    from cin_validator import cin_validator

    root = ET.parse(path).getroot()
    data = cin_validator.process_data(cin_validator.convert_data(root))
    registry = importlib.import_module(f"cin_validator.rules.{ruleset}").registry
    printed = io.StringIO()
    with contextlib.redirect_stdout(printed):
        validator = cin_validator.CinValidator(data, registry)
    issues = validator.full_issue_df
    flagged: dict[str, set[str]] = {}
    if len(issues):
        for code, child in zip(issues["rule_code"].astype(str), issues["child_id"].astype(str), strict=True):
            flagged.setdefault(code, set()).add(child)
    la_level: list[str] = []
    extra = getattr(validator, "multichild_issues", None)
    if extra is not None and len(extra) and "rule_code" in extra.columns:
        la_level = sorted(set(extra["rule_code"].astype(str)))
    crashed = sorted(set(re.findall(r"Error with rule (\w+)", printed.getvalue())))
    print(json.dumps({"flagged": {k: sorted(v) for k, v in flagged.items()},
                      "la_level": la_level, "crashed": crashed}))


if __name__ == "__main__":
    main()
