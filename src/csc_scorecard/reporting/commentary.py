"""Commentary: read from a Markdown or YAML file, kept in the store, looked up by reports.

The file formats are described in docs/reports.md.  Import is strict and all
or nothing: every problem is reported with the file and line, and nothing is
stored unless the whole file is good.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from csc_scorecard.periods import parse_period

__all__ = [
    "BOXES",
    "CommentaryEntry",
    "CommentaryError",
    "CommentaryStore",
    "import_commentary",
    "parse_commentary_file",
    "text_blocks",
]

#: the quarterly report's three boxes per priority, in order, with their headings
BOXES = {
    "working_well": "Areas of success / what is working well",
    "worried": "Areas of concern / what are we worried about",
    "next": "Focus for next quarter / what needs to happen",
}
SUBJECT_KINDS = ("indicator", "priority", "section", "report")
#: ``report: ID`` subjects: the author's text of the cover report (reporting/committee/cover.py)
REPORT_SUBJECTS = ("cover_summary", "cover_recommendations")


class CommentaryError(ValueError):
    """A commentary file has problems; ``problems`` lists each one (file, line, what)."""

    def __init__(self, problems: list[str]) -> None:
        self.problems = problems
        super().__init__("\n".join(problems))


@dataclass(frozen=True)
class CommentaryEntry:
    subject_kind: str  # indicator, priority, section
    subject_id: str
    period: str
    kind: str  # commentary, working_well, worried, next
    text: str
    la_code: str = ""
    line: int = 0


def _box(name: str) -> str | None:
    key = name.strip().lower().replace("_", " ")
    if key in ("commentary", "text"):
        return "commentary"
    if "well" in key or "success" in key:
        return "working_well"
    if "worr" in key or "concern" in key:
        return "worried"
    if "next" in key or "focus" in key or "happen" in key:
        return "next"
    return None


# --------------------------------------------------------------------------
# Parsing
# --------------------------------------------------------------------------


def parse_commentary_file(path: Path | str) -> list[CommentaryEntry]:
    """Entries of a ``.md`` or ``.yml``/``.yaml`` commentary file (not yet checked against ids)."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise CommentaryError([f"{path}: cannot read the file: {exc.strerror}"]) from None
    except UnicodeDecodeError:
        raise CommentaryError([f"{path}: not UTF-8 text"]) from None
    if path.suffix.lower() in (".yml", ".yaml"):
        return _parse_yaml(path, text)
    if path.suffix.lower() in (".md", ".markdown", ".txt"):
        return _parse_markdown(path, text)
    raise CommentaryError([f"{path}: expected a .md or .yml file"])


def _header(path: Path, data: dict[str, Any], where: str, problems: list[str]) -> dict[str, str]:
    out = {"period": "", "la": "", "author": ""}
    for key in ("period", "la", "author"):
        if data.get(key) is not None:
            out[key] = str(data[key]).strip()
    unknown = set(data) - {"period", "la", "author", "entries"}
    if unknown:
        problems.append(f"{path}, {where}: unknown key(s) {', '.join(sorted(unknown))}; "
                        "expected period, la, author, entries")
    return out


def _parse_yaml(path: Path, text: str) -> list[CommentaryEntry]:
    class LineLoader(yaml.SafeLoader):
        pass

    def construct_mapping(loader: yaml.SafeLoader, node: yaml.MappingNode) -> dict[str, Any]:
        mapping = loader.construct_mapping(node, deep=True)
        mapping["__line__"] = node.start_mark.line + 1
        return mapping

    LineLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, construct_mapping)
    try:
        data = yaml.load(text, Loader=LineLoader)  # noqa: S506 (SafeLoader subclass)
    except yaml.YAMLError as exc:
        raise CommentaryError([f"{path}: not valid YAML: {exc}"]) from None
    problems: list[str] = []
    if not isinstance(data, dict) or not isinstance(data.get("entries"), list):
        raise CommentaryError([f"{path}: expected a mapping with 'entries:' holding a list"])
    data.pop("__line__", None)
    head = _header(path, data, "line 1", problems)
    out: list[CommentaryEntry] = []
    for item in data["entries"]:
        if not isinstance(item, dict):
            problems.append(f"{path}: each entry must be a mapping (indicator: ..., text: ...)")
            continue
        line = int(item.pop("__line__", 0))
        where = f"{path}, line {line}"
        kinds = [k for k in SUBJECT_KINDS if k in item]
        if len(kinds) != 1:
            problems.append(f"{where}: give exactly one of indicator, priority, section or report")
            continue
        kind = kinds[0]
        subject = str(item.pop(kind)).strip()
        period = str(item.pop("period", head["period"]) or "").strip()
        la = str(item.pop("la", head["la"]) or "").strip()
        if not item:
            problems.append(f"{where}: {kind} {subject}: no text given")
        for key, value in item.items():
            box = _box(str(key))
            if box is None or (box == "commentary") == (kind == "priority"):
                allowed = "working_well, worried, next" if kind == "priority" else "text"
                problems.append(f"{where}: {kind} {subject}: unknown key {key!r}; expected {allowed}")
                continue
            out.append(CommentaryEntry(kind, subject, period, box, _clean(value), la, line))
    if problems:
        raise CommentaryError(problems)
    return out


