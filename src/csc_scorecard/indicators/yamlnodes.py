"""Strict YAML reading with line numbers, for the manifest files.

The catalogue, priorities.yml, sections.yml and measures.yml are read as
YAML *nodes* (not plain data) so that every error can name the file and
the line of the offending value, as a spreadsheet user would look for it.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import yaml
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

__all__ = [
    "LocatedError",
    "MappingNode",
    "Node",
    "ScalarNode",
    "SequenceNode",
    "compose_file",
    "compose_text",
    "line_of",
    "mapping_items",
    "plain",
]


class LocatedError(ValueError):
    """A manifest file is not valid; the message names the file and line."""

    def __init__(self, path: Path | str, line: int | None, message: str) -> None:
        self.path = str(path)
        self.line = line
        self.reason = message
        where = f"{self.path}, line {line}" if line else self.path
        super().__init__(f"{where}: {message}")


ErrorFactory = Callable[[str, "int | None", str], Exception]


def line_of(node: Node | None) -> int | None:
    """The 1-based line a node starts on (None without a node)."""
    return None if node is None else node.start_mark.line + 1


def compose_text(text: str, where: Path | str, error: ErrorFactory = LocatedError) -> Node | None:
    try:
        return yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        raise error(str(where), mark.line + 1 if mark else None,
                    f"not valid YAML: {exc.problem}") from None
    except yaml.YAMLError as exc:
        raise error(str(where), None, f"not valid YAML: {exc}") from None


def compose_file(path: Path | str, error: ErrorFactory = LocatedError) -> Node | None:
    """The file's root node (None for an empty file); unreadable or bad YAML is ``error``."""
    try:
        text = Path(path).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise error(str(path), None, f"cannot read: {exc}") from None
    return compose_text(text, path, error)


def plain(node: Node) -> Any:
    """The Python value of a node (as ``yaml.safe_load`` would give it)."""
    return yaml.safe_load(yaml.serialize(node))


def mapping_items(
    node: Node, where: Path | str, error: ErrorFactory = LocatedError, *, what: str = "this entry"
) -> list[tuple[str, Node, Node]]:
    """(key, key node, value node) of a mapping; a repeated or non-text key is ``error``."""
    if not isinstance(node, MappingNode):
        raise error(str(where), line_of(node), f"{what} must be a mapping of key: value")
    seen: set[str] = set()
    out = []
    for key_node, value_node in node.value:
        if not isinstance(key_node, ScalarNode):
            raise error(str(where), line_of(key_node), "keys must be plain words")
        key = str(key_node.value)
        if key in seen:
            raise error(str(where), line_of(key_node), f"key {key!r} appears twice in {what}")
        seen.add(key)
        out.append((key, key_node, value_node))
    return out
