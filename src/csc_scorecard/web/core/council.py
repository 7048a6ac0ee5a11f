"""The council's name for the page header, from the council setting (services.council)."""

from __future__ import annotations

DEFAULT_NAME = "Children's services performance"


def council_name() -> str:
    from csc_scorecard.services.council import CouncilNotChosen, choose_council

    try:
        council = choose_council()
    except CouncilNotChosen:
        return DEFAULT_NAME
    return council.name or DEFAULT_NAME
