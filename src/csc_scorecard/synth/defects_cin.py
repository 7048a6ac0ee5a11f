"""Known defects for a CIN census file: each a change to one <Child> element that breaks a DfE rule.

DEFECTS maps "<rule>:<name>" to the change. A change that finds nothing to
change (no Section47 to move a conference into, say) leaves the child as it
was, and the injectors below then do not count it. Some defects break other
rules too; the one named is the one they are there for. Dates are for a
2024-25 census. Used by ``csc-scorecard synth --defects`` (synth.defects) and
by the comparison with the sector's validator (tests/validation/cin).
"""

from __future__ import annotations

import copy
import random
from pathlib import Path

from lxml import etree

DEFECTS = {}


def defect(rule: str):
    def register(fn):
        DEFECTS[f"{rule}:{fn.__name__}"] = fn
        return fn
    return register


def _set(child, path: str, value: str | None) -> None:
    e = child.find(path)
    if e is not None:
        e.text = value


def _drop(child, path: str) -> None:
    e = child.find(path)
    if e is not None:
        e.getparent().remove(e)


def _add_before(parent, name: str, text: str, before: str) -> None:
    e = etree.Element(name)
    e.text = text
    anchor = parent.find(before)
    if anchor is not None:
        anchor.addprevious(e)
    else:
        parent.append(e)


@defect("1510")
def wrong_check_letter(c):
    e = c.find("ChildIdentifiers/UPN")
    if e is not None:
        e.text = ("A" if e.text[0] != "A" else "B") + e.text[1:]


@defect("1530")
def not_an_la(c):
    e = c.find("ChildIdentifiers/UPN")
    if e is not None:
        e.text = e.text[0] + "999" + e.text[4:]


@defect("1580")
def id_with_symbols(c):
    _set(c, "ChildIdentifiers/LAchildID", c.findtext("ChildIdentifiers/LAchildID") + "_X")


@defect("4180")
def old_sex_code(c):
    _set(c, "ChildIdentifiers/Sex", "1")


@defect("4220")
def bad_ethnicity(c):
    _set(c, "ChildCharacteristics/Ethnicity", "XXXX")


@defect("8535Q")
def died_before_birth(c):
    _add_before(c.find("ChildIdentifiers"), "PersonDeathDate", "1990-01-01", before="__end__")


@defect("8525Q")
def both_birth_dates(c):
    _add_before(c.find("ChildIdentifiers"), "ExpectedPersonBirthDate", "2025-05-01", before="Sex")


@defect("8750")
def unborn_boy(c):
    ids = c.find("ChildIdentifiers")
    _drop(c, "ChildIdentifiers/PersonBirthDate")
    _add_before(ids, "ExpectedPersonBirthDate", "2025-05-01", before="Sex")
    _set(c, "ChildIdentifiers/Sex", "M")


@defect("8790")
def none_and_a_disability(c):
    d = c.find("ChildCharacteristics/Disabilities")
    if d is not None:
        for code in ("NONE", "MOB"):
            etree.SubElement(d, "Disability").text = code


@defect("8600")
def referred_after_the_year(c):
    _set(c, "CINdetails/CINreferralDate", "2025-04-02")


@defect("8630")
def closed_before_referral(c):
    _set(c, "CINdetails/CINclosureDate", "2000-01-01")


@defect("8805")
def closed_without_reason(c):
    _drop(c, "CINdetails/ReasonForClosure")


@defect("8866")
def bad_source(c):
    _set(c, "CINdetails/ReferralSource", "11")


@defect("8650")
def bad_need(c):
    _set(c, "CINdetails/PrimaryNeedCode", "N10")


@defect("8568")
def bad_nfa_flag(c):
    _set(c, "CINdetails/ReferralNFA", "maybe")


@defect("8831")
def nfa_with_activity(c):
    _set(c, "CINdetails/ReferralNFA", "1")


@defect("8585Q")
def died_without_date(c):
    _set(c, "CINdetails/ReasonForClosure", "RC2")


@defect("2990")
def closed_after_assessment_with_s47(c):
    for cin in c.findall("CINdetails"):
        if cin.find("Section47") is not None and cin.find("ReasonForClosure") is not None:
            cin.find("ReasonForClosure").text = "RC8"


@defect("8898")
def factor_twice(c):
    f = c.find("CINdetails/Assessments/FactorsIdentifiedAtAssessment")
    if f is not None and len(f):
        f.append(copy.deepcopy(f[0]))


@defect("8869")
def no_factors_and_factors(c):
    f = c.find("CINdetails/Assessments/FactorsIdentifiedAtAssessment")
    if f is not None:
        for code in ("21", "1A"):
            etree.SubElement(f, "AssessmentFactors").text = code


@defect("8945Q")
def undivided_physical_abuse(c):
    f = c.find("CINdetails/Assessments/FactorsIdentifiedAtAssessment")
    if f is not None and len(f):
        f[0].text = "18A"


