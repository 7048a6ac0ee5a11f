"""`synth --defects`: known defects injected into the written returns, with a manifest.

    plan = parse_defects("0.05")          # about 5% of children, one defect each
    plan = parse_defects("defects.yml")   # {rule code or defect name: children}
    inject_defects(out_dir, plan, seed=0) -> [DefectEntry, ...]

The defects are in ``defects_903`` (one spoiled value in the 903 CSVs) and
``defects_cin`` (a change to one <Child> of the CIN census); each names the
DfE rule it breaks. Each year folder gets ``defects.csv`` beside its returns:
one line per injected defect - return, rule, defect, child, file, row (the
903 CSV row as Excel numbers it; blank for the census) and what was changed -
so a test or a demo can check that the validator finds exactly those.

The 903 XML (``ssda903_xml/``) is left as written: the defects go into the
CSVs, the 903 a council most often sends.
"""

from __future__ import annotations

import csv
import random
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import yaml

from .defects_903 import DEFECTS_903, inject_903
from .defects_cin import DEFECTS as DEFECTS_CIN
from .defects_cin import inject_at_rate, inject_counts

MANIFEST = "defects.csv"
MANIFEST_COLUMNS = ["return", "rule", "defect", "child", "file", "row", "what"]


class DefectsError(ValueError):
    """The --defects value is neither a rate nor a readable list of defects."""


@dataclass(frozen=True)
class DefectPlan:
    rate: float | None = None  # a share of children, one defect each
    counts: dict[str, int] | None = None  # defect name -> children


@dataclass(frozen=True)
class DefectEntry:
    return_type: str  # "ssda903" or "cin_census"
    rule: str
    defect: str
    child: str
    file: str
    row: str
    what: str


def known_defects() -> dict[str, str]:
    """Every defect's name -> the return it is for."""
    return {**{n: "ssda903" for n in DEFECTS_903}, **{n: "cin_census" for n in DEFECTS_CIN}}


def _resolve(key: str) -> str:
    """A defect name, or a rule code standing for the first defect that breaks it."""
    names = known_defects()
    if key in names:
        return key
    for name in sorted(names):
        if name.split(":", 1)[0].lower() == key.lower():
            return name
    raise DefectsError(f"no defect is known for {key!r}; use a rule code or one of: {', '.join(sorted(names))}")


def parse_defects(value: str) -> DefectPlan:
    """A rate (0 < rate <= 1) or a YAML file mapping rule codes or defect names to counts."""
    try:
        rate = float(value)
    except ValueError:
        rate = None
    if rate is not None:
        if not 0 < rate <= 1:
            raise DefectsError(f"--defects {value}: a rate is a share of children, above 0 and at most 1")
        return DefectPlan(rate=rate)
    path = Path(value)
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as exc:
        raise DefectsError(f"--defects {value}: not a rate, and not a readable YAML file ({type(exc).__name__})") from None
    if not isinstance(data, dict) or not data:
        raise DefectsError(f"--defects {value}: the file must map rule codes or defect names to counts")
    counts: dict[str, int] = {}
    for key, n in data.items():
        if not isinstance(n, int) or isinstance(n, bool) or n < 1:
            raise DefectsError(f"--defects {value}: {key!r} needs a whole number of children, 1 or more")
        name = _resolve(str(key))
        counts[name] = counts.get(name, 0) + n
    return DefectPlan(counts=counts)


def inject_defects(out_dir: Path, plan: DefectPlan, *, seed: int = 0) -> list[DefectEntry]:
    """Inject the plan into every council-year folder under ``out_dir``; write each manifest."""
    entries: list[DefectEntry] = []
    for year_dir in sorted(p for p in Path(out_dir).glob("*/*") if p.is_dir()):
        rng = random.Random(f"{seed}:{year_dir.parent.name}:{year_dir.name}")
        found = _inject_903(year_dir, plan, rng) + _inject_cin(year_dir, plan, rng)
        _write_manifest(year_dir / MANIFEST, found)
        entries += found
    return entries


def _inject_903(year_dir: Path, plan: DefectPlan, rng: random.Random) -> list[DefectEntry]:
    folder = year_dir / "ssda903"
    header = folder / "header.csv"
    if not header.exists():
        return []
    if plan.counts is not None:
        counts = {n: c for n, c in plan.counts.items() if n in DEFECTS_903}
    else:
        with header.open(encoding="utf-8") as handle:
            children = sum(1 for _ in handle) - 1
        wanted = round((plan.rate or 0) * children)
        counts = dict(Counter(rng.choice(sorted(DEFECTS_903)) for _ in range(wanted)))
    done = inject_903(folder, counts=counts, seed=rng.randrange(1 << 30))
    return [
        DefectEntry("ssda903", DEFECTS_903[n].rule, n, child, f"ssda903/{DEFECTS_903[n].file}", str(row),
                    DEFECTS_903[n].what)
        for n, child, row in done
    ]


def _inject_cin(year_dir: Path, plan: DefectPlan, rng: random.Random) -> list[DefectEntry]:
    census = year_dir / "cin_census.xml"
    if not census.exists():
        return []
    partial = census.with_name(".cin_census.defects.partial")
    seed = rng.randrange(1 << 30)
    if plan.counts is not None:
        counts = {n: c for n, c in plan.counts.items() if n in DEFECTS_CIN}
        if not counts:
            return []
        done = inject_counts(census, partial, counts=counts, seed=seed)
    else:
        done = inject_at_rate(census, partial, rate=plan.rate or 0, seed=seed)
    partial.replace(census)
    return [
        DefectEntry("cin_census", n.split(":", 1)[0], n, child, "cin_census.xml", "",
                    n.split(":", 1)[1].replace("_", " "))
        for n, child in done
    ]


def _write_manifest(path: Path, entries: list[DefectEntry]) -> None:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(MANIFEST_COLUMNS)
        for e in entries:
            writer.writerow([e.return_type, e.rule, e.defect, e.child, e.file, e.row, e.what])


def read_manifest(path: Path) -> list[dict[str, str]]:
    with Path(path).open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))
