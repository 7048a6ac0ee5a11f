"""The indicator vocabularies: the one list of polarities and the one list of units.

Every module that reads, rates, benchmarks or prints an indicator takes its
polarity and unit from here, so a word means one thing everywhere. Both are
``StrEnum``: a member equals its text (``Unit.PERCENT == "percent"``), so
values read from YAML, stored rows or Polars frames compare directly.

``Polarity.parse`` also accepts the short words DfE's LAIT dictionary uses
("High", "Low"); the canonical spelling is the one stored and shown.
"""

from __future__ import annotations

from enum import StrEnum

__all__ = ["Polarity", "Unit", "VocabularyError"]


class VocabularyError(ValueError):
    """A word that is not in the vocabulary (the message lists the accepted words)."""


class Polarity(StrEnum):
    """Which way is better for an indicator."""

    HIGHER_BETTER = "higher_better"
    LOWER_BETTER = "lower_better"
    CONTEXTUAL = "contextual"  # demand or volume: described, never judged

    @classmethod
    def parse(cls, word: object) -> Polarity:
        """The polarity named by ``word`` (canonical, or LAIT's "high"/"low")."""
        if isinstance(word, Polarity):
            return word
        key = str(word if word is not None else "").strip().lower()
        key = _POLARITY_SYNONYMS.get(key, key)
        try:
            return cls(key)
        except ValueError:
            raise VocabularyError(
                f"unknown polarity {word!r}; expected one of {', '.join(cls.choices())}"
            ) from None

    @classmethod
    def choices(cls) -> tuple[str, ...]:
        return tuple(m.value for m in cls)

    @property
    def judged(self) -> bool:
        """True when a change can be better or worse (not contextual)."""
        return self is not Polarity.CONTEXTUAL


# LAIT's data dictionary says "High"/"Low"; older files said "higher"/"lower".
_POLARITY_SYNONYMS = {
    "high": "higher_better",
    "higher": "higher_better",
    "low": "lower_better",
    "lower": "lower_better",
    "none": "contextual",
}


class Unit(StrEnum):
    """What an indicator's value measures, which fixes how it is computed and shown.

    ============  ==========================================  =================
    unit          value                                       denominator rows
    ============  ==========================================  =================
    count         the number of units                         none
    percent       100 x numerator / denominator               units counted
    rate_per_10k  10,000 x numerator / 0-17 population        the population
    days          numerator (days) / denominator              units counted
    average       numerator / denominator                     units counted
    ============  ==========================================  =================
    """

    COUNT = "count"
    PERCENT = "percent"
    RATE_PER_10K = "rate_per_10k"
    DAYS = "days"
    AVERAGE = "average"

    @classmethod
    def parse(cls, word: object) -> Unit:
        if isinstance(word, Unit):
            return word
        try:
            return cls(str(word if word is not None else "").strip().lower())
        except ValueError:
            raise VocabularyError(
                f"unknown unit {word!r}; expected one of {', '.join(cls.choices())}"
            ) from None

    @classmethod
    def choices(cls) -> tuple[str, ...]:
        return tuple(m.value for m in cls)

    @property
    def has_denominator(self) -> bool:
        """True when the unit rows carry the denominator (percent, days, average)."""
        return self in (Unit.PERCENT, Unit.DAYS, Unit.AVERAGE)
