"""One Django start-up: reads never create or migrate the database; writes and `migrate` do."""

import os
import subprocess
import sys
from pathlib import Path

import csc_scorecard


def _cli(home: Path, *args: str) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "DJANGO_SETTINGS_MODULE")}
    env["CSC_SCORECARD_HOME"] = str(home)
    env["PYTHONPATH"] = str(Path(csc_scorecard.__file__).parents[1])
    return subprocess.run([sys.executable, "-m", "csc_scorecard.cli", *args], env=env,
                          capture_output=True, text=True, timeout=120)


def test_reads_on_a_fresh_data_home_say_there_is_no_data_and_create_nothing(tmp_path):
    database = tmp_path / "csc-scorecard.sqlite3"
    for args in (["status"], ["scorecard", "--period", "2024-25"],
                 ["indicators", "--period", "2024-25"]):
        out = _cli(tmp_path, *args)
        assert out.returncode != 0, args
        assert "no data yet: run csc-scorecard ingest or migrate" in out.stderr, (args, out.stderr)
        assert "Traceback" not in out.stderr + out.stdout
    assert not database.exists()  # a read never made an empty database

    made = _cli(tmp_path, "migrate")
    assert made.returncode == 0 and "up to date" in made.stdout
    assert database.exists()
    status = _cli(tmp_path, "status")
    assert status.returncode == 0 and "Nothing loaded yet" in status.stdout
