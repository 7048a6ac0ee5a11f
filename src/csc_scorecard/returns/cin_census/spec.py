"""Year-by-year code lists of the CIN census, loaded strictly from YAML.

spec/base.yml describes the earliest year; spec/years/<year ending>.yml says
what changed in each later year. `spec_for(2025)` gives the lists that apply
to the 2024-25 return. A mistake in the YAML (an unknown key, a duplicate
key, an unquoted code, adding a code that exists already...) raises
SpecError when the spec is first loaded, never a silently wrong list.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from csc_scorecard.returns.cin_census.values import year_label as _label

SPEC_DIR = Path(__file__).with_name("spec")

CODE_LISTS = (
    "ethnicity",
    "disability",
    "upn_unknown",
    "referral_source",
    "primary_need",
    "closure_reason",
    "assessment_factor",
    "abuse_category",
)
MODULES = ("cin_plans",)
SEX_VALUES = ("M", "F", "U")


class SpecError(ValueError):
    """The CIN census spec files are wrong (a packaging bug, not a user's problem)."""


@dataclass(frozen=True)
class YearSpec:
    year_ending: int
    codes: Mapping[str, tuple[str, ...]]  # list -> codes valid this year (retired ones excluded)
    retired: Mapping[str, Mapping[str, str]]  # list -> code -> why it is only tolerated
    sex_element: str
    sex_values: Mapping[str, str]  # value in the file -> M / F / U
    modules: Mapping[str, bool]
    history: Mapping[
        str, Mapping[str, tuple[int, ...]]
    ]  # list -> code -> year endings it was valid

    @property
    def label(self) -> str:
        return _label(self.year_ending)

    def accepted(self, code_list: str) -> tuple[str, ...]:
        """Codes read without an error this year: valid ones, then retired ones."""
        return self.codes[code_list] + tuple(self.retired.get(code_list, {}))

    def when_valid(self, code_list: str, code: str) -> str:
        """For a code not valid this year: the years it was valid, in words ('' if never)."""
        years = self.history.get(code_list, {}).get(code, ())
        if not years:
            return ""
        first, last = min(years), max(years)
        label = _label
        if first > self.year_ending:
            return f"{code} is only used from {label(first)}"
        if last < self.year_ending:
            return f"{code} was last used in {label(last)}"
        return f"{code} is used in {', '.join(label(y) for y in sorted(years))}"


class _StrictLoader(yaml.SafeLoader):
    """A safe loader that refuses duplicate keys."""


def _mapping_no_duplicates(loader: _StrictLoader, node: yaml.MappingNode) -> dict:
    seen: set = set()
    for key_node, _ in node.value:
        key = loader.construct_object(key_node)
        if key in seen:
            raise SpecError(f"duplicate key {key!r} at line {key_node.start_mark.line + 1}")
        seen.add(key)
    return loader.construct_mapping(node)


_StrictLoader.add_constructor(
    yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _mapping_no_duplicates
)


def _load_yaml(path: Path) -> dict:
    try:
        data = yaml.load(path.read_text(encoding="utf-8"), Loader=_StrictLoader)  # noqa: S506 (safe subclass)
    except SpecError as exc:
        raise SpecError(f"{path.name}: {exc}") from None
    except yaml.YAMLError as exc:
        raise SpecError(f"{path.name}: not valid YAML: {exc}") from None
    if not isinstance(data, dict):
        raise SpecError(f"{path.name}: expected a mapping at the top level")
    return data


def _check_keys(
    where: str, data: Mapping, allowed: set[str], required: set[str] = frozenset()
) -> None:
    unknown = set(data) - allowed
    if unknown:
        raise SpecError(
            f"{where}: unknown key(s) {sorted(map(str, unknown))}; allowed: {sorted(allowed)}"
        )
    missing = required - set(data)
    if missing:
        raise SpecError(f"{where}: missing key(s) {sorted(missing)}")


def _code_list(where: str, value: Any) -> list[str]:
    if not isinstance(value, list) or not value:
        raise SpecError(f"{where}: expected a non-empty list of quoted codes")
    for code in value:
        if not isinstance(code, str) or not code.strip() or code != code.strip():
            raise SpecError(f"{where}: code {code!r} must be a quoted, non-blank string")
    if len(set(value)) != len(value):
        dupes = sorted({c for c in value if value.count(c) > 1})
        raise SpecError(f"{where}: repeated code(s) {dupes}")
    return list(value)


def _sex(where: str, value: Any) -> tuple[str, dict[str, str]]:
    if not isinstance(value, dict):
        raise SpecError(f"{where}: expected a mapping with element and values")
    _check_keys(where, value, {"element", "values"}, {"element", "values"})
    element = value["element"]
    if not isinstance(element, str) or not element.isidentifier():
        raise SpecError(f"{where}.element: expected an element name, got {element!r}")
    values = value["values"]
    if not isinstance(values, dict) or not values:
        raise SpecError(f"{where}.values: expected a mapping of file value -> M/F/U")
    for k, v in values.items():
        if not isinstance(k, str) or not isinstance(v, str):
            raise SpecError(f"{where}.values: {k!r}: {v!r} must both be quoted strings")
        if v not in SEX_VALUES:
            raise SpecError(
                f"{where}.values: {k!r} maps to {v!r}, not one of {', '.join(SEX_VALUES)}"
            )
    return element, dict(values)


def _modules(where: str, value: Any) -> dict[str, bool]:
    if not isinstance(value, dict):
        raise SpecError(f"{where}: expected a mapping of module -> true/false")
    _check_keys(where, value, set(MODULES))
    for k, v in value.items():
        if not isinstance(v, bool):
            raise SpecError(f"{where}.{k}: expected true or false, got {v!r}")
    return dict(value)


@dataclass
class _State:
    codes: dict[str, list[str]]
    retired: dict[str, dict[str, str]]
    sex_element: str
    sex_values: dict[str, str]
    modules: dict[str, bool]


def _apply_changes(where: str, state: _State, changes: Any) -> None:
    if not isinstance(changes, dict):
        raise SpecError(f"{where}: expected a mapping of code list -> changes")
    _check_keys(where, changes, set(CODE_LISTS))
    for name, change in changes.items():
        here = f"{where}.{name}"
        if not isinstance(change, dict) or not change:
            raise SpecError(f"{here}: expected add / remove / retire")
        _check_keys(here, change, {"add", "remove", "retire"})
        current = state.codes[name]
        retired = state.retired.setdefault(name, {})
        for code in _code_list(f"{here}.add", change["add"]) if "add" in change else []:
            if code in current or code in retired:
                raise SpecError(f"{here}.add: {code!r} is already a code")
            current.append(code)
        for code in _code_list(f"{here}.remove", change["remove"]) if "remove" in change else []:
            if code in current:
                current.remove(code)
            elif code in retired:
                del retired[code]
            else:
                raise SpecError(f"{here}.remove: {code!r} is not a code to remove")
        if "retire" in change:
            notes = change["retire"]
            if not isinstance(notes, dict) or not notes:
                raise SpecError(f"{here}.retire: expected a mapping of code -> why")
            for code, why in notes.items():
                if not isinstance(code, str) or code not in current:
                    raise SpecError(f"{here}.retire: {code!r} is not a current code")
                if not isinstance(why, str) or not why.strip():
                    raise SpecError(f"{here}.retire: {code!r} needs a note saying what replaces it")
                current.remove(code)
                retired[code] = why.strip()


@functools.cache
def load_specs(spec_dir: Path = SPEC_DIR) -> dict[int, YearSpec]:
    """Every year's spec, keyed by the year the collection ends."""
    base = _load_yaml(spec_dir / "base.yml")
    _check_keys(
        "base.yml",
        base,
        {"first_year_ending", "last_year_ending", "sex", "modules", "codes"},
        {"first_year_ending", "last_year_ending", "sex", "modules", "codes"},
    )
    first, last = base["first_year_ending"], base["last_year_ending"]
    if not (isinstance(first, int) and isinstance(last, int) and 2000 < first <= last < 2100):
        raise SpecError(
            "base.yml: first_year_ending and last_year_ending must be years, first <= last"
        )
    codes = base["codes"]
    if not isinstance(codes, dict):
        raise SpecError("base.yml: codes must be a mapping")
    _check_keys("base.yml codes", codes, set(CODE_LISTS), set(CODE_LISTS))
    modules = _modules("base.yml modules", base["modules"])
    if set(modules) != set(MODULES):
        raise SpecError(f"base.yml modules: every module must be given: {list(MODULES)}")
    element, values = _sex("base.yml sex", base["sex"])
    state = _State(
        codes={name: _code_list(f"base.yml codes.{name}", codes[name]) for name in CODE_LISTS},
        retired={},
        sex_element=element,
        sex_values=values,
        modules=modules,
    )
    year_files = {p.stem: p for p in (spec_dir / "years").glob("*.yml")}
    expected = {str(y) for y in range(first + 1, last + 1)}
    if set(year_files) != expected:
        extra = sorted(set(year_files) - expected)
        missing = sorted(expected - set(year_files))
        raise SpecError(
            f"years/: expected one file per year {first + 1}..{last}; missing {missing}, unexpected {extra}"
        )

    states: dict[int, _State] = {first: _copy(state)}
    for year in range(first + 1, last + 1):
        name = f"years/{year}.yml"
        data = _load_yaml(year_files[str(year)])
        _check_keys(
            name, data, {"year_ending", "note", "sex", "modules", "codes"}, {"year_ending", "note"}
        )
        if data["year_ending"] != year:
            raise SpecError(
                f"{name}: year_ending is {data['year_ending']!r}, the file name says {year}"
            )
        if not isinstance(data["note"], str) or not data["note"].strip():
            raise SpecError(f"{name}: note must say in words what changed (or that nothing did)")
        if "sex" in data:
            state.sex_element, state.sex_values = _sex(f"{name} sex", data["sex"])
        if "modules" in data:
            state.modules.update(_modules(f"{name} modules", data["modules"]))
        if "codes" in data:
            _apply_changes(f"{name} codes", state, data["codes"])
        states[year] = _copy(state)

    history: dict[str, dict[str, list[int]]] = {name: {} for name in CODE_LISTS}
    for year, st in states.items():
        for name in CODE_LISTS:
            for code in st.codes[name]:
                history[name].setdefault(code, []).append(year)
    frozen_history = {n: {c: tuple(ys) for c, ys in h.items()} for n, h in history.items()}
    return {
        year: YearSpec(
            year_ending=year,
            codes={n: tuple(st.codes[n]) for n in CODE_LISTS},
            retired={n: dict(r) for n, r in st.retired.items() if r},
            sex_element=st.sex_element,
            sex_values=dict(st.sex_values),
            modules=dict(st.modules),
            history=frozen_history,
        )
        for year, st in states.items()
    }


def _copy(state: _State) -> _State:
    return _State(
        codes={k: list(v) for k, v in state.codes.items()},
        retired={k: dict(v) for k, v in state.retired.items()},
        sex_element=state.sex_element,
        sex_values=dict(state.sex_values),
        modules=dict(state.modules),
    )


def supported_years() -> tuple[int, int]:
    specs = load_specs()
    return min(specs), max(specs)


def spec_for(year_ending: int) -> YearSpec:
    """The spec for a collection year (by the year it ends); KeyError outside the known range."""
    return load_specs()[year_ending]


@functools.cache
def all_sex_values() -> dict[str, str]:
    """Every value any year's schema allowed for sex, mapped to M / F / U."""
    merged: dict[str, str] = {}
    for spec in load_specs().values():
        merged.update(spec.sex_values)
    return merged
