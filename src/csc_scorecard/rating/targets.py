"""Targets and tolerances: the analyst's file, strict validation, import with history, export.

The file is CSV or YAML with one row per indicator per financial year:

=================  ========  ===========================================
column             required  meaning
=================  ========  ===========================================
``indicator_id``   yes       catalogue id, e.g. ``assessments_45wd_pct``
``year``           yes       financial year ``2024-25``
``target``         yes*      a number in the indicator's unit (* may be
                             blank when ``discontinued`` is true)
``tolerance``      no        a number >= 0; blank means 0.  ``5%``
                             means relative 0.05
``tolerance_type`` no        ``absolute`` (default) or ``relative``
                             (a fraction of the target, 0 to 1)
``discontinued``   no        yes/no, true/false, 1/0, y/n; blank = no
``note``           no        free text
=================  ========  ===========================================

YAML is a list of mappings with the same keys (or a mapping with a
``targets:`` list).  Import is all-or-nothing: every problem in the file is
reported (file, row or line, column, value, what was expected) and nothing is
stored unless the whole file is good.  Each stored change writes a
:class:`~csc_scorecard.rating.models.TargetChange` per changed field.

This module gathers the public names; the work is in target_spec (the records),
target_file (reading and validation), target_store (import with history) and
target_lookup (reading back, export).
"""

from __future__ import annotations

from csc_scorecard.rating.target_file import parse_target_file, parse_target_text
from csc_scorecard.rating.target_lookup import (
    all_targets,
    export_targets,
    export_text,
    targets_for_year,
)
from csc_scorecard.rating.target_spec import (
    COLUMNS,
    FIELDS,
    REQUIRED_COLUMNS,
    ImportSummary,
    TargetFileError,
    TargetProblem,
    TargetSpec,
    decimal_text,
)
from csc_scorecard.rating.target_store import import_specs, import_targets, target_history

__all__ = [
    "COLUMNS",
    "FIELDS",
    "ImportSummary",
    "TargetFileError",
    "TargetProblem",
    "TargetSpec",
    "REQUIRED_COLUMNS",
    "all_targets",
    "decimal_text",
    "export_targets",
    "export_text",
    "import_specs",
    "import_targets",
    "parse_target_file",
    "parse_target_text",
    "target_history",
    "targets_for_year",
]
