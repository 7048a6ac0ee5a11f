"""Scenarios: how a synthetic council differs from the England-calibrated default.

A scenario file is YAML::

    name: improving
    description: free text
    knobs:                      # multipliers on the default behaviour
      demand: 1.0               # a bare number = the same in every year
      assessment_late: {level: 0.8, trend: -0.10}
    areas:                      # optional per-area multipliers (on top of knobs)
      East: {assessment_late: 1.4, caseload: 1.2}

``level`` is the multiplier in 2024-25; ``trend`` is the relative change per
year, so the multiplier in the year ending ``Y`` is
``level * (1 + trend) ** (Y - 2025)``.  With ``trend: -0.1`` a rate falls by 10%
a year: years before 2024-25 were worse, years after better.

Knobs (all default 1.0):

demand            number of children referred for the first time
rereferral        chance a closed case is referred again soon after
nfa               share of referrals with no further action
assessment_late   share of assessments over 45 working days
s47               chance a referral leads to a section 47 enquiry
icpc              chance a section 47 leads to an initial conference
icpc_late         share of conferences over 15 working days
cp_duration       length of child protection plans
cp_repeat         chance a child with an earlier plan gets another
cin_duration      length of children in need episodes
cla_entry         chance of becoming looked after
cla_duration      time spent looked after (returns home, SGOs, adoption)
placement_moves   placement moves while looked after
missing           missing episodes of looked after children
eet               care leavers in education, employment or training
health            OC2 health and dental checks completed
caseload          cases per social worker (fewer FTE in post)
agency            agency share of the workforce
visits_late       statutory visits made late
"""

from __future__ import annotations

from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

import yaml

KNOBS: tuple[str, ...] = (
    "demand",
    "rereferral",
    "nfa",
    "assessment_late",
    "s47",
    "icpc",
    "icpc_late",
    "cp_duration",
    "cp_repeat",
    "cin_duration",
    "cla_entry",
    "cla_duration",
    "placement_moves",
    "missing",
    "eet",
    "health",
    "caseload",
    "agency",
    "visits_late",
)

BASE_YEAR = 2025


class ScenarioError(ValueError):
    """A scenario file that cannot be used; the message says why."""


@dataclass(frozen=True)
class Knob:
    level: float = 1.0
    trend: float = 0.0

    def at(self, year_end: float) -> float:
        return self.level * (1.0 + self.trend) ** (year_end - BASE_YEAR)


def _knob(name: str, value: Any, where: str) -> Knob:
    if isinstance(value, bool):
        raise ScenarioError(f"{where}: knob {name!r} should be a number or {{level, trend}}")
    if isinstance(value, (int, float)):
        k = Knob(float(value), 0.0)
    elif isinstance(value, dict):
        unknown = set(value) - {"level", "trend"}
        if unknown:
            raise ScenarioError(f"{where}: knob {name!r} has unknown keys {sorted(unknown)}")
        try:
            k = Knob(float(value.get("level", 1.0)), float(value.get("trend", 0.0)))
        except (TypeError, ValueError) as exc:
            raise ScenarioError(f"{where}: knob {name!r}: level and trend must be numbers") from exc
    else:
        raise ScenarioError(f"{where}: knob {name!r} should be a number or {{level, trend}}")
    if k.level <= 0 or not (-0.5 < k.trend < 1.0):
        raise ScenarioError(
            f"{where}: knob {name!r}: level must be > 0 and trend between -0.5 and 1.0"
        )
    return k


@dataclass(frozen=True)
class Scenario:
    name: str = "default"
    description: str = "England 2024-25 averages, steady over time"
    knobs: dict[str, Knob] = field(default_factory=dict)
    areas: dict[str, dict[str, Knob]] = field(default_factory=dict)

    def value(self, knob: str, year_end: float, area: str | None = None) -> float:
        v = self.knobs.get(knob, _ONE).at(year_end)
        if area is not None:
            ak = self.areas.get(area)
            if ak and knob in ak:
                v *= ak[knob].at(year_end)
        return v

    @classmethod
    def from_mapping(cls, data: Any, where: str = "scenario") -> Scenario:
        if data is None:
            data = {}
        if not isinstance(data, dict):
            raise ScenarioError(f"{where}: expected a mapping at the top level")
        unknown = set(data) - {"name", "description", "knobs", "areas"}
        if unknown:
            raise ScenarioError(f"{where}: unknown top-level keys {sorted(unknown)}")
        knobs_in = data.get("knobs") or {}
        if not isinstance(knobs_in, dict):
            raise ScenarioError(f"{where}: 'knobs' should be a mapping")
        knobs = {}
        for k, v in knobs_in.items():
            if k not in KNOBS:
                raise ScenarioError(f"{where}: unknown knob {k!r}; known: {', '.join(KNOBS)}")
            knobs[k] = _knob(k, v, where)
        areas_in = data.get("areas") or {}
        if not isinstance(areas_in, dict):
            raise ScenarioError(f"{where}: 'areas' should be a mapping of area -> knobs")
        areas: dict[str, dict[str, Knob]] = {}
        for area, ks in areas_in.items():
            if not isinstance(ks, dict):
                raise ScenarioError(f"{where}: area {area!r} should map knobs to values")
            for k in ks:
                if k not in KNOBS:
                    raise ScenarioError(f"{where}: area {area!r}: unknown knob {k!r}")
            areas[str(area)] = {k: _knob(k, v, f"{where} area {area}") for k, v in ks.items()}
        return cls(
            name=str(data.get("name", "custom")),
            description=str(data.get("description", "")),
            knobs=knobs,
            areas=areas,
        )


_ONE = Knob()
DEFAULT = Scenario()


def builtin_names() -> list[str]:
    files = resources.files("csc_scorecard.synth.scenarios")
    return sorted(p.name[:-4] for p in files.iterdir() if p.name.endswith(".yml"))


def load_scenario(source: str | Path | Scenario | dict | None) -> Scenario:
    """A Scenario from None (default), a built-in name ('improving'), a path or a mapping."""
    if source is None:
        return DEFAULT
    if isinstance(source, Scenario):
        return source
    if isinstance(source, dict):
        return Scenario.from_mapping(source)
    path = Path(source)
    if path.is_file():
        where = str(path)
        text = path.read_text(encoding="utf-8")
    else:
        name = str(source)
        if name.endswith(".yml"):
            name = name[:-4]
        res = resources.files("csc_scorecard.synth.scenarios") / f"{name}.yml"
        if not res.is_file():
            raise ScenarioError(
                f"scenario {str(source)!r} is neither a file nor a built-in scenario "
                f"({', '.join(builtin_names())})"
            )
        where = f"built-in scenario {name}"
        text = res.read_text(encoding="utf-8")
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        raise ScenarioError(f"{where}: not valid YAML ({exc})") from exc
    return Scenario.from_mapping(data, where)
