"""Small helpers shared by the CLI commands."""

from __future__ import annotations

import sys
from typing import NoReturn

import click


def fail(message: str, code: int = 2) -> NoReturn:
    """Print a clear error on stderr and exit; no traceback."""
    click.echo(f"csc-scorecard: {message}", err=True)
    sys.exit(code)


def setup_store() -> None:
    """Start Django and bring the database schema up to date, or exit with a clear message."""
    from csc_scorecard.django_setup import setup

    try:
        setup(migrate=True)
    except Exception as exc:  # e.g. PostgreSQL not reachable, data directory not writable
        fail(f"cannot open the database: {type(exc).__name__}: {str(exc).splitlines()[0] if str(exc) else ''}")


def console(stderr: bool = False):
    """A rich console; piped or captured output gets a wide page so tables are not cut."""
    from rich.console import Console

    stream = sys.stderr if stderr else sys.stdout
    width = None if stream.isatty() else 200
    return Console(stderr=stderr, width=width, highlight=False)
