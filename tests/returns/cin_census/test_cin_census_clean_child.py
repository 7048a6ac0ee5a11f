"""The short way through a clean <Child> (shape.py, clean_child.py) must store and
report exactly what the long way does, and the rules' tap must build the same
tables from the walked shape as from the elements: checked on randomised
hostile files, where most children are clean and the rest have one or more of
the problems the long way reports (or oddities of shape it alone handles)."""

from __future__ import annotations

import datetime as dt
import random
from pathlib import Path
from typing import Any

import pytest
from polars.testing import assert_frame_equal
from test_cin_census_reader import child, cin, write

from csc_scorecard.returns import column_memo
from csc_scorecard.returns.base import ListSink
from csc_scorecard.returns.cin_census import read_cin_census, reader
from csc_scorecard.returns.cin_census.clean_child import CleanChildReader
from csc_scorecard.validation.cin import load_cin_tables
from csc_scorecard.validation.cin.tables import TABLES, TableTap

DATES = ["2024-06-01", "2024-07-15", "2023-11-30", "2025-01-02", "2024-04-01", "2024-09-09"]
ODD_DATES = ["", " 2024-06-01 ", "01/06/2024", "2024-02-30", "soon", "1/6/24", "2026-01-01",
             "2019-05-05", "2024-06-01Z", "\u00a02024-06-01", "2024-03-31", "2025-04-01"]
BIRTHS = ["2015-05-01", "2010-01-31", "2023-12-25"]
ODD_BIRTHS = ["1990-01-01", "2025-06-01", "", "2024-07-01"]


