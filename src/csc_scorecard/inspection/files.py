"""Reading the inspection and self-evaluation files (YAML or Excel), every problem located.

The templates are documented in docs/inspection.md and docs/self-evaluation.md.
A file is read whole and checked whole: :class:`FileProblems` lists every
problem ("file, line 12: ..." or "file, sheet recommendations, row 4: ...")
and nothing is stored unless there are none.

What is read is plain data (:class:`InspectionFile`, and
:class:`csc_scorecard.inspection.document.Evaluation`); storing it is
csc_scorecard.services.inspection's job.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from csc_scorecard.indicators.catalogue import get_catalogue
from csc_scorecard.inspection.document import Bullet, Evaluation, Part
from csc_scorecard.inspection.references import ReferenceSyntaxError, split_text

__all__ = [
    "FileProblems",
    "InspectionFile",
    "JudgementRow",
    "RecommendationRow",
    "read_evaluation_file",
    "read_inspection_file",
]

KINDS = {
    "ilacs": "ilacs", "ilacs inspection": "ilacs", "inspection of local authority children's services": "ilacs",
    "focused visit": "focused_visit", "focused_visit": "focused_visit",
    "jtai": "jtai", "joint targeted area inspection": "jtai",
    "monitoring visit": "monitoring_visit", "monitoring_visit": "monitoring_visit",
}
GRADES = {
    "outstanding": "outstanding", "good": "good",
    "requires improvement": "requires_improvement", "requires_improvement": "requires_improvement",
    "requires improvement to be good": "requires_improvement", "inadequate": "inadequate",
}


class FileProblems(ValueError):
    def __init__(self, path: Path | str, problems: list[str]) -> None:
        self.problems = problems
        n = len(problems)
        super().__init__(f"{Path(path).name}: {n} problem{'s' if n != 1 else ''}, nothing was "
                         "stored:\n" + "\n".join(f"  {p}" for p in problems))


@dataclass
class JudgementRow:
    area: str
    grade: str


@dataclass
class RecommendationRow:
    number: str
    text: str
    indicators: list[str] = field(default_factory=list)
    actions: list[str] = field(default_factory=list)


@dataclass
class InspectionFile:
    kind: str
    title: str
    start_date: dt.date
    end_date: dt.date
    published_date: dt.date | None
    report_url: str
    summary: str
    judgements: list[JudgementRow]
    recommendations: list[RecommendationRow]


# ----------------------------------------------------------------- rows with places
# Both formats become the same "records": dicts of plain values with a place
# for each record and each field, so one checker serves YAML and Excel.


@dataclass
class Record:
    values: dict[str, Any]
    where: str  # the record's place
    places: dict[str, str] = field(default_factory=dict)  # field -> place

    def at(self, key: str) -> str:
        return self.places.get(key, self.where)


def _yaml_records(path: Path, problems: list[str]) -> dict[str, Any]:
    """The YAML document as {"document": Record, "<list>": [Record, ...]}."""
    try:
        root = yaml.compose(path.read_text(encoding="utf-8"))
    except (yaml.YAMLError, UnicodeDecodeError) as exc:
        mark = getattr(exc, "problem_mark", None)
        line = f", line {mark.line + 1}" if mark else ""
        problems.append(f"{path.name}{line}: not readable YAML ({getattr(exc, 'problem', exc)})")
        return {}
    if not isinstance(root, yaml.MappingNode):
        problems.append(f"{path.name}: expected keys at the top of the file")
        return {}

    def where(node: yaml.Node) -> str:
        return f"{path.name}, line {node.start_mark.line + 1}"

    def record(node: yaml.Node) -> Record | None:
        if not isinstance(node, yaml.MappingNode):
            problems.append(f"{where(node)}: expected keys and values here")
            return None
        rec = Record({}, where(node))
        for k, v in node.value:
            rec.values[k.value] = yaml.safe_load(yaml.serialize(v))
            rec.places[k.value] = where(v)
        return rec

    out: dict[str, Any] = {}
    top = Record({}, f"{path.name}, line 1")
    for key, value in root.value:
        if isinstance(value, yaml.SequenceNode) and key.value in (
                "sections", "judgements", "recommendations"):
            recs = []
            for item in value.value:
                rec = record(item)
                if rec is not None:
                    # a section's evidence keeps each bullet's line
                    for k, v in (item.value if isinstance(item, yaml.MappingNode) else []):
                        if k.value == "evidence" and isinstance(v, yaml.SequenceNode):
                            rec.values["evidence"] = [
                                (yaml.safe_load(yaml.serialize(b)), where(b)) for b in v.value]
                    recs.append(rec)
            out[key.value] = recs
        elif key.value == "inspection" and isinstance(value, yaml.MappingNode):
            for k, v in value.value:  # the visit's own fields, each at its line
                top.values[k.value] = yaml.safe_load(yaml.serialize(v))
                top.places[k.value] = where(v)
        else:
            top.values[key.value] = yaml.safe_load(yaml.serialize(value))
            top.places[key.value] = where(value)
    out["document"] = top
    return out


def _xlsx_records(path: Path, problems: list[str], list_sheets: tuple[str, ...]) -> dict[str, Any]:
    from openpyxl import load_workbook

    try:
        book = load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # noqa: BLE001 - any unreadable workbook gets the same answer
        problems.append(f"{path.name}: not a readable Excel workbook ({type(exc).__name__})")
        return {}
    sheets = {name.strip().lower(): book[name] for name in book.sheetnames}
    out: dict[str, Any] = {}
    doc = Record({}, f"{path.name}, sheet document")
    if "document" in sheets:
        for i, row in enumerate(sheets["document"].iter_rows(values_only=True), start=1):
            if row and row[0] not in (None, "") and str(row[0]).strip().lower() != "field":
                key = str(row[0]).strip().lower()
                doc.values[key] = row[1] if len(row) > 1 else None
                doc.places[key] = f"{path.name}, sheet document, row {i}"
    else:
        problems.append(f"{path.name}: no sheet called 'document' (field / value rows)")
    out["document"] = doc
    for name in list_sheets:
        if name not in sheets:
            continue
        rows = list(sheets[name].iter_rows(values_only=True))
        if not rows:
            continue
        header = [str(h).strip().lower() if h is not None else "" for h in rows[0]]
        recs = []
        for i, row in enumerate(rows[1:], start=2):
            if all(v in (None, "") for v in row):
                continue
            place = f"{path.name}, sheet {name}, row {i}"
            rec = Record({}, place)
            for h, v in zip(header, row, strict=False):
                if h:
                    rec.values[h] = v
                    rec.places[h] = place
            recs.append(rec)
        out[name] = recs
    book.close()
    return out


def _records(path: Path | str, problems: list[str], list_sheets: tuple[str, ...]) -> dict[str, Any]:
    path = Path(path)
    if not path.is_file():
        problems.append(f"{path}: no such file")
        return {}
    if path.suffix.lower() in (".yml", ".yaml"):
        return _yaml_records(path, problems)
    if path.suffix.lower() in (".xlsx", ".xlsm"):
        return _xlsx_records(path, problems, list_sheets)
    problems.append(f"{path.name}: expected a .yml or .xlsx file")
    return {}


# ----------------------------------------------------------------- field checks


def _text(rec: Record, key: str, problems: list[str], *, required: bool = True) -> str:
    value = rec.values.get(key)
    text = "" if value is None else str(value).strip()
    if required and not text:
        problems.append(f"{rec.at(key)}: {key} is missing")
    return text


def _date(rec: Record, key: str, problems: list[str], *, required: bool = True) -> dt.date | None:
    value = rec.values.get(key)
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if value in (None, ""):
        if required:
            problems.append(f"{rec.at(key)}: {key} is missing (a date, YYYY-MM-DD)")
        return None
    try:
        return dt.date.fromisoformat(str(value).strip())
    except ValueError:
        problems.append(f"{rec.at(key)}: {key} {value!r} is not a date (expected YYYY-MM-DD)")
        return None


def _list(rec: Record, key: str) -> list[str]:
    value = rec.values.get(key)
    if value in (None, ""):
        return []
    if isinstance(value, list):
        return [str(v).strip() for v in value if str(v).strip()]
    return [v.strip() for v in str(value).replace(";", ",").split(",") if v.strip()]


def _unknown_keys(rec: Record, allowed: set[str], problems: list[str]) -> None:
    for key in rec.values:
        if key not in allowed:
            problems.append(f"{rec.at(key)}: unknown field {key!r}; expected one of "
                            + ", ".join(sorted(allowed)))


# ----------------------------------------------------------------- inspections


def read_inspection_file(path: Path | str) -> InspectionFile:
    """The inspection in the file; FileProblems listing every problem."""
    problems: list[str] = []
    recs = _records(path, problems, ("judgements", "recommendations"))
    if problems:
        raise FileProblems(path, problems)
    doc: Record = recs["document"]
    if isinstance(doc.values.get("inspection"), dict):  # YAML: the visit under "inspection:"
        inner = doc.values.pop("inspection")
        place = doc.places.get("inspection", doc.where)
        doc.values.update(inner)
        doc.places.update({k: place for k in inner})
    _unknown_keys(doc, {"kind", "title", "start_date", "end_date", "published_date",
                        "report_url", "summary"}, problems)
    kind_word = _text(doc, "kind", problems)
    kind = KINDS.get(kind_word.lower())
    if kind_word and kind is None:
        problems.append(f"{doc.at('kind')}: kind {kind_word!r} is not one of ILACS, focused visit, "
                        "JTAI, monitoring visit")
    start, end = _date(doc, "start_date", problems), _date(doc, "end_date", problems)
    if start and end and end < start:
        problems.append(f"{doc.at('end_date')}: end_date {end} is before start_date {start}")
    published = _date(doc, "published_date", problems, required=False)
    url = _text(doc, "report_url", problems, required=False)
    if url and not url.startswith(("https://", "http://")):
        problems.append(f"{doc.at('report_url')}: report_url should start with https://")
    judgements: list[JudgementRow] = []
    for rec in recs.get("judgements", []):
        _unknown_keys(rec, {"area", "grade"}, problems)
        area, grade_word = _text(rec, "area", problems), _text(rec, "grade", problems)
        grade = GRADES.get(grade_word.lower())
        if grade_word and grade is None:
            problems.append(f"{rec.at('grade')}: grade {grade_word!r} is not one of outstanding, "
                            "good, requires improvement to be good, inadequate")
        if any(j.area == area for j in judgements):
            problems.append(f"{rec.at('area')}: area {area!r} is judged twice")
        judgements.append(JudgementRow(area, grade or ""))
    if judgements and kind not in (None, "ilacs"):
        problems.append(f"{doc.at('kind')}: only ILACS inspections are graded; this "
                        f"{kind_word} has judgements")
    catalogue = get_catalogue()
    recommendations: list[RecommendationRow] = []
    for rec in recs.get("recommendations", []):
        _unknown_keys(rec, {"number", "text", "indicators", "actions"}, problems)
        number, text = _text(rec, "number", problems).upper(), _text(rec, "text", problems)
        if number and any(r.number == number for r in recommendations):
            problems.append(f"{rec.at('number')}: recommendation {number} appears twice")
        indicators = _list(rec, "indicators")
        for ident in indicators:
            if ident not in catalogue:
                problems.append(f"{rec.at('indicators')}: {catalogue.unknown_message(ident)}")
        recommendations.append(RecommendationRow(number, text, indicators, _list(rec, "actions")))
    if problems or start is None or end is None:
        raise FileProblems(path, problems)
    return InspectionFile(kind or "", _text(doc, "title", problems, required=False)
                          or f"{kind_word} {start:%B %Y}", start, end, published,
                          url, _text(doc, "summary", problems, required=False), judgements,
                          recommendations)


# ----------------------------------------------------------------- self-evaluations


def read_evaluation_file(path: Path | str) -> Evaluation:
    """The self-evaluation in the file, references checked for syntax; FileProblems otherwise."""
    problems: list[str] = []
    recs = _records(path, problems, ("evidence",))
    if problems:
        raise FileProblems(path, problems)
    doc: Record = recs["document"]
    _unknown_keys(doc, {"title", "period", "inspection", "status", "sections"}, problems)
    title = _text(doc, "title", problems)
    period = _text(doc, "period", problems, required=False)
    if period and period.lower() != "latest":
        from csc_scorecard.periods import PeriodError, parse_period

        try:
            period = parse_period(period).label
        except PeriodError as exc:
            problems.append(f"{doc.at('period')}: {exc}")
    status = _text(doc, "status", problems, required=False).lower() or "draft"
    if status not in ("draft", "final"):
        problems.append(f"{doc.at('status')}: status {status!r} is not draft or final")
    parts: list[Part] = []
    if "sections" in recs:  # YAML: sections with their evidence lists
        for n, rec in enumerate(recs["sections"], start=1):
            _unknown_keys(rec, {"theme", "title", "recommendations", "evidence"}, problems)
            part = Part(_text(rec, "theme", problems), _text(rec, "title", problems),
                        [r.upper() for r in _list(rec, "recommendations")], [], rec.where)
            for text, where in rec.values.get("evidence") or []:
                part.bullets.append(Bullet("" if text is None else str(text).strip(), where))
            if not part.bullets:
                problems.append(f"{rec.where}: section {n} has no evidence bullets")
            parts.append(part)
    else:  # Excel: one bullet a row, theme and title carried down
        for rec in recs.get("evidence", []):
            _unknown_keys(rec, {"theme", "title", "recommendations", "evidence"}, problems)
            theme = _text(rec, "theme", problems, required=False)
            title_ = _text(rec, "title", problems, required=False)
            if theme or title_ or not parts:
                parts.append(Part(theme or (parts[-1].theme if parts else ""), title_,
                                  [r.upper() for r in _list(rec, "recommendations")], [], rec.where))
            parts[-1].bullets.append(Bullet(_text(rec, "evidence", problems), rec.at("evidence")))
    if not parts:
        problems.append(f"{Path(path).name}: no sections")
    for part in parts:
        if not part.theme:
            problems.append(f"{part.where}: theme is missing")
        for bullet in part.bullets:
            if not bullet.text:
                problems.append(f"{bullet.where}: an empty evidence bullet")
                continue
            try:
                refs = split_text(bullet.text)
            except ReferenceSyntaxError as exc:
                problems.append(f"{bullet.where}: {exc}")
                continue
            catalogue = get_catalogue()
            for ref in refs:
                if not isinstance(ref, str) and ref.indicator_id not in catalogue:
                    problems.append(f"{bullet.where}: {ref.text}: "
                                    f"{catalogue.unknown_message(ref.indicator_id)}")
    if problems:
        raise FileProblems(path, problems)
    return Evaluation(title, parts, period if period.lower() != "latest" else "",
                      _text(doc, "inspection", problems, required=False), final=status == "final")
