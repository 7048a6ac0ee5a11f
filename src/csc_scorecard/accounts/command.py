"""``csc-scorecard users create|list|set-role|deactivate``: thin commands over services.accounts."""

from __future__ import annotations

from pathlib import Path

import click

from csc_scorecard.cli_support import INPUT_FILE, console, fail, setup_store

ROLE_CHOICE = click.Choice(["admin", "analyst", "manager", "viewer"], case_sensitive=False)


def _open():
    """Migrate (these commands write) and return the acting account."""
    from csc_scorecard.services.accounts import AccountError, current_account

    setup_store()
    try:
        return current_account()
    except AccountError as exc:
        fail(str(exc))


@click.group("users")
def users() -> None:
    """Accounts and their roles (admin, analyst, manager scoped to areas, viewer)."""


@users.command("create")
@click.argument("name")
@click.option("--role", type=ROLE_CHOICE, required=True, help="admin, analyst, manager or viewer")
@click.option("--area", "areas", multiple=True, help="an area a manager sees (repeat for several)")
@click.option("--email", default="", help="e-mail address")
@click.option("--password-file", type=INPUT_FILE, default=None,
              help="read the password from this file (default: print a one-time password)")
def create_command(name: str, role: str, areas: tuple[str, ...], email: str,
                   password_file: Path | None) -> None:
    """Create an account. Without --password-file a one-time password is printed once."""
    from csc_scorecard.services.accounts import AccountError, create_account

    password = None
    if password_file is not None:
        try:
            password = password_file.read_text(encoding="utf-8").strip()
        except OSError as exc:
            fail(f"cannot read {password_file}: {exc.strerror or exc}")
    by = _open()
    try:
        account, one_time = create_account(name, role, areas=areas, email=email,
                                           password=password, by=by)
    except AccountError as exc:
        fail(str(exc))
    scope = f" for {', '.join(account.areas)}" if account.areas else ""
    click.echo(f"created {account.username} ({account.role}{scope})")
    if one_time:
        click.echo(f"one-time password: {one_time}")
        click.echo("it is shown only this once: keep it somewhere safe or change it at first sign-in", err=True)


@users.command("list")
def list_command() -> None:
    """Every account: name, role, areas, active."""
    from rich.table import Table

    from csc_scorecard.services.accounts import list_accounts

    _open()
    table = Table(title="Accounts")
    for heading in ("name", "role", "areas", "e-mail", "active", "last sign-in"):
        table.add_column(heading)
    for a in list_accounts():
        table.add_row(a.username, a.role, ", ".join(a.areas) or "-", a.email or "-",
                      "yes" if a.is_active else "no",
                      a.last_login.strftime("%Y-%m-%d %H:%M") if a.last_login else "-")
    console().print(table)


@users.command("set-role")
@click.argument("name")
@click.argument("role", type=ROLE_CHOICE)
@click.option("--area", "areas", multiple=True, help="the manager's areas (replace the old ones)")
def set_role_command(name: str, role: str, areas: tuple[str, ...]) -> None:
    """Change an account's role (and a manager's areas)."""
    from csc_scorecard.services.accounts import AccountError, set_role

    by = _open()
    try:
        account = set_role(name, role, areas=list(areas) if areas else None, by=by)
    except AccountError as exc:
        fail(str(exc))
    scope = f" for {', '.join(account.areas)}" if account.areas else ""
    click.echo(f"{account.username} is now {account.role}{scope}")


@users.command("deactivate")
@click.argument("name")
def deactivate_command(name: str) -> None:
    """Deactivate an account (kept: its audit records and changes point to it)."""
    from csc_scorecard.services.accounts import AccountError, deactivate

    by = _open()
    try:
        account = deactivate(name, by=by)
    except AccountError as exc:
        fail(str(exc))
    click.echo(f"{account.username} is deactivated")
