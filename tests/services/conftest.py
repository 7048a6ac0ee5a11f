"""Service tests: each gets its own data home (council.yml, reference data) and a clean CLI identity."""

import pytest


@pytest.fixture(autouse=True)
def _own_data_home(tmp_path, monkeypatch):
    home = tmp_path / "home"
    home.mkdir()
    monkeypatch.setenv("CSC_SCORECARD_HOME", str(home))
    for name in ("CSC_SCORECARD_LA_CODE", "CSC_SCORECARD_POPULATION", "CSC_SCORECARD_USER"):
        monkeypatch.delenv(name, raising=False)
    from csc_scorecard.services import accounts

    accounts.act_as(None)
    yield home
    accounts.act_as(None)


@pytest.fixture()
def home(_own_data_home):
    return _own_data_home
