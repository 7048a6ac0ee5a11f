"""Reader tests run strict: an IssueLog refuses any issue code not in returns/issue_codes.py.

Set by hooks rather than a fixture so it holds for module-scoped fixtures
too (they read their files during the first test's setup), and only for
the tests in this folder.
"""

import pytest

from csc_scorecard.returns import issue_codes


@pytest.hookimpl(tryfirst=True)
def pytest_runtest_setup(item):
    issue_codes.STRICT = True


@pytest.hookimpl(trylast=True)
def pytest_runtest_teardown(item, nextitem):
    issue_codes.STRICT = False
