"""The synthetic council's early-help extract (docs/local_csvs.md, ``early_help``).

early_help.csv  child_id,start_date,assessment_date,end_date,closure_reason,team

The early-help front door, from the children's histories:

- a contact the hub passed to early help starts an episode two days before its
  early-help assessment (the assessments Annex A list 2 holds); the family is
  then supported for 4 to 16 weeks after the assessment ends. These are the
  model's early-help assessments (all of them children later referred) and
  about one in four screened-out contacts (:func:`hub_assessments`), most of
  whose families never reach social care;
- a child in need episode closed "referred to early help" (RC9) steps down to
  an episode starting the next working day, supported for 12 to 32 weeks;
- an episode during which the child is referred to social care closes that
  day, stepped up (STEP_UP); others close with needs met (about 7 in 10),
  the family disengaging, moving away, or for another reason.

Episodes overlapping the year are written; one still open at 31 March has no
end date or closure reason.
"""

from __future__ import annotations

import random

from . import calendar as cal
from .council import stable_seed

HEADER = "child_id,start_date,assessment_date,end_date,closure_reason,team\n"
OTHER_CLOSURES = (("OUTCOMES_MET", 0.72), ("DISENGAGED", 0.14), ("MOVED", 0.08), ("OTHER", 0.06))


def _outcome(rng: random.Random) -> str:
    u = rng.random()
    for reason, share in OTHER_CLOSURES:
        if u < share:
            return reason
        u -= share
    return "OTHER"


HUB_SHARE = 0.25  # screened-out contacts the hub passes to early help


def hub_assessments(ch, council_seed: int) -> list[tuple[int, int, str]]:
    """The child's early-help assessments: the model's, and those of screened-out contacts
    the hub passed to early help (start, completion, area). Annex A list 2 writes these."""
    out = list(ch.eh)
    for d, _source in ch.contacts:
        rng = random.Random(stable_seed("early_help_hub", council_seed, ch.id, d))
        if rng.random() < HUB_SHARE:
            start = cal.add_workdays(d, 2 + int(rng.random() * 6))
            out.append((start, cal.add_workdays(start, 8 + int(rng.random() * 30)), ch.area))
    return sorted(set(out))


def episodes(ch, council_seed: int) -> list[tuple[int, int | None, int, str, str]]:
    """(start, assessment date, planned or actual end, closure reason, team) for one child."""
    out = []
    starts: list[tuple[int, int | None, int, str]] = []
    for s, e, area in hub_assessments(ch, council_seed):
        rng = random.Random(stable_seed("early_help", council_seed, ch.id, s))
        planned = cal.add_workdays(e if e is not None else s, 20 + int(rng.random() * 60))
        starts.append((s - 2, s, planned, area))
    for r in ch.refs:
        if r.close is not None and r.reason == "RC9":
            rng = random.Random(stable_seed("early_help_step_down", council_seed, ch.id, r.close))
            start = cal.next_workday(r.close + 1)
            planned = cal.add_workdays(start, 60 + int(rng.random() * 100))
            starts.append((start, cal.add_workdays(start, 5), planned, ch.area))
    for start, assessed, planned, area in sorted(starts):
        rng = random.Random(stable_seed("early_help_close", council_seed, ch.id, start))
        referred = [r.date for r in ch.refs if start < r.date <= planned]
        if referred:
            out.append((start, assessed, min(referred), "STEP_UP", f"Early Help {area}"))
        else:
            out.append((start, assessed, planned, _outcome(rng), f"Early Help {area}"))
    return out


def write_early_help(view, path) -> int:
    """Write the year's early_help.csv; returns the rows written."""
    v = view
    iso = cal.DateText().iso
    rows = []
    for ch in v.history.children:
        for start, assessed, end, reason, team in episodes(ch, v.council.seed):
            if start > v.y1 or end < v.y0:
                continue
            closed = end <= v.y1
            rows.append((
                int(ch.id), iso(start), iso(assessed), iso(end) if closed else "",
                reason if closed else "", team,
            ))
    rows.sort()
    with open(path, "w", encoding="utf-8", newline="") as fh:
        fh.write(HEADER)
        fh.writelines(",".join(str(x) for x in row) + "\n" for row in rows)
    return len(rows)
