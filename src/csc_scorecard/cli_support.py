"""What every CLI command shares: option types, the error style, the root group.

The convention (docs/cli.md) in code:

- ``--la`` takes a council code, checked by :data:`LA_CODE`;
- ``--period`` is parsed by :class:`PeriodType` (csc_scorecard.periods), ``--year``
  by :data:`FINANCIAL_YEAR`;
- ``--out DIR`` (:data:`OUT_DIR`) for commands that write several files,
  ``--output FILE`` (:data:`OUTPUT_FILE`) for one file;
- every error is one line on stderr, ``csc-scorecard: error: ...``, with exit
  status 2 for bad input (:class:`BadInput`) and 1 for a failure
  (:class:`Failure`).  :class:`ScorecardGroup` formats click's own usage
  errors the same way and turns anything unexpected into a failure line, so
  no traceback reaches a user; :func:`friendly_errors` lets a command name
  the exceptions that mean "your input is wrong".
"""

from __future__ import annotations

import functools
import os
import re
import sys
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import Any, NoReturn, TypeVar

import click

F = TypeVar("F", bound=Callable[..., Any])

PROG = "csc-scorecard"
ERROR_PREFIX = f"{PROG}: error: "
EXIT_BAD_INPUT = 2
EXIT_FAILURE = 1
# A developer can ask for the traceback the user never sees.
TRACEBACK_ENV = "CSC_SCORECARD_TRACEBACK"


# --------------------------------------------------------------------------
# Errors
# --------------------------------------------------------------------------


def _echo_error(message: str) -> None:
    click.echo(f"{ERROR_PREFIX}{message}", err=True)


class CliError(click.ClickException):
    """An error the command reports as one line (see :class:`BadInput`, :class:`Failure`)."""

    def show(self, file: Any = None) -> None:
        _echo_error(self.format_message())


class BadInput(CliError):
    """The user's input is wrong (an option, a file, a setting): exit status 2."""

    exit_code = EXIT_BAD_INPUT


class Failure(CliError):
    """The input was fine but the work could not be done (database, disk): exit status 1."""

    exit_code = EXIT_FAILURE


def fail(message: str, code: int = EXIT_BAD_INPUT) -> NoReturn:
    """Stop the command with one error line: exit status 2 (bad input) or 1 (a failure)."""
    raise (BadInput if code == EXIT_BAD_INPUT else Failure)(message)


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip().strip("'\"")
    return text.splitlines()[0] if text else ""


def describe_unexpected(exc: BaseException) -> str:
    """One line for an exception nobody expected: its type and the first line of its message."""
    text = _first_line(exc)
    return f"unexpected problem: {type(exc).__name__}" + (f": {text}" if text else "")


def friendly_errors(*bad_input: type[BaseException]) -> Callable[[F], F]:
    """Decorate a command: the ``bad_input`` exception types become one error line, exit 2.

    An OSError becomes a failure line naming the file (exit 1); click's own
    exceptions and exits pass through; anything else is left to
    :class:`ScorecardGroup`, which reports it as an unexpected problem.
    """

    def decorate(func: F) -> F:
        @functools.wraps(func)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            try:
                return func(*args, **kwargs)
            except (click.exceptions.Exit, click.ClickException, SystemExit):
                raise
            except bad_input as exc:
                raise BadInput(str(exc).strip()) from exc
            except OSError as exc:
                raise Failure(describe_os_error(exc)) from exc

        return wrapper  # type: ignore[return-value]

    return decorate


def describe_os_error(exc: OSError) -> str:
    """'/x/y: Permission denied' rather than Python's errno tuple."""
    where = f"{exc.filename}: " if exc.filename else ""
    return f"{where}{exc.strerror or exc}"


def _usage_error_lines(exc: click.UsageError) -> list[str]:
    lines = [ERROR_PREFIX + exc.format_message()]
    if exc.ctx is not None:
        lines.append(f"Try '{exc.ctx.command_path} --help'.")
    return lines


