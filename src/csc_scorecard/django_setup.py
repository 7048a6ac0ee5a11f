"""The one Django start-up, used by the CLI, the web app and the tests.

- :func:`configure` starts Django once (settings from ``csc_scorecard.web.settings``);
  it never touches the database.
- :func:`migrate` brings the schema up to date. Only ``csc-scorecard migrate``
  and the commands that write (ingest, reference import, targets and
  commentary import, users, recompute, demo) call it.
- :func:`require_database` is what a read calls: it says clearly when the data
  home has no database yet, or one that needs migrating, instead of creating
  an empty one behind the user's back.
- :func:`setup` is the older single entry point, kept for callers that say
  ``setup(migrate=...)``.
"""

from __future__ import annotations

import os
from pathlib import Path

__all__ = [
    "NoDataYet",
    "configure",
    "database_state",
    "migrate",
    "open_for_reading",
    "open_for_writing",
    "require_database",
    "setup",
]

#: Django has been configured (tests set this when pytest-django has done it).
_ready = False
#: The schema has been brought up to date in this process.
_migrated = False

NO_DATA_MESSAGE = "no data yet: run csc-scorecard ingest or migrate"


class NoDataYet(RuntimeError):
    """A read found no database (or an out-of-date one) in the data home."""


def configure() -> None:
    """Start Django once for library, CLI or test use; no database access."""
    global _ready
    if _ready:
        return
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "csc_scorecard.web.settings")
    from django.apps import apps

    if not apps.ready:
        import django

        django.setup()
    _ready = True


def migrate() -> None:
    """Create or update the database schema (the data home is created if needed)."""
    global _migrated
    configure()
    if _migrated:
        return
    from django.core.management import call_command

    from csc_scorecard.config import ensure_data_home

    ensure_data_home()
    call_command("migrate", verbosity=0, interactive=False)
    _migrated = True


def database_state() -> str:
    """"ready", "missing" (no database or no tables yet) or "outdated" (migrations pending)."""
    configure()
    from django.db import connection

    name = str(connection.settings_dict.get("NAME") or "")
    if connection.vendor == "sqlite" and not _sqlite_in_memory(name) and not Path(name).exists():
        return "missing"  # checked before connecting: connecting would create an empty file
    if "django_migrations" not in connection.introspection.table_names():
        return "missing"
    from django.db.migrations.executor import MigrationExecutor

    executor = MigrationExecutor(connection)
    plan = executor.migration_plan(executor.loader.graph.leaf_nodes())
    return "outdated" if plan else "ready"


def _sqlite_in_memory(name: str) -> bool:
    return name == ":memory:" or "mode=memory" in name


def require_database() -> None:
    """Raise :class:`NoDataYet` unless the database exists and is up to date."""
    if _migrated:
        return
    state = database_state()
    if state == "missing":
        raise NoDataYet(NO_DATA_MESSAGE)
    if state == "outdated":
        raise NoDataYet("the database was made by an older version: run csc-scorecard migrate")


def open_for_reading() -> None:
    """Configure Django and check the database is there; never migrates."""
    configure()
    require_database()


def open_for_writing() -> None:
    """Configure Django and bring the schema up to date (commands that write)."""
    migrate()


def setup(migrate: bool = True) -> None:  # noqa: A002 - the historical keyword
    """Configure Django; bring the schema up to date when ``migrate`` is true."""
    if migrate:
        globals()["migrate"]()
    else:
        configure()
