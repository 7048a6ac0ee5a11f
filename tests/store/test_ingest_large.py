"""200 MB files: rejected quickly and whole, with the store unchanged."""

import os

import pytest

from csc_scorecard.store.ingest import ingest_paths
from csc_scorecard.store.models import Submission

pytestmark = [pytest.mark.django_db, pytest.mark.slow]

TARGET_BYTES = 200 * 1024 * 1024

CHILD = """<Child><ChildIdentifiers><LAchildID>C{n:07d}</LAchildID><PersonBirthDate>2015-03-27</PersonBirthDate>
<Sex>M</Sex></ChildIdentifiers><ChildCharacteristics><Ethnicity>WBRI</Ethnicity><Disabilities><Disability>NONE</Disability>
</Disabilities></ChildCharacteristics><CINdetails><CINreferralDate>2024-10-06</CINreferralDate><ReferralSource>1A</ReferralSource>
<PrimaryNeedCode>N4</PrimaryNeedCode><ReferralNFA>0</ReferralNFA></CINdetails></Child>
"""


def write_truncated_census(path):
    """A census that is well-formed for 200 MB and then stops mid-element."""
    with path.open("w", encoding="utf-8") as out:
        out.write(
            "<?xml version='1.0' encoding='utf-8'?><Message><Header><CollectionDetails><Collection>CIN</Collection>"
            "<Year>2025</Year><ReferenceDate>2025-03-31</ReferenceDate></CollectionDetails>"
            "<Source><SourceLevel>L</SourceLevel><LEA>999</LEA></Source></Header><Children>\n"
        )
        n = 0
        block = "".join(CHILD.format(n=i) for i in range(1000))
        while out.tell() < TARGET_BYTES:
            out.write(block)
            n += 1000
        out.write("<Child><ChildIdentifiers><LAchildID>C99")  # cut off here
    return n


def test_200mb_truncated_census_is_rejected_and_nothing_stored(tmp_path):
    path = tmp_path / "cin_2024_25.xml"
    children = write_truncated_census(path)
    assert path.stat().st_size >= TARGET_BYTES and children > 100_000
    outcome = ingest_paths([path])[0]
    assert outcome.status == "rejected"
    assert "truncated" in outcome.reason or "line" in outcome.reason
    assert Submission.objects.count() == 0


def test_200mb_of_junk_named_like_a_return_is_rejected(tmp_path):
    path = tmp_path / "episodes.csv"
    with path.open("wb") as out:
        chunk = os.urandom(1 << 20)
        for _ in range(200):
            out.write(chunk)
    outcome = ingest_paths([path])[0]
    assert outcome.status == "rejected" and "binary" in outcome.reason
    assert Submission.objects.count() == 0
