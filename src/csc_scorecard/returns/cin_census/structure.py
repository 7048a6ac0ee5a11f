"""The shape of a CIN census record: which elements each part of a <Child> may
hold, and how the rows nested under one referral (<CINdetails>) are counted,
so that a referral set aside takes its assessments, plans and reviews with it
and the count of what was set aside is exact.
"""

from __future__ import annotations

from collections import Counter

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
    out: dict[str, list[etree._Element]] = {}
    for kid in element:
        name = gate.local_name(kid.tag)
        if name:
            out.setdefault(name, []).append(kid)
    return out


def plural(n: int, word: str) -> str:
    if n == 1:
        return f"{n} {word}"
    if word.endswith("y") and word[-2:-1] not in "aeiou":
        return f"{n} {word[:-1]}ies"
    return f"{n} {word}s"


def review_elements(kids: dict) -> list:
    found = list(kids.get("CPPreviewDate", []))
    for holder_name in ("Reviews", "CPPreviews"):
        for holder in kids.get(holder_name, []):
            found.extend(e for e in holder if gate.local_name(e.tag) == "CPPreviewDate")
    return found


def nested_counts(cin: etree._Element) -> Counter[str]:
    """Rows a CINdetails would give, by table (itself included as one referral)."""
    counts: Counter[str] = Counter({"referral": 1})
    for element in cin:
        table = NESTED.get(gate.local_name(element.tag))
        if table is None:
            continue
        counts[table] += 1
        if table == "cp_plan":
            counts["cp_review"] += len(review_elements(kids_by_name(element)))
    return counts
