"""The shape of a synthetic council: code, name, population, areas and teams.

A county-like council has four geographic areas (North, South, East, West),
each with an assessment team and a family safeguarding team, plus a county-wide
disability team and an "other" team for care leavers and unaccompanied children.
The areas differ in demand, caseloads and practice, so breakdowns by area show
something worth reporting.
"""

from __future__ import annotations

import hashlib
import random
from dataclasses import dataclass, field

GEO_AREAS: tuple[str, ...] = ("North", "South", "East", "West")
DISABILITY_AREA = "Disability"
OTHER_AREA = "Other"
DISABILITY_TEAM = "Children with Disabilities Team"
OTHER_TEAM = "Leaving Care and UASC Team"


@dataclass(frozen=True)
class AreaProfile:
    """How an area differs from the council average (multipliers, 1 = average)."""

    share: float  # share of the 0-17 population living in the area
    demand: float  # referrals per child relative to the council
    assessment_late: float
    icpc_late: float
    visits_late: float
    caseload: float
    agency: float
    placement_moves: float
    far_placements: float


# North is a steady, well-staffed area; East is deprived, busy and struggling;
# West is improving; South is the council average.
AREA_PROFILES: dict[str, AreaProfile] = {
    "North": AreaProfile(0.28, 0.85, 0.55, 0.60, 0.55, 0.85, 0.50, 0.85, 0.8),
    "South": AreaProfile(0.26, 0.95, 1.00, 1.00, 1.00, 1.00, 1.00, 1.00, 1.0),
    "East": AreaProfile(0.24, 1.30, 1.85, 1.70, 2.10, 1.30, 2.00, 1.30, 1.4),
    "West": AreaProfile(0.22, 0.90, 0.75, 0.80, 0.70, 0.95, 0.80, 0.90, 0.9),
}
DISABILITY_PROFILE = AreaProfile(0.0, 1.0, 1.35, 1.0, 0.9, 0.80, 0.6, 0.5, 0.6)
OTHER_PROFILE = AreaProfile(0.0, 1.0, 1.0, 1.0, 1.2, 1.10, 1.5, 1.0, 1.0)


def profile(area: str) -> AreaProfile:
    if area == DISABILITY_AREA:
        return DISABILITY_PROFILE
    if area == OTHER_AREA:
        return OTHER_PROFILE
    return AREA_PROFILES[area]


@dataclass(frozen=True)
class Team:
    name: str
    area: str
    kind: str  # assessment | safeguarding | disability | other


_FIRST_NAMES = (
    "Aisha",
    "Ben",
    "Chloe",
    "Daniel",
    "Ellie",
    "Farah",
    "George",
    "Hannah",
    "Imran",
    "Jess",
    "Kieran",
    "Laura",
    "Mohammed",
    "Nadia",
    "Oliver",
    "Priya",
    "Rachel",
    "Sam",
    "Tom",
    "Uma",
    "Vikram",
    "Wendy",
    "Yusuf",
    "Zoe",
    "Alex",
    "Bethany",
    "Callum",
    "Dana",
    "Ewan",
    "Fiona",
    "Grace",
    "Harry",
    "Isla",
    "Jack",
    "Kate",
    "Liam",
    "Megan",
    "Niall",
)
_SURNAMES = (
    "Adams",
    "Begum",
    "Clarke",
    "Davies",
    "Evans",
    "Fletcher",
    "Green",
    "Hughes",
    "Iqbal",
    "Jones",
    "Khan",
    "Lewis",
    "Morgan",
    "Nash",
    "Owen",
    "Patel",
    "Quinn",
    "Roberts",
    "Shah",
    "Turner",
    "Usher",
    "Vaughan",
    "Walker",
    "Young",
    "Ahmed",
    "Brown",
    "Cooper",
    "Dixon",
    "Ellis",
    "Foster",
    "Gill",
    "Hall",
    "Ingram",
    "Jackson",
    "Kaur",
    "Lloyd",
    "Mills",
)

_COUNCIL_NAMES = (
    "Synthshire",
    "Northmoor",
    "Eastwold",
    "Westdale",
    "Southmarsh",
    "Highfen",
    "Lowbridge",
    "Ashford Vale",
    "Brackenham",
    "Coldharbour",
    "Deepwater",
    "Elmstead",
    "Foxley",
    "Greywell",
    "Hartmoor",
    "Ivybridge Downs",
    "Juniper Heath",
    "Kingsmere",
    "Larkfield",
    "Millbrook",
    "Newhaven Wolds",
    "Oakhurst",
    "Pennridge",
    "Queensholm",
    "Ravensdale",
    "Stonegate",
    "Thornbury Fells",
    "Underwood",
    "Valemoor",
    "Willowmere",
    "Yarrowby",
    "Ambervale",
)


