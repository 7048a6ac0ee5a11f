"""SSDA903 for one collection year: the CSV tables and the EXPSSDA903 XML.

Columns follow DfE's 903 specification for the year (the 2017 base plus the
changes since): SEX is 1/2 up to 2023-24 and M/F from 2024-25; placement P2
and H5 end on 28 October 2023 and K3 takes over; Z1 is split into Z11-Z14 from
2025-26; the social worker table exists from 2023-24.  Dates are dd/mm/yyyy.
"""

from __future__ import annotations

from pathlib import Path

from . import calendar as cal
from .model import Child
from .placement_distance import placement_fields
from .views import YearView

# table -> (file name, columns); spec table names in brackets where they differ
TABLES: dict[str, tuple[str, tuple[str, ...]]] = {
    "header": ("header.csv", ("CHILD", "SEX", "DOB", "ETHNIC", "UPN", "MOTHER", "MC_DOB")),
    "episodes": (
        "episodes.csv",
        (
            "CHILD",
            "DECOM",
            "RNE",
            "LS",
            "CIN",
            "PLACE",
            "PLACE_PROVIDER",
            "DEC",
            "REC",
            "REASON_PLACE_CHANGE",
            "HOME_POST",
            "PL_POST",
            "URN",
            "PL_DISTANCE",
            "PL_LA",
        ),
    ),
    "reviews": ("reviews.csv", ("CHILD", "DOB", "REVIEW", "REVIEW_CODE")),
    "uasc": ("uasc.csv", ("CHILD", "DOB", "SEX", "DUC")),
    "oc2": (
        "oc2.csv",
        (
            "CHILD",
            "DOB",
            "SDQ_SCORE",
            "SDQ_REASON",
            "CONVICTED",
            "HEALTH_CHECK",
            "IMMUNISATIONS",
            "TEETH_CHECK",
            "HEALTH_ASSESSMENT",
            "SUBSTANCE_MISUSE",
            "INTERVENTION_RECEIVED",
            "INTERVENTION_OFFERED",
        ),
    ),
    "oc3": ("oc3.csv", ("CHILD", "DOB", "IN_TOUCH", "ACTIV", "ACCOM")),
    "ad1": (
        "ad1.csv",
        (
            "CHILD",
            "DOB",
            "DATE_INT",
            "DATE_MATCH",
            "FOSTER_CARE",
            "NB_ADOPTR",
            "SEX_ADOPTR",
            "LS_ADOPTR",
        ),
    ),
    "placed_adoption": (
        "placed_for_adoption.csv",
        ("CHILD", "DOB", "DATE_PLACED", "DATE_PLACED_CEASED", "REASON_PLACED_CEASED"),
    ),
    "prev_perm": ("previous_permanence.csv", ("CHILD", "DOB", "PREV_PERM", "LA_PERM", "DATE_PERM")),
    "missing": ("missing.csv", ("CHILD", "DOB", "MISSING", "MIS_START", "MIS_END")),
    "social_worker": (
        "sw_episodes.csv",
        ("CHILD", "DOB", "SW_ID", "SW_DECOM", "SW_DEC", "SW_REASON"),
    ),
}

SW_TABLE_FROM = 2024  # the social worker table is part of the 2023-24 return onwards


def tables_for_year(year: int) -> list[str]:
    return [t for t in TABLES if t != "social_worker" or year >= SW_TABLE_FROM]


def sex_code(sex: str, year: int) -> str:
    if year >= 2025:
        return sex
    return {"M": "1", "F": "2"}.get(sex, "1")


def place_code(place: str, child: Child, year: int) -> str:
    if place == "Z1" and year >= 2026:
        return ("Z11", "Z12", "Z13", "Z14")[child.seed % 4]
    return place


def rec_code(rec: str | None, year: int) -> str:
    if rec is None:
        return ""
    if year <= 2018:
        return {"E45": "E43", "E46": "E43", "E47": "E44", "E48": "E44"}.get(rec, rec)
    return rec


def upn_for(ch: Child, on: int) -> str:
    """The child's UPN, or UN1 (under school age) as DfE's unknown-UPN codes allow."""
    return ch.upn if cal.age_on(ch.dob, on) >= 5 else "UN1"


# What the DfE's rules ask of the written values (the model keeps its own truth):
# no URN or provider where the placement cannot have one (rules 213, 222),
# none of the placement details for respite (214, 398). The mother item is answered
# for every girl looked after other than only for respite (393, 607).
NO_URN = frozenset({"H5", "P1", "P2", "P3", "R1", "R2", "R5", "T0", "T1", "T2", "T3", "T4", "Z1", "Z11", "Z12",
                    "Z13", "Z14"})
