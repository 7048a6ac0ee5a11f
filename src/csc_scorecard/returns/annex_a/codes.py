"""Reading Ofsted's lettered values ("a) Male", "q) 6: Police", "C2: FCO") as DfE codes.

Annex A guidance asks for values such as "k) APKN" or "e) PR4 - Private
provision": an Ofsted letter, then (usually) the DfE code, then a
description. Councils also send bare codes, bare descriptions and their own
wording. `CodeList.parse` accepts all of these and returns the DfE code.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from csc_scorecard.returns.cleaning import NO_WORDS, YES_WORDS, Parsed, clean_text
from csc_scorecard.returns.issue_codes import Code

# An Ofsted letter in front of a value: "a) ", "(b) ", "aa) ", "c. ".
_LETTER_PAREN = re.compile(r"^\(?([A-Za-z]{1,2})\)\s*(.*)$", re.S)
_LETTER_DOT = re.compile(r"^([A-Za-z])\.\s+(.*)$", re.S)
# A code at the start of the text, maybe bracketed, then a separator or the end.
_LEADING_CODE = re.compile(
    r"^[\[(]?([A-Za-z0-9]{1,6})[\])]?\s*(?:[:\-\u2013\u2014=|>]+\s*|\s+|$)(.*)$", re.S
)
# A code in brackets at the end: "White British [WBRI]", "Any other reason (RD4)".
_TRAILING_CODE = re.compile(r"[\[(]([A-Za-z0-9]{1,6})[\])]\s*$")
_QUOTES = str.maketrans({"\u2019": "'", "\u2018": "'", "`": "'"})


def strip_letter(text: str) -> tuple[str, str]:
    """Split an Ofsted letter from a value: 'a) Male' -> ('a', 'Male').

    The letter is only taken off when something follows it, so 'No.' or
    'b)' alone stay as they are.
    """
    for pattern in (_LETTER_PAREN, _LETTER_DOT):
        match = pattern.match(text)
        if match and match.group(2).strip():
            return match.group(1).lower(), match.group(2).strip()
    return "", text


def code_key(text: str) -> str:
    """How codes are compared: upper case, no surrounding space."""
    return re.sub(r"\s+", " ", text.translate(_QUOTES)).strip().upper()


def label_key(text: str) -> str:
    """How descriptions are compared: letters and digits only, upper case."""
    return re.sub(r"[^A-Z0-9]", "", text.translate(_QUOTES).upper())


@dataclass
class CodeList:
    name: str
    codes: list[str]
    letters: dict[str, str] = field(default_factory=dict)  # code -> Ofsted letter
    labels: dict[str, str] = field(default_factory=dict)  # label_key -> code
    blanks: set[str] = field(default_factory=set)  # label_keys meaning "not recorded"
    groups: dict[str, list[str]] = field(
        default_factory=dict
    )  # label_key -> the codes a group covers

    _parsed: dict[tuple[type, object], Parsed[str]] = field(
        default_factory=dict, init=False, repr=False, compare=False
    )

    def __post_init__(self) -> None:
        self._by_code = {code_key(c): c for c in self.codes}

    @classmethod
    def from_spec(cls, name: str, spec: dict) -> CodeList:
        codes: list[str] = []
        letters: dict[str, str] = {}
        labels: dict[str, str] = {}
        blanks: set[str] = set()
        groups: dict[str, list[str]] = {}
        for code, entry in spec.items():
            if code == "blank":
                blanks.update(label_key(str(b)) for b in entry)
                continue
            if code == "groups":
                for label, covered in entry.items():
                    groups[label_key(str(label))] = [str(c) for c in covered]
                continue
            if isinstance(code, bool) or any(
                isinstance(x, bool) for x in (entry or {}).get("labels", []) or []
            ):
                raise ValueError(
                    f"annex_a.yml: code list {name} has an unquoted yes/no word read as true/false"
                )
            code = str(code)
            codes.append(code)
            entry = entry or {}
            if entry.get("letter"):
                letters[code] = str(entry["letter"]).lower()
            for label in entry.get("labels", []) or []:
                key = label_key(str(label))
                if key and key not in labels:
                    labels[key] = code
        return cls(name, codes, letters, labels, blanks, groups)

    @property
    def expected(self) -> str:
        return (
            "one of " + ", ".join(self.codes) + " (with or without Ofsted's letter and description)"
        )

    def parse(self, value: object) -> Parsed[str]:
        """The DfE code a value stands for, or an error saying it is not one."""
        # A list repeats a few dozen spellings thousands of times: each is worked
        # out once. The type is part of the key (True and 1 read differently).
        key = (value.__class__, value)
        try:
            return self._parsed[key]
        except KeyError:
            pass
        except TypeError:  # an unhashable value: work it out each time
            return self._parse(value)
        parsed = self._parse(value)
        if len(self._parsed) < _CACHE_LIMIT:
            self._parsed[key] = parsed
        return parsed

    def _parse(self, value: object) -> Parsed[str]:
        if isinstance(value, float) and value.is_integer():
            value = int(value)
        text = clean_text(value)
        if not text:
            return Parsed(None)
        _letter, rest = strip_letter(text)
        code = self._match(rest)
        if code is None and rest != text:
            code = self._match(text)  # a value that only looks lettered, e.g. "U) ..."
        if code == "":
            return Parsed(None)
        if code is None:
            covered = self.groups.get(label_key(rest))
            if covered:
                return Parsed(
                    error=f"an Ofsted group covering {', '.join(covered)}, not one code",
                    expected=f"the DfE code ({', '.join(covered)})",
                    code=Code.BAD_CODE,
                )
            return Parsed(
                error=f"not a recognised {self.name.replace('_', ' ')} value",
                expected=self.expected,
                code=Code.BAD_CODE,
            )
        return Parsed(code)

    def _match(self, text: str) -> str | None:
        """A code, '' for a 'not recorded' spelling, or None when nothing fits."""
        by_code = self._by_code
        whole = code_key(text)
        if whole in by_code:
            return by_code[whole]
        key = label_key(text)
        if key in self.labels:
            return self.labels[key]
        if key in self.blanks:
            return ""
        match = _LEADING_CODE.match(text)
        if match:
            token, tail = code_key(match.group(1)), match.group(2)
            if token in by_code:
                return by_code[token]
            tail_key = label_key(tail)
            if tail_key and tail_key in self.labels and label_key(token) in self.labels:
                # "1 - Male": a local number code and a description that agree
                if self.labels[tail_key] == self.labels[label_key(token)]:
                    return self.labels[tail_key]
            if tail_key and tail_key in self.labels and not token.isalpha():
                return self.labels[tail_key]
        trailing = _TRAILING_CODE.search(text)
        if trailing and code_key(trailing.group(1)) in by_code:
            return by_code[code_key(trailing.group(1))]
        return None


_CACHE_LIMIT = 50_000  # distinct spellings kept per code list (free text in a code column)

_UNKNOWN_WORDS = {"UNKNOWN", "NOTKNOWN", "NOTRECORDED", "NOTSTATED", "NA", "NK", "U", "UNK"}


def parse_yes_no(value: object) -> Parsed[bool]:
    """Yes/no with or without a letter: 'a) Yes', 'b) No', 'Y', '0'; 'Unknown' is empty."""
    if isinstance(value, bool):
        return Parsed(value)
    if isinstance(value, (int, float)) and value in (0, 1):
        return Parsed(bool(value))
    text = clean_text(value)
    if not text:
        return Parsed(None)
    _letter, rest = strip_letter(text)
    key = label_key(rest)
    if key in YES_WORDS:
        return Parsed(True)
    if key in NO_WORDS:
        return Parsed(False)
    if key in _UNKNOWN_WORDS:
        return Parsed(None)
    first = label_key(rest.split()[0]) if rest.split() else ""
    if (
        first in ("YES", "NO") and len(rest.split()) > 1
    ):  # "Yes - seen alone", "No, resident in the UK"
        return Parsed(first == "YES")
    return Parsed(
        error="not a yes/no value",
        expected="Yes or No (a) Yes / b) No, Y/N, 1/0)",
        code=Code.BAD_YES_NO,
    )
