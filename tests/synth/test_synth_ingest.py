"""synth -> ingest gives zero error-severity issues.

A small council's returns, every file the generator wrote except the 903 XML
folder, go through the real ingest (csc_scorecard.store.ingest.ingest_paths);
then the 903 XML alone into a fresh store.  Nothing may be quarantined or
reported as an error, and no value may be reported as an unreadable code.
"""

from __future__ import annotations

import shutil
from collections import Counter

import pytest

from csc_scorecard.returns.annex_a.spec import load_spec
from csc_scorecard.synth import XML_FOLDER, generate
from csc_scorecard.synth.write_annex_a import CODE_LISTS
from csc_scorecard.synth.write_local import LOCAL_FILES

LA = "994"
YEARS = ("2023-24", "2024-25", "2025-26")

@pytest.fixture(scope="module")
def council(tmp_path_factory):
    out = tmp_path_factory.mktemp("synth_ingest")
    summary = generate(out, la_code=LA, population=15_000, seed=21, years=",".join(YEARS))
    return out / LA, summary


def _issues_summary(issues) -> str:
    counts = Counter((i.severity, i.code, i.table, i.column) for i in issues)
    lines = [
        f"  {n:5d}  {sev} {code} {table} {col!r}"
        for (sev, code, table, col), n in counts.most_common()
    ]
    examples = {}
    for i in issues:
        examples.setdefault(
            (i.code, i.column), f"  e.g. {i.code} {i.column!r}: {i.value!r} - {i.message}"
        )
    return "\n".join(["issues by severity, code, table, column:", *lines, *examples.values()])


@pytest.mark.django_db
def test_synth_ingest_gives_no_errors_and_no_code_warnings(council, tmp_path):
    from csc_scorecard.store.ingest import ingest_paths
    from csc_scorecard.store.models import IssueRecord

    council_dir, summary = council
    # every file written, less the 903 XML folders (the XML is the same return as
    # the 903 CSVs: ingesting both stores two submissions, the later current)
    copy = tmp_path / LA
    shutil.copytree(council_dir, copy, ignore=shutil.ignore_patterns(XML_FOLDER))
    written = {p.relative_to(council_dir) for p in summary.files if XML_FOLDER not in p.parts}
    assert {p.relative_to(copy) for p in copy.rglob("*") if p.is_file()} == written

    outcomes = ingest_paths([copy])
    bad = []
    for o in outcomes:
        name = o.label.rsplit("/", 1)[-1]
        if o.status == "stored":
            continue
        if o.status == "skipped" and name == "council.yml":
            continue
        # teams.csv is the same every year: later years' copies are the same bytes
        # as the first, already stored (and the team table is the latest extract's)
        if o.status == "duplicate" and name == "teams.csv":
            continue
        bad.append((o.label, o.status, o.reason))
    assert not bad, bad
    stored = [o for o in outcomes if o.status == "stored"]
    # 903 CSVs, CIN census, Annex A and the local extracts but teams a year, plus teams once
    # (three local extracts, since issue 16 also early help and CIN plan reviews, and since
    # issue 15 the areas' populations)
    per_year = 3 + len(LOCAL_FILES) - 1
    assert per_year == 9
    assert len(stored) == per_year * len(YEARS) + 1, [(o.label, o.status) for o in outcomes]
    assert {(o.return_type, o.year) for o in stored} >= {
        (kind, y) for kind in ("ssda903", "cin_census", "annex_a", "local") for y in YEARS
    }
    assert not any(o.quarantined for o in stored), [(o.label, o.quarantined) for o in stored]

    # the readers' issues (the DfE rules' findings, rule set, are docs/validation.md's subject)
    issues = list(IssueRecord.objects.filter(rule=""))
    errors = [i for i in issues if i.severity == "error"]
    assert not errors, _issues_summary(issues)
    code_issues = [i for i in issues if "code" in i.code]
    assert not code_issues, _issues_summary(issues)
    # whatever warnings remain are shown when this is run with -s
    print("\n" + _issues_summary([i for i in issues if i.severity != "info"]))


@pytest.mark.django_db
def test_synth_903_xml_alone_ingests_without_errors(council):
    from csc_scorecard.store.ingest import ingest_paths
    from csc_scorecard.store.models import IssueRecord

    council_dir, _ = council
    xmls = [council_dir / y / XML_FOLDER / "ssda903.xml" for y in YEARS]
    outcomes = ingest_paths(xmls)
    assert [(o.status, o.return_type, o.year) for o in outcomes] == [
        ("stored", "ssda903", y) for y in YEARS
    ], [(o.label, o.status, o.reason) for o in outcomes]
    assert not any(o.quarantined for o in outcomes)
    # the readers' issues (the DfE rules' findings, rule set, are docs/validation.md's subject)
    issues = list(IssueRecord.objects.filter(rule=""))
    assert not [i for i in issues if i.severity == "error"], _issues_summary(issues)


def test_every_annex_a_value_reads_back_as_its_code():
    """Each coded value the synth writes gives back its own DfE code through the
    Annex A reader's spec: no group values, no value read as another code."""
    codes = load_spec().codes
    wrong = []
    for list_name, table in CODE_LISTS.items():
        for code, value in table.items():
            got = codes[list_name].parse(value)
            if got.value != code:
                wrong.append((list_name, code, value, got.value, got.error))
    assert not wrong, wrong


def test_annex_a_reader_reads_k3():
    """K3 (registered supported accommodation) is a placement since 28 October 2023."""
    got = load_spec().codes["placement"].parse(CODE_LISTS["placement"]["K3"])
    assert got.value == "K3"
