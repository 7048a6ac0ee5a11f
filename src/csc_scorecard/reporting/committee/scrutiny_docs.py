"""The committee's own papers: the outcome tracker as at a meeting and the work programme.

Both read the scrutiny app only through :mod:`csc_scorecard.services.scrutiny`.
The tracker shows each item's status in words (Completed, Pending,
Incomplete) beside any colour, with the reason the dates give (or the
reason it was set by hand), grouped by the meeting where it was agreed, and
ends with the committee's key.
"""

from __future__ import annotations

import datetime as dt

from csc_scorecard.plans.highlight import PlanReport
from csc_scorecard.reporting.model import Cell, Heading, Para, Section, Table

__all__ = ["STATUS_CSS", "CommitteePaper", "build_tracker", "build_work_programme", "plan_link_words"]

class CommitteePaper(PlanReport):
    """The committee's own paper: it holds no figures, so no word about suppression."""

    @property
    def status_text(self) -> str:
        return "Draft" if self.draft else "Final"


#: the colour a status is shown in, always with its word (report.css rag classes)
STATUS_CSS = {"Completed": "rag-G", "Pending": "rag-A", "Incomplete": "rag-R"}


def _config():
    from csc_scorecard.reporting.config import load_report_config

    return load_report_config(None)


def long_date(day: dt.date) -> str:
    return f"{day.day} {day:%B %Y}"


def plan_link_words(programme=None, action=None, plan=None) -> str:
    """The link to the improvement plan in words: the action, else the programme, else the plan."""
    if action is not None:
        p = action.objective.programme
        return f"Action {action.reference} (programme {p.number}: {p.title})"
    if programme is not None:
        return f"{programme.plan.title}: programme {programme.number}, {programme.title}"
    if plan is not None:
        return plan.title
    return "All"


def tracker_rows(committee_slug: str, meeting) -> list:
    from csc_scorecard.services.scrutiny import tracker_as_of

    return tracker_as_of(committee_slug, meeting.date, for_meeting=meeting)


def build_tracker(meeting, *, draft: bool = True) -> PlanReport:
    """The outcome tracker reported to ``meeting``: items agreed at earlier meetings, each
    Completed item once (at the first meeting after its completion), statuses as at the meeting."""
    from csc_scorecard.scrutiny.status import KEY

    committee = meeting.committee
    rows = tracker_rows(committee.slug, meeting)
    report = CommitteePaper(
        kind="tracker", title=f"{committee.name}: outcome tracker",
        subtitle=f"As at the meeting of {long_date(meeting.date)}", period=meeting.date.isoformat(),
        period_name=long_date(meeting.date), council=_config(), draft=draft, publication=False,
        la_code="", computed_at=None, stem=f"tracker-{committee.slug}-{meeting.date.isoformat()}")
    counts = {s: sum(1 for r in rows if str(r.status) == s) for s in STATUS_CSS}
    blocks: list = [Para(
        f"{len(rows)} item{'s' if len(rows) != 1 else ''} on the tracker: " + ", ".join(
            f"{n} {s}" for s, n in counts.items()) + ". Each status is worked out from the dates by "
        "the key below, as at the day of the meeting; a status set by hand says so, with its reason.")]
    by_meeting: dict[dt.date, list] = {}
    for r in rows:
        by_meeting.setdefault(r.item.meeting.date, []).append(r)
    if not rows:
        blocks.append(Para("No outcome is being tracked for this meeting."))
    for day, items in by_meeting.items():
        blocks.append(Heading(f"Agreed at the meeting of {long_date(day)}", 3, f"agreed-{day.isoformat()}"))
        table_rows = []
        for r in items:
            item = r.item
            latest = r.updates[-1] if r.updates else None
            update = f"{latest.date:%d/%m/%Y}: {latest.text}" if latest else "No update"
            why = f"Set by hand: {r.reason}" if r.overridden else r.reason
            table_rows.append([
                Cell(item.agenda_item, row_header=True),
                Cell(plan_link_words(item.programme, item.action)),
                Cell(item.action_owner or "Not given"),
                Cell(item.agreed_outcome),
                Cell(str(r.status), css=STATUS_CSS.get(str(r.status), "")),
                Cell(why),
                Cell(update),
            ])
        blocks.append(Table(
            f"tracker-{day.isoformat()}", f"Outcomes agreed on {long_date(day)}",
            ["Agenda item", "Link to plan", "Action owner", "Agreed outcome", "Status", "Why",
             "Latest update"], table_rows, widths=[1.5, 1.4, 1.1, 2.4, 1.15, 2.0, 1.7]))
    report.sections.append(Section("tracker", "1", "Outcomes agreed at earlier meetings", blocks))
    key_rows = [[Cell(str(s), css=STATUS_CSS[str(s)]), Cell(text)] for s, text in KEY.items()]
    report.sections.append(Section("key", "2", "Key", [
        Table("tracker-key", "Key to the tracker's statuses", ["Status", "What it means"], key_rows,
              css="key", widths=[1.2, 5.0]),
        Para("Completed items are reported at the first meeting after completion and then removed "
             "from the tracker (they stay on the master copy). Pending: an update within the last "
             "3 months, or a due date not yet passed. Incomplete: no update for 3 months or more "
             "since the action was agreed (or since its last update); 3 months after a day is the "
             "same day of the month three months later.", css="small")]))
    return report


def build_work_programme(committee_slug: str, *, draft: bool = True) -> PlanReport:
    """The committee's work programme: every meeting in date order with its items in agenda order."""
    from csc_scorecard.services.scrutiny import committee, work_programme

    chosen = committee(committee_slug)
    programme = work_programme(committee_slug)
    first = programme[0][0].date if programme else None
    last = programme[-1][0].date if programme else None
    span = f"{long_date(first)} to {long_date(last)}" if first and last else "No meetings"
    report = CommitteePaper(
        kind="work-programme", title=f"{chosen.name}: work programme", subtitle=span,
        period="", period_name=span, council=_config(), draft=draft, publication=False, la_code="",
        computed_at=None, stem=f"work-programme-{chosen.slug}")
    blocks: list = []
    if chosen.remit:
        blocks.append(Para(chosen.remit))
    if not programme:
        blocks.append(Para("No meeting is planned."))
    for meeting, items in programme:
        title = f"{long_date(meeting.date)}" + (f": {meeting.title}" if meeting.title else "")
        blocks.append(Heading(title, 3, f"meeting-{meeting.date.isoformat()}"))
        if not items:
            blocks.append(Para("No items yet.", css="small"))
            continue
        rows = []
        for item in items:
            leads = " & ".join(x for x in (item.lead_member, item.lead_officer) if x) or "Not given"
            paper = item.get_paper_type_display()
            if item.paper_type == "performance_report" and item.report_kind:
                paper += f" ({item.report_kind}, {item.period})" if item.period else f" ({item.report_kind})"
            elif item.period:
                paper += f" ({item.period})"
            rows.append([Cell(f"{item.order}. {item.title}", row_header=True), Cell(paper),
                         Cell(plan_link_words(item.programme, None, item.plan)), Cell(leads)])
        blocks.append(Table(f"items-{meeting.date.isoformat()}", f"Items for {long_date(meeting.date)}",
                            ["Item", "Paper", "Link to plan", "Lead member and officer"], rows,
                            widths=[3.0, 1.8, 2.6, 2.0]))
    report.sections.append(Section("programme", "1", "Work programme", blocks))
    return report
