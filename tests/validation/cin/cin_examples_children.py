"""Failing and passing examples, from the DfE's descriptions, for the CIN rules on
the header, the child's identifiers and characteristics, and the CIN episode.

Each example changes one thing in cin_census_builder.good_return() (a 2024-25
return: census year 1 April 2024 - 31 March 2025, child C1 born 1 June 2015,
referred 1 May 2024). ``fail`` must make the rule flag the children given in
``children`` (default C1); ``ok`` is a near miss the rule must accept.
"""

from __future__ import annotations

from cin_census_builder import closed_episode, good_child

EXAMPLES: dict[str, dict] = {}


def example(code: str, fail, ok, children=("C1",)) -> None:
    assert code not in EXAMPLES, code
    EXAMPLES[code] = {"fail": fail, "ok": ok, "children": set(children)}


def ids(r):
    return r["children"][0]["ids"]


def chars(r):
    return r["children"][0]["chars"]


def ep(r, i=0):
    return r["children"][0]["cin"][i]


def add_ep(r, **changes):
    r["children"][0]["cin"].append(closed_episode(**changes))


def unborn(r, expected="2025-05-01", sex="U"):
    ids(r).update(PersonBirthDate=None, ExpectedPersonBirthDate=expected, Sex=sex)


def add_child(r, child_id, upn=None, **id_changes):
    child = good_child(child_id, upn) if upn else good_child(child_id)
    child["ids"].update(id_changes)
    r["children"].append(child)


def setter(getter, **values):
    """A change: ``getter(r)`` updated with ``values``."""
    return lambda r: getter(r).update(values)


def header(**values):
    return lambda r: r["header"].update(values)


# -- header ------------------------------------------------------------------------
example("100", header(ReferenceDate="2025-03-30"), header(ReferenceDate="2025-03-31"), children=())
EXAMPLES["100b"] = {"code": "100", "fail": header(ReferenceDate=None), "ok": lambda r: None,
                    "children": set()}

# -- UPN ---------------------------------------------------------------------------
# W93312345678A: a temporary UPN; letter A counts 0 at position 13, so the sum is
# 400 - 13 = 387; 387 mod 23 = 19 -> W.
example("1510", setter(ids, UPN="A933123456781"), setter(ids, UPN="W93312345678A"))
# Z933123456782: sum 400 + 13 = 413; 413 mod 23 = 22 -> Z.
example(
    "1520",
    lambda r: add_child(r, "C2", "K933123456781"),
    lambda r: add_child(r, "C2", "Z933123456782"),
    children=("C1", "C2"),
)
# B201123456781: 2*2 + 3*0 + 4*1 + 361 (positions 5-13 as in GOOD_UPN) = 369; mod 23 = 1 -> B.
example("1530", setter(ids, UPN="K999123456781"), setter(ids, UPN="B201123456781"))
example("1540", setter(ids, UPN="K9331234X6781"), setter(ids, UPN="K933123456781"))
example("1550", setter(ids, UPN="K93312345678I"), setter(ids, UPN="W93312345678A"))
example("1560Q", setter(ids, FormerUPN="12345"), setter(ids, FormerUPN="B201123456781"))

# -- LA child id -------------------------------------------------------------------
example("1570", setter(ids, LAchildID="C" + "1" * 20), setter(ids, LAchildID="C" + "1" * 19),
        children=("C" + "1" * 20,))
example("1580", setter(ids, LAchildID="C_1"), setter(ids, LAchildID="C1a"), children=("C_1",))
example("8500", setter(ids, LAchildID=None), setter(ids, LAchildID="C1"), children=())
example(
    "8510",
    lambda r: add_child(r, "C1", "Z933123456782"),
    lambda r: add_child(r, "C2", "Z933123456782"),
)

