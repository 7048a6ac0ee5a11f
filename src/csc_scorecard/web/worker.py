"""The background task worker process (started by `csc-scorecard serve`)."""

from __future__ import annotations

import os


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "csc_scorecard.web.settings")
    from csc_scorecard.django_setup import setup

    setup(migrate=False)  # serve has migrated already
    from django.core.management import call_command

    from csc_scorecard.services.tasks import fail_interrupted

    fail_interrupted()

    # django-tasks' database worker: stops cleanly on SIGTERM/SIGINT between tasks.
    call_command("db_worker", interval=1, startup_delay=False, verbosity=1)


if __name__ == "__main__":
    main()
