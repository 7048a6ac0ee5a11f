"""The migration history is one clean 0001_initial per app, and it matches the models."""

from pathlib import Path

from django.core.management import call_command

import csc_scorecard

APPS = ("accounts", "store", "rating", "results", "reporting")


def test_one_initial_migration_per_app():
    root = Path(csc_scorecard.__file__).parent
    for app in APPS:
        names = sorted(p.name for p in (root / app / "migrations").glob("0*.py"))
        assert names == ["0001_initial.py"], (app, names)


def test_models_and_migrations_agree(db):
    # exits non-zero (SystemExit) when a model change has no migration
    call_command("makemigrations", *APPS, check=True, dry_run=True, verbosity=0)
