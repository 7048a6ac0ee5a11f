"""The shared fixtures of tests/conftest.py do what their consumers rely on."""

from __future__ import annotations

import polars as pl


def test_the_synthetic_council_is_captured_and_the_store_left_empty(synthetic_council):
    from csc_scorecard.results.models import IndicatorValue
    from csc_scorecard.store.models import Submission

    council = synthetic_council
    # what the consumers read was captured while the council was stored...
    assert "stored" in {o.status for o in council.outcomes}
    assert "rejected" not in {o.status for o in council.outcomes}
    assert council.case_data.la_code == council.la_code
    referrals = council.stored.filter(pl.col("indicator_id") == "referrals_count",
                                      pl.col("period") == "2024-25", pl.col("breakdown") == "all")
    assert referrals.height == 1 and referrals["numerator"][0] > 50
    assert set(council.stored["breakdown"].unique()) >= {"all", "area"}
    for (_kind, publication), files in council.reports.items():
        written = {fmt for fmt, path in files.paths.items() if path.stat().st_size > 1000}
        assert written == ({"html", "docx"} if publication else {"html", "pdf", "docx"})
    assert council.final_quarterly.paths["html"].is_file()
    # ...and none of it is left for another test to trip over
    assert not Submission.objects.exists()
    assert not IndicatorValue.objects.filter(la_code=council.la_code).exists()
