import os

from django.conf import settings


def test_data_home_is_throwaway():
    assert "csc-scorecard-test-" in os.environ["CSC_SCORECARD_HOME"]
    assert str(settings.DATA_HOME) == os.environ["CSC_SCORECARD_HOME"]