class Hostile:
    def __init__(self, seed: int) -> None:
        self.rng = random.Random(seed)

    def pick(self, good: list, odd: list, p: float = 0.02) -> Any:
        return self.rng.choice(odd) if self.rng.random() < p else self.rng.choice(good)

    def el(self, name: str, text: str, p_missing: float = 0.005) -> str:
        roll = self.rng.random()
        if roll < p_missing:
            return ""
        if roll < p_missing + 0.003:
            return f"<{name}/>"
        if roll < p_missing + 0.006:  # repeated
            return f"<{name}>{text}</{name}><{name}>{text}</{name}>"
        if roll < p_missing + 0.008:
            return f'<x:{name} xmlns:x="urn:odd">{text}</x:{name}>'
        out = f"<{name}>{text}</{name}>"
        if self.rng.random() < 0.05:
            out += "\n    "  # pretty-printed files
        return out

    def extra(self) -> str:
        return "<Unexpected>1</Unexpected>" if self.rng.random() < 0.01 else ""

    def date(self, after: str = "2024-04-01", days: int = 90) -> str:
        """Mostly a date from `after` to `days` later, inside the year; sometimes an odd one."""
        rng = self.rng
        roll = rng.random()
        if roll < 0.02:
            return rng.choice(ODD_DATES + DATES)
        if roll < 0.03:
            return rng.choice(["2024-03-31", "2025-04-01", "2024-04-01", "2025-03-31"])
        try:
            base = dt.date.fromisoformat(after)
        except ValueError:  # after an odd date, any date
            base = dt.date(2024, 4, 1)
        if roll < 0.04:  # out of order
            return (base - dt.timedelta(days=rng.randrange(1, 5))).isoformat()
        when = base + dt.timedelta(days=rng.randrange(days))
        return min(when, dt.date(2025, 3, 31)).isoformat()

    def child(self, n: int) -> str:
        r = self.rng
        child_id = self.pick([f"C{n}", f" C{n} "], [f"C{max(n - 1, 0)}", "", "X" * 60, "7.0"])
        upn = self.pick(["A123456789012", "", "a123456789012"], ["bad", "Q12345678901234"])
        ids = self.el("LAchildID", child_id) + self.el("UPN", upn)
        if r.random() < 0.1:
            ids += self.el("UPNunknown", r.choice(["UN1", "UN9", "un2"]))
        if r.random() < 0.05:
            ids += self.el("FormerUPN", "B123456789012")
        ids += self.el("PersonBirthDate", self.pick(BIRTHS, ODD_BIRTHS))
        if r.random() < 0.05:
            ids += self.el("ExpectedPersonBirthDate", r.choice(["2025-02-01", "2022-01-01", "2025-01-01"]))
        ids += self.el(self.pick(["Sex"], ["GenderCurrent"]), self.pick(["M", "F", "U"], ["1", "X", "m", ""]))
        if r.random() < 0.03:
            ids += self.el("Sex", "F")
        if r.random() < 0.04:
            ids += self.el("PersonDeathDate", self.date())
        chars = self.el("Ethnicity", self.pick(["WBRI", "MWBC", "ABAN"], ["XXXX", "wbri", ""]))
        if r.random() < 0.7:
            codes = self.pick([["NONE"], ["MOB"], ["HAND", "COMM"], [" HAND ", "HAND"]],
                              [["NONE", "MOB"], ["ZZZ"], ["MOB", "NONE"], [""]], 0.05)
            chars += "<Disabilities>" + "".join(self.el("Disability", c, 0) for c in codes) + self.extra() + "</Disabilities>"
        details = "".join(self.cin() for _ in range(r.choice([1, 1, 1, 1, 2, 3, 0])))
        parts = [f"<ChildIdentifiers>{ids}{self.extra()}</ChildIdentifiers>",
                 f"<ChildCharacteristics>{chars}</ChildCharacteristics>", details]
        if r.random() < 0.02:
            parts.pop(r.choice([0, 1]))
        if r.random() < 0.02:
            parts.append(parts[0])
        return "<Child>" + "".join(parts) + self.extra() + "</Child>\n"

    def cin(self) -> str:
        r = self.rng
        referral = self.date(days=300)
        body = self.el("CINreferralDate", referral) + self.el(
            "ReferralSource", self.pick(["1A", "2A", "5C"], ["11", "zz", "1a"])
        )
        if r.random() < 0.9:
            body += self.el("PrimaryNeedCode", self.pick(["N1", "N4"], ["N10", "n2"]))
        if r.random() < 0.3:
            body += self.el("CINclosureDate", self.date(referral, 200))
            if r.random() < 0.9:
                body += self.el("ReasonForClosure", self.pick(["RC1", "RC7"], ["RC99"]))
        elif r.random() < 0.02:
            body += self.el("ReasonForClosure", "RC1")
        if r.random() < 0.3:
            body += self.el("DateOfInitialCPC", self.date(referral, 20))
        for _ in range(r.choice([0, 0, 1, 1, 2])):
            body += self.assessment(referral)
        for _ in range(r.choice([0, 0, 1, 2])):
            begun = self.date(referral, 60)
            body += "<CINPlanDates>" + self.el("CINPlanStartDate", begun) + (
                self.el("CINPlanEndDate", self.date(begun)) if r.random() < 0.4 else "") + self.extra() + "</CINPlanDates>"
        for _ in range(r.choice([0, 0, 0, 1])):
            begun = self.date(referral, 30)
            body += "<Section47>" + self.el("S47ActualStartDate", begun) + (
                self.el("InitialCPCtarget", self.date(begun, 15)) + self.el("DateOfInitialCPC", self.date(begun, 15))
                if r.random() < 0.6 else "") + self.el(
                "ICPCnotRequired", self.pick(["0"], ["1", "true", "maybe", ""])) + "</Section47>"
        for _ in range(r.choice([0, 0, 0, 1, 2])):
            body += self.plan(referral)
        body += self.el("ReferralNFA", self.pick(["0"], ["1", "yes", "", "2"], 0.08)) + self.extra()
        return f"<CINdetails>{body}</CINdetails>"

    def assessment(self, referral: str) -> str:
        r = self.rng
        begun = self.date(referral, 30)
        body = self.el("AssessmentActualStartDate", begun)
        if r.random() < 0.1:
            body += self.el("AssessmentInternalReviewDate", self.date(begun))
        if r.random() < 0.7:
            body += self.el("AssessmentAuthorisationDate", self.date(begun, 45))
        if r.random() < 0.8:
            codes = self.pick([["21"], ["1A"], ["2B", "3C"], [" 1A ", "1A"]],
                              [["21", "1A"], ["18A"], ["99"], ["1A", "21"], [""]], 0.05)
            factors = "".join(self.el("AssessmentFactors", c, 0) for c in codes)
            body += f"<FactorsIdentifiedAtAssessment>{factors}{self.extra()}</FactorsIdentifiedAtAssessment>"
            if r.random() < 0.03:
                body += "<FactorsIdentifiedAtAssessment><AssessmentFactors>4A</AssessmentFactors></FactorsIdentifiedAtAssessment>"
        return f"<Assessments>{body}{self.extra()}</Assessments>"

    def plan(self, referral: str) -> str:
        r = self.rng
        begun = self.date(referral, 60)
        body = self.el("CPPstartDate", begun)
        if r.random() < 0.5:
            body += self.el("CPPendDate", self.date(begun, 200))
        body += self.el("InitialCategoryOfAbuse", self.pick(["NEG", "EMO"], ["XYZ", "neg"]))
        body += self.el("LatestCategoryOfAbuse", self.pick(["NEG", "PHY"], ["XYZ"]))
        if r.random() < 0.6:
            body += self.el("NumberOfPreviousCPP", self.pick(["0", "2", "3"], ["-1", "2.0", "many", "12345"]))
        reviews = "".join(self.el("CPPreviewDate", self.date(begun, 100), 0) for _ in range(r.choice([0, 1, 2])))
        holder = r.choice(["Reviews", "Reviews", "CPPreviews", None])
        body += f"<{holder}>{reviews}</{holder}>" if holder else reviews
        if r.random() < 0.05:
            body += self.el("CPPreviewDate", self.date(begun, 100), 0)
        return f"<ChildProtectionPlans>{body}{self.extra()}</ChildProtectionPlans>"


