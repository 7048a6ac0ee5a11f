"""The issues table shows the rule, the child and the place, as the CLI's issue export does.

Child ids go only to roles allowed every area's child-level data (admin, analyst);
every look, granted or refused, is in the audit log.
"""

from __future__ import annotations

import csv
import io

import pytest
from django.urls import reverse

from csc_scorecard.services.returns import _may_see_children
from csc_scorecard.store.models import AuditEvent, IssueRecord, Submission

from .page_parse import read_table
from .web_helpers import make_account

pytestmark = pytest.mark.django_db

CHILD = "C0042"


@pytest.fixture()
def rule_submission(db):
    sub = Submission.objects.create(return_type="cin_census", year="2024-25", la_code="999", sha256="c" * 64,
                                    file_names=["cin_census.xml"], row_counts={"cin_child": 3})
    # a DfE rule's failure: no row number, the element path in "place", the child named
    IssueRecord.objects.create(submission=sub, severity="error", code="rule", rule="8565", child=CHILD,
                               file="cin_census.xml", table="cin_child", row=None, column="PersonBirthDate",
                               value="2031-01-01", message="Date of birth is after the census date",
                               place="Message/Children/Child[3]")
    # a reader's issue: a row number, no rule, no child
    IssueRecord.objects.create(submission=sub, severity="warning", code="bad-code", file="cin_census.xml",
                               table="cin_child", row=7, column="Sex", value="Q", message="Sex is not a code")
    return sub


@pytest.mark.parametrize("role", ["admin", "analyst"])
def test_allowed_roles_see_rule_child_and_place_and_the_look_is_audited(clients, rule_submission, role):
    page = clients[role].get(reverse("returns:issues", args=[rule_submission.pk])).content.decode()
    headings, rows = read_table(page, "issues-table")
    assert headings == ["Severity", "Code", "File", "Table", "Row", "Place", "Child", "Column", "Value",
                        "Rule", "Problem"]
    # errors first (issue_rows' order): the rule failure, then the reader's warning
    assert [(r["rule"], r["child"], r["place"], r["row"]) for r in rows] == [
        ("8565", CHILD, "Message/Children/Child[3]", ""),
        ("", "", "", "7"),
    ]
    event = AuditEvent.objects.get(action="issues-view")
    assert event.account.role == role and event.rows == 2
    assert "child ids shown" in event.detail and CHILD not in event.detail


def test_filtering_by_rule_keeps_only_that_rules_issues(clients, rule_submission):
    page = clients["analyst"].get(reverse("returns:issues", args=[rule_submission.pk]),
                                  {"rule": "8565"}).content.decode()
    _, rows = read_table(page, "issues-table")
    assert [r["code"] for r in rows] == ["rule"]


def test_the_csv_download_carries_the_same_columns(clients, rule_submission):
    text = clients["analyst"].get(reverse("returns:issues-csv", args=[rule_submission.pk])).content.decode()
    first = next(csv.DictReader(io.StringIO(text)))
    assert (first["rule"], first["child"], first["place"]) == ("8565", CHILD, "Message/Children/Child[3]")
    assert "child ids shown" in AuditEvent.objects.get(action="issues-export").detail


@pytest.mark.parametrize("role", ["manager", "viewer"])
def test_other_roles_are_refused_in_words_and_the_attempt_is_audited(clients, rule_submission, role):
    for name in ("returns:issues", "returns:issues-csv"):
        response = clients[role].get(reverse(name, args=[rule_submission.pk]))
        assert response.status_code == 403
        assert CHILD not in response.content.decode()
    refused = AuditEvent.objects.filter(action="issues-refused")
    assert refused.count() == 2 and {e.account.role for e in refused} == {role}


def test_only_roles_seeing_every_area_get_child_ids():
    assert _may_see_children(make_account("admin"))
    assert _may_see_children(make_account("analyst"))
    # a manager sees children of their own areas only; issues are not split by area
    assert not _may_see_children(make_account("manager", areas=["North"]))
    assert not _may_see_children(make_account("viewer"))
    gone = make_account("analyst", "left-analyst")
    gone.is_active = False
    assert not _may_see_children(gone)