NO_PROVIDER = frozenset({"T0", "T1", "T2", "T3", "T4", "Z1", "Z11", "Z12", "Z13", "Z14"})


def review_code_for_age(code: str, dob: int, on: int) -> str:
    """PN0 is the code for a child under 4 at the review, and only for them (rules 440, 441)."""
    if cal.age_on(dob, on) < 4:
        return "PN0"
    return "PN1" if code == "PN0" else code


def oc2_for_rules(row: dict, age_start: int, age_end: int) -> dict:
    """The model's OC2 row as the DfE's rules want it written:
    health promotion (HEALTH_CHECK) only for under-5s (545/546); substance misuse
    always answered (182, 191, 547); intervention offered only when not received
    (158); no SDQ reason for under-4s or those 17 at the year's start (188, 189)."""
    row = dict(row)
    if age_end >= 5:
        row["HEALTH_CHECK"] = ""
    if not row["SUBSTANCE_MISUSE"]:
        row["SUBSTANCE_MISUSE"] = "0"
    if row["INTERVENTION_RECEIVED"] == "1":
        row["INTERVENTION_OFFERED"] = ""
    if age_end < 4 or age_start >= 17:
        row["SDQ_SCORE"] = row["SDQ_REASON"] = ""
    return row


def permanence_for_rules(prev_perm: tuple, start: int, uk) -> tuple[str, str, str]:
    """A previous permanence order other than Z1 names its LA and date (rule 630): an
    unknown LA is NUK; the model leaves some dates out, written as two years before
    care began (the spec's dd/mm/yyyy, which tests/synth checks)."""
    pp, la, dp = prev_perm
    if pp == "Z1":
        return pp, "", ""
    return pp, la or "NUK", uk(dp if dp is not None else start - 730)


def adoption_for_rules(adoption: tuple, last_place: str) -> tuple:
    """AD1 as the rules want it: adopted by the foster carers exactly when the last
    placement was with them (A3/A5, rule 335); one adopter is a single adopter (514, 519)."""
    di, dm, fc, nb, sx, lsa = adoption
    fc = "1" if last_place in ("A3", "A5") else "0"
    if sx in ("M1", "F1"):
        nb, lsa = "1", "L0"
    return di, dm, fc, nb, sx, lsa


def sw_reasons_at_start(episodes: list[tuple]) -> list[tuple]:
    """The model records why each social worker episode ended; the 903 wants, on each
    episode, why it began: first contact for the first, then the previous one's reason."""
    # An episode that began and ended on the same day is folded into the next (SW09STG2).
    kept = [ep for i, ep in enumerate(episodes) if ep[2] > ep[1] or i == len(episodes) - 1]
    out = []
    for i, (sw, s, e, _reason) in enumerate(kept):
        start = kept[i - 1][2] if i else s
        out.append((sw, start if i else s, e, "FCONTA" if i == 0 else (kept[i - 1][3] or "OTHERS")))
    return out


def _line(values) -> str:
    return ",".join(values) + "\n"