def hostile_file(path: Path, seed: int, children: int = 250) -> Path:
    maker = Hostile(seed)
    body = "".join(maker.child(n) for n in range(children))
    path.write_text(
        '<?xml version="1.0" encoding="utf-8"?>\n<Message>\n<Header><CollectionDetails>'
        "<Collection>CIN</Collection><Year>2025</Year><ReferenceDate>2025-03-31</ReferenceDate>"
        "</CollectionDetails><Source><SourceLevel>L</SourceLevel><LEA>933</LEA></Source></Header>\n"
        f"<Children>\n{body}</Children>\n</Message>\n",
        encoding="utf-8",
    )
    return path


class _EveryYear(TableTap):
    def year(self, year: str) -> None:
        return None


def _read(path: Path) -> tuple[tuple, dict]:
    tap = _EveryYear()
    result = read_cin_census(path, sink=ListSink(), tap=tap)
    frames = tap.frames()
    assert frames is not None
    stored = (dict(result.tables), dict(result.counts), dict(result.quarantined),
              result.source_rows, result.year, result.la_code, [i.as_row() for i in result.issues])
    return stored, frames


def _long_way(path: Path, monkeypatch, *, walk: bool) -> tuple[tuple, dict]:
    """Every child the long way: not walked at all, or walked (for the tap) but never clean."""
    with monkeypatch.context() as patch:
        if walk:
            patch.setattr(CleanChildReader, "_clean_child", lambda self, shape: False)
        else:
            patch.setattr(reader, "walk_child", lambda child: None)
        return _read(path)


def _assert_same_frames(got: dict, want: dict) -> None:
    assert set(got) == set(want) == set(TABLES)
    for name in TABLES:
        assert_frame_equal(got[name], want[name])


@pytest.mark.parametrize("seed", [1, 2, 3, 4, 5, 6])
def test_short_way_stores_and_reports_what_the_long_way_does(tmp_path, monkeypatch, seed):
    path = hostile_file(tmp_path / "census.xml", seed)
    fast, fast_frames = _read(path)
    slow, slow_frames = _long_way(path, monkeypatch, walk=False)
    walked, walked_frames = _long_way(path, monkeypatch, walk=True)
    assert fast == slow == walked
    _assert_same_frames(fast_frames, slow_frames)
    _assert_same_frames(walked_frames, slow_frames)
    _assert_same_frames(fast_frames, load_cin_tables(path))
    tables, issues = fast[0], fast[6]
    assert issues and len(tables["child"]) > 50, "the file is meant to hold both problems and clean children"


