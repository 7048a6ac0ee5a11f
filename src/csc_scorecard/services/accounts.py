"""Accounts: create, list, change roles, deactivate; and the account the CLI acts as.

The CLI acts as a named account, chosen in this order:

1. ``--as NAME`` on the command line (:func:`act_as`, set by the click group);
2. the ``CSC_SCORECARD_USER`` environment variable;
3. the operating-system login, mapped to the account of the same name.

While the installation has no administrator yet (a fresh data home, the
demo), the operating-system login is created as an analyst on first use, so
everything works out of the box. Once an administrator exists, accounts are
managed: an unknown name is refused with a clear message.

Managing accounts needs the admin role, except while no administrator exists
(so the first one can be made). Every account change is audited. The CLI's
role checks are a courtesy to the person at the keyboard, not a security
boundary: whoever runs the CLI can read the database directly. The web app's
sign-in is the boundary.
"""

from __future__ import annotations

import getpass
import os
import secrets
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from csc_scorecard.accounts.models import User

__all__ = [
    "AccountError",
    "NoSuchAccount",
    "account_named",
    "act_as",
    "can_manage_accounts",
    "create_account",
    "current_account",
    "deactivate",
    "list_accounts",
    "os_login",
    "reset_two_factor",
    "resolve_account",
    "set_role",
    "two_factor_status",
]

ROLES = ("admin", "analyst", "manager", "viewer")
_acting_as: str | None = None


class AccountError(ValueError):
    """An account cannot be created, found or changed (a clear message for the user)."""


class NoSuchAccount(AccountError):
    pass


def act_as(name: str | None) -> None:
    """Make the CLI act as this account for the rest of the process (None: the default)."""
    global _acting_as
    _acting_as = (name or "").strip() or None


def os_login() -> str:
    try:
        return getpass.getuser()
    except Exception:  # no login name in some containers and services
        return ""


def _admin_exists() -> bool:
    from csc_scorecard.accounts.models import Role, User

    return User.objects.filter(role=Role.ADMIN, is_active=True).exists()


def account_named(name: str) -> User:
    """The active account with this user name, or :class:`NoSuchAccount`."""
    from csc_scorecard.accounts.models import User

    clean = (name or "").strip()
    try:
        account = User.objects.get(username=clean)
    except User.DoesNotExist:
        raise NoSuchAccount(
            f"no account named {clean!r}; an administrator creates it with "
            f"`csc-scorecard users create {clean or 'NAME'} --role ROLE`"
        ) from None
    if not account.is_active:
        raise AccountError(f"the account {clean!r} is deactivated")
    return account


def resolve_account(account: User | str | None) -> User:
    """An account given as itself, by name, or None for :func:`current_account`."""
    if account is None or account == "":
        return current_account()
    if isinstance(account, str):
        return account_named(account)
    return account


def current_account() -> User:
    """The account the CLI acts as (see the module's rule)."""
    from csc_scorecard.accounts.models import Role, User

    chosen = _acting_as or os.environ.get("CSC_SCORECARD_USER", "").strip()
    if chosen:
        return account_named(chosen)
    login = os_login()
    if not login:
        raise AccountError("no login name to act as: use --as NAME or CSC_SCORECARD_USER")
    existing = User.objects.filter(username=login).first()
    if existing is not None:
        if not existing.is_active:
            raise AccountError(f"the account {login!r} is deactivated")
        return existing
    if _admin_exists():
        raise NoSuchAccount(
            f"your login {login!r} has no account; use --as NAME, or ask an administrator to "
            f"run `csc-scorecard users create {login} --role ROLE`"
        )
    # No administrator yet: a single-user installation (the demo). Not audited as a role
    # change: nobody granted it, and it stops happening once an administrator exists.
    account = User(username=login, role=Role.ANALYST)
    account.set_unusable_password()
    account.save()
    return account


def _check_areas(role: str, areas: Iterable[str]) -> list[str]:
    clean = sorted({a.strip() for a in areas if a and a.strip()})
    if clean and role != "manager":
        raise AccountError("--area is for managers only: other roles are never scoped to areas")
    return clean


def _check_role(role: str) -> str:
    value = (role or "").strip().lower()
    if value not in ROLES:
        raise AccountError(f"no role {role!r}; roles: {', '.join(ROLES)}")
    return value


def _require_admin(by: User | None) -> None:
    if by is not None and by.role == "admin" and by.is_active:
        return
    if not _admin_exists():
        return  # bootstrapping: the first administrator can be made by anyone at the machine
    who = by.username if by is not None else "nobody"
    raise AccountError(f"managing accounts needs the admin role ({who!r} is not an administrator)")


def _keep_an_administrator(account: User) -> None:
    """Refuse to demote or deactivate the last active administrator."""
    from csc_scorecard.accounts.models import Role, User

    if account.role != Role.ADMIN or not account.is_active:
        return
    others = User.objects.filter(role=Role.ADMIN, is_active=True).exclude(pk=account.pk)
    if not others.exists():
        raise AccountError(
            f"{account.username!r} is the last administrator; make another one first"
        )


def _audit(by: User | None, action: str, detail: str) -> None:
    from csc_scorecard.services.audit import record

    record(by, action, detail)


