"""A <Child> of the ordinary shape, read into plain texts in one walk.

Nearly every <Child> of a real census has the ordinary shape: plain element
names (no namespace), each part where the schema puts it, each single field
given at most once. Such a child is walked once here into `ChildShape`: the
text of every field by name (stripped, None when absent or blank: what the
rules' tables hold; the reader's cleaning gives the same value for it as for
the text in the file, see bare()) and the line of every record, which both
the census reader's clean-child path (clean_child.py) and the DfE rules'
table tap (validation/cin/tables.py) read without looking at the elements
again.

Anything out of the ordinary (an unknown, repeated or namespaced element,
an entity, a child without identifiers) makes `walk_child` return None, and
both go the long way over the elements, where every oddity has its issue.
The walk is strict on purpose: it never decides what an oddity means.
"""

from __future__ import annotations

from lxml import etree

from csc_scorecard.returns.cin_census.structure import (
    ASSESSMENT,
    CIN_DETAILS,
    CIN_PLAN,
    CP_PLAN,
    IDENTIFIERS,
    SECTION47,
)

Texts = dict[str, "str | None"]  # a record's single fields: name -> bare(the element's text)
Items = list[tuple["str | None", int]]  # repeated items (codes, reviews): (bare text, line)

CIN_LEAVES = frozenset(CIN_DETAILS - {"Assessments", "CINPlanDates", "Section47", "ChildProtectionPlans"})
ASSESSMENT_LEAVES = frozenset(ASSESSMENT - {"FactorsIdentifiedAtAssessment"})
PLAN_LEAVES = frozenset(CIN_PLAN)
S47_LEAVES = frozenset(SECTION47)
CPP_LEAVES = frozenset(CP_PLAN - {"Reviews", "CPPreviews", "CPPreviewDate"})
IDENTIFIER_LEAVES = frozenset(IDENTIFIERS)


class Odd(Exception):
    """The child is not of the ordinary shape (raised inside the walk only)."""


class CinShape:
    """One <CINdetails>: its fields and the records under it, each (line, fields, ...)."""

    __slots__ = ("line", "fields", "assessments", "plans", "s47s", "cpps")

    def __init__(self, line: int) -> None:
        self.line = line
        self.fields: Texts = {}
        self.assessments: list[tuple[int, Texts, Items]] = []  # factors across every holder
        self.plans: list[tuple[int, Texts]] = []
        self.s47s: list[tuple[int, Texts]] = []
        self.cpps: list[tuple[int, Texts, Items]] = []  # reviews in the order the reader takes them


class ChildShape:
    __slots__ = ("line", "ids", "ids_line", "id_line", "chars", "chars_line", "disabilities", "cins")

    def __init__(self, line: int) -> None:
        self.line = line
        self.ids: Texts = {}
        self.ids_line = 0
        self.id_line: int | None = None  # the line of <LAchildID>
        self.chars: Texts = {}
        self.chars_line = 0
        self.disabilities: Items | None = None  # None: no <Disabilities>
        self.cins: list[CinShape] = []


def bare(text: str | None) -> str | None:
    """The text stripped, None when blank. cleaning.clean_text reads it as it reads
    the text itself: it strips too, and what it takes out (byte-order marks,
    zero-width spaces) or turns into a space (no-break spaces) leaves the
    surrounding whitespace whitespace. (Written out in the walk's loops, which
    run for every element of the file.)"""
    if text is None:
        return None
    return text.strip() or None


def walk_child(child: etree._Element) -> ChildShape | None:
    """The child's ChildShape, or None when it is not of the ordinary shape."""
    try:
        return _walk(child)
    except Odd:
        return None


def _fields(element: etree._Element, names: frozenset[str]) -> Texts:
    """A record made only of single fields (CINPlanDates, Section47)."""
    fields: Texts = {}
    for kid in element[:]:
        tag = kid.tag
        if tag not in names or tag in fields:  # also an entity, whose tag is not a str
            raise Odd
        fields[tag] = (t.strip() or None) if (t := kid.text) is not None else None
    return fields


def _items(holder: etree._Element, name: str, into: Items) -> None:
    for kid in holder[:]:
        if kid.tag != name:
            raise Odd
        t = kid.text
        into.append(((t.strip() or None) if t is not None else None, kid.sourceline))


def _walk(child: etree._Element) -> ChildShape:
    shape = ChildShape(child.sourceline)
    ids_seen = chars_seen = False
    for part in child[:]:
        tag = part.tag
        if tag == "CINdetails":
            shape.cins.append(_cin(part))
        elif tag == "ChildIdentifiers" and not ids_seen:
            ids_seen = True
            shape.ids_line = part.sourceline
            ids = shape.ids
            for kid in part[:]:
                name = kid.tag
                if name not in IDENTIFIER_LEAVES or name in ids:
                    raise Odd
                ids[name] = (t.strip() or None) if (t := kid.text) is not None else None
                if name == "LAchildID":
                    shape.id_line = kid.sourceline
        elif tag == "ChildCharacteristics" and not chars_seen:
            chars_seen = True
            shape.chars_line = part.sourceline
            for kid in part[:]:
                name = kid.tag
                if name == "Ethnicity" and name not in shape.chars:
                    shape.chars[name] = (t.strip() or None) if (t := kid.text) is not None else None
                elif name == "Disabilities" and shape.disabilities is None:
                    shape.disabilities = []
                    _items(kid, "Disability", shape.disabilities)
                else:
                    raise Odd
        else:
            raise Odd
    if not (ids_seen and chars_seen):
        raise Odd
    return shape


def _cin(element: etree._Element) -> CinShape:
    cin = CinShape(element.sourceline)
    fields = cin.fields
    for kid in element[:]:
        tag = kid.tag
        if tag in CIN_LEAVES:
            if tag in fields:
                raise Odd
            fields[tag] = (t.strip() or None) if (t := kid.text) is not None else None
        elif tag == "Assessments":
            texts: Texts = {}
            factors: Items = []
            for field in kid[:]:
                name = field.tag
                if name == "FactorsIdentifiedAtAssessment":
                    _items(field, "AssessmentFactors", factors)
                elif name in ASSESSMENT_LEAVES and name not in texts:
                    texts[name] = (t.strip() or None) if (t := field.text) is not None else None
                else:
                    raise Odd
            cin.assessments.append((kid.sourceline, texts, factors))
        elif tag == "CINPlanDates":
            cin.plans.append((kid.sourceline, _fields(kid, PLAN_LEAVES)))
        elif tag == "Section47":
            cin.s47s.append((kid.sourceline, _fields(kid, S47_LEAVES)))
        elif tag == "ChildProtectionPlans":
            cin.cpps.append(_cpp(kid))
        else:
            raise Odd
    return cin


def _cpp(element: etree._Element) -> tuple[int, Texts, Items]:
    texts: Texts = {}
    direct: Items = []
    held: dict[str, Items] = {"Reviews": [], "CPPreviews": []}
    for kid in element[:]:
        name = kid.tag
        if name == "CPPreviewDate":
            t = kid.text
            direct.append(((t.strip() or None) if t is not None else None, kid.sourceline))
        elif name in held:
            _items(kid, "CPPreviewDate", held[name])
        elif name in CPP_LEAVES and name not in texts:
            texts[name] = (t.strip() or None) if (t := kid.text) is not None else None
        else:
            raise Odd
    # structure.review_elements' order: the plan's own, then under <Reviews>, then <CPPreviews>
    return element.sourceline, texts, direct + held["Reviews"] + held["CPPreviews"]
