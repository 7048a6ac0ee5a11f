"""Accounts through the CLI, the account the CLI acts as, and the audit of role changes."""

import pytest
from click.testing import CliRunner
from services_storekit import account

from csc_scorecard.cli import cli
from csc_scorecard.services import accounts

pytestmark = pytest.mark.django_db


def run(*args):
    return CliRunner().invoke(cli, list(args))


def test_users_create_list_set_role_deactivate(tmp_path, monkeypatch):
    from csc_scorecard.accounts.models import User
    from csc_scorecard.store.models import AuditEvent

    monkeypatch.setattr(accounts, "os_login", lambda: "pat")
    # no administrator yet: the first one can be made by whoever is at the machine
    # (pat, whose login becomes an analyst account on first use)
    made = run("users", "create", "boss", "--role", "admin", "--email", "boss@example.org")
    assert made.exit_code == 0, made.output
    assert "created boss (admin)" in made.stdout
    password = made.stdout.split("one-time password: ")[1].split()[0]
    boss = User.objects.get(username="boss")
    assert boss.check_password(password) and boss.password_must_change
    assert boss.email == "boss@example.org"

    # from now on accounts are managed: only an administrator changes them
    secret = tmp_path / "pw"
    secret.write_text("correct horse battery\n")
    made = run("--as", "boss", "users", "create", "mona", "--role", "manager", "--area", "North",
               "--area", "East", "--password-file", str(secret))
    assert made.exit_code == 0, made.output
    assert "one-time password" not in made.stdout
    mona = User.objects.get(username="mona")
    assert mona.check_password("correct horse battery") and not mona.password_must_change
    assert (mona.role, mona.areas) == ("manager", ["East", "North"])

    refused = run("--as", "mona", "users", "create", "eve", "--role", "admin")
    assert refused.exit_code == 2 and "needs the admin role" in refused.output
    assert not User.objects.filter(username="eve").exists()

    listed = run("--as", "boss", "users", "list")
    assert listed.exit_code == 0
    assert "mona" in listed.stdout and "East, North" in listed.stdout and "manager" in listed.stdout

    changed = run("--as", "boss", "users", "set-role", "mona", "viewer")
    assert changed.exit_code == 0 and "mona is now viewer" in changed.stdout
    mona.refresh_from_db()
    assert (mona.role, mona.areas) == ("viewer", [])

    gone = run("--as", "boss", "users", "deactivate", "mona")
    assert gone.exit_code == 0
    mona.refresh_from_db()
    assert not mona.is_active
    as_gone = run("--as", "mona", "users", "list")
    assert as_gone.exit_code == 2 and "deactivated" in as_gone.output

    events = [(e.account.username if e.account else None, e.action, e.detail)
              for e in AuditEvent.objects.order_by("id")]
    assert events == [
        ("pat", "account-created", "account boss, role admin"),
        ("boss", "account-created", "account mona, role manager, areas East, North"),
        ("boss", "role-changed", "account mona: manager, areas East, North -> viewer"),
        ("boss", "account-deactivated", "account mona"),
    ]


@pytest.mark.parametrize(("args", "message"), [
    (["users", "create", "x", "--role", "boss"], "Invalid value for '--role'"),
    (["users", "create", "two words", "--role", "viewer"], "is not a user name"),
    (["users", "create", "v", "--role", "viewer", "--area", "North"], "for managers only"),
    (["users", "set-role", "nobody", "viewer"], "no account named 'nobody'"),
    (["users", "deactivate", "nobody"], "no account named 'nobody'"),
    (["--as", "ghost", "users", "list"], "no account named 'ghost'"),
])
def test_bad_input_is_a_clear_message(args, message):
    out = run(*args)
    assert out.exit_code == 2 and message in out.output
    assert "Traceback" not in out.output


def test_os_login_becomes_an_analyst_until_an_administrator_exists(monkeypatch):
    from csc_scorecard.accounts.models import User

    monkeypatch.setattr(accounts, "os_login", lambda: "pat")
    me = accounts.current_account()
    assert (me.username, me.role) == ("pat", "analyst")
    assert accounts.current_account() == me  # created once
    account("root-admin", "admin")
    monkeypatch.setattr(accounts, "os_login", lambda: "sam")
    with pytest.raises(accounts.NoSuchAccount, match="your login 'sam' has no account"):
        accounts.current_account()
    assert not User.objects.filter(username="sam").exists()


def test_as_beats_the_environment_which_beats_the_login(monkeypatch):
    account("env-user", "viewer")
    account("flag-user", "analyst")
    monkeypatch.setenv("CSC_SCORECARD_USER", "env-user")
    assert accounts.current_account().username == "env-user"
    accounts.act_as("flag-user")
    assert accounts.current_account().username == "flag-user"


def test_targets_and_commentary_point_to_the_acting_account(tmp_path):
    from csc_scorecard.rating.models import Target, TargetChange
    from csc_scorecard.reporting.models import Commentary

    ana = account("ana", "analyst")
    targets = tmp_path / "t.csv"
    targets.write_text("indicator_id,year,target\nreferrals_count,2024-25,100\n")
    out = run("--as", "ana", "targets", "import", str(targets))
    assert out.exit_code == 0, out.output
    assert Target.objects.get().updated_by_account == ana
    assert {c.changed_by_account for c in TargetChange.objects.all()} == {ana}
    notes = tmp_path / "c.md"
    notes.write_text("---\nperiod: 2024-25\n---\n## indicator: referrals_count\nSteady.\n")
    out = run("--as", "ana", "commentary", "import", str(notes))
    assert out.exit_code == 0, out.output
    assert Commentary.objects.get().author_account == ana


def test_last_administrator_cannot_be_removed():
    boss = account("boss", "admin")
    account("other", "admin")
    assert accounts.set_role("other", "viewer", by=boss).role == "viewer"
    # boss is now the only administrator: demoting them would leave nobody to manage accounts
    with pytest.raises(accounts.AccountError, match="last administrator"):
        accounts.set_role("boss", "analyst", by=boss)
    with pytest.raises(accounts.AccountError, match="own account"):
        accounts.deactivate("boss", by=boss)
    boss.refresh_from_db()
    assert boss.role == "admin" and boss.is_active
