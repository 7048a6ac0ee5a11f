"""Failing and passing examples for the CIN rules on assessments, section 47
enquiries and conferences, CIN plans and child protection plans.

In cin_census_builder.good_return(), C1's episode (referred 1 May 2024) has an
assessment 2 - 20 May (factors 1A, 4C), an S47 from 10 May with its
conference on Thursday 30 May (target Friday 31 May), a CP plan 30 May -
29 November 2024 reviewed on 15 August, and an open CIN plan from 29 November.
"""

from __future__ import annotations

from cin_examples_children import EXAMPLES, add_ep, ep, example, ids

OPEN_S47 = {"S47ActualStartDate": "2024-06-03", "ICPCnotRequired": "false"}


def assessment(r, i=0):
    return ep(r)["Assessments"][i]


def s47(r, i=0):
    return ep(r)["Section47"][i]


def cpp(r, i=0):
    return ep(r)["ChildProtectionPlans"][i]


def plan(r, i=0):
    return ep(r)["CINPlanDates"][i]


def change(getter, **values):
    return lambda r: getter(r).update(values)


def append(key, item):
    return lambda r: ep(r)[key].append(item)


def open_assessment(start):
    return change(assessment, AssessmentActualStartDate=start, AssessmentAuthorisationDate=None,
                  factors=[])


# -- assessments ---------------------------------------------------------------------
example("1103", change(assessment, AssessmentActualStartDate="2024-04-30"),
        change(assessment, AssessmentActualStartDate="2024-05-01"))
example("8608", change(assessment, AssessmentActualStartDate="2024-05-21"),
        change(assessment, AssessmentActualStartDate="2024-05-20"))
example("8614", change(assessment, AssessmentAuthorisationDate=None),
        change(assessment, AssessmentAuthorisationDate=None, factors=[]))
# 27 Jan 2025 -> 31 Mar 2025 is 45 working days (Jan 28-31: 4, Feb: 20, Mar: 21);
# from Friday 24 January it is 46, more than 45.
example("8670Q", open_assessment("2025-01-24"), open_assessment("2025-01-27"))
example("8696", change(assessment, AssessmentAuthorisationDate="2025-04-01"),
        change(assessment, AssessmentAuthorisationDate="2025-03-31"))
example("8736", open_assessment("2024-03-31"), open_assessment("2024-04-01"))
example("8863Q", append("Assessments", {"AssessmentActualStartDate": "2024-05-10"}),
        append("Assessments", {"AssessmentActualStartDate": "2024-05-20"}))
example(
    "8867",
    lambda r: add_ep(r, Assessments=[{"AssessmentActualStartDate": "2024-06-03"}]),
    lambda r: add_ep(r),
)
example("8869", change(assessment, factors=["21", "1A"]), change(assessment, factors=["21"]))
example("8873Q", lambda r: add_ep(r, ReasonForClosure="RC7"), lambda r: add_ep(r))
EXAMPLES["8873Qb"] = {  # still open after an assessment that found nothing
    "code": "8873Q", "children": {"C1"},
    "fail": change(assessment, factors=["21"]),
    "ok": lambda r: add_ep(r, ReasonForClosure="RC9"),
}
example(
    "8896",
    lambda r: ep(r).update(Assessments=[{"AssessmentActualStartDate": "2024-05-02"},
                                        {"AssessmentActualStartDate": "2024-05-03"}]),
    lambda r: ep(r).update(Assessments=[{"AssessmentActualStartDate": "2024-05-02"},
                                        {"AssessmentActualStartDate": "2024-05-03",
                                         "AssessmentAuthorisationDate": "2024-05-20",
                                         "factors": ["1A"]}]),
)
example("8897Q", change(assessment, factors=[]), change(assessment, factors=["21"]))
example("8898", change(assessment, factors=["1A", "1A"]), change(assessment, factors=["1A", "1B"]))
example("8945Q", change(assessment, factors=["18A"]), change(assessment, factors=["18B"]))
example("8950Q", change(assessment, factors=["19A"]), change(assessment, factors=["19C"]))

# -- section 47 and conferences -------------------------------------------------------
example("1104", change(s47, DateOfInitialCPC="2024-04-30"), change(s47, DateOfInitialCPC="2024-05-01"))
SECOND_PLAN = {"CPPstartDate": "2024-12-02", "InitialCategoryOfAbuse": "EMO",
               "LatestCategoryOfAbuse": "EMO", "NumberOfPreviousCPP": "1"}
