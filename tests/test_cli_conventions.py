"""Every command follows docs/cli.md: the same option types, one error style, no traceback.

The commands are found by walking the click group, so a command added later is
checked without anyone remembering to list it here.  Each is run with bad
input (a junk option, a nonsense period, a bad council code, a missing file)
and must answer with exit status 2 (bad input) or 1 (a failure), a
``csc-scorecard: error:`` line on stderr and no traceback.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from csc_scorecard.cli import cli
from csc_scorecard.cli_docs import root_context, walk
from csc_scorecard.cli_support import ERROR_PREFIX, LaCodeType, PeriodType

ALL = [(cmd, ctx) for cmd, ctx in walk(cli, root_context(cli))]
LEAVES = {ctx.command_path: cmd for cmd, ctx in ALL if not isinstance(cmd, click.Group)}
GROUPS = {ctx.command_path: cmd for cmd, ctx in ALL if isinstance(cmd, click.Group)}


def options(cmd: click.Command) -> dict[str, click.Option]:
    return {name: p for p in cmd.params if isinstance(p, click.Option) for name in p.opts}


def with_option(name: str) -> list[str]:
    return sorted(path for path, cmd in LEAVES.items() if name in options(cmd))


def args_for(path: str) -> list[str]:
    return path.split()[1:]


def plausible(param: click.Parameter, tmp: Path) -> str:
    """A value click accepts for ``param``, so the one bad value is the only problem."""
    kind = param.type
    if isinstance(kind, PeriodType):
        return "2024-25"
    if isinstance(kind, LaCodeType):
        return "999"
    if isinstance(kind, click.Path):
        target = tmp / f"given-{param.name}"
        if not kind.file_okay:
            target.mkdir(exist_ok=True)
        elif not kind.dir_okay:
            target.touch()
        return str(target)
    if isinstance(kind, click.DateTime):
        return "2025-03-31"
    if isinstance(kind, click.Choice):
        return str(kind.choices[0])
    if isinstance(kind, click.IntRange):
        return str(kind.min if kind.min is not None else 1)
    if isinstance(kind, (click.types.IntParamType, click.types.FloatParamType)):
        return "1"
    return "x"


def required_args(cmd: click.Command, tmp: Path, *, skip: str = "") -> list[str]:
    """Values for every required parameter except ``skip`` (an option name)."""
    out: list[str] = []
    for param in cmd.params:
        if not param.required or (isinstance(param, click.Option) and skip in param.opts):
            continue
        value = plausible(param, tmp)
        out += [param.opts[0], value] if isinstance(param, click.Option) else [value]
    return out


def run(args: list[str], home: Path) -> click.testing.Result:
    return CliRunner().invoke(cli, args, env={"CSC_SCORECARD_HOME": str(home)})


def assert_error(result: click.testing.Result, *codes: int, mentions: str = "") -> None:
    shown = result.output + result.stderr
    assert result.exit_code in codes, (result.exit_code, shown)
    # the group always ends in sys.exit: anything else would be an escaped exception
    assert isinstance(result.exception, SystemExit), repr(result.exception)
    assert "Traceback" not in shown
    error_lines = [line for line in result.stderr.splitlines() if line.startswith(ERROR_PREFIX)]
    assert error_lines, result.stderr
    assert mentions in result.stderr, result.stderr


# ------------------------------------------------------------------ option conventions


def test_the_walk_finds_every_command():
    # a sample of the commands users know, so a broken walk cannot pass silently
    for path in ("csc-scorecard ingest", "csc-scorecard report annual", "csc-scorecard demo",
                 "csc-scorecard synth", "csc-scorecard targets export"):
        assert path in LEAVES
    assert len(LEAVES) >= 18


@pytest.mark.parametrize("path", sorted(LEAVES))
def test_options_follow_the_convention(path):
    cmd = LEAVES[path]
    opts = options(cmd)
    assert not {"--la-code", "--dest", "--out-dir", "--output-dir", "--file"} & set(opts)
    for name, param in opts.items():
        if name == "--la":
            assert isinstance(param.type, LaCodeType), f"{path} {name}"
        if name == "--period":
            assert isinstance(param.type, PeriodType), f"{path} {name}"
        if name == "--year":
            assert isinstance(param.type, PeriodType) and param.type.kinds == ("year",), path
        if name == "--out":  # a folder: several files are written into it
            assert isinstance(param.type, click.Path) and not param.type.file_okay, path
        if name == "--output":  # one file
            assert isinstance(param.type, click.Path) and not param.type.dir_okay, path
        if not param.hidden and name not in ("--help", "-h"):
            assert (param.help or "").strip(), f"{path} {name} has no help text"


# ------------------------------------------------------------------ bad input


@pytest.mark.parametrize("path", sorted(LEAVES) + sorted(GROUPS))
def test_a_junk_option_is_bad_input(path, tmp_path):
    result = run([*args_for(path), "--no-such-option"], tmp_path / "home")
    assert_error(result, 2, mentions="--no-such-option")


@pytest.mark.parametrize("path", sorted(set(GROUPS) - {"csc-scorecard"}))
def test_a_group_without_its_command_is_bad_input(path, tmp_path):
    result = run(args_for(path), tmp_path / "home")
    assert_error(result, 2, mentions="needs a command")


@pytest.mark.parametrize("path", with_option("--period"))
@pytest.mark.parametrize("bad", ["nonsense", "2024-26", "2024-25-Q5", "R12-2025-13", ""])
def test_a_nonsense_period_is_bad_input(path, bad, tmp_path):
    cmd = LEAVES[path]
    args = [*args_for(path), "--period", bad, *required_args(cmd, tmp_path, skip="--period")]
    assert_error(run(args, tmp_path / "home"), 2, mentions="--period")


@pytest.mark.parametrize("path", with_option("--year"))
def test_a_nonsense_year_is_bad_input(path, tmp_path):
    cmd = LEAVES[path]
    args = [*args_for(path), "--year", "2024", *required_args(cmd, tmp_path, skip="--year")]
    assert_error(run(args, tmp_path / "home"), 2, mentions="not a financial year like 2024-25")


@pytest.mark.parametrize("path", with_option("--la"))
@pytest.mark.parametrize("bad", ["12x", "9333", "Somerset"])
def test_a_bad_council_code_is_bad_input(path, bad, tmp_path):
    cmd = LEAVES[path]
    args = [*args_for(path), "--la", bad, *required_args(cmd, tmp_path, skip="--la")]
    assert_error(run(args, tmp_path / "home"), 2, mentions="3-digit DfE LA code")


def _input_paths(cmd: click.Command) -> list[click.Parameter]:
    """Parameters naming a file or folder the command reads (not one it writes)."""
    return [
        p for p in cmd.params
        if isinstance(p.type, click.Path)
        and not (isinstance(p, click.Option) and {"--out", "--output"} & set(p.opts))
    ]


MISSING_FILE_CASES = [
    (path, param.name)
    for path, cmd in sorted(LEAVES.items())
    for param in _input_paths(cmd)
]


def test_commands_that_read_files_are_all_covered():
    covered = {path for path, _ in MISSING_FILE_CASES}
    assert {"csc-scorecard ingest", "csc-scorecard reference import", "csc-scorecard targets import",
            "csc-scorecard commentary import"} <= covered


@pytest.mark.django_db
@pytest.mark.parametrize(("path", "name"), MISSING_FILE_CASES)
def test_a_missing_file_is_an_error_line(path, name, tmp_path):
    cmd = LEAVES[path]
    missing = tmp_path / "no-such-file.csv"
    args = args_for(path)
    for param in cmd.params:
        if param.name == name:
            args += [param.opts[0], str(missing)] if isinstance(param, click.Option) else [str(missing)]
        elif param.required:
            value = plausible(param, tmp_path)
            args += [param.opts[0], value] if isinstance(param, click.Option) else [value]
    result = run(args, tmp_path / "home")
    assert_error(result, 2, 1, mentions="no-such-file.csv")


# ------------------------------------------------------------------ the demo and real processes


@pytest.mark.django_db
def test_the_demo_cannot_write_its_folder_and_says_so_in_one_line(tmp_path):
    # the data directory is a regular file: the demo cannot make its folders
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("x")
    result = run(["demo", "--population", "5000"], blocker / "home")
    assert_error(result, 1, mentions=str(blocker))


def test_an_unexpected_problem_is_one_line_and_exit_1(monkeypatch, tmp_path):
    import csc_scorecard.synth.command as synth_command

    def broken(*args, **kwargs):
        raise ZeroDivisionError("division by zero\nsecond line never shown")

    monkeypatch.setattr(synth_command, "generate", broken)
    result = run(["synth", "--out", str(tmp_path / "o"), "--quiet"], tmp_path / "home")
    assert_error(result, 1, mentions="unexpected problem: ZeroDivisionError: division by zero")
    assert "second line" not in result.stderr


def test_the_installed_command_prints_one_error_line(tmp_path):
    # a real process, not CliRunner: exactly what a user's terminal gets
    done = subprocess.run(
        [sys.executable, "-m", "csc_scorecard.cli", "indicators", "--period", "someday"],
        capture_output=True, text=True, env={**_env(), "CSC_SCORECARD_HOME": str(tmp_path)},
        timeout=120,
    )
    assert done.returncode == 2
    assert done.stdout == ""
    assert done.stderr.startswith(ERROR_PREFIX + "Invalid value for '--period': not a valid period")
    assert "Traceback" not in done.stderr


def _env() -> dict[str, str]:
    import os

    return {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
