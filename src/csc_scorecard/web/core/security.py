"""Who must use two-factor authentication, and the pages open before it is done."""

from __future__ import annotations

from csc_scorecard.accounts.models import Role

# Roles that reach child-level data or can change what others see.
TWO_FACTOR_ROLES = {Role.ADMIN, Role.ANALYST}


def two_factor_required(user) -> bool:
    """Admin and analyst accounts, and any account that may see children, sign in with a code too."""
    return bool(user.is_authenticated and (user.role in TWO_FACTOR_ROLES or user.sees_children))


def two_factor_done(user) -> bool:
    return bool(getattr(user, "is_verified", lambda: False)())
