"""What a plan's reference may be.

The reference names the plan on the command line (``--plan``) and in the web
address ``/plans/<reference>/``.  The plans pages also use fixed words directly
under ``/plans/`` (``/plans/measures/``, ``/plans/actions/<id>/``); a plan
called by one of those words could be stored but never opened, its address
taken by the other page.  tests/plans/test_plan_references.py checks this list
against the plans URL patterns so a new fixed page cannot slip past it.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError

__all__ = ["RESERVED_REFERENCES", "reference_problem", "validate_plan_reference"]

# the fixed first segments of the plans pages' addresses (web/plans/urls.py)
RESERVED_REFERENCES = frozenset({"measures", "actions"})


def reference_problem(reference: str) -> str | None:
    """Why ``reference`` cannot name a plan, or None when it can."""
    if not reference.replace("-", "").replace("_", "").isalnum() or not reference.isascii():
        return "use letters, digits, - and _ only (it names the plan: --plan)"
    if reference.lower() in RESERVED_REFERENCES:
        words = ", ".join(sorted(RESERVED_REFERENCES))
        return (f"'{reference}' is the name of a plans page (/plans/{reference.lower()}/), so the plan "
                f"could not be opened; choose another reference (not {words})")
    return None


def validate_plan_reference(value: str) -> None:
    """The model field's validator: the admin's plan form refuses what an import refuses."""
    problem = reference_problem(value)
    if problem:
        raise ValidationError(problem, code="reserved")