example(
    "2883",
    append("ChildProtectionPlans", SECOND_PLAN),
    lambda r: (append("ChildProtectionPlans", SECOND_PLAN)(r),
               append("Section47", {"S47ActualStartDate": "2024-11-25",
                                    "DateOfInitialCPC": "2024-12-02"})(r)),
    children=(),  # a rule about the whole return
)
example("2884", lambda r: ep(r).update(DateOfInitialCPC="2024-05-30"),
        lambda r: ep(r).update(DateOfInitialCPC="2024-05-30", Section47=[]))
example("2885", change(cpp, CPPstartDate="2024-05-31"),
        lambda r: ep(r).update(DateOfInitialCPC="2024-05-30", Section47=[]))
EXAMPLES["2885b"] = {  # with an S47 module, the episode-level date does not count
    "code": "2885", "children": {"C1"},
    "fail": lambda r: (s47(r).update(DateOfInitialCPC="2024-05-29"),
                       ep(r).update(DateOfInitialCPC="2024-05-30")),
    "ok": lambda r: ep(r).update(DateOfInitialCPC="2024-05-30"),
}
example("2889", change(s47, S47ActualStartDate="2024-04-30"), change(s47, S47ActualStartDate="2024-05-01"))
example("8615", change(s47, S47ActualStartDate="2024-05-31"), change(s47, S47ActualStartDate="2024-05-30"))
EXAMPLES["8615b"] = {"code": "8615", "fail": change(s47, S47ActualStartDate=None),
                     "ok": lambda r: None, "children": {"C1"}}
# Monday 10 March 2025 -> 31 March is 15 working days; from Friday 7 March, 16.
example("8675Q", append("Section47", {"S47ActualStartDate": "2025-03-07"}),
        append("Section47", {"S47ActualStartDate": "2025-03-10"}))
example("8715", change(s47, DateOfInitialCPC="2025-04-01"), change(s47, DateOfInitialCPC="2025-03-31"))
EXAMPLES["8715b"] = {  # before the year; on the episode, a conference of an earlier enquiry
    "code": "8715", "children": {"C1"},
    "fail": lambda r: add_ep(r, Section47=[{"S47ActualStartDate": "2024-03-20",
                                            "DateOfInitialCPC": "2024-03-28"}]),
    "ok": lambda r: add_ep(r, DateOfInitialCPC="2024-03-28"),
}
example("8740", append("Section47", {"S47ActualStartDate": "2024-03-31"}),
        append("Section47", {"S47ActualStartDate": "2024-04-01"}))
example("8839", lambda r: ep(r).update(Section47=[OPEN_S47, OPEN_S47 | {"S47ActualStartDate": "2024-06-10"}]),
        lambda r: ep(r).update(Section47=[OPEN_S47, OPEN_S47 | {"ICPCnotRequired": "true"}]))
example("8868", lambda r: add_ep(r, Section47=[OPEN_S47]),
        lambda r: add_ep(r, Section47=[OPEN_S47 | {"ICPCnotRequired": "true"}]))
example("8870Q", change(s47, InitialCPCtarget="2024-06-01"), change(s47, InitialCPCtarget="2024-05-31"))
example("8875", change(s47, DateOfInitialCPC="2024-06-02"), change(s47, DateOfInitialCPC="2024-05-31"))
example("8890", append("Section47", {"S47ActualStartDate": "2024-05-20", "ICPCnotRequired": "true"}),
        append("Section47", {"S47ActualStartDate": "2024-05-30", "ICPCnotRequired": "true"}))

# -- CIN plans ---------------------------------------------------------------------
example("4001", change(cpp, CPPendDate=None), lambda r: None)
example("4016", change(plan, CINPlanStartDate="2024-11-28"), change(plan, CINPlanStartDate="2024-11-29"))
example("4017", append("CINPlanDates", {"CINPlanStartDate": "2024-05-02", "CINPlanEndDate": "2024-06-01"}),
        append("CINPlanDates", {"CINPlanStartDate": "2024-05-02", "CINPlanEndDate": "2024-05-30"}))
example("4003", lambda r: cpp(r)["reviews"].append("2024-12-10"),
        lambda r: cpp(r)["reviews"].append("2024-11-28"))
