"""CIN census XML for one collection year, valid against that year's DfE schema.

CIN_schema_YYYY.xsd is the census for the year ending 31 March YYYY
(2024-25 -> CIN_schema_2025.xsd: the first with <Sex> M/F/U instead of
<GenderCurrent> 1/2/0/9).  CIN plan dates appear from 2021-22, closure reason
RC9 and referral source 5D from 2022-23, assessment factor 24A from 2021-22 and
the split abuse factors (18B/18C/19B/19C) from 2020-21.
"""

from __future__ import annotations

from pathlib import Path

from . import calendar as cal
from .views import YearView
from .write_903 import upn_for

SOFTWARE = "csc-scorecard synth"


def gender_element(sex: str, year: int) -> str:
    if year >= 2025:
        return f"<Sex>{sex}</Sex>"
    return f"<GenderCurrent>{ {'M': '1', 'F': '2'}.get(sex, '0') }</GenderCurrent>"


def source_code(src: str, year: int) -> str:
    if src == "5D" and year < 2023:
        return "5B"
    return src


def reason_code(reason: str, year: int) -> str:
    if reason == "RC9" and year < 2023:
        return "RC8"
    return reason


def factor_code(f: str, year: int) -> str:
    if year < 2021 and f in ("18B", "18C"):
        return "18A"
    if year < 2021 and f in ("19B", "19C"):
        return "19A"
    if year < 2022 and f == "24A":
        return "11A"
    return f


def _s47_in_return(s, y0: int, y1: int) -> bool:
    """An enquiry is returned when it started by the year end and its conference (or, with
    none, its start) falls in the year."""
    if s.start > y1:
        return False
    return (s.icpc if s.icpc is not None else s.start) >= y0