# -- dates of birth and death --------------------------------------------------------
example("8520", setter(ids, PersonBirthDate="2025-04-01"), setter(ids, PersonBirthDate="2025-03-31"))
example("8525Q", setter(ids, ExpectedPersonBirthDate="2015-06-01"), unborn)
# Expected births from 1 March to 31 December 2025.
example("8530Q", lambda r: unborn(r, "2026-01-01"), lambda r: unborn(r, "2025-12-31"))
example("8535Q", setter(ids, PersonDeathDate="2015-05-31"), setter(ids, PersonDeathDate="2024-12-01"))
example("8545Q", setter(ids, PersonDeathDate="2024-03-31"), setter(ids, PersonDeathDate="2024-04-01"))
# Older than 25 while the episode is open at 31 March 2025: born before 31 March 2000.
example("8775Q", setter(ids, PersonBirthDate="2000-03-30"), setter(ids, PersonBirthDate="2000-03-31"))

# -- sex ---------------------------------------------------------------------------
example("4180", setter(ids, Sex="1"), setter(ids, Sex="U"))  # 2024-25 codes M/F/U
example("8750", lambda r: unborn(r, sex="M"), lambda r: unborn(r, sex="U"))


def many_children(n_children: int, n_unknown: int):
    def change(r):
        r["children"] = [good_child(f"C{i}") for i in range(1, n_children + 1)]
        for child in r["children"][:n_unknown]:
            child["ids"]["Sex"] = "U"
    return change


# 1 of 49 children with sex not recorded is 2.04% (> 2%); 1 of 50 is exactly 2%.
example("2886Q", many_children(49, 1), many_children(50, 1), children=())

# -- UPN unknown ---------------------------------------------------------------------
# C1 is 9 at 31 March 2025: of school age.
example("8770Q", setter(ids, UPN=None, UPNunknown="UN1"), setter(ids, UPN=None, UPNunknown="UN3"))
EXAMPLES["8770Qb"] = {  # an unknown reason code is no reason; an NFA-only child is not asked
    "code": "8770Q", "children": {"C1"},
    "fail": setter(ids, UPN=None, UPNunknown="UN9"),
    "ok": lambda r: (ids(r).update(UPN=None), ep(r).update(ReferralNFA="true")),
}
example(
    "8772",
    setter(ids, UPN=None, UPNunknown="UN7"),
    lambda r: (ids(r).update(UPN=None, UPNunknown="UN7"), ep(r).update(ReferralNFA="true")),
)
example("8590", lambda r: r["children"][0].update(cin=[]), lambda r: None)

# -- characteristics -----------------------------------------------------------------
example("4220", setter(chars, Ethnicity="XXXX"), setter(chars, Ethnicity="MWBA"))
example("2887Q", setter(chars, Disabilities=["MOB", "HAND", "PC", "INC", "COMM", "LD", "HEAR"]),
        setter(chars, Disabilities=["MOB", "HAND", "PC", "INC", "COMM", "LD", "HEAR", "AUT"]),
        children=())
example("2888Q", setter(chars, Disabilities=["MOB"]),
        lambda r: (chars(r).update(Disabilities=["MOB"]), add_child(r, "C2"),
                   r["children"][1]["chars"].update(Disabilities=["HAND", "VIS"])),
        children=())
example("8540", setter(chars, Disabilities=["XYZ"]), setter(chars, Disabilities=["NONE"]))
EXAMPLES["8540b"] = {  # a born child with further action and no disability entry at all
    "code": "8540", "fail": setter(chars, Disabilities=None), "children": {"C1"},
    "ok": lambda r: (chars(r).update(Disabilities=None), unborn(r)),
}
example("8790", setter(chars, Disabilities=["NONE", "MOB"]), setter(chars, Disabilities=["NONE"]))
example("8794", setter(chars, Disabilities=["MOB", "MOB"]), setter(chars, Disabilities=["MOB", "HAND"]))

# -- the referral and episode -------------------------------------------------------
example("8555Q", setter(ids, PersonDeathDate="2024-04-30"), setter(ids, PersonDeathDate="2024-05-01"))
example("8568", lambda r: ep(r).update(ReferralNFA="maybe"), lambda r: ep(r).update(ReferralNFA="0"))
# 1 April 2024 was Easter Monday and 29 March Good Friday: the last working day before
# the year is Thursday 28 March 2024. An NFA referral on that day is this year's.
example("8569Q", lambda r: add_ep(r, CINreferralDate="2024-03-27", ReferralNFA="true"),
        lambda r: add_ep(r, CINreferralDate="2024-03-28", ReferralNFA="true"))
