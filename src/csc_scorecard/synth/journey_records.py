"""The records a simulated child's journey is made of: referrals (with their
assessments, section 47 enquiries, plans), periods of care (with episodes, reviews,
missing episodes), and the child.  Dates are ordinals; slots keep a big council small.
"""

from __future__ import annotations


class CP:
    __slots__ = ("start", "end", "cat", "latest", "n_prev", "reviews")

    def __init__(self, start, end, cat, latest, n_prev, reviews):
        self.start = start
        self.end = end
        self.cat = cat
        self.latest = latest
        self.n_prev = n_prev
        self.reviews = reviews


class S47:
    __slots__ = ("start", "icpc", "needed")

    def __init__(self, start, icpc, needed):
        self.start = start
        self.icpc = icpc  # date of ICPC or None
        self.needed = needed  # False => ICPC not required


class Referral:
    __slots__ = (
        "date",
        "source",
        "need",
        "nfa",
        "close",
        "reason",
        "assessments",
        "s47",
        "cin_plans",
        "cp",
        "factors",
        "contact",
        "worker",
    )

    def __init__(self, d, source, need):
        self.date = d
        self.source = source
        self.need = need
        self.nfa = False
        self.close = None
        self.reason = None
        self.assessments: list[tuple[int, int]] = []  # (start, authorised)
        self.s47: list[S47] = []
        self.cin_plans: list[tuple[int, int]] = []
        self.cp: list[CP] = []
        self.factors: tuple[str, ...] = ()
        self.contact = d
        self.worker = 0


class Episode:
    __slots__ = (
        "start",
        "end",
        "rne",
        "ls",
        "place",
        "provider",
        "rec",
        "rpc",
        "pl_post",
        "urn",
        "far",
    )

    def __init__(self, start, end, rne, ls, place, provider, rec, rpc, pl_post, urn, far):
        self.start = start
        self.end = end
        self.rne = rne
        self.ls = ls
        self.place = place
        self.provider = provider
        self.rec = rec
        self.rpc = rpc
        self.pl_post = pl_post
        self.urn = urn
        self.far = far


class CLAPeriod:
    __slots__ = (
        "start",
        "end",
        "rec",
        "episodes",
        "reviews",
        "missing",
        "short_break",
        "adoption",
        "placed_decision",
        "prev_perm",
        "sw",
        "need",
        "plan",
        "uasc",
        "seed",
        "home_post",
    )

    def __init__(self, start, end, rec, need, seed):
        self.start = start
        self.end = end
        self.rec = rec
        self.need = need
        self.seed = seed
        self.episodes: list[Episode] = []
        self.reviews: list[tuple[int, str]] = []
        self.missing: list[tuple[str, int, int | None]] = []
        self.short_break = False
        self.adoption = None  # (date_int, date_match, foster_care, nb, sex, ls)
        self.placed_decision = None  # (date, ceased, reason)
        self.prev_perm = ("Z1", "", None)
        self.sw: list[tuple[str, int, int | None, str]] = []
        self.plan = "f) Long-term fostering"
        self.uasc = False
        self.home_post = ""


class Child:
    __slots__ = (
        "id",
        "dob",
        "sex",
        "eth",
        "upn",
        "area",
        "disabilities",
        "uasc",
        "refs",
        "cla",
        "alloc",
        "seed",
        "risk",
        "care_leaver",
        "duc",
        "contacts",
        "eh",
        "home_post",
    )

    def __init__(self):
        self.refs: list[Referral] = []
        self.cla: list[CLAPeriod] = []
        self.alloc: list[tuple[str, int, int | None]] = []
        self.care_leaver = None  # (left care date, age left, rec) if relevant
        self.duc = None
        self.contacts: list[tuple[int, str]] = []  # contacts that did not become referrals
        self.eh: list[tuple[int, int | None, str]] = []  # early help assessments
