"""The SSDA903 column specification for a year: the 2017 base plus each year's diff."""

from __future__ import annotations

import copy
import re
from pathlib import Path

import yaml

# generated file name -> table name in the specification
FILE_TO_TABLE = {
    "header.csv": "header",
    "episodes.csv": "episodes",
    "reviews.csv": "reviews",
    "uasc.csv": "uasc",
    "oc2.csv": "oc2",
    "oc3.csv": "oc3",
    "ad1.csv": "ad1",
    "placed_for_adoption.csv": "placed_adoption",
    "previous_permanence.csv": "prev_perm",
    "missing.csv": "missing",
    "sw_episodes.csv": "social_worker",
}


def spec_for_year(spec_dir: Path, year_end: int) -> dict:
    """column_map for the collection year ending in ``year_end`` (2025 = 2024-25)."""
    base = yaml.safe_load((spec_dir / "SSDA903_schema_2017.yml").read_text())
    cmap = copy.deepcopy(base["column_map"])
    diffs = []
    for p in spec_dir.glob("SSDA903_schema_*.diff.yml"):
        y = int(re.search(r"_(\d{4})\.diff", p.name).group(1))
        if y <= year_end:
            diffs.append((y, p))
    for _, p in sorted(diffs):
        for key, change in yaml.safe_load(p.read_text()).items():
            parts = key.split(".")
            assert parts[0] == "column_map", key
            if change["type"] == "add":
                node = cmap
                for part in parts[1:-1]:
                    node = node[part]
                node[parts[-1]] = copy.deepcopy(change["value"])
            elif change["type"] == "modify":
                node = cmap
                for part in parts[1:-1]:
                    node = node[part]
                node[parts[-1]] = copy.deepcopy(change["value"])
            else:
                raise AssertionError(f"unknown diff type {change['type']} in {p.name}")
    return cmap


def codes(column_spec: dict) -> set[str] | None:
    cat = column_spec.get("category")
    if cat is None:
        return None
    return {str(c["code"]) for c in cat}
