"""The reader's short-cuts for values read before (a clean date, a valid code, 0/1)
must never swallow a problem: a value with something to report is reported every
time it recurs, and only the clean ones are short-cut."""

from __future__ import annotations

from test_cin_census_reader import child, cin, codes, write

from csc_scorecard.returns.base import ListSink
from csc_scorecard.returns.cin_census import read_cin_census


def test_a_recurring_bad_value_is_reported_each_time(tmp_path):
    # three children share a clean referral date, two share a bad source and a non-ISO date
    path = write(
        tmp_path,
        child("C1", details=cin("2024-06-01", source="ZZ")),
        child("C2", details=cin("2024-06-01", source="ZZ")),
        child("C3", details=cin("2024-06-01")),
        child("C4", details=cin("02/07/2024", nfa="1")),
        child("C5", details=cin("02/07/2024", nfa="true")),
    )
    result = read_cin_census(path, sink=ListSink())
    assert [i.location.value for i in codes(result, "bad-code")] == ["ZZ", "ZZ"]
    not_iso = codes(result, "date-format")
    assert len(not_iso) == 1 and "(2 times in this file" in not_iso[0].message
    rows = result.tables["referral"]
    assert [r["source"] for r in rows] == ["", "", "2A", "2A", "2A"]
    assert [r["referral_date"].isoformat() for r in rows] == ["2024-06-01"] * 3 + ["2024-07-02"] * 2
    assert [r["nfa"] for r in rows] == [False, False, False, True, True]
    assert len(codes(result, "flag-format")) == 1  # "true", once per file


def test_the_memo_of_children_is_emptied_after_each_child(tmp_path):
    path = write(tmp_path, child("C1"), child("C2"))
    from csc_scorecard.returns.cin_census.reader import CensusReader

    seen: list[int] = []
    original = CensusReader._child

    def spy(self, element):  # type: ignore[no-untyped-def]
        seen.append(len(self.kids_of._found))
        original(self, element)

    CensusReader._child = spy  # type: ignore[method-assign]
    # every child the long way (the short way, clean_child.py, does not use the memo)
    CensusReader._clean_child = lambda self, shape: False  # type: ignore[method-assign]
    try:
        read_cin_census(path, sink=ListSink())
    finally:
        CensusReader._child = original  # type: ignore[method-assign]
        del CensusReader._clean_child
    assert seen == [0, 0]
