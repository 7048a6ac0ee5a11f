"""An ingest that stores a return recomputes, through services.recompute, what it made stale."""

import pytest
from click.testing import CliRunner

from csc_scorecard.cli import cli
from csc_scorecard.config import shared_dir

CIN_2024 = shared_dir() / "fixtures" / "cin_census" / "CIN_Census_2024.xml"

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(not CIN_2024.exists(), reason="../shared/fixtures is not beside the repo"),
]


def test_cli_ingest_recomputes_the_years_the_return_feeds(home):
    from csc_scorecard.results.models import ComputedYear
    from csc_scorecard.services.recompute import stale_years
    from csc_scorecard.store.models import Submission

    (home / "council.yml").write_text("population_0_17: 10000\n")
    out = CliRunner().invoke(cli, ["ingest", str(CIN_2024)])
    assert out.exit_code == 0, out.output
    sub = Submission.objects.get()
    computed = ComputedYear.objects.get(la_code=sub.la_code, year=sub.year)
    # the year records the submission it was computed from, and the population used
    assert computed.submissions == [[sub.pk, sub.sha256]]
    assert (computed.population, computed.population_source) == (10_000, "set")
    assert computed.values.filter(period=sub.year).exists()
    assert stale_years() == []
    status = CliRunner().invoke(cli, ["status"])
    assert status.exit_code == 0 and "stale" not in status.output