def _clean(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, list):
        return "\n".join(f"- {str(v).strip()}" for v in value)
    return str(value).strip()


_ENTRY = re.compile(r"^##\s+(indicator|priority|section|report)\s*:\s*(\S+)\s*$", re.I)
_BOX = re.compile(r"^###\s+(.+?)\s*$")


def _parse_markdown(path: Path, text: str) -> list[CommentaryEntry]:
    lines = text.splitlines()
    problems: list[str] = []
    head = {"period": "", "la": "", "author": ""}
    start = 0
    if lines and lines[0].strip() == "---":
        try:
            end = next(i for i in range(1, len(lines)) if lines[i].strip() == "---")
        except StopIteration:
            raise CommentaryError([f"{path}, line 1: the front matter (---) is not closed"]) from None
        try:
            front = yaml.safe_load("\n".join(lines[1:end])) or {}
        except yaml.YAMLError as exc:
            raise CommentaryError([f"{path}: the front matter is not valid YAML: {exc}"]) from None
        if not isinstance(front, dict):
            raise CommentaryError([f"{path}, line 2: the front matter must be keys (period: ...)"])
        head = _header(path, front, "front matter", problems)
        start = end + 1
    out: list[CommentaryEntry] = []
    current: tuple[str, str, int] | None = None
    box: str | None = None
    buffer: list[str] = []

    def flush() -> None:
        if current is None:
            return
        body = "\n".join(buffer).strip()
        kind, subject, line = current
        if body:
            if box is None:
                if kind == "priority":
                    problems.append(f"{path}, line {line}: priority {subject}: put the text under "
                                    "### working well, ### worried or ### next")
                    return
                out.append(CommentaryEntry(kind, subject, head["period"], "commentary", body,
                                           head["la"], line))
            else:
                out.append(CommentaryEntry(kind, subject, head["period"], box, body, head["la"], line))

    for number, raw in enumerate(lines[start:], start=start + 1):
        m = _ENTRY.match(raw)
        if m:
            flush()
            current, box, buffer = (m.group(1).lower(), m.group(2), number), None, []
            continue
        b = _BOX.match(raw)
        if b and current is not None:
            flush()
            buffer = []
            box = _box(b.group(1))
            if box is None or current[0] != "priority":
                problems.append(f"{path}, line {number}: unknown box {b.group(1)!r}; expected "
                                "working well, worried or next (under a priority)")
                box = "commentary" if current[0] != "priority" else None
            continue
        if raw.startswith("#") and not raw.startswith("###"):
            if raw.strip().startswith("##") or raw.strip().startswith("# "):
                if current is None and raw.startswith("# "):
                    continue  # a title line before the first entry
                problems.append(f"{path}, line {number}: expected '## indicator: ID', "
                                "'## priority: ID' or '## section: ID'")
            continue
        if current is None:
            if raw.strip():
                problems.append(f"{path}, line {number}: text before the first '## ...: ID' heading")
            continue
        buffer.append(raw)
    flush()
    if not out and not problems:
        problems.append(f"{path}: no commentary found (start each entry with '## indicator: ID')")
    if problems:
        raise CommentaryError(problems)
    return out


# --------------------------------------------------------------------------
# Checking and storing
# --------------------------------------------------------------------------


def _known_ids() -> dict[str, set[str]]:
    from csc_scorecard.indicators.catalogue import get_catalogue
    from csc_scorecard.rating.priorities import load_priorities
    from csc_scorecard.reporting.layout import load_sections

    return {
        "indicator": set(get_catalogue().ids()),
        "priority": {p.id for p in load_priorities()},
        "section": {s.id for s in load_sections()},
        "report": set(REPORT_SUBJECTS),
    }


