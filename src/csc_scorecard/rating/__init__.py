"""Targets, tolerances, RAG ratings, direction of travel, priorities, suppression, scorecard.

Pure functions take plain values (polarity strings, floats) so they do not
depend on the indicator catalogue; the Django models (app label ``rating``)
keep the targets and their history.  See docs/rating.md for the rules.
"""

from csc_scorecard.rating.direction import (
    Direction,
    Travel,
    change,
    change_unit,
    direction,
    direction_label,
    travel,
)
from csc_scorecard.rating.priorities import Priority, load_priorities, rollup_direction, rollup_rag
from csc_scorecard.rating.rag import Rag, rag, rag_for_target, rag_label
from csc_scorecard.rating.scorecard import build_scorecard
from csc_scorecard.rating.suppression import suppress
from csc_scorecard.rating.targets import TargetFileError, TargetSpec

__all__ = [
    "Direction",
    "Priority",
    "Rag",
    "TargetFileError",
    "TargetSpec",
    "Travel",
    "build_scorecard",
    "change",
    "change_unit",
    "direction",
    "direction_label",
    "load_priorities",
    "rag",
    "rag_for_target",
    "rag_label",
    "rollup_direction",
    "rollup_rag",
    "suppress",
    "travel",
]