def write_cin(view: YearView, path: Path) -> int:
    v, year = view, view.year
    y0, y1 = v.y0, v.y1
    dt = cal.DateText()
    iso = dt.iso
    known = v.known
    la = v.council.la_code if v.council.la_code.isdigit() else "999"
    plans_allowed = year >= 2022
    out: list[str] = [
        '<?xml version="1.0" encoding="UTF-8"?>\n<Message>\n<Header><CollectionDetails>'
        f"<Collection>CIN</Collection><Year>{year}</Year><ReferenceDate>{iso(y1)}</ReferenceDate>"
        f"</CollectionDetails><Source><SourceLevel>L</SourceLevel><LEA>{la}</LEA>"
        f"<SoftwareCode>{SOFTWARE}</SoftwareCode><Release>1</Release><SerialNo>001</SerialNo>"
        f"<DateTime>{year}-05-01T09:00:00</DateTime></Source></Header>\n<Children>\n"
    ]
    n = 0
    for ch, refs in v.cin_children():
        n += 1
        upn = upn_for(ch, y1)
        if upn.startswith("UN"):
            ids = f"<UPNunknown>{upn}</UPNunknown>"
        else:
            ids = f"<UPN>{upn}</UPN>"
        dis = "".join(f"<Disability>{d}</Disability>" for d in (ch.disabilities or ("NONE",)))
        parts = [
            f"<Child><ChildIdentifiers><LAchildID>{ch.id}</LAchildID>{ids}"
            f"<PersonBirthDate>{iso(ch.dob)}</PersonBirthDate>{gender_element(ch.sex, year)}"
            f"</ChildIdentifiers><ChildCharacteristics><Ethnicity>{ch.eth}</Ethnicity>"
            f"<Disabilities>{dis}</Disabilities></ChildCharacteristics>"
        ]
        for r in refs:
            close = known(r.close)
            p = [
                f"<CINdetails><CINreferralDate>{iso(r.date)}</CINreferralDate>"
                f"<ReferralSource>{source_code(r.source, year)}</ReferralSource>"
            ]
            if not r.nfa:
                p.append(f"<PrimaryNeedCode>{r.need}</PrimaryNeedCode>")
            if close is not None:
                p.append(
                    f"<CINclosureDate>{iso(close)}</CINclosureDate>"
                    f"<ReasonForClosure>{reason_code(r.reason, year)}</ReasonForClosure>"
                )
            # The episode-level conference date is for a conference whose enquiry is not in
            # this year's return (an earlier year's); one in a Section47 module is recorded
            # there only (CIN rule 2884).
            first_icpc = None
            for s in r.s47:
                if (
                    s.icpc is not None
                    and not _s47_in_return(s, y0, y1)
                    and s.icpc <= y1
                    and (first_icpc is None or s.icpc < first_icpc)
                ):
                    first_icpc = s.icpc
            if first_icpc is not None:
                p.append(f"<DateOfInitialCPC>{iso(first_icpc)}</DateOfInitialCPC>")
            for a_start, a_auth in r.assessments:
                if a_start > y1 or a_auth < y0:
                    continue
                auth = known(a_auth)
                p.append(
                    f"<Assessments><AssessmentActualStartDate>{iso(a_start)}</AssessmentActualStartDate>"
                )
                if auth is not None:
                    p.append(
                        f"<AssessmentAuthorisationDate>{iso(auth)}</AssessmentAuthorisationDate>"
                    )
                    factors = r.factors or ("21",)
                    fs = sorted({factor_code(f, year) for f in factors})
                    p.append(
                        "<FactorsIdentifiedAtAssessment>"
                        + "".join(f"<AssessmentFactors>{f}</AssessmentFactors>" for f in fs)
                        + "</FactorsIdentifiedAtAssessment>"
                    )
                p.append("</Assessments>")
            if plans_allowed:
                for s, e in r.cin_plans:
                    if s > y1 or e < y0:
                        continue
                    end = known(e)
                    p.append(
                        f"<CINPlanDates><CINPlanStartDate>{iso(s)}</CINPlanStartDate>"
                        + (f"<CINPlanEndDate>{iso(end)}</CINPlanEndDate>" if end else "")
                        + "</CINPlanDates>"
                    )
            for s in r.s47:
                if not _s47_in_return(s, y0, y1):
                    continue
                target = cal.add_workdays(s.start, 15)
                icpc = known(s.icpc)
                p.append(
                    f"<Section47><S47ActualStartDate>{iso(s.start)}</S47ActualStartDate>"
                    f"<InitialCPCtarget>{iso(target)}</InitialCPCtarget>"
                    + (f"<DateOfInitialCPC>{iso(icpc)}</DateOfInitialCPC>" if icpc else "")
                    + f"<ICPCnotRequired>{'0' if s.needed else '1'}</ICPCnotRequired></Section47>"
                )
            p.append(f"<ReferralNFA>{'1' if r.nfa else '0'}</ReferralNFA>")
            for cp in r.cp:
                if cp.start > y1 or cp.end < y0:
                    continue
                end = known(cp.end)
                reviews = [d for d in cp.reviews if d <= y1]
                p.append(
                    f"<ChildProtectionPlans><CPPstartDate>{iso(cp.start)}</CPPstartDate>"
                    + (f"<CPPendDate>{iso(end)}</CPPendDate>" if end else "")
                    + f"<InitialCategoryOfAbuse>{cp.cat}</InitialCategoryOfAbuse>"
                    f"<LatestCategoryOfAbuse>{cp.latest}</LatestCategoryOfAbuse>"
                    f"<NumberOfPreviousCPP>{cp.n_prev}</NumberOfPreviousCPP>"
                    + (
                        "<Reviews>"
                        + "".join(f"<CPPreviewDate>{iso(d)}</CPPreviewDate>" for d in reviews)
                        + "</Reviews>"
                        if reviews
                        else ""
                    )
                    + "</ChildProtectionPlans>"
                )
            p.append("</CINdetails>")
            parts.append("".join(p))
        parts.append("</Child>\n")
        out.append("".join(parts))
    out.append("</Children>\n</Message>\n")
    if n == 0:
        raise RuntimeError("no children in need in the year; the census needs at least one child")
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "w", encoding="utf-8", newline="\n") as fh:
        fh.writelines(out)
    return n