def check_entries(entries: Iterable[CommentaryEntry], path: Path | str) -> list[str]:
    known = _known_ids()
    problems: list[str] = []
    seen: dict[tuple[str, str, str, str, str], int] = {}
    for e in entries:
        where = f"{path}, line {e.line}" if e.line else str(path)
        if e.subject_id not in known[e.subject_kind]:
            problems.append(f"{where}: unknown {e.subject_kind} id {e.subject_id!r}")
        if not e.period:
            problems.append(f"{where}: no period (give 'period: 2024-25-Q2' at the top or on the entry)")
        else:
            try:
                parse_period(e.period)
            except ValueError:
                problems.append(f"{where}: period {e.period!r} is not a period such as 2024-25 or 2024-25-Q2")
        if not e.text.strip():
            problems.append(f"{where}: {e.subject_kind} {e.subject_id}: the text is empty")
        key = (e.subject_kind, e.subject_id, e.period, e.kind, e.la_code)
        if key in seen:
            problems.append(f"{where}: {e.subject_kind} {e.subject_id} {e.kind} for {e.period} "
                            f"is already given on line {seen[key]}")
        seen[key] = e.line
    return problems


def import_commentary(path: Path | str, *, author: Any = "") -> tuple[int, int]:
    """Store a file's commentary; (created, updated).  Raises CommentaryError; stores nothing then.

    ``author`` is the account importing it: an accounts.User, a user name, or ""
    for the CLI's current account (csc_scorecard.services.accounts).
    """
    from django.db import transaction

    from csc_scorecard.reporting.models import Commentary
    from csc_scorecard.services.accounts import resolve_account

    entries = parse_commentary_file(path)
    problems = check_entries(entries, path)
    if problems:
        raise CommentaryError(problems)
    account = resolve_account(author)
    created = updated = 0
    with transaction.atomic():
        for e in entries:
            _, was_created = Commentary.objects.update_or_create(
                subject_kind=e.subject_kind,
                subject_id=e.subject_id,
                period=parse_period(e.period).label,
                kind=e.kind,
                la_code=e.la_code,
                defaults={"text": e.text, "author_account": account, "source_file": Path(path).name[:255]},
            )
            created += was_created
            updated += not was_created
    return created, updated


class CommentaryStore:
    """Commentary of some periods, read once; look-ups prefer the council's own text."""

    def __init__(self, periods: Iterable[str], la_code: str | None = None,
                 rows: Iterable[tuple[str, str, str, str, str, str]] | None = None,
                 *, approved_only: bool = False) -> None:
        self._text: dict[tuple[str, str, str, str], str] = {}
        if rows is None:
            from csc_scorecard.reporting.models import Commentary

            codes = ["", la_code] if la_code else [""]
            query = Commentary.objects.filter(period__in=list(periods), la_code__in=codes)
            if approved_only:
                query = query.filter(status="approved")
            rows = query.values_list("subject_kind", "subject_id", "period", "kind", "la_code", "text")
        # the council's own commentary wins over commentary with no council
        for kind, subject, period, box, _la, text in sorted(rows, key=lambda r: bool(r[4])):
            self._text[(kind, subject, period, box)] = text

    def get(self, kind: str, subject: str, period: str, box: str = "commentary") -> str | None:
        return self._text.get((kind, subject, period, box))


def text_blocks(text: str) -> list[tuple[str, Any]]:
    """Plain text to blocks: ("p", "paragraph") and ("ul", ["item", ...]); lines "- " or "* " are items."""
    blocks: list[tuple[str, Any]] = []
    para: list[str] = []
    items: list[str] = []

    def end_para() -> None:
        if para:
            blocks.append(("p", " ".join(s.strip() for s in para)))
            para.clear()

    def end_list() -> None:
        if items:
            blocks.append(("ul", list(items)))
            items.clear()

    for raw in text.splitlines():
        line = raw.strip()
        if not line:
            end_para()
            end_list()
        elif line[:2] in ("- ", "* "):
            end_para()
            items.append(line[2:].strip())
        elif items and raw[:1] in (" ", "\t"):
            items[-1] += " " + line  # a continued list item
        else:
            end_list()
            para.append(line)
    end_para()
    end_list()
    return blocks
