"""Child-level access by role, and the audit record every look leaves (pointing to an account)."""

import pytest
from services_storekit import D, account, referrals, submission, teams

from csc_scorecard.services.access import AccessDenied, children_behind, submission_issues

pytestmark = pytest.mark.django_db


@pytest.fixture()
def council():
    """Council 123, 2024-25: A referred in North (team T1); B and C in South (team T2)."""
    from csc_scorecard.store.models import IssueRecord

    cin = submission("cin_census", "2024-25")
    referrals(cin, ("A", D(2024, 5, 1)), ("B", D(2024, 6, 1)), ("C", D(2024, 7, 1)))
    IssueRecord.objects.create(submission=cin, severity="error", code="bad-date", row=4,
                               column="ReferralDate", value="C", message="not a date")
    teams(allocations=[("A", "T1"), ("B", "T2"), ("C", "T2")])
    return cin


def _children(who, **kw):
    listing = children_behind(who, "referrals_count", "2024-25", **kw)
    return sorted(r["child_id"] for r in listing.rows)


ROLE_MATRIX = [
    # (role, areas, asked area, children seen or None when refused)
    ("admin", (), None, ["A", "B", "C"]),
    ("analyst", (), None, ["A", "B", "C"]),
    ("analyst", (), "South", ["B", "C"]),
    ("manager", ("North",), None, ["A"]),
    ("manager", ("north",), "North", ["A"]),  # areas match whatever their case
    ("manager", ("North",), "South", None),
    ("manager", ("North", "South"), None, ["A", "B", "C"]),
    ("manager", (), None, None),  # a manager with no areas sees nobody
    ("viewer", (), None, None),
    ("viewer", (), "North", None),
]


@pytest.mark.parametrize(("role", "areas", "area", "seen"), ROLE_MATRIX)
def test_role_matrix_for_children_behind_a_figure(council, role, areas, area, seen):
    from csc_scorecard.store.models import AuditEvent

    who = account(f"{role}-{len(areas)}", role, areas)
    if seen is None:
        with pytest.raises(AccessDenied):
            _children(who, area=area)
    else:
        assert _children(who, area=area) == seen
    # one audit record either way, pointing to the account, naming no child
    event = AuditEvent.objects.get()
    assert event.account == who and event.user == who.username
    assert event.action == ("children" if seen is not None else "children-refused")
    assert event.rows == (len(seen) if seen is not None else None)
    assert "referrals_count" in event.detail
    assert not {"A", "B", "C"} & set(event.detail.replace(",", " ").split())


def test_deactivated_account_is_refused(council):
    who = account("gone", "analyst", active=False)
    with pytest.raises(AccessDenied, match="deactivated"):
        _children(who)


@pytest.mark.parametrize(("role", "allowed"), [
    ("admin", True), ("analyst", True), ("manager", False), ("viewer", False),
])
def test_issue_lists_are_for_analysts_and_admins(council, role, allowed):
    from csc_scorecard.store.models import AuditEvent

    who = account(f"i-{role}", role, ("North",) if role == "manager" else ())
    if allowed:
        sub, rows = submission_issues(who, str(council.pk), fmt="csv")
        assert sub.pk == council.pk and [r["code"] for r in rows] == ["bad-date"]
    else:
        with pytest.raises(AccessDenied):
            submission_issues(who, str(council.pk))
    event = AuditEvent.objects.get()
    assert event.account == who
    assert event.action == ("issues" if allowed else "issues-refused")
    assert event.rows == (1 if allowed else None)


def test_every_child_level_access_through_the_cli_is_audited_to_the_acting_account(council):
    from click.testing import CliRunner

    from csc_scorecard.cli import cli
    from csc_scorecard.store.models import AuditEvent

    mona = account("mona", "manager", ("North",))
    ana = account("ana", "analyst")
    runner = CliRunner()
    out = runner.invoke(cli, ["--as", "mona", "children", "referrals_count", "--period",
                              "2024-25", "--format", "csv"])
    assert out.exit_code == 0, out.output
    assert [line.split(",")[0] for line in out.stdout.splitlines()[1:]] == ["A"]
    out = runner.invoke(cli, ["--as", "ana", "issues", str(council.pk), "--format", "csv"])
    assert out.exit_code == 0, out.output
    refused = runner.invoke(cli, ["--as", "mona", "issues", str(council.pk)])
    assert refused.exit_code != 0 and "analysts and administrators" in refused.output
    events = list(AuditEvent.objects.order_by("id"))
    assert [(e.account, e.action, e.rows) for e in events] == [
        (mona, "children", 1), (ana, "issues", 1), (mona, "issues-refused", None),
    ]
