"""Which council an installation reports on: one rule, used by every reader.

The rule, first match wins (documented for users in docs/services.md):

1. an explicit code (the ``--la`` option of a command, or a web request's choice);
2. the ``CSC_SCORECARD_LA_CODE`` environment variable;
3. ``la_code`` in ``council.yml`` in the data directory;
4. the only council in the store (the LA codes of the current submissions and
   of the stored results);
5. none at all when the store holds no LA code (returns without one): the
   council is then "" and only uncoded data is read.

When the store holds several councils and none is chosen, :func:`choose_council`
raises :class:`CouncilNotChosen` naming them; nothing is merged silently.
Submissions without an LA code (local extracts) belong to every council.
"""

from __future__ import annotations

import os
from dataclasses import dataclass

__all__ = ["Council", "CouncilNotChosen", "choose_council", "stored_councils"]


class CouncilNotChosen(ValueError):
    """The store holds several councils and nothing says which one to report on."""

    def __init__(self, choices: list[str]):
        self.choices = list(choices)
        super().__init__(
            "the store holds several councils (" + ", ".join(self.choices) + "); choose one with "
            "--la, CSC_SCORECARD_LA_CODE or la_code in council.yml"
        )


@dataclass(frozen=True)
class Council:
    """The council chosen, and which step of the rule chose it."""

    la_code: str  # "" when the store holds no LA code at all
    source: str  # "--la", "CSC_SCORECARD_LA_CODE", "council.yml", "the store" or "none"
    name: str = ""

    def __str__(self) -> str:
        label = self.name or (f"LA {self.la_code}" if self.la_code else "the council (no LA code)")
        return label


def stored_councils() -> list[str]:
    """LA codes in the store: current submissions and stored results (blank codes left out)."""
    from csc_scorecard.results.models import IndicatorValue
    from csc_scorecard.store.models import Submission

    codes = set(Submission.objects.filter(is_current=True).values_list("la_code", flat=True))
    codes |= set(IndicatorValue.objects.values_list("la_code", flat=True).distinct())
    return sorted(c for c in codes if c)


def choose_council(la_code: str | None = None) -> Council:
    """The council to report on, by the rule above. Django must be configured."""
    from csc_scorecard.config import read_council_file

    settings, _problem = read_council_file()
    file_code = str(settings.get("la_code") or "").strip()
    name = str(settings.get("name") or "").strip()

    def named(code: str, source: str) -> Council:
        return Council(code, source, name if code and code == file_code else "")

    explicit = (la_code or "").strip()
    if explicit:
        return named(explicit, "--la")
    env = os.environ.get("CSC_SCORECARD_LA_CODE", "").strip()
    if env:
        return named(env, "CSC_SCORECARD_LA_CODE")
    if file_code:
        return named(file_code, "council.yml")
    codes = stored_councils()
    if len(codes) > 1:
        raise CouncilNotChosen(codes)
    if codes:
        return named(codes[0], "the store")
    return Council("", "none")
