"""Test-wide setup that must happen before Django reads its settings.

Every test process gets its own throwaway data directory, so no test ever
touches an analyst's real ~/.csc-scorecard and parallel workers
(pytest-xdist, ``-n 2``) never share one.  Each worker's database is its own
too: SQLite's test database lives in the worker's memory, and pytest-django
gives each worker its own PostgreSQL test database (test_<name>_gw0, ...).
"""

import os
import tempfile
from pathlib import Path

_worker = os.environ.get("PYTEST_XDIST_WORKER", "main")
_home = tempfile.mkdtemp(prefix=f"csc-scorecard-test-{_worker}-")
os.environ["CSC_SCORECARD_HOME"] = _home  # replaces one inherited from the xdist controller
os.environ.setdefault("CSC_SCORECARD_SECRET_KEY", "test-only-not-secret")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "csc_scorecard.web.settings")

from django.conf import settings  # noqa: E402  (after the environment above is set)

from csc_scorecard.django_setup import configure  # noqa: E402

configure()  # the one Django start-up the CLI and the web app use too

if Path(settings.DATA_HOME) != Path(_home):
    # Django was configured before this file ran (DJANGO_SETTINGS_MODULE exported in the
    # shell makes pytest-django do that), with another process's home: point it here.
    settings.DATA_HOME = Path(_home)
    if settings.DATABASES["default"]["ENGINE"].endswith("sqlite3"):
        settings.DATABASES["default"]["NAME"] = str(Path(_home) / "csc-scorecard.sqlite3")

# xdist workers inherit this environment; without the settings module in it,
# pytest-django leaves Django alone until each worker has run this file and
# chosen its own data home.  Django here is already set up and does not need it.
del os.environ["DJANGO_SETTINGS_MODULE"]


def pytest_collection_modifyitems(config, items):
    """Mark database tests for the PostgreSQL pass; skip slow tests unless asked for."""
    import pytest

    run_slow = os.environ.get("CSC_SCORECARD_SLOW") == "1" or "slow" in (config.getoption("-m") or "").replace("not slow", "")
    skip_slow = pytest.mark.skip(reason="slow: set CSC_SCORECARD_SLOW=1 or pass -m slow (scripts/test.sh does)")
    for item in items:
        if item.get_closest_marker("slow") and not run_slow:
            item.add_marker(skip_slow)
        fixtures = set(getattr(item, "fixturenames", ()))
        if item.get_closest_marker("django_db") or fixtures & {"db", "transactional_db", "django_db_setup"}:
            item.add_marker(pytest.mark.database)



def pytest_unconfigure(config):
    """Remove this process's throwaway data directory."""
    import shutil

    shutil.rmtree(os.environ["CSC_SCORECARD_HOME"], ignore_errors=True)

# Hypothesis's per-example deadline (200 ms) measures the machine, not the code: on a
# shared 2-core CI machine a first call can take longer. Speed is measured in bench/.
from hypothesis import settings as hypothesis_settings  # noqa: E402

hypothesis_settings.register_profile("csc", deadline=None)
hypothesis_settings.load_profile("csc")
