"""Where a child is placed: postcodes, URNs, and the placement's LA, location
and distance.

PL_LA (the placement's local authority), PL_LOCATION (IN or OUT of the
council's area) and PL_DISTANCE (miles from home) are not in a council's 903
files: the DfE works them out from the two postcodes. Their rules run when the
episodes carry those columns (an export from the DfE's tool) and are reported
*not run* otherwise; the postcodes they come from are checked by 392b-392d.
"""

from __future__ import annotations

import polars as pl

from csc_scorecard.validation.ssda903.catalogue import rule903
from csc_scorecard.validation.ssda903.common import (
    RESPITE,
    blank,
    children_in,
    episodes,
    fail,
    filled,
    get,
    is_in,
    needs_column,
    shared,
)

# A full UK postcode: outward code (A9, A9A, A99, AA9, AA9A, AA99), space optional, inward code
# 9AA; or the partial postcode the 903 also carries, the sector ("TA1 4": outward code, a space,
# the inward code's digit).
POSTCODE = r"^[A-Z]{1,2}[0-9][A-Z0-9]?( ?[0-9][A-Z]{2}| [0-9])$"
DERIVED = "which the DfE derives from the postcodes (not in a council's own files)"
TEMPORARY = ("T0", "T1", "T2", "T3", "T4")


def _ep(**values):
    row = {"DECOM": "01/05/2024", "RNE": "S", "LS": "C2", "PLACE": "U1", "PLACE_PROVIDER": "PR1",
           "HOME_POST": "AB1 2CD", "PL_POST": "AB3 4EF", "URN": "SC123456"}
    row.update(values)
    return row


def _postcode(col: str) -> pl.Expr:
    return pl.col(col).str.strip_chars().str.to_uppercase()


def postcode_valid(col: str) -> pl.Expr:
    return _postcode(col).str.contains(POSTCODE)


@shared("Episodes", "UASC")
def _looked_after(t) -> pl.DataFrame:
    """Episodes other than respite, of children not known to be UASC."""
    ep = episodes(t).filter(~is_in("LS", RESPITE).fill_null(False))
    uasc = children_in(t, "UASC")
    return ep.filter(~pl.col("CHILD").is_in(list(uasc))) if uasc else ep


@rule903("392b", fails={"Episodes": [_ep(HOME_POST=None)]}, passes={"Episodes": [_ep()]})
def postcodes_missing(t, ctx):
    ep = _looked_after(t)
    return fail(ep, "Episodes", blank("HOME_POST") | blank("PL_POST"), ["HOME_POST", "PL_POST"])


@rule903("392c", fails={"Episodes": [_ep(PL_POST="AB34EFG")]}, passes={"Episodes": [_ep(PL_POST="ab3 4ef")]})
def postcodes_invalid(t, ctx):
    ep = get(t, "Episodes", "HOME_POST", "PL_POST")
    bad = (filled("HOME_POST") & ~postcode_valid("HOME_POST")) | (filled("PL_POST") & ~postcode_valid("PL_POST"))
    return fail(ep, "Episodes", bad, ["HOME_POST", "PL_POST"])


@rule903("392d", fails={"Episodes": [_ep(PL_POST="AB12CD")]}, passes={"Episodes": [_ep(PLACE="P1", PL_POST="AB12CD")]})
def same_postcodes(t, ctx):
    ep = get(t, "Episodes", "HOME_POST", "PL_POST", "PLACE")
    same = _postcode("HOME_POST").str.replace_all(" ", "") == _postcode("PL_POST").str.replace_all(" ", "")
    return fail(ep, "Episodes", same & (pl.col("PLACE") != "P1"), ["HOME_POST", "PL_POST", "PLACE"])


@rule903("398", fails={"Episodes": [_ep(LS="V3")]}, passes={"Episodes": [_ep(LS="V3", HOME_POST=None, PL_POST=None)]})
def respite_postcodes(t, ctx):
    ep = get(t, "Episodes", "LS", "HOME_POST", "PL_POST")
    return fail(ep, "Episodes", is_in("LS", RESPITE) & (filled("HOME_POST") | filled("PL_POST")),
                ["LS", "HOME_POST", "PL_POST"])


@rule903("214", fails={"Episodes": [_ep(LS="V4", HOME_POST=None)]},
         passes={"Episodes": [_ep(LS="V4", HOME_POST=None, PL_POST=None, URN=None)]})
def respite_location(t, ctx):
    ep = get(t, "Episodes", "LS", "PL_POST", "URN")
    return fail(ep, "Episodes", is_in("LS", RESPITE) & (filled("PL_POST") | filled("URN")), ["PL_POST", "URN"])


# Placements whose carers or settings Ofsted does not register: no URN.
NO_URN = ("H5", "P1", "P2", "P3", "R1", "R2", "R5", "T0", "T1", "T2", "T3", "T4", "Z1", "Z11", "Z12", "Z13", "Z14")


@rule903("222", fails={"Episodes": [_ep(PLACE="P1", URN="SC123456")]},
         passes={"Episodes": [_ep(PLACE="P1", URN=None)]})