def stable_seed(*parts: object) -> int:
    """A 64-bit seed from any parts, stable across processes (unlike hash())."""
    h = hashlib.sha256("\x1f".join(str(p) for p in parts).encode()).digest()
    return int.from_bytes(h[:8], "big")


@dataclass
class Council:
    la_code: str
    name: str
    population: int
    seed: int
    teams: list[Team] = field(default_factory=list)
    workers: dict[str, list[str]] = field(default_factory=dict)
    postcode_area: str = "ZZ"

    @property
    def areas(self) -> list[str]:
        return [*GEO_AREAS, DISABILITY_AREA, OTHER_AREA]

    def team(self, area: str, kind: str) -> str:
        if area == DISABILITY_AREA or kind == "disability":
            return DISABILITY_TEAM
        if area == OTHER_AREA or kind == "other":
            return OTHER_TEAM
        if kind == "assessment":
            return f"{area} Assessment Team"
        return f"{area} Family Safeguarding Team"

    def as_yaml_dict(self) -> dict:
        return {
            "la_code": self.la_code,
            "name": self.name,
            "population": self.population,
            "population_note": "children aged 0-17 (the rate denominator)",
            "areas": [
                {"area": a, "teams": [t.name for t in self.teams if t.area == a]}
                for a in self.areas
            ],
        }


def build_council(la_code: str, population: int, seed: int, index: int = 0) -> Council:
    rng = random.Random(stable_seed("council", seed, la_code))
    base = _COUNCIL_NAMES[index % len(_COUNCIL_NAMES)]
    suffix = "" if index < len(_COUNCIL_NAMES) else f" {index // len(_COUNCIL_NAMES) + 1}"
    name = f"{base}{suffix} County Council"
    teams: list[Team] = []
    for area in GEO_AREAS:
        teams.append(Team(f"{area} Assessment Team", area, "assessment"))
        teams.append(Team(f"{area} Family Safeguarding Team", area, "safeguarding"))
    teams.append(Team(DISABILITY_TEAM, DISABILITY_AREA, "disability"))
    teams.append(Team(OTHER_TEAM, OTHER_AREA, "other"))
    # roughly one worker per 16 open cases; at least four a team
    workers: dict[str, list[str]] = {}
    used: set[str] = set()
    for t in teams:
        share = AREA_PROFILES[t.area].share if t.area in AREA_PROFILES else 0.12
        n = max(4, int(population * share * 0.0012 / (1 if t.kind != "assessment" else 1.5)))
        names = []
        while len(names) < n:
            nm = f"{rng.choice(_FIRST_NAMES)} {rng.choice(_SURNAMES)}"
            if nm not in used:
                used.add(nm)
                names.append(nm)
            elif len(used) > len(_FIRST_NAMES) * len(_SURNAMES) - 5:
                names.append(f"{nm} {len(names)}")
        workers[t.name] = names
    letters = "ABDEFGHJKLMNOPRSTUWY"
    pc = "Z" + letters[int(la_code) % len(letters)] if la_code.isdigit() else "ZZ"
    return Council(la_code, name, population, seed, teams, workers, pc)


def council_specs(la_code: str, population: int, seed: int, councils: int) -> list[tuple[str, int]]:
    """(code, population) for each council: the first as asked, the rest distinct
    3-digit codes (from 100 up) with populations drawn from the seed around the first."""
    if councils < 1:
        raise ValueError("councils must be at least 1")
    if councils > 899:
        raise ValueError("at most 899 councils (distinct 3-digit codes from 100)")
    specs = [(la_code, population)]
    used = {la_code}
    rng = random.Random(stable_seed("councils", seed))
    code = 100
    while len(specs) < councils:
        while f"{code:03d}" in used:
            code += 1
        c = f"{code:03d}"
        used.add(c)
        # spread like English councils' 0-17 populations (median ~60% of the
        # largest county's, from a fifth to nearly three times it): with the
        # default 110,000 the median is ~66,000, as in England
        factor = min(2.7, max(0.2, rng.lognormvariate(-0.5, 0.55)))
        pop = max(1_000, int(population * factor))
        specs.append((c, pop // 100 * 100))
        code += 1
    return specs