def test_short_way_with_its_memos_full_still_reads_as_the_long_way(tmp_path, monkeypatch):
    # the short way's memos of dates and codes (column_memo.CellMemo) stop growing at
    # MAX_MEMO: past it every text is read afresh, to the same values and issues
    path = hostile_file(tmp_path / "census.xml", 8)
    with monkeypatch.context() as patch:
        patch.setattr(column_memo, "MAX_MEMO", 2)
        full, full_frames = _read(path)
    slow, slow_frames = _long_way(path, monkeypatch, walk=False)
    assert full == slow
    _assert_same_frames(full_frames, slow_frames)


def test_most_children_of_a_hostile_file_still_go_the_short_way(tmp_path, monkeypatch):
    path = hostile_file(tmp_path / "census.xml", 7)
    taken: list[bool] = []
    original = CleanChildReader._clean_child

    def spy(self, shape):  # type: ignore[no-untyped-def]
        taken.append(original(self, shape))
        return taken[-1]

    monkeypatch.setattr(CleanChildReader, "_clean_child", spy)
    read_cin_census(path, sink=ListSink())
    assert 0.2 < sum(taken) / len(taken) < 0.95, "both ways are meant to be exercised"


def test_what_a_clean_child_can_still_trigger_is_reported_as_the_long_way_does(tmp_path, monkeypatch):
    # an LAchildID used twice, and factors on an assessment not yet authorised (once per file)
    unauthorised = (
        "<Assessments><AssessmentActualStartDate>2024-07-02</AssessmentActualStartDate>"
        "<FactorsIdentifiedAtAssessment><AssessmentFactors>1A</AssessmentFactors>"
        "</FactorsIdentifiedAtAssessment></Assessments>"
    )
    path = write(
        tmp_path,
        child("C1", details=cin(body=unauthorised)),
        child("C1", details=cin("2024-07-01", body=unauthorised)),
        child("C2", details=cin(body=unauthorised)),
    )
    taken: list[bool] = []
    original = CleanChildReader._clean_child

    def spy(self, shape):  # type: ignore[no-untyped-def]
        taken.append(original(self, shape))
        return taken[-1]

    with monkeypatch.context() as patch:
        patch.setattr(CleanChildReader, "_clean_child", spy)
        fast = _read(path)[0]
    assert taken[1:] == [True, True]  # the first child teaches the reader its dates and codes
    assert fast == _long_way(path, monkeypatch, walk=False)[0]
    codes = [issue["code"] for issue in fast[6]]
    assert codes.count("duplicate-child") == 1 and codes.count("early-factors") == 1


# A child with every kind of record and nothing to report; each variant below
# changes it so that one check of the long way fires (or nearly does).
FULL = (
    "<Child><ChildIdentifiers><LAchildID>C{n}</LAchildID><UPN>A123456789012</UPN>"
    "<PersonBirthDate>2015-05-01</PersonBirthDate><Sex>F</Sex></ChildIdentifiers>"
    "<ChildCharacteristics><Ethnicity>WBRI</Ethnicity><Disabilities><Disability>MOB</Disability>"
    "</Disabilities></ChildCharacteristics>"
    "<CINdetails><CINreferralDate>2024-06-01</CINreferralDate><ReferralSource>2A</ReferralSource>"
    "<PrimaryNeedCode>N1</PrimaryNeedCode><CINclosureDate>2025-01-10</CINclosureDate>"
    "<ReasonForClosure>RC1</ReasonForClosure>"
    "<Assessments><AssessmentActualStartDate>2024-06-03</AssessmentActualStartDate>"
    "<AssessmentAuthorisationDate>2024-07-01</AssessmentAuthorisationDate>"
    "<FactorsIdentifiedAtAssessment><AssessmentFactors>1A</AssessmentFactors>"
    "</FactorsIdentifiedAtAssessment></Assessments>"
    "<CINPlanDates><CINPlanStartDate>2024-07-05</CINPlanStartDate>"
    "<CINPlanEndDate>2024-12-01</CINPlanEndDate></CINPlanDates>"
    "<Section47><S47ActualStartDate>2024-06-10</S47ActualStartDate>"
    "<InitialCPCtarget>2024-06-20</InitialCPCtarget><DateOfInitialCPC>2024-06-21</DateOfInitialCPC>"
    "<ICPCnotRequired>0</ICPCnotRequired></Section47><ReferralNFA>0</ReferralNFA>"
    "<ChildProtectionPlans><CPPstartDate>2024-06-21</CPPstartDate><CPPendDate>2024-12-20</CPPendDate>"
    "<InitialCategoryOfAbuse>NEG</InitialCategoryOfAbuse><LatestCategoryOfAbuse>NEG</LatestCategoryOfAbuse>"
    "<NumberOfPreviousCPP>1</NumberOfPreviousCPP><Reviews><CPPreviewDate>2024-09-01</CPPreviewDate>"
    "</Reviews></ChildProtectionPlans></CINdetails></Child>\n"
)