def urn_not_expected(t, ctx):
    ep = get(t, "Episodes", "PLACE", "URN")
    urn = pl.col("URN").str.strip_chars().str.to_uppercase()
    return fail(ep, "Episodes", is_in("PLACE", NO_URN) & filled("URN") & (urn != "XXXXXXX"), ["URN", "PLACE"])


@rule903("242", fails={"Episodes": [_ep(PLACE="U1", URN="XXXXXXX")]},
         passes={"Episodes": [_ep(PLACE="A4", URN="XXXXXXX")]}, example_year="2025-26")
def urn_placeholder(t, ctx):
    # The placeholder stands for a regional adoption agency: placed for adoption only.
    ep = get(t, "Episodes", "PLACE", "URN")
    urn = pl.col("URN").str.strip_chars().str.to_uppercase()
    return fail(ep, "Episodes", (urn == "XXXXXXX") & ~is_in("PLACE", ("A3", "A4", "A5", "A6")), ["URN"])


# -- derived from postcodes ------------------------------------------------------------

_D = {"PL_LA": "E10000027", "PL_LOCATION": "IN", "PL_DISTANCE": "12.3"}


@rule903("169", fails={"Episodes": [_ep(**{**_D, "PL_LA": None})]}, passes={"Episodes": [_ep(**_D)]})
def placement_la(t, ctx):
    needs_column(t, "Episodes", "PL_LA", DERIVED)
    ep = _looked_after(t).filter(filled("PL_POST"))
    la = pl.col("PL_LA").str.strip_chars()
    ok = la.str.contains(r"^[ENSW]\d{8}$") | la.str.contains(r"^\d{3}$") | la.is_in(["SCO", "WAL", "NIR"])
    return fail(ep, "Episodes", blank("PL_LA") | ~ok, ["PL_LA"])


@rule903("179", fails={"Episodes": [_ep(**{**_D, "PL_LOCATION": "NEAR"})]}, passes={"Episodes": [_ep(**_D)]})
def placement_location(t, ctx):
    needs_column(t, "Episodes", "PL_LOCATION", DERIVED)
    ep = _looked_after(t).filter(filled("PL_POST"))
    return fail(ep, "Episodes", ~is_in("PL_LOCATION", ("IN", "OUT")).fill_null(False), ["PL_LOCATION"])


@rule903("392a", fails={"Episodes": [_ep(**{**_D, "PL_DISTANCE": None})]}, passes={"Episodes": [_ep(**_D)]})
def distance_missing(t, ctx):
    needs_column(t, "Episodes", "PL_DISTANCE", DERIVED)
    ep = _looked_after(t).filter(~is_in("PLACE", TEMPORARY).fill_null(False))
    return fail(ep, "Episodes", blank("PL_DISTANCE"), ["PL_DISTANCE"])


def _distance() -> pl.Expr:
    return pl.col("PL_DISTANCE").str.strip_chars().cast(pl.Float64, strict=False)


@rule903("164", fails={"Episodes": [_ep(**{**_D, "PL_DISTANCE": "far"})]}, passes={"Episodes": [_ep(**_D)]})
def distance_valid(t, ctx):
    needs_column(t, "Episodes", "PL_DISTANCE", DERIVED)
    ep = get(t, "Episodes", "PL_DISTANCE")
    bad = filled("PL_DISTANCE") & ~_distance().is_between(0, 999.9).fill_null(False)
    return fail(ep, "Episodes", bad, ["PL_DISTANCE"])


@rule903("454", fails={"Episodes": [_ep(**{**_D, "PL_DISTANCE": "351"})]}, passes={"Episodes": [_ep(**_D)]},
         example_year="2025-26")
def distance_over_350(t, ctx):
    needs_column(t, "Episodes", "PL_DISTANCE", DERIVED)
    ep = get(t, "Episodes", "PL_DISTANCE")
    return fail(ep, "Episodes", _distance() > 350, ["PL_DISTANCE"])


@rule903("420", fails={"Episodes": [_ep(**{**_D, "LS": "V3"})]}, passes={"Episodes": [_ep(**_D)]})
def respite_placement_la(t, ctx):
    needs_column(t, "Episodes", "PL_LA", DERIVED)
    ep = get(t, "Episodes", "PL_LA", "LS")
    return fail(ep, "Episodes", is_in("LS", RESPITE) & filled("PL_LA"), ["PL_LA", "LS"])


@rule903("406", fails={"Episodes": [_ep(**_D)], "UASC": [{"DUC": "01/01/2025"}]},
         passes={"Episodes": [_ep(**{**_D, "PL_DISTANCE": None})], "UASC": [{"DUC": "01/01/2025"}]},
         tables=["Episodes", "UASC"])
def uasc_distance(t, ctx):
    needs_column(t, "Episodes", "PL_DISTANCE", DERIVED)
    ep = get(t, "Episodes", "PL_DISTANCE")
    uasc = list(children_in(t, "UASC"))
    return fail(ep, "Episodes", pl.col("CHILD").is_in(uasc) & filled("PL_DISTANCE"), ["PL_DISTANCE"])
