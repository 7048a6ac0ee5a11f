"""The shape of a CIN census record: which elements each part of a <Child> may
hold, and how the rows nested under one referral (<CINdetails>) are counted,
so that a referral set aside takes its assessments, plans and reviews with it
and the count of what was set aside is exact.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable

from lxml import etree

from csc_scorecard.returns.cin_census import gate

# The elements each part of a child's record may hold (any year). Anything
# else is reported once per file and not read.
CHILD_PARTS = {"ChildIdentifiers", "ChildCharacteristics", "CINdetails"}

IDENTIFIERS = {
    "LAchildID",
    "UPN",
    "FormerUPN",
    "UPNunknown",
    "PersonBirthDate",
    "ExpectedPersonBirthDate",
    "GenderCurrent",
    "Sex",
    "PersonDeathDate",
}

CHARACTERISTICS = {"Ethnicity", "Disabilities"}

CIN_DETAILS = {
    "CINreferralDate",
    "ReferralSource",
    "PrimaryNeedCode",
    "CINclosureDate",
    "ReasonForClosure",
    "DateOfInitialCPC",
    "Assessments",
    "CINPlanDates",
    "Section47",
    "ReferralNFA",
    "ChildProtectionPlans",
}

ASSESSMENT = {
    "AssessmentActualStartDate",
    "AssessmentInternalReviewDate",
    "AssessmentAuthorisationDate",
    "FactorsIdentifiedAtAssessment",
}

CIN_PLAN = {"CINPlanStartDate", "CINPlanEndDate"}

SECTION47 = {"S47ActualStartDate", "InitialCPCtarget", "DateOfInitialCPC", "ICPCnotRequired"}

CP_PLAN = {
    "CPPstartDate",
    "CPPendDate",
    "InitialCategoryOfAbuse",
    "LatestCategoryOfAbuse",
    "NumberOfPreviousCPP",
    "Reviews",
    "CPPreviews",
    "CPPreviewDate",
}

SEX_ELEMENTS = ("GenderCurrent", "Sex")

OLDEST_PLAUSIBLE_AGE = 25  # years at the start of the collection year


NOUNS = {
    "referral": "referral",
    "assessment": "assessment",
    "cin_plan": "CIN plan",
    "s47": "section 47 enquiry",
    "cp_plan": "child protection plan",
    "cp_review": "review",
}


SOURCE_NAMES = {
    "assessment": "Assessments",
    "cin_plan": "CINPlanDates",
    "s47": "Section47",
    "cp_plan": "ChildProtectionPlans",
    "cp_review": "CPPreviewDate",
}


NESTED = {
    "Assessments": "assessment",
    "CINPlanDates": "cin_plan",
    "Section47": "s47",
    "ChildProtectionPlans": "cp_plan",
}


def kids_by_name(element: etree._Element) -> dict[str, list[etree._Element]]:
    """An element's child elements by local name, in file order (names in order of first
    appearance). Anything that is not an element (an entity) is left out."""
    out: dict[str, list[etree._Element]] = {}
    for kid in element:
        tag = kid.tag
        if tag.__class__ is not str:
            continue
        name = tag.rpartition("}")[2] if tag[0] == "{" else tag
        found = out.get(name)
        if found is None:
            out[name] = [kid]
        else:
            found.append(kid)
    return out


class KidsMemo:
    """kids_by_name, worked out once per element of the <Child> being read: the
    reader, its counts of nested records and the rules' table tap all ask for the
    same elements. Forget it before the child is freed (it holds the elements)."""

    __slots__ = ("_found",)

    def __init__(self) -> None:
        self._found: dict[etree._Element, dict[str, list[etree._Element]]] = {}

    def __call__(self, element: etree._Element) -> dict[str, list[etree._Element]]:
        found = self._found.get(element)
        if found is None:
            found = self._found[element] = kids_by_name(element)
        return found

    def forget(self) -> None:
        self._found.clear()


def plural(n: int, word: str) -> str:
    if n == 1:
        return f"{n} {word}"
    if word.endswith("y") and word[-2:-1] not in "aeiou":
        return f"{n} {word[:-1]}ies"
    return f"{n} {word}s"


def review_elements(kids: dict) -> list:
    found = list(kids.get("CPPreviewDate", ()))
    for holder_name in ("Reviews", "CPPreviews"):
        for holder in kids.get(holder_name, ()):
            found.extend(e for e in holder if gate.local_name(e.tag) == "CPPreviewDate")
    return found


def nested_counts(
    cin: etree._Element, kids_of: Callable[[etree._Element], dict] = kids_by_name
) -> Counter[str]:
    """Rows a CINdetails would give, by table (itself included as one referral).

    Tables appear in the order their elements first do, and cp_review (maybe 0)
    right after the first plan: the order the set-aside message lists them in."""
    counts: Counter[str] = Counter({"referral": 1})
    for name, elements in kids_of(cin).items():
        table = NESTED.get(name)
        if table is None:
            continue
        counts[table] = len(elements)
        if table == "cp_plan":
            counts["cp_review"] = sum(len(review_elements(kids_of(plan))) for plan in elements)
    return counts
