"""docs/cli.md and the commands' --help say the same thing.

Two checks: the generated reference is current (run ``python3 -m
csc_scorecard.cli_docs`` after changing a command), and, read independently of
the generator, every command and option is documented and nothing documented
is missing from the commands.
"""

from __future__ import annotations

import re

import click

from csc_scorecard.cli import cli
from csc_scorecard.cli_docs import DOC_PATH, MARKER, document_with_reference, root_context, walk

HEADING = re.compile(r"^#{2,4} `(csc-scorecard[^`]*)`\s*$")
OPTION_ROW = re.compile(r"^\| `(-[^`]*)` \|")


def documented() -> dict[str, set[str]]:
    """Command path -> the option names in its table, read from the generated part of the file."""
    text = DOC_PATH.read_text(encoding="utf-8").split(MARKER, 1)[1]
    sections: dict[str, set[str]] = {}
    current = None
    for line in text.splitlines():
        if m := HEADING.match(line):
            current = m[1]
            sections[current] = set()
        elif current and (m := OPTION_ROW.match(line)):
            # "--draft / --final", "-h, --help", "--la CODE": every name, no metavars
            sections[current] |= set(re.findall(r"(?<![\w-])--?[a-z][\w-]*", m[1]))
    return sections


def actual() -> dict[str, set[str]]:
    out = {}
    for cmd, ctx in walk(cli, root_context(cli)):
        names: set[str] = set()
        for param in cmd.get_params(ctx):
            if isinstance(param, click.Option) and not param.hidden:
                names |= set(param.opts) | set(param.secondary_opts)
        out[ctx.command_path] = names - set(ctx.help_option_names)
    return out


def test_the_reference_is_generated_from_the_current_commands():
    current = DOC_PATH.read_text(encoding="utf-8")
    assert MARKER in current, f"{DOC_PATH} lost its marker line"
    assert current == document_with_reference(current, cli), (
        "docs/cli.md is out of date: run `python3 -m csc_scorecard.cli_docs`"
    )


def test_every_command_and_option_is_documented_and_nothing_else():
    docs, real = documented(), actual()
    assert set(docs) == set(real), (
        f"undocumented: {sorted(set(real) - set(docs))}; "
        f"documented but absent: {sorted(set(docs) - set(real))}"
    )
    for path, names in real.items():
        assert docs[path] == names, (
            f"{path}: undocumented {sorted(names - docs[path])}, "
            f"documented but absent {sorted(docs[path] - names)}"
        )


def test_the_conventions_section_names_each_shared_option():
    prose = DOC_PATH.read_text(encoding="utf-8").split(MARKER, 1)[0]
    for text in ("`--la CODE`", "`--period P`", "`--out DIR`", "`--output FILE`",
                 "csc-scorecard: error:", "| 2 |", "| 1 |"):
        assert text in prose, text