class ScorecardGroup(click.Group):
    """The root group: runs a command and reports every error in the house style.

    Click's standalone mode prints its own "Usage: ... Error: ..." block and
    lets unexpected exceptions escape as tracebacks; this ``main`` runs click
    non-standalone and turns each outcome into an exit status and at most a
    line or two on stderr.
    """

    def invoke(self, ctx: click.Context) -> Any:
        super().invoke(ctx)
        return None  # a command's return value is never an exit status

    def main(  # type: ignore[override]
        self,
        args: Sequence[str] | None = None,
        prog_name: str | None = None,
        complete_var: str | None = None,
        standalone_mode: bool = True,
        **extra: Any,
    ) -> Any:
        if not standalone_mode:
            return super().main(args, prog_name, complete_var, standalone_mode=False, **extra)
        try:
            # always our name: click (and its test runner) would guess one from the function
            code = super().main(args, PROG, complete_var, standalone_mode=False, **extra)
        except click.exceptions.NoArgsIsHelpError as exc:  # a group named without a command
            click.echo(exc.ctx.get_help(), err=True)
            _echo_error(f"'{exc.ctx.command_path}' needs a command (listed above)")
            sys.exit(EXIT_BAD_INPUT)
        except click.UsageError as exc:
            for line in _usage_error_lines(exc):
                click.echo(line, err=True)
            sys.exit(EXIT_BAD_INPUT)
        except CliError as exc:
            exc.show()
            sys.exit(exc.exit_code)
        except click.ClickException as exc:
            _echo_error(exc.format_message())
            sys.exit(exc.exit_code or EXIT_FAILURE)
        except (click.exceptions.Abort, KeyboardInterrupt):
            _echo_error("interrupted")
            sys.exit(EXIT_FAILURE)
        except SystemExit:
            raise
        except OSError as exc:  # a disk or permission problem: name the file, not the errno
            if os.environ.get(TRACEBACK_ENV) == "1":
                raise
            _echo_error(describe_os_error(exc))
            sys.exit(EXIT_FAILURE)
        except Exception as exc:  # noqa: BLE001 - the last line of defence for the user
            if os.environ.get(TRACEBACK_ENV) == "1":
                raise
            _echo_error(describe_unexpected(exc))
            sys.exit(EXIT_FAILURE)
        sys.exit(code or 0)


# --------------------------------------------------------------------------
# Option types
# --------------------------------------------------------------------------


class PeriodType(click.ParamType):
    """A reporting period (csc_scorecard.periods): 2024-25, 2024-25-Q2, 2024-09, R12-2025-03, YTD-2024-09.

    ``kinds`` limits the accepted kinds (e.g. only financial years); ``as_label``
    hands the command the canonical label (a str) instead of the Period.
    """

    name = "period"

    def __init__(self, kinds: Iterable[str] | None = None, *, as_label: bool = False,
                 name: str = "period") -> None:
        self.kinds = tuple(kinds) if kinds else ()
        self.as_label = as_label
        self.name = name  # the metavar in --help: PERIOD, YEAR

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> Any:
        from csc_scorecard.periods import Period, PeriodError, parse_period

        try:
            period = value if isinstance(value, Period) else parse_period(value)
        except PeriodError as exc:
            if self.kinds == ("year",):  # the long list of period forms would only confuse
                self.fail(f"{value!r} is not a financial year like 2024-25", param, ctx)
            self.fail(str(exc), param, ctx)
        if self.kinds and period.kind not in self.kinds:
            wanted = " or ".join(_KIND_NAMES.get(k, k) for k in self.kinds)
            self.fail(f"{value!r} is a {_KIND_NAMES.get(period.kind, period.kind)}; "
                      f"this command takes a {wanted}, like 2024-25", param, ctx)
        return period.label if self.as_label else period


