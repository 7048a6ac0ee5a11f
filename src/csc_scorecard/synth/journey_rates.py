"""Tuned rates and DfE code tables of the synthetic journeys, and the weighted draws.

The rates are tuned so that the default scenario lands on England's 2024-25
figures (tests/synth/test_calibration.py).  Each table is drawn from with
:func:`_pick`, one ``rng.random()`` a draw, so the order of draws (and with it
every byte a seed writes) depends only on the order of the calls.
"""

from __future__ import annotations

import random
from bisect import bisect_right

# ------------------------------------------------------------------ tuned constants
NEW_CHILDREN_PER_10K = 286.0  # first referrals a year per 10k children 0-17
P_NFA = 0.075
P_NOT_IN_NEED = 0.31  # assessments closing with no services (of those without S47 to plan)
ASSESS_LATE = 0.143  # England 2024-25: 85.7% within 45 working days
ICPC_LATE = 0.215  # England 2024-25: 81.4% within 15 working days
RISK_WEIGHTS = (0.56, 0.32, 0.12)  # low, medium, high at first referral
P_S47 = (0.124, 0.52, 0.84)
P_ICPC = (0.066, 0.195, 0.39)
P_ICPC_REPEAT = 0.72  # ICPC chance for a child with an earlier plan, if S47
P_CP_FROM_ICPC = 0.88
P_CLA_FROM_CIN = (0.009, 0.056, 0.14)
P_CLA_DIRECT_TEEN = 0.038
P_NEXT_REFERRAL = (0.36, 0.52, 0.64)
P_SHORT_GAP = 0.70  # next referral soon after closure (re-referral territory)
UASC_PER_10K = 2.0  # unaccompanied children arriving a year per 10k
SHORT_BREAK_SHARE = 0.22  # of disabled children's CIN episodes with a short-break agreement
P_DISABLED_NEED = 0.075  # referrals whose primary need is the child's disability
EET_IN_TOUCH = 0.61  # EET among care leavers in touch (x ~0.92 in touch => 54%)

NEED_CODES = ("N1", "N2", "N3", "N4", "N5", "N6", "N7", "N8")
NEED_WEIGHTS = (0.0, 0.0, 0.06, 0.20, 0.17, 0.04, 0.01, 0.05)  # N1/N2 set separately

SOURCES = (
    ("6", 0.29),
    ("2A", 0.20),
    ("3A", 0.03),
    ("3B", 0.03),
    ("3C", 0.01),
    ("3D", 0.03),
    ("3E", 0.03),
    ("3F", 0.02),
    ("5A", 0.05),
    ("5B", 0.03),
    ("5C", 0.03),
    ("5D", 0.03),
    ("1A", 0.04),
    ("1B", 0.01),
    ("1C", 0.01),
    ("1D", 0.01),
    ("2B", 0.02),
    ("4", 0.01),
    ("7", 0.03),
    ("8", 0.05),
    ("9", 0.01),
    ("10", 0.02),
)
ETHNICITIES = (
    ("WBRI", 0.70),
    ("WIRI", 0.004),
    ("WIRT", 0.004),
    ("WOTH", 0.05),
    ("WROM", 0.006),
    ("MWBC", 0.02),
    ("MWBA", 0.01),
    ("MWAS", 0.012),
    ("MOTH", 0.025),
    ("AIND", 0.012),
    ("APKN", 0.03),
    ("ABAN", 0.01),
    ("AOTH", 0.012),
    ("BCRB", 0.01),
    ("BAFR", 0.035),
    ("BOTH", 0.008),
    ("CHNE", 0.002),
    ("OOTH", 0.02),
    ("REFU", 0.005),
    ("NOBT", 0.02),
)
UASC_ETHNICITIES = (("BAFR", 0.35), ("AOTH", 0.30), ("OOTH", 0.25), ("WOTH", 0.10))
DISABILITY_CODES = (
    "AUT",
    "LD",
    "COMM",
    "BEH",
    "MOB",
    "HAND",
    "PC",
    "INC",
    "HEAR",
    "VIS",
    "CON",
    "DDA",
)
FACTORS_COMMON = (
    "3A",
    "3B",
    "4B",
    "4A",
    "1B",
    "2B",
    "16A",
    "17A",
    "18A",
    "19A",
    "5B",
    "6B",
    "8F",
    "10A",
    "11A",
    "13A",
    "14A",
    "15A",
    "24A",
    "20",
    "21",
    "2A",
    "7A",
    "22A",
)
CATEGORIES = (("NEG", 0.52), ("EMO", 0.36), ("PHY", 0.07), ("SAB", 0.04), ("MUL", 0.01))


def _cum(pairs):
    codes = [c for c, _ in pairs]
    tot = 0.0
    cum = []
    for _, w in pairs:
        tot += w
        cum.append(tot)
    return codes, [c / tot for c in cum]


_SRC = _cum(SOURCES)
_ETH = _cum(ETHNICITIES)
_UETH = _cum(UASC_ETHNICITIES)
_CAT = _cum(CATEGORIES)
_NEED = _cum([(c, w) for c, w in zip(NEED_CODES, NEED_WEIGHTS, strict=True) if w > 0])
_AGE_W = _cum(
    [
        (a, w)
        for a, w in enumerate(
            (
                9.0,
                5.5,
                5.0,
                5.0,
                4.8,
                5.0,
                5.0,
                5.0,
                5.0,
                5.0,
                5.2,
                5.6,
                6.2,
                7.0,
                7.8,
                7.6,
                6.4,
                4.5,
            )
        )
    ]
)


def _pick(rng: random.Random, table):
    codes, cum = table
    i = bisect_right(cum, rng.random())
    return codes[i if i < len(codes) else -1]


_SW_REASONS = (
    "LEFTRL",
    "ORGRST",
    "MANAGE",
    "CHCHAN",
    "ABSENC",
    "FCONTA",
    "TSPROC",
    "PCCHAN",
    "OTHERS",
)
_URN_PLACES = frozenset({"K1", "K2", "R1", "S1", "U1", "U2", "U3", "U4", "U5", "U6", "K3", "H5"})
_TEMP = frozenset({"T0", "T1", "T2", "T3", "T4"})
_L = "ABDEFGHJLNPQRSTUWXYZ"
_FAR = ("B", "M", "LS", "NG", "CV", "LE", "WV", "DY", "ST", "SK", "BD", "HU")
_RPC = (
    ("CARPL", 0.18),
    ("CHILD", 0.14),
    ("LAREQ", 0.26),
    ("STAND", 0.10),
    ("APPRR", 0.06),
    ("CREQB", 0.05),
    ("CREQO", 0.05),
    ("PLACE", 0.06),
    ("CLOSE", 0.03),
    ("ALLEG", 0.02),
    ("OTHER", 0.05),
)
_RPC_T = _cum(_RPC)


def _rpc(rng: random.Random) -> str:
    return _pick(rng, _RPC_T)


def _cum_vals(weights):
    tot = sum(weights)
    out = []
    s = 0.0
    for w in weights:
        s += w
        out.append(s / tot)
    return out


def _ladder(u: float, steps: tuple[tuple[str, float], ...], rest: str) -> str:
    """The code of the first step whose cumulative cut ``u`` is below, else ``rest``.

    One draw picks along a ladder: ``(("a", 0.4), ("b", 0.7))`` gives "a" for
    u < 0.4, "b" for 0.4 <= u < 0.7, ``rest`` above.
    """
    for code, cut in steps:
        if u < cut:
            return code
    return rest