def create_account(
    name: str,
    role: str,
    *,
    areas: Sequence[str] = (),
    email: str = "",
    password: str | None = None,
    by: User | None = None,
) -> tuple[User, str | None]:
    """Create an account; returns it and the one-time password made for it (None when given)."""
    from django.db import transaction

    from csc_scorecard.accounts.models import User

    clean = (name or "").strip()
    if not clean or len(clean) > 150 or any(ch.isspace() for ch in clean):
        raise AccountError(f"{name!r} is not a user name (no spaces, at most 150 characters)")
    role = _check_role(role)
    scoped = _check_areas(role, areas)
    _require_admin(by)
    if User.objects.filter(username=clean).exists():
        raise AccountError(f"an account named {clean!r} already exists")
    one_time = None
    if password is None:
        one_time = secrets.token_urlsafe(12)
    elif len(password) < 8:
        raise AccountError("the password must have at least 8 characters")
    with transaction.atomic():
        account = User(username=clean, email=email.strip(), role=role, areas=scoped)
        account.set_password(one_time or password)
        account.password_must_change = one_time is not None
        account.save()
        _audit(by, "account-created", f"account {clean}, role {role}" + _areas_text(scoped))
    return account, one_time


def _areas_text(areas: Sequence[str]) -> str:
    return f", areas {', '.join(areas)}" if areas else ""


def list_accounts() -> list[User]:
    from csc_scorecard.accounts.models import User

    return list(User.objects.order_by("username"))


def set_role(name: str, role: str, *, areas: Sequence[str] | None = None,
             by: User | None = None) -> User:
    """Change an account's role (and a manager's areas); audited with the old and new role."""
    from django.db import transaction

    from csc_scorecard.accounts.models import User

    role = _check_role(role)
    _require_admin(by)
    try:
        account = User.objects.get(username=(name or "").strip())
    except User.DoesNotExist:
        raise NoSuchAccount(f"no account named {name!r}") from None
    scoped = _check_areas(role, areas if areas is not None else
                         (account.areas if role == "manager" else []))
    if role != "admin":
        _keep_an_administrator(account)
    old = f"{account.role}{_areas_text(account.areas)}"
    with transaction.atomic():
        account.role = role
        account.areas = scoped
        account.save(update_fields=["role", "areas"])
        _audit(by, "role-changed",
               f"account {account.username}: {old} -> {role}{_areas_text(scoped)}")
    return account


def deactivate(name: str, *, by: User | None = None) -> User:
    """Deactivate an account (never deleted: audit records and changes point to it)."""
    from django.db import transaction

    from csc_scorecard.accounts.models import User

    _require_admin(by)
    try:
        account = User.objects.get(username=(name or "").strip())
    except User.DoesNotExist:
        raise NoSuchAccount(f"no account named {name!r}") from None
    if by is not None and by.pk == account.pk:
        raise AccountError("an administrator cannot deactivate their own account")
    _keep_an_administrator(account)
    with transaction.atomic():
        account.is_active = False
        account.save(update_fields=["is_active"])
        _audit(by, "account-deactivated", f"account {account.username}")
    return account


# --- two-factor reset (web: Accounts, admins only) -----------------------------


def can_manage_accounts(account: User | None) -> bool:
    """Whether the account may manage others' sign-in (an active administrator; no bootstrap
    exception here: the web always has an administrator signed in)."""
    return bool(account is not None and account.is_active and account.role == "admin")


def two_factor_status(by: User | None) -> list[dict]:
    """Every account with its role and whether it has set up two-factor, for an administrator."""
    from django_otp.plugins.otp_totp.models import TOTPDevice

    if not can_manage_accounts(by):
        raise AccountError("managing accounts needs the admin role")
    confirmed = set(TOTPDevice.objects.filter(confirmed=True).values_list("user_id", flat=True))
    return [
        {"username": a.username, "role": a.role, "active": a.is_active, "enrolled": a.pk in confirmed,
         "own": by is not None and a.pk == by.pk}
        for a in list_accounts()
    ]


def reset_two_factor(name: str, *, by: User | None) -> int:
    """Remove another account's authenticator devices, so it sets one up again at its next
    sign-in (a session it has open is sent to set-up at its next page). Audited; refusals too.

    Returns how many devices were removed. An administrator cannot reset their own: whoever
    holds their session could otherwise tie the account to a phone of their own.
    """
    from django.db import transaction
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from csc_scorecard.accounts.models import User

    clean = (name or "").strip()
    if not can_manage_accounts(by):
        _audit(by, "two-factor-reset-refused", f"account {clean[:150]}: not an administrator")
        raise AccountError("resetting two-factor needs the admin role")
    try:
        account = User.objects.get(username=clean)
    except User.DoesNotExist:
        raise NoSuchAccount(f"no account named {clean!r}") from None
    if by is not None and account.pk == by.pk:
        raise AccountError("you cannot reset your own two-factor; ask another administrator")
    with transaction.atomic():
        removed, _ = TOTPDevice.objects.filter(user=account).delete()
        _audit(by, "two-factor-reset", f"account {account.username}: {removed} device(s) removed")
    return removed
