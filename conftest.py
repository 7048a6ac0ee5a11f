"""Test-wide setup that must happen before Django reads its settings.

Every test process gets its own throwaway data directory, so no test ever
touches an analyst's real ~/.csc-scorecard, and parallel workers
(pytest-xdist, ``-n 2``) never share one: a worker inherits the controller's
environment, so an inherited CSC_SCORECARD_HOME is replaced, not reused.
Each worker's database is its own too: SQLite's test database lives in the
worker's memory, and pytest-django gives each worker its own PostgreSQL test
database (test_<name>_gw0, _gw1...).
"""

import os
import tempfile

_worker = os.environ.get("PYTEST_XDIST_WORKER", "main")
os.environ["CSC_SCORECARD_HOME"] = tempfile.mkdtemp(prefix=f"csc-scorecard-test-{_worker}-")
os.environ.setdefault("CSC_SCORECARD_SECRET_KEY", "test-only-not-secret")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "csc_scorecard.web.settings")

from csc_scorecard.django_setup import configure  # noqa: E402  (after the environment above is set)

configure()  # the one Django start-up the CLI and the web app use too


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
