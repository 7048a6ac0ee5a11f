"""Start Django for library and CLI use (outside a web request)."""

from __future__ import annotations

import os

_ready = False


def setup(migrate: bool = True) -> None:
    """Configure Django once; bring the database schema up to date if asked."""
    global _ready
    if _ready:
        return
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "csc_scorecard.web.settings")
    import django

    django.setup()
    if migrate:
        from django.core.management import call_command

        call_command("migrate", verbosity=0, interactive=False)
    _ready = True