example("8585Q", lambda r: add_ep(r, ReasonForClosure="RC2"),
        lambda r: (add_ep(r, ReasonForClosure="RC2"), ids(r).update(PersonDeathDate="2024-06-20")))
example("8600", lambda r: ep(r).update(CINreferralDate="2025-04-01"),
        lambda r: ep(r).update(CINreferralDate="2025-03-31"))
# 40 weeks (280 days) before 1 June 2015 is 25 August 2014.
example("8606", lambda r: ep(r).update(CINreferralDate="2014-08-24"),
        lambda r: ep(r).update(CINreferralDate="2014-08-25"))
example("8610", lambda r: ep(r).update(PrimaryNeedCode=None),
        lambda r: ep(r).update(PrimaryNeedCode=None, ReferralNFA="true"))
example("8620", lambda r: add_ep(r, CINclosureDate="2025-04-01"),
        lambda r: add_ep(r, CINclosureDate="2025-03-31"))
example("8630", lambda r: add_ep(r, CINclosureDate="2024-05-31"),
        lambda r: add_ep(r, CINclosureDate="2024-06-01"))
example("8640", lambda r: add_ep(r, ReasonForClosure="RC10"), lambda r: add_ep(r, ReasonForClosure="RC9"))
example("8650", lambda r: ep(r).update(PrimaryNeedCode="N10"), lambda r: ep(r).update(PrimaryNeedCode="N0"))
example("8805", lambda r: add_ep(r, ReasonForClosure=None), lambda r: add_ep(r))
example("8810", lambda r: add_ep(r, CINclosureDate=None), lambda r: add_ep(r))
example("8815", lambda r: add_ep(r, CINclosureDate=None, ReasonForClosure=None),
        lambda r: add_ep(r, CINclosureDate=None, ReasonForClosure=None, ReferralNFA="true"))
example("8816", lambda r: add_ep(r, CINreferralDate="2024-06-01"),
        lambda r: add_ep(r, CINreferralDate="2024-04-10", CINclosureDate="2024-04-20"))
# An episode closed on 1 May and the next referred that day do not overlap.
example("8820", lambda r: add_ep(r),
        lambda r: add_ep(r, CINreferralDate="2024-04-10", CINclosureDate="2024-05-01"),
        children=("C1",))
example("8866", lambda r: ep(r).update(ReferralSource="11"), lambda r: ep(r).update(ReferralSource="5D"))

# -- what an episode may hold --------------------------------------------------------
example("2990",
        lambda r: add_ep(r, CINPlanDates=[{"CINPlanStartDate": "2024-06-19",
                                           "CINPlanEndDate": "2024-06-20"}]),
        lambda r: add_ep(r))
example("8825Q", lambda r: add_ep(r, Assessments=[]), lambda r: add_ep(r))
example(
    "8565",
    lambda r: add_ep(r, Assessments=[{"AssessmentActualStartDate": "2024-06-03",
                                      "AssessmentAuthorisationDate": "2024-06-21",
                                      "factors": ["21"]}]),
    lambda r: add_ep(r, Assessments=[{"AssessmentActualStartDate": "2024-06-03",
                                      "AssessmentAuthorisationDate": "2024-06-20",
                                      "factors": ["21"]}]),
)
example("8831", lambda r: add_ep(r, ReferralNFA="true"),
        lambda r: add_ep(r, ReferralNFA="true", Assessments=[], ReasonForClosure="RC7"))
example("8832", lambda r: ep(r).update(ReferralNFA="true"),
        lambda r: add_ep(r, ReferralNFA="true", Assessments=[]))
example("2991Q", lambda r: ep(r).update(Assessments=[]), lambda r: None)
example("4000", lambda r: ep(r).update(ReferralNFA="true"),
        lambda r: (ep(r).update(ReferralNFA="true", CINPlanDates=[])))
