"""The CIN census reader: one XML file in, canonical rows and located issues out.

The file is first checked whole (gate.check_file: no DTD, well-formed, a
CIN <Message>), then read as a stream: lxml's iterparse hands over one
<Child> at a time, which is turned into rows for the child, referral,
assessment, cin_plan, s47, cp_plan and cp_review tables and then cleared,
with its already-read siblings, so memory holds one child whatever the size
of the file.

Every issue names the table, the line of the element it is about (as
source_row: XML has lines where a spreadsheet has rows), the element's name
as the column, the value and what was expected. Rows that cannot be used
(no child id, no referral date, no start date) are quarantined with an
ERROR; suspicious ones are stored with a WARNING. Problems that would repeat
on every child (a whole file using an older element name, say) are reported
once with a count.

The reading is split by responsibility: this module runs the stream;
header.py settles the collection year and LA; child.py, referral.py and
protection.py map each part of a <Child> to canonical rows; fields.py reads
single fields and raises their issues; structure.py knows which elements a
record may hold.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Protocol

from lxml import etree

from csc_scorecard.returns.base import ReadResult, RowSink
from csc_scorecard.returns.cin_census import gate
from csc_scorecard.returns.cin_census.child import ChildReader
from csc_scorecard.returns.cin_census.clean_child import CleanChildReader
from csc_scorecard.returns.cin_census.header import HeaderReader
from csc_scorecard.returns.cin_census.protection import ProtectionReader
from csc_scorecard.returns.cin_census.referral import ReferralReader
from csc_scorecard.returns.cin_census.shape import ChildShape, walk_child
from csc_scorecard.returns.issue_codes import Code
from csc_scorecard.returns.issues import FileRejected

RETURN_TYPE = "cin_census"


class ElementTap(Protocol):
    """Something else that wants the same elements as they stream past (the DfE
    rules' tables, validation/cin/tables.py), so the file is parsed once."""

    def header(self, header: etree._Element) -> None: ...

    def year(self, year: str) -> None: ...  # the collection year read, "" when unknown

    def child(self, child: etree._Element) -> None: ...

    # The same child when it is of the ordinary shape, already walked (shape.py):
    # given instead of child(), never as well.
    def child_shape(self, shape: ChildShape) -> None: ...

    # The reader's structure.KidsMemo: each element's children by name, worked out
    # once for the reader and the tap alike. Given once, before the first child.
    def share_kids(self, kids_of: Callable[[etree._Element], dict]) -> None: ...


def read_cin_census(
    path: Path | str,
    *,
    year: str = "",
    la_code: str = "",
    sink: RowSink | None = None,
    tap: ElementTap | None = None,
) -> ReadResult:
    """Read one CIN census XML file.

    `year` ("2024-25") overrides the collection year the header gives (a
    WARNING says so when they differ); `la_code` overrides Header/Source/LEA.
    Raises FileRejected, with the reason in words, for a file that cannot be
    used at all: empty, not XML, not a CIN census, a DTD, cut short.

    `tap`, when given, is handed the top-level <Header>, the collection year
    once it is settled, and every <Child> before the reader frees it; it must
    not raise (validation's TableTap
    keeps its own trouble to itself).
    """
    path = Path(path)
    result = ReadResult(RETURN_TYPE, [path])
    if sink is not None:
        result.sink = sink
    gate.check_file(path)
    reader = CensusReader(path, result, year_override=year, la_override=la_code)
    reader.tap = tap
    if tap is not None:
        tap.share_kids(reader.kids_of)
    reader.run()
    return result.finish()


class CensusReader(HeaderReader, ChildReader, ReferralReader, ProtectionReader, CleanChildReader):
    """Reads one file: the parts above, run over a stream of <Child> elements.

    A child of the ordinary shape is walked once (shape.walk_child) for the tap
    and for the short way through a clean child (clean_child.py); a child the
    short way will not vouch for is read the long way (child.py on)."""

    tap: ElementTap | None = None

    def run(self) -> None:
        events = etree.iterparse(
            str(self.path),
            events=("end",),
            tag=("{*}Header", "{*}Child"),
            remove_comments=True,
            remove_pis=True,
            **gate.SAFE_PARSER_OPTIONS,
        )
        try:
            for _, element in events:
                if gate.local_name(element.tag) == "Header":
                    parent = element.getparent()
                    if parent is not None and parent.getparent() is None:
                        self._header(element)
                        if self.tap is not None:
                            self.tap.header(element)
                    continue
                if self.spec is None:
                    self._settle_year()
                    if self.tap is not None:
                        self.tap.year(self.result.year)
                shape = walk_child(element)
                if self.tap is not None:
                    if shape is not None:
                        self.tap.child_shape(shape)
                    else:
                        self.tap.child(element)
                if shape is None or not self._clean_child(shape):
                    self._child(element)
                self.kids_of.forget()  # it holds the child's elements: let them go first
                element.clear(keep_tail=False)
                parent = element.getparent()
                if parent is not None:
                    while element.getprevious() is not None:
                        del parent[0]
        except etree.XMLSyntaxError as exc:  # the file changed after it was checked
            raise FileRejected(
                self.path.name,
                f"the XML broke at line {exc.lineno} while being read ({gate.clean_parser_message(exc)}); "
                "nothing from this file was stored",
            ) from None
        if self.spec is None:
            self._settle_year()
        if self.children == 0:
            self.log.warning(
                "the file holds no <Child> records, so nothing was read from it",
                table="Children",
                code=Code.NO_ROWS,
            )
        self._settle_la()
        for name, n in sorted(self.source_rows.items()):
            self.result.source_rows[name] = n
        self.once.emit(self.log)