def _tag(name: str, text: str) -> str:
    return f"<{name}>{text}</{name}>"


def _swap(name: str, old: str, new: str | None) -> tuple[str, str]:
    return _tag(name, old), "" if new is None else _tag(name, new)


BARE = (  # a referral with nothing under it
    "<CINdetails><CINreferralDate>{referral}</CINreferralDate><ReferralSource>2A</ReferralSource>"
    "<ReferralNFA>0</ReferralNFA></CINdetails>"
)
EARLIER = [_swap("CINreferralDate", "2024-06-01", "2023-01-05")]  # a referral before the year
VARIANTS: list[list[tuple[str, str]]] = [
    [_swap("LAchildID", "C{n}", None)], [_swap("LAchildID", "C{n}", "")],
    [_swap("LAchildID", "C{n}", "X" * 51)], [_swap("LAchildID", "C{n}", "7.0")],
    [_swap("LAchildID", "C{n}", " C{n} ")], [_swap("LAchildID", "C{n}", "C1")],
    [_swap("UPN", "A123456789012", "bad")], [_swap("UPN", "A123456789012", "a123456789012")],
    [_swap("UPN", "A123456789012", "A1234567890123456")],
    [("</UPN>", "</UPN><UPNunknown>UN1</UPNunknown>")],
    [_swap("UPN", "A123456789012", "UN2"), ("<UPN>", "<UPNunknown>"), ("</UPN>", "</UPNunknown>")],
    [_swap("UPN", "A123456789012", "UN99"), ("<UPN>", "<UPNunknown>"), ("</UPN>", "</UPNunknown>")],
    [_swap("PersonBirthDate", "2015-05-01", None)],
    [_swap("PersonBirthDate", "2015-05-01", None), ("</Sex>", "</Sex><ExpectedPersonBirthDate>2025-05-01</ExpectedPersonBirthDate>")],
    [("</Sex>", "</Sex><ExpectedPersonBirthDate>2023-01-01</ExpectedPersonBirthDate>")],
    [_swap("PersonBirthDate", "2015-05-01", "2025-04-02")], [_swap("PersonBirthDate", "2015-05-01", "1990-01-01")],
    [_swap("PersonBirthDate", "2015-05-01", "01/05/2015")], [_swap("PersonBirthDate", "2015-05-01", "2015-02-30")],
    [("</Sex>", "</Sex><PersonDeathDate>2014-01-01</PersonDeathDate>")],
    [("</Sex>", "</Sex><PersonDeathDate>2024-05-01</PersonDeathDate>")],
    [("</Sex>", "</Sex><PersonDeathDate>2025-03-01</PersonDeathDate>")],
    [_swap("Sex", "F", None)], [_swap("Sex", "F", "1")], [_swap("Sex", "F", "X")], [_swap("Sex", "F", " f ")],
    [("<Sex>F</Sex>", "<GenderCurrent>2</GenderCurrent>")], [("</Sex>", "</Sex><GenderCurrent>2</GenderCurrent>")],
    [_swap("Ethnicity", "WBRI", None)], [_swap("Ethnicity", "WBRI", "XXXX")], [_swap("Ethnicity", "WBRI", "")],
    [_swap("Disability", "MOB", "NONE")], [("</Disability>", "</Disability><Disability>NONE</Disability>")],
    [("</Disability>", "</Disability><Disability>MOB</Disability>")], [_swap("Disability", "MOB", "ZZZ")],
    [_swap("Disability", "MOB", " ")], [("</Disability>", "</Disability><Other>1</Other>")],
    [_swap("CINreferralDate", "2024-06-01", None)], [_swap("CINreferralDate", "2024-06-01", "2024-13-01")],
    [_swap("CINreferralDate", "2024-06-01", "2025-04-01")], [_swap("CINreferralDate", "2024-06-01", "2014-01-01")],
    [("</CINdetails>", "</CINdetails><CINdetails><CINreferralDate>2024-06-01</CINreferralDate>"
      "<ReferralSource>2A</ReferralSource><ReferralNFA>0</ReferralNFA></CINdetails>")],
    [("</CINdetails>", "</CINdetails><CINdetails><CINreferralDate>2024-08-01</CINreferralDate>"
      "<ReferralSource>2A</ReferralSource><ReferralNFA>1</ReferralNFA></CINdetails>")],
    [_swap("ReferralSource", "2A", None)], [_swap("ReferralSource", "2A", "11")], [_swap("ReferralSource", "2A", "")],
    [_swap("PrimaryNeedCode", "N1", None)], [_swap("PrimaryNeedCode", "N1", "N10")],
    [_swap("CINclosureDate", "2025-01-10", "2024-05-01")], [_swap("CINclosureDate", "2025-01-10", "2025-04-02")],
    [*EARLIER, _swap("CINclosureDate", "2025-01-10", "2024-03-01")],
    [_swap("CINclosureDate", "2025-01-10", None)], [_swap("ReasonForClosure", "RC1", None)],
    [_swap("ReasonForClosure", "RC1", "RC99")],
    [_swap("ReferralNFA", "0", None)], [_swap("ReferralNFA", "0", "1")], [_swap("ReferralNFA", "0", "false")],
    [_swap("ReferralNFA", "0", "maybe")],
    [_swap("AssessmentActualStartDate", "2024-06-03", None)],
    [_swap("AssessmentActualStartDate", "2024-06-03", "2024-05-30")],
    [_swap("AssessmentActualStartDate", "2024-06-03", "2025-04-02")],
    [_swap("AssessmentAuthorisationDate", "2024-07-01", "2024-06-02")],
    [_swap("AssessmentAuthorisationDate", "2024-07-01", "2025-04-02")],
    [_swap("AssessmentAuthorisationDate", "2024-07-01", None)],
    [("</Assessments>", "</Assessments><Assessments><AssessmentActualStartDate>2024-06-03"
      "</AssessmentActualStartDate></Assessments>")],
    [("</AssessmentFactors>", "</AssessmentFactors><AssessmentFactors>21</AssessmentFactors>")],
    [_swap("AssessmentFactors", "1A", "21")], [_swap("AssessmentFactors", "1A", "18A")],
    [_swap("AssessmentFactors", "1A", "99")], [_swap("AssessmentFactors", "1A", " 1a ")],
    [_swap("CINPlanStartDate", "2024-07-05", None)], [_swap("CINPlanStartDate", "2024-07-05", "2024-05-01")],
    [_swap("CINPlanStartDate", "2024-07-05", "2025-04-02"), _swap("CINPlanEndDate", "2024-12-01", None)],
    [_swap("CINPlanEndDate", "2024-12-01", "2024-07-01")], [_swap("CINPlanEndDate", "2024-12-01", "2025-04-02")],
    [*EARLIER, _swap("CINPlanStartDate", "2024-07-05", "2023-02-01"),
     _swap("CINPlanEndDate", "2024-12-01", "2024-03-01")],
    [("</CINPlanDates>", "</CINPlanDates><CINPlanDates><CINPlanStartDate>2024-07-05</CINPlanStartDate></CINPlanDates>")],
    [_swap("S47ActualStartDate", "2024-06-10", None)], [_swap("S47ActualStartDate", "2024-06-10", "2024-05-01")],
    [_swap("S47ActualStartDate", "2024-06-10", "2025-04-02")],
    [_swap("InitialCPCtarget", "2024-06-20", "2024-06-01")], [_swap("DateOfInitialCPC", "2024-06-21", "2024-06-02")],
    [_swap("DateOfInitialCPC", "2024-06-21", "2025-04-02")], [_swap("ICPCnotRequired", "0", "1")],
    [_swap("ICPCnotRequired", "0", None)], [_swap("ICPCnotRequired", "0", "true")],
    [_swap("DateOfInitialCPC", "2024-06-21", None), _swap("ICPCnotRequired", "0", "1")],
    [("</Section47>", "</Section47><Section47><S47ActualStartDate>2024-06-10</S47ActualStartDate>"
      "<ICPCnotRequired>0</ICPCnotRequired></Section47>")],
    [_swap("CPPstartDate", "2024-06-21", None)], [_swap("CPPstartDate", "2024-06-21", "2024-05-01")],
    [_swap("CPPstartDate", "2024-06-21", "2025-04-02")], [_swap("CPPendDate", "2024-12-20", "2024-06-01")],
    [_swap("CPPendDate", "2024-12-20", "2025-04-02")],
    [*EARLIER, _swap("CPPstartDate", "2024-06-21", "2023-02-01"), _swap("CPPendDate", "2024-12-20", "2024-03-01"),
     _swap("CPPreviewDate", "2024-09-01", "2023-06-01")],
    [_swap("InitialCategoryOfAbuse", "NEG", None)], [_swap("LatestCategoryOfAbuse", "NEG", None)],
    [_swap("LatestCategoryOfAbuse", "NEG", "XYZ")], [_swap("NumberOfPreviousCPP", "1", "-1")],
    [_swap("NumberOfPreviousCPP", "1", "2.0")], [_swap("NumberOfPreviousCPP", "1", "")],
    [_swap("NumberOfPreviousCPP", "1", "12345")],
    [("</ChildProtectionPlans>", "</ChildProtectionPlans><ChildProtectionPlans><CPPstartDate>2024-06-21"
      "</CPPstartDate><InitialCategoryOfAbuse>NEG</InitialCategoryOfAbuse><LatestCategoryOfAbuse>NEG"
      "</LatestCategoryOfAbuse></ChildProtectionPlans>")],
    [_swap("CPPreviewDate", "2024-09-01", "2024-06-01")], [_swap("CPPreviewDate", "2024-09-01", "2024-12-21")],
    [_swap("CPPendDate", "2024-12-20", None), _swap("CPPreviewDate", "2024-09-01", "2025-04-02")],
    [_swap("CPPreviewDate", "2024-09-01", "")], [_swap("CPPreviewDate", "2024-09-01", "01/09/2024")],
    [_swap("CPPreviewDate", "2024-09-01", "1/9/24")], [_swap("CPPreviewDate", "2024-09-01", "2024-09-31")],
    [("<Reviews>", "<CPPreviews>"), ("</Reviews>", "</CPPreviews>")],
    [("<Reviews>", ""), ("</Reviews>", "")],
    [("</Reviews>", "<Other/></Reviews>")],
    [("</ChildIdentifiers>", "<Extra>1</Extra></ChildIdentifiers>")],
    [("<CINdetails>", "<Unknown/><CINdetails>")],
    [("</NumberOfPreviousCPP>", "</NumberOfPreviousCPP><NumberOfPreviousCPP>2</NumberOfPreviousCPP>")],
    [(FULL[FULL.index("<CINdetails>"):FULL.index("</Child>")], "")],
    [(FULL[FULL.index("<CINdetails>"):FULL.index("</Child>")], BARE.format(referral="2025-04-02"))],
    [(FULL[FULL.index("<CINdetails>"):FULL.index("</Child>")], BARE.format(referral="2015-02-01")),
     ("</Sex>", "</Sex><PersonDeathDate>2015-03-01</PersonDeathDate>")],
]


def test_each_check_of_the_long_way_against_the_short_way(tmp_path, monkeypatch):
    children = [FULL.format(n=0)]
    for n, variant in enumerate(VARIANTS, start=1):
        text = FULL
        for old, new in variant:
            assert old in text, old
            text = text.replace(old, new, 1)
        children += [text.format(n=n), FULL.format(n=1000 + n)]
    path = write(tmp_path, *children)
    taken: list[bool] = []
    original = CleanChildReader._clean_child

    def spy(self, shape):  # type: ignore[no-untyped-def]
        taken.append(original(self, shape))
        return taken[-1]

    with monkeypatch.context() as patch:
        patch.setattr(CleanChildReader, "_clean_child", spy)
        fast, fast_frames = _read(path)
    slow, slow_frames = _long_way(path, monkeypatch, walk=False)
    assert fast == slow
    _assert_same_frames(fast_frames, slow_frames)
    assert sum(taken) >= len(VARIANTS), "the unchanged children go the short way"