@defect("8608")
def assessment_starts_after_it_ends(c):
    a = c.find("CINdetails/Assessments")
    if a is not None and a.find("AssessmentAuthorisationDate") is not None:
        a.find("AssessmentActualStartDate").text = "2025-03-30"


@defect("8875")
def conference_on_a_saturday(c):
    _set(c, "CINdetails/Section47/DateOfInitialCPC", "2024-06-01")


@defect("8870Q")
def target_on_a_sunday(c):
    _set(c, "CINdetails/Section47/InitialCPCtarget", "2024-06-02")


@defect("2884")
def conference_at_both_levels(c):
    for cin in c.findall("CINdetails"):
        held = cin.findtext("Section47/DateOfInitialCPC")
        if held and cin.find("DateOfInitialCPC") is None:
            _add_before(cin, "DateOfInitialCPC", held, before="Assessments")


@defect("8740")
def old_open_enquiry(c):
    s = c.find("CINdetails/Section47")
    if s is not None:
        _drop(s, "DateOfInitialCPC")
        s.find("ICPCnotRequired").text = "false"
        s.find("S47ActualStartDate").text = "2024-03-20"


@defect("8925")
def plan_ends_before_it_starts(c):
    _set(c, "CINdetails/ChildProtectionPlans/CPPendDate", "2001-01-01")


@defect("8730")
def previous_plans_missing(c):
    _drop(c, "CINdetails/ChildProtectionPlans/NumberOfPreviousCPP")


@defect("8905")
def bad_category(c):
    _set(c, "CINdetails/ChildProtectionPlans/InitialCategoryOfAbuse", "XYZ")


@defect("8842Q")
def review_without_date(c):
    _set(c, "CINdetails/ChildProtectionPlans/Reviews/CPPreviewDate", None)


@defect("8935")
def two_open_plans(c):
    p = c.find("CINdetails/ChildProtectionPlans")
    if p is not None:
        twin = copy.deepcopy(p)
        for plan in (p, twin):
            _drop(plan, "CPPendDate")
        p.addnext(twin)


@defect("4011")
def cin_plan_ends_before_it_starts(c):
    _set(c, "CINdetails/CINPlanDates/CINPlanEndDate", "2001-01-01")


@defect("8772")
def un7_with_further_action(c):
    ids = c.find("ChildIdentifiers")
    _drop(c, "ChildIdentifiers/UPN")
    if ids.find("UPNunknown") is None:
        _add_before(ids, "UPNunknown", "UN7", before="PersonBirthDate")
    ids.find("UPNunknown").text = "UN7"


@defect("1520")
def shared_upn(c):
    _set(c, "ChildIdentifiers/UPN", "K933123456781")


def _child_id(child) -> str:
    return child.findtext("ChildIdentifiers/LAchildID") or ""


def _apply(name: str, child) -> bool:
    """Apply one defect; whether it changed anything."""
    before = etree.tostring(child)
    DEFECTS[name](child)
    return etree.tostring(child) != before


def inject(src: Path, dst: Path, *, rate: float = 0.35, seed: int = 5) -> dict[str, int]:
    """Write ``dst``: ``src`` with about ``rate`` of the children given one defect each, drawn
    at random; returns how many of each changed a child."""
    return _counted(inject_at_rate(src, dst, rate=rate, seed=seed))


def inject_at_rate(src: Path, dst: Path, *, rate: float, seed: int) -> list[tuple[str, str]]:
    """As ``inject``, answering (defect, child id) for each defect that changed its child."""
    rng = random.Random(seed)
    tree = etree.parse(str(src))
    names = sorted(DEFECTS)
    done = []
    for child in tree.getroot().iter("Child"):
        if rng.random() < rate:
            name = rng.choice(names)
            if _apply(name, child):
                done.append((name, _child_id(child)))
    tree.write(str(dst), xml_declaration=True, encoding="UTF-8")
    return done


def inject_counts(src: Path, dst: Path, *, counts: dict[str, int], seed: int) -> list[tuple[str, str]]:
    """Write ``dst``: ``src`` with each defect given to ``counts[name]`` children (each child
    at most one defect; fewer when too few children have what the defect changes)."""
    rng = random.Random(seed)
    tree = etree.parse(str(src))
    children = list(tree.getroot().iter("Child"))
    rng.shuffle(children)
    done = []
    for name, wanted in sorted(counts.items()):
        given = 0
        while children and given < wanted:
            child = children.pop()
            if _apply(name, child):
                done.append((name, _child_id(child)))
                given += 1
            # a child the defect could not change stays clean and is not offered again
    tree.write(str(dst), xml_declaration=True, encoding="UTF-8")
    return done


def _counted(done: list[tuple[str, str]]) -> dict[str, int]:
    counts: dict[str, int] = {}
    for name, _ in done:
        counts[name] = counts.get(name, 0) + 1
    return counts