class Writer903:
    def __init__(self, view: YearView):
        self.v = view
        self.dt = cal.DateText()

    def build(self) -> dict[str, list[list[str]]]:
        """All rows of every table, sorted by child then date."""
        v, dt, year = self.v, self.dt, self.v.year
        y0, y1 = v.y0, v.y1
        rows: dict[str, list[list[str]]] = {t: [] for t in tables_for_year(year)}
        xml_children: list[str] = []
        known = v.known
        uk = dt.uk
        own_la = v.council.la_code
        for ch in v.history.children:
            periods = v.cla_periods(ch)
            ages = v.care_leaver_birthdays(ch)
            uasc_now = ch.uasc and ch.duc is not None and periods
            in_uasc_table = bool(periods and (uasc_now or (ch.uasc and ages)))
            if not periods and not ages:
                continue
            cid, dob = ch.id, uk(ch.dob)
            sex = sex_code(ch.sex, year)
            real = [p for p in periods if not p.short_break]
            mother = ""
            mc_dob = ""
            if ch.sex == "F" and real:
                # The first child's birth date is fixed (the same every year, rule 624) and a
                # mother is 12 or over (rule 620); until that birth she is not yet a mother.
                born = real[0].start + 200
                if (ch.seed >> 7) % 40 == 0 and cal.age_on(ch.dob, y1) >= 12 and born <= y1:
                    mother, mc_dob = "1", uk(born)
                else:
                    mother = "0"
            upn = upn_for(ch, y1)
            rows["header"].append([cid, sex, dob, ch.eth, upn, mother, mc_dob])
            x_eps: list[str] = []
            x_missing: list[str] = []
            x_reviews: list[str] = []
            x_adopt = ""
            x_placed: list[str] = []
            x_perm = ""
            perm_written = False
            for p in periods:
                for e in p.episodes:
                    if e.start > y1 or e.end < y0:
                        continue
                    dec = known(e.end)
                    if dec is None:
                        rec, rpc = "", ""
                    else:
                        rec, rpc = rec_code(e.rec, year), e.rpc
                    sb = p.short_break
                    place = place_code(e.place, ch, year)
                    if sb:
                        home, placed, miles, pl_la = "", "", "", ""
                    else:
                        home, placed, miles, pl_la = placement_fields(
                            own_la, cid, e.start, p.home_post, e.pl_post, place, e.far
                        )
                        if in_uasc_table:
                            miles = ""  # no distance for a child who is or was UASC (rule 406)
                    row = [
                        cid,
                        uk(e.start),
                        e.rne,
                        e.ls,
                        p.need,
                        place,
                        "" if place in NO_PROVIDER else e.provider,
                        uk(dec),
                        rec,
                        rpc,
                        home,
                        placed,
                        "" if sb or place in NO_URN else e.urn,
                        miles,
                        pl_la,
                    ]
                    rows["episodes"].append(row)
                    x_eps.append(
                        f"<EPISODE><DECOM>{row[1]}</DECOM><RNE>{e.rne}</RNE><LS>{e.ls}</LS>"
                        f"<CIN>{p.need}</CIN><PL>{row[5]}</PL><PL_POST>{row[11]}</PL_POST>"
                        f"<HOME_POST>{row[10]}</HOME_POST><URN>{row[12]}</URN>"
                        f"<PLACE_PROVIDER>{row[6]}</PLACE_PROVIDER><DEC>{row[7]}</DEC>"
                        f"<REC>{rec}</REC><REASON_PLACE_CHANGE>{rpc}</REASON_PLACE_CHANGE></EPISODE>"
                    )
                if p.short_break:
                    # A respite period that began this year still answers previous permanence (630).
                    if y0 <= p.start <= y1 and not perm_written:
                        perm_written = True
                        rows["prev_perm"].append([cid, dob, "Z1", "", ""])
                        x_perm = "<PERMANENCE><PREV_PERM>Z1</PREV_PERM></PERMANENCE>"
                    continue
                for r, code in p.reviews:
                    if y0 <= r <= y1:
                        code = review_code_for_age(code, ch.dob, r)
                        rows["reviews"].append([cid, dob, uk(r), code])
                        x_reviews.append(
                            f"<AREVIEW><REVIEW>{uk(r)}</REVIEW><REVIEW_CODE>{code}</REVIEW_CODE></AREVIEW>"
                        )
                for kind, s, e in p.missing:
                    if y0 <= s <= y1:
                        rows["missing"].append([cid, dob, kind, uk(s), uk(known(e))])
                        x_missing.append(
                            f"<AMISSING><MISSING>{kind}</MISSING><MIS_START>{uk(s)}</MIS_START>"
                            f"<MIS_END>{uk(known(e))}</MIS_END></AMISSING>"
                        )
                if y0 <= p.start <= y1 and not perm_written:
                    perm_written = True  # one row per child (INT35): the first period's answer
                    pp, la, date_perm = permanence_for_rules(p.prev_perm, p.start, uk)
                    rows["prev_perm"].append([cid, dob, pp, la, date_perm])
                    x_perm = (
                        f"<PERMANENCE><PREV_PERM>{pp}</PREV_PERM><LA_PERM>{la}</LA_PERM>"
                        f"<DATE_PERM>{date_perm}</DATE_PERM></PERMANENCE>"
                    )
                if p.placed_decision is not None and p.placed_decision[0] <= y1:
                    d, ceased, reason = p.placed_decision
                    ceased_k = known(ceased)
                    if ceased_k is None or ceased_k >= y0:
                        rows["placed_adoption"].append(
                            [cid, dob, uk(d), uk(ceased_k), reason if ceased_k else ""]
                        )
                        x_placed.append(
                            f"<AD_PLACED><DATE_PLACED>{uk(d)}</DATE_PLACED>"
                            f"<DATE_PLACED_CEASED>{uk(ceased_k)}</DATE_PLACED_CEASED>"
                            f"<REASON_PLACED_CEASED>{reason if ceased_k else ''}</REASON_PLACED_CEASED></AD_PLACED>"
                        )
                if p.adoption is not None and y0 <= p.end <= y1:
                    di, dm, fc, nb, sx, lsa = adoption_for_rules(p.adoption, p.episodes[-1].place)
                    rows["ad1"].append([cid, dob, uk(di), uk(dm), fc, nb, sx, lsa])
                    x_adopt = (
                        f"<DATE_INT>{uk(di)}</DATE_INT><DATE_MATCH>{uk(dm)}</DATE_MATCH>"
                        f"<FOSTER_CARE>{fc}</FOSTER_CARE><NB_ADOPTR>{nb}</NB_ADOPTR>"
                        f"<SEX_ADOPTR>{sx}</SEX_ADOPTR><LS_ADOPTR>{lsa}</LS_ADOPTR>"
                    )
                if "social_worker" in rows:
                    for sw, s, e, reason in sw_reasons_at_start(p.sw):
                        if s <= y1 and e >= y0:
                            end = known(e) if e < p.end or p.end <= y1 else None
                            rows["social_worker"].append(
                                [cid, dob, sw, uk(s), uk(end), reason]
                            )
            x_duc = ""
            uasc_flag = "0"  # the XML's UASC item is always answered, 0 or 1 (rule 105)
            # Not for care leavers with no episode this year (rule 1014).
            if periods and (uasc_now or (ch.uasc and ages)):
                rows["uasc"].append([cid, dob, sex, uk(ch.duc)])
                uasc_flag = "1"
                x_duc = f"<DUC>{uk(ch.duc)}</DUC>"
            x_oc3 = ""
            for age in ages:
                it, ac, acc = v.oc3(ch, age)
                rows["oc3"].append([cid, dob, it, ac, acc])
                x_oc3 = f"<IN_TOUCH>{it}</IN_TOUCH><ACTIV>{ac}</ACTIV><ACCOM>{acc}</ACCOM>"
            oc2 = v.oc2_rows(ch)
            x_oc2 = ""
            if oc2 is not None:
                oc2 = oc2_for_rules(oc2, cal.age_on(ch.dob, y0), cal.age_on(ch.dob, y1))
                rows["oc2"].append([cid, dob, *oc2.values()])
                x_oc2 = "<OC2>" + "".join(f"<{k}>{val}</{k}>" for k, val in oc2.items()) + "</OC2>"
            xml_children.append(
                f"<CHILD><HEADER><CHILDID>{cid}</CHILDID><UPN>{upn}</UPN><SEX>{sex}</SEX>"
                f"<DOB>{dob}</DOB><ETHNIC>{ch.eth}</ETHNIC><UASC>{uasc_flag}</UASC>{x_duc}"
                f"{x_adopt}{x_oc3}{''.join(x_missing)}{''.join(x_reviews)}"
                f"<MOTHER>{mother}</MOTHER><MC_DOB>{mc_dob}</MC_DOB>{x_perm}{x_oc2}"
                f"{''.join(x_placed)}</HEADER>{''.join(x_eps)}</CHILD>"
            )
        self.xml_children = xml_children
        return rows

    def write(self, out_dir: Path, xml_path: Path | None = None) -> dict[str, int]:
        """Write the CSV tables into ``out_dir`` and, when ``xml_path`` is given, the
        same return as one XML file there (keep it out of ``out_dir``: see generate)."""
        rows = self.build()
        out_dir.mkdir(parents=True, exist_ok=True)
        counts = {}
        self.children_with_episodes = len({r[0] for r in rows["episodes"]})
        for table, table_rows in rows.items():
            fname, cols = TABLES[table]
            # children are visited in id order already; sort within child by the row
            table_rows.sort(key=_sort_key)
            with open(out_dir / fname, "w", encoding="utf-8", newline="") as fh:
                fh.write(_line(cols))
                fh.writelines(_line(r) for r in table_rows)
            counts[fname] = len(table_rows)
        if xml_path is not None:
            xml_path.parent.mkdir(parents=True, exist_ok=True)
            with open(xml_path, "w", encoding="utf-8", newline="\n") as fh:
                fh.write('<?xml version="1.0" encoding="UTF-8"?>\n<EXPSSDA903>\n')
                for x in self.xml_children:
                    fh.write(x)
                    fh.write("\n")
                fh.write("</EXPSSDA903>\n")
            counts["ssda903.xml"] = len(self.xml_children)
        return counts


def _sort_key(row: list[str]):
    # child id (numeric), then the first date column as yyyymmdd, then the rest
    key = [int(row[0]) if row[0].isdigit() else row[0]]
    for cell in row[1:]:
        if len(cell) == 10 and cell[2] == "/" and cell[5] == "/":
            key.append(cell[6:] + cell[3:5] + cell[:2])
        else:
            key.append(cell)
    return key