_KIND_NAMES = {"year": "financial year", "quarter": "quarter", "month": "month",
               "r12": "rolling twelve months", "ytd": "year to date"}

PERIOD = PeriodType()
PERIOD_LABEL = PeriodType(as_label=True)
FINANCIAL_YEAR = PeriodType(["year"], as_label=True, name="year")


class LaCodeType(click.ParamType):
    """A council's 3-digit DfE (old) LA code, e.g. 933 for Somerset."""

    name = "code"
    _CODE = re.compile(r"\d{3}")

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> str:
        text = str(value).strip()
        if not self._CODE.fullmatch(text):
            self.fail(f"{value!r} is not a council code: use the 3-digit DfE LA code, "
                      "e.g. 933 (Somerset)", param, ctx)
        return text


LA_CODE = LaCodeType()

OUT_DIR = click.Path(file_okay=False, path_type=Path)
OUTPUT_FILE = click.Path(dir_okay=False, path_type=Path)
INPUT_FILE = click.Path(exists=True, dir_okay=False, path_type=Path)
INPUT_PATH = click.Path(exists=True, path_type=Path)


def la_option(help: str = "Council: 3-digit DfE LA code (default: the installation's council)",
              **kwargs: Any) -> Callable[[F], F]:
    """``--la CODE``, the same name and check in every command."""
    return click.option("--la", "la_code", type=LA_CODE, default=None, help=help, **kwargs)


def period_option(help: str = "Period, e.g. 2024-25, 2024-25-Q2, 2024-09, R12-2025-03, YTD-2024-09",
                  type: PeriodType = PERIOD_LABEL, required: bool = True,
                  **kwargs: Any) -> Callable[[F], F]:
    """``--period P``, parsed and checked before the command runs."""
    return click.option("--period", type=type, required=required, help=help, **kwargs)


def out_dir_option(dest: str = "out_dir",
                   help: str = "Folder to write the files into (created if missing)",
                   **kwargs: Any) -> Callable[[F], F]:
    """``--out DIR`` for a command that writes several files (``dest``: the parameter's name)."""
    kwargs.setdefault("required", True)
    return click.option("--out", dest, type=OUT_DIR, metavar="DIR", help=help, **kwargs)


def output_option(help: str = "File to write (default: standard output)", dest: str = "output",
                  **kwargs: Any) -> Callable[[F], F]:
    """``--output FILE`` for a command that writes one file (``dest``: the parameter's name)."""
    return click.option("--output", dest, type=OUTPUT_FILE, default=None, help=help, **kwargs)


# --------------------------------------------------------------------------
# The store and the screen
# --------------------------------------------------------------------------


def setup_store() -> None:
    """For a command that writes: start Django and bring the schema up to date, or stop
    with a failure line (exit 1)."""
    from csc_scorecard.django_setup import open_for_writing

    try:
        open_for_writing()
    except Exception as exc:  # e.g. PostgreSQL not reachable, data directory not writable
        fail(f"cannot open the database: {type(exc).__name__}: {_first_line(exc)}", EXIT_FAILURE)


def open_store_for_reading() -> None:
    """For a command that reads: start Django without migrating.  No data yet is the
    user's to fix (exit 2, naming the command to run); an unreachable database a failure."""
    from csc_scorecard import django_setup

    try:
        django_setup.open_for_reading()
    except django_setup.NoDataYet as exc:
        fail(str(exc))
    except Exception as exc:  # e.g. PostgreSQL not reachable
        fail(f"cannot open the database: {type(exc).__name__}: {_first_line(exc)}", EXIT_FAILURE)


def console(stderr: bool = False):
    """A rich console; piped or captured output gets a wide page so tables are not cut."""
    from rich.console import Console

    stream = sys.stderr if stderr else sys.stdout
    width = None if stream.isatty() else 200
    return Console(stderr=stderr, width=width, highlight=False)
