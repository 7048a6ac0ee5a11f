"""Hand-made CIN census returns for the rule tests: a description in, XML out.

A return is a dict: "header" (element -> text) and "children", each child a
dict with "ids" (ChildIdentifiers elements), "chars" ({"Ethnicity": ...,
"Disabilities": [...]}) and "cin" (a list of episodes). An episode holds its
own elements plus lists "Assessments" (each with "factors"), "CINPlanDates",
"Section47" and "ChildProtectionPlans" (each with "reviews"). None means
"element absent". :func:`good_return` is a 2024-25 return that passes every
rule; each rule's example changes one thing in it.
"""

from __future__ import annotations

import copy
from pathlib import Path
from xml.sax.saxutils import escape

from csc_scorecard.validation.cin import load_cin_tables

# UPN K933123456781: LA 933, digits 12345678, last digit 1. Check letter:
# 2*9 + 3*3 + 4*3 + 5*1 + 6*2 + 7*3 + 8*4 + 9*5 + 10*6 + 11*7 + 12*8 + 13*1 = 400;
# 400 mod 23 = 9 -> the 10th letter of ABCDEFGHJKLMNPQRTUVWXYZ = K.
GOOD_UPN = "K933123456781"

ID_ORDER = ("LAchildID", "UPN", "FormerUPN", "UPNunknown", "PersonBirthDate",
            "ExpectedPersonBirthDate", "GenderCurrent", "Sex", "PersonDeathDate")
CIN_ORDER = ("CINreferralDate", "ReferralSource", "PrimaryNeedCode", "CINclosureDate",
             "ReasonForClosure", "DateOfInitialCPC")
ASSESSMENT_ORDER = ("AssessmentActualStartDate", "AssessmentInternalReviewDate",
                    "AssessmentAuthorisationDate")
S47_ORDER = ("S47ActualStartDate", "InitialCPCtarget", "DateOfInitialCPC", "ICPCnotRequired")
CPP_ORDER = ("CPPstartDate", "CPPendDate", "InitialCategoryOfAbuse", "LatestCategoryOfAbuse",
             "NumberOfPreviousCPP")


def good_child(child_id: str = "C1", upn: str = GOOD_UPN) -> dict:
    """A child referred on 1 May 2024: assessment, S47, conference, CP plan, then a CIN plan."""
    return {
        "ids": {"LAchildID": child_id, "UPN": upn, "PersonBirthDate": "2015-06-01", "Sex": "M"},
        "chars": {
            "Ethnicity": "WBRI",
            # Eight different codes, so the return-wide disability queries are content.
            "Disabilities": ["MOB", "HAND", "PC", "INC", "COMM", "LD", "HEAR", "VIS"],
        },
        "cin": [
            {
                "CINreferralDate": "2024-05-01",
                "ReferralSource": "1A",
                "PrimaryNeedCode": "N1",
                "ReferralNFA": "false",
                "Assessments": [
                    {"AssessmentActualStartDate": "2024-05-02",
                     "AssessmentAuthorisationDate": "2024-05-20", "factors": ["1A", "4C"]}
                ],
                "Section47": [
                    # Target Friday 31 May, conference Thursday 30 May 2024.
                    {"S47ActualStartDate": "2024-05-10", "InitialCPCtarget": "2024-05-31",
                     "DateOfInitialCPC": "2024-05-30", "ICPCnotRequired": "false"}
                ],
                "ChildProtectionPlans": [
                    {"CPPstartDate": "2024-05-30", "CPPendDate": "2024-11-29",
                     "InitialCategoryOfAbuse": "NEG", "LatestCategoryOfAbuse": "NEG",
                     "NumberOfPreviousCPP": "0", "reviews": ["2024-08-15"]}
                ],
                # Stepped down to a CIN plan the day the CP plan ended; still open.
                "CINPlanDates": [{"CINPlanStartDate": "2024-11-29"}],
            }
        ],
    }


