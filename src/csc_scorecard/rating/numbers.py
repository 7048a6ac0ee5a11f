"""Exact decimal arithmetic for comparisons made on displayed values.

Ratings and directions are decided on the value *as it is displayed*:
rounded to the indicator's decimals, half away from zero. The rounding and
the text of numbers live in :mod:`csc_scorecard.indicators.formatting` (the
one formatter); the polarity words in :mod:`csc_scorecard.indicators.vocab`.
This module gives the rating code the names it uses.
"""

from __future__ import annotations

from csc_scorecard.indicators.formatting import as_decimal, format_number, rounded
from csc_scorecard.indicators.vocab import Polarity

__all__ = ["as_decimal", "format_number", "normalise_polarity", "rounded"]


def normalise_polarity(polarity: object) -> Polarity:
    """The :class:`Polarity` named (canonical words, or LAIT's ``high``/``low``)."""
    return Polarity.parse(polarity)