example("4004", append("CINPlanDates", {"CINPlanStartDate": "2024-12-01"}),
        append("CINPlanDates", {"CINPlanStartDate": "2024-12-01", "CINPlanEndDate": "2024-12-20"}))
example("4008", change(ids, PersonDeathDate="2024-11-28"), change(ids, PersonDeathDate="2024-11-29"))
example("4009Q", lambda r: (plan(r).update(CINPlanEndDate="2024-12-10"),
                            ids(r).update(PersonDeathDate="2024-12-09")),
        lambda r: (plan(r).update(CINPlanEndDate="2024-12-09"),
                   ids(r).update(PersonDeathDate="2024-12-09")))
example("4010", change(plan, CINPlanStartDate="2025-04-01"), change(plan, CINPlanStartDate="2025-03-31"))
EXAMPLES["4010b"] = {"code": "4010", "fail": change(plan, CINPlanStartDate=None),
                     "ok": lambda r: None, "children": {"C1"}}
example("4011", change(plan, CINPlanEndDate="2024-11-28"), change(plan, CINPlanEndDate="2024-11-30"))
example("4012Q", change(plan, CINPlanEndDate="2024-11-29"), change(plan, CINPlanEndDate="2024-11-30"))
example("4013", change(plan, CINPlanEndDate="2025-04-01"), change(plan, CINPlanEndDate="2025-03-31"))
example("4014", append("CINPlanDates", {"CINPlanStartDate": "2024-12-01", "CINPlanEndDate": "2024-12-10"}),
        lambda r: (plan(r).update(CINPlanEndDate="2024-12-01"),
                   append("CINPlanDates", {"CINPlanStartDate": "2024-12-01"})(r)))
example("4015", change(plan, CINPlanStartDate="2024-04-30"), change(plan, CINPlanStartDate="2024-05-01"))

# -- child protection plans ----------------------------------------------------------
example("1105", change(cpp, CPPstartDate="2024-04-30"), change(cpp, CPPstartDate="2024-05-01"))
example("8720", change(cpp, CPPstartDate="2025-04-01", CPPendDate=None),
        change(cpp, CPPstartDate="2025-03-31", CPPendDate=None))
example("8730", change(cpp, NumberOfPreviousCPP=None), change(cpp, NumberOfPreviousCPP="3"))
EXAMPLES["8730b"] = {"code": "8730", "fail": change(cpp, NumberOfPreviousCPP="-1"),
                     "ok": change(cpp, NumberOfPreviousCPP="12"), "children": {"C1"}}
example("8840", change(cpp, CPPendDate="2024-05-30"), change(cpp, CPPendDate="2024-05-31"))
example("8841", change(cpp, reviews=["2024-05-30"]), change(cpp, reviews=["2024-05-31"]))
example("8842Q", change(cpp, reviews=[""]), change(cpp, reviews=["2024-08-15"]))
example("8905", change(cpp, InitialCategoryOfAbuse="XXX"), change(cpp, InitialCategoryOfAbuse="MUL"))
EXAMPLES["8905b"] = {"code": "8905", "fail": change(cpp, InitialCategoryOfAbuse=None),
                     "ok": lambda r: None, "children": {"C1"}}
example("8910", change(cpp, LatestCategoryOfAbuse=None), change(cpp, LatestCategoryOfAbuse="EMO"))
example("8915", change(ids, PersonDeathDate="2024-05-29"), change(ids, PersonDeathDate="2024-05-30"))
example("8920", change(ids, PersonDeathDate="2024-11-28"), change(ids, PersonDeathDate="2024-11-29"))
example("8925", change(cpp, CPPendDate="2024-05-29"), change(cpp, CPPendDate="2024-05-31"))
example("8930", change(cpp, CPPendDate="2025-04-01"), change(cpp, CPPendDate="2025-03-31"))
example("8935", lambda r: (cpp(r).update(CPPendDate=None), append("ChildProtectionPlans", SECOND_PLAN)(r)),
        append("ChildProtectionPlans", SECOND_PLAN))
example("8940", append("ChildProtectionPlans", SECOND_PLAN | {"CPPstartDate": "2024-11-01"}),
        append("ChildProtectionPlans", SECOND_PLAN | {"CPPstartDate": "2024-11-29"}))

