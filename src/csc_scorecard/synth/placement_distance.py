"""What the synthetic 903 says about where a child is placed: partial postcodes, PL_DISTANCE
and PL_LA, worked out from the model's full postcodes without drawing on its random stream
(so adding them changed no other figure of the synthetic council).

- HOME_POST and PL_POST are written as postcode sectors ("ZZ4 3"), as the 903's partial
  postcodes are: the outward code, a space and the inward code's digit.
- PL_DISTANCE (miles, one decimal): placed with parents (P1) at home, 0.0; a placement
  the model put far away (another city's postcode), 20.5 to 90.5 miles; a placement in
  the council, about 1.8 miles per district between the home's and the placement's
  district numbers plus up to 4 miles, so a few cross-county placements inside the
  council are over 20 miles too. With the model's share of far placements this puts
  about a sixth of the children looked after at 31 March over 20 miles from home and
  outside the council, near England's published 18% (LAIT LACDistance, 2024 and 2025).
- PL_LA: the council's own 3-digit code inside the council; for a far placement the ONS
  code of the city its postcode area stands for.

Each figure comes from a hash of the child, the episode's start and the postcodes, so the
same episode carried into next year's return keeps the same distance (rules 453, 503G).
"""

from __future__ import annotations

import re

from .council import stable_seed

#: the far postcode areas the model uses (model._FAR) -> the ONS code of a city there
FAR_AUTHORITIES = {
    "B": "E08000025", "M": "E08000003", "LS": "E08000035", "NG": "E06000018",
    "CV": "E08000026", "LE": "E06000016", "WV": "E08000031", "DY": "E08000027",
    "ST": "E06000021", "SK": "E08000007", "BD": "E08000032", "HU": "E06000010",
}
MILES_PER_DISTRICT = 1.8

_OUTWARD = re.compile(r"^([A-Z]{1,2})(\d+)")


def sector(postcode: str) -> str:
    """"ZZ4 3AB" -> "ZZ4 3" (blank stays blank)."""
    postcode = postcode.strip()
    return postcode[:-2] if len(postcode) > 2 and " " in postcode else postcode


def _district(postcode: str) -> tuple[str, int]:
    match = _OUTWARD.match(postcode)
    return (match.group(1), int(match.group(2))) if match else ("", 0)


def placement_fields(
    la_code: str, child_id: str, start: int, home: str, placed: str, place: str, far: bool
) -> tuple[str, str, str, str]:
    """(HOME_POST, PL_POST, PL_DISTANCE, PL_LA) for one episode (not a short break)."""
    home_sector, placed_sector = sector(home), sector(placed)
    if place != "P1" and home_sector and home_sector == placed_sector:
        # a different address in the same sector: the next sector along (rule 392d)
        digit = int(placed_sector[-1])
        placed_sector = f"{placed_sector[:-1]}{digit % 9 + 1}"
    if not placed_sector:
        return home_sector, placed_sector, "", ""
    if place == "P1" and placed_sector == home_sector:
        return home_sector, placed_sector, "0.0", la_code
    u = (stable_seed("distance", child_id, start, home, placed) % 10_000) / 10_000
    area, number = _district(placed_sector)
    if far and area in FAR_AUTHORITIES:
        return home_sector, placed_sector, f"{20.5 + 70 * u:.1f}", FAR_AUTHORITIES[area]
    _, home_number = _district(home_sector)
    miles = abs(home_number - number) * MILES_PER_DISTRICT + 0.3 + 4 * u
    return home_sector, placed_sector, f"{miles:.1f}", la_code
