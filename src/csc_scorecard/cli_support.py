"""Small helpers shared by the CLI commands."""

from __future__ import annotations

import functools
import sys
from collections.abc import Callable
from typing import Any, NoReturn, TypeVar

import click

F = TypeVar("F", bound=Callable[..., Any])

PREFIX = "csc-scorecard: "


def fail(message: str, code: int = 2, *, prefix: str = PREFIX) -> NoReturn:
    """Print a clear error on stderr and exit; no traceback."""
    click.echo(f"{prefix}{message}", err=True)
    sys.exit(code)


def friendly_errors(
    *expected: type[BaseException], prefix: str = PREFIX, first_line: bool = True
) -> Callable[[F], F]:
    """Decorate a click command so every failure is one line on stderr and exit status 2.

    Click's own exits and errors pass through unchanged.  The ``expected`` exception
    types are shown as their message, Ctrl-C as "interrupted", anything else as
    "unexpected problem: Type: message" (only the message's first line when
    ``first_line``).  ``prefix`` starts each line (see :func:`fail`).
    """

    def decorate(func: F) -> F:
        @functools.wraps(func)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            try:
                return func(*args, **kwargs)
            except (click.exceptions.Exit, click.ClickException, SystemExit):
                raise
            except expected as exc:
                fail(str(exc), prefix=prefix)
            except KeyboardInterrupt:
                fail("interrupted", prefix=prefix)
            except Exception as exc:  # noqa: BLE001 - last line of defence for the user
                text = str(exc)
                if first_line:
                    text = text.splitlines()[0] if text else ""
                fail(f"unexpected problem: {type(exc).__name__}: {text}", prefix=prefix)

        return wrapper  # type: ignore[return-value]

    return decorate


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