def good_return() -> dict:
    return {
        "header": {"Collection": "CIN", "Year": "2025", "ReferenceDate": "2025-03-31",
                   "SourceLevel": "L", "LEA": "933"},
        "children": [good_child()],
    }


def closed_episode(**changes) -> dict:
    """A simple closed episode (referral 1 June 2024, assessed, closed RC8) with changes."""
    episode = {
        "CINreferralDate": "2024-06-01", "ReferralSource": "2A", "PrimaryNeedCode": "N9",
        "CINclosureDate": "2024-06-20", "ReasonForClosure": "RC8", "ReferralNFA": "false",
        "Assessments": [{"AssessmentActualStartDate": "2024-06-03",
                         "AssessmentAuthorisationDate": "2024-06-19", "factors": ["21"]}],
    }
    episode.update(changes)
    return episode


def copy_of(census: dict) -> dict:
    return copy.deepcopy(census)


def _elements(data: dict, order: tuple[str, ...], pad: str) -> list[str]:
    return [
        f"{pad}<{name}>{escape(str(data[name]))}</{name}>"
        for name in order
        if data.get(name) is not None
    ]


def to_xml(census: dict) -> str:
    out = ["<Message>", "  <Header>", "    <CollectionDetails>"]
    h = census["header"]
    out += _elements(h, ("Collection", "Year", "ReferenceDate"), "      ")
    out += ["    </CollectionDetails>", "    <Source>"]
    out += _elements(h, ("SourceLevel", "LEA"), "      ")
    out += ["    </Source>", "  </Header>", "  <Children>"]
    for child in census["children"]:
        out += ["    <Child>", "      <ChildIdentifiers>"]
        out += _elements(child["ids"], ID_ORDER, "        ")
        out += ["      </ChildIdentifiers>", "      <ChildCharacteristics>"]
        chars = child.get("chars", {})
        out += _elements(chars, ("Ethnicity",), "        ")
        if chars.get("Disabilities") is not None:
            out.append("        <Disabilities>")
            out += [f"          <Disability>{escape(d)}</Disability>" for d in chars["Disabilities"]]
            out.append("        </Disabilities>")
        out.append("      </ChildCharacteristics>")
        for episode in child.get("cin", []):
            out.append("      <CINdetails>")
            out += _elements(episode, CIN_ORDER, "        ")
            for a in episode.get("Assessments", []):
                out.append("        <Assessments>")
                out += _elements(a, ASSESSMENT_ORDER, "          ")
                out.append("          <FactorsIdentifiedAtAssessment>")
                out += [f"            <AssessmentFactors>{f}</AssessmentFactors>"
                        for f in a.get("factors", [])]
                out.append("          </FactorsIdentifiedAtAssessment>")
                out.append("        </Assessments>")
            for p in episode.get("CINPlanDates", []):
                out.append("        <CINPlanDates>")
                out += _elements(p, ("CINPlanStartDate", "CINPlanEndDate"), "          ")
                out.append("        </CINPlanDates>")
            for s in episode.get("Section47", []):
                out.append("        <Section47>")
                out += _elements(s, S47_ORDER, "          ")
                out.append("        </Section47>")
            out += _elements(episode, ("ReferralNFA",), "        ")
            for c in episode.get("ChildProtectionPlans", []):
                out.append("        <ChildProtectionPlans>")
                out += _elements(c, CPP_ORDER, "          ")
                if c.get("reviews") is not None:
                    out.append("          <Reviews>")
                    out += [
                        f"            <CPPreviewDate>{r}</CPPreviewDate>" if r else
                        "            <CPPreviewDate/>"
                        for r in c["reviews"]
                    ]
                    out.append("          </Reviews>")
                out.append("        </ChildProtectionPlans>")
            out.append("      </CINdetails>")
        out.append("    </Child>")
    out += ["  </Children>", "</Message>", ""]
    return "\n".join(out)


def tables_of(census: dict, folder: Path, name: str = "census.xml"):
    path = folder / name
    path.write_text(to_xml(census), encoding="utf-8")
    return load_cin_tables(path)
