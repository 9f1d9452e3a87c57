"""Accounts of the web application: added, hashed, throttled, disabled; through the CLI too."""

from __future__ import annotations

import io
from collections.abc import Callable
from datetime import timedelta

import pytest
from support import CliResult, at

from council.cases import accounts as store
from council.cases.audit_verify import verify
from council.cases.errors import AlreadyExistsError, InvalidInputError, NotFoundError
from council.workflow import accounts
from council.workflow.app import App
from council.workflow.errors import LoginRefused, LoginThrottled

PASSWORD = "korrekt hest batteri"
NOW = at("2010-02-01 09:00")


def add(app: App, name: str = "anne", role: str = "sekretariat", **kw: object) -> None:
    accounts.add_user(
        app.database.unit_of_work(),
        name=name,
        role=role,
        committees=kw.pop("committees", ("BIU",)) if role == "sekretariat" else (),  # type: ignore[arg-type]
        password=str(kw.pop("password", PASSWORD)),
        actor="admin",
        now=NOW,
    )


def login(app: App, name: str = "anne", password: str = PASSWORD, now=NOW):  # type: ignore[no-untyped-def]
    return accounts.authenticate(app.database, name=name, password=password, now=now)


def test_a_user_logs_in_with_the_password_and_is_stored_only_as_an_argon2_hash(app: App) -> None:
    add(app, committees=("biu", "SUD"))
    viewer = login(app, name=" Anne ")
    assert (viewer.name, viewer.role, viewer.committees) == ("anne", "sekretariat", {"BIU", "SUD"})
    assert viewer.acts_on("BIU") and not viewer.acts_on("ØU")
    with app.database.reading() as session:
        account = store.account_by_name(session, "anne")
    assert account is not None and account.password_hash.startswith("$argon2id$")
    assert PASSWORD not in account.password_hash


def test_a_wrong_password_or_an_unknown_name_is_refused_alike(app: App) -> None:
    add(app)
    with pytest.raises(LoginRefused) as wrong:
        login(app, password="forkert adgangskode")
    with pytest.raises(LoginRefused) as unknown:
        login(app, name="bo")
    assert str(wrong.value) == str(unknown.value)


def test_five_failures_in_a_row_throttle_the_account_even_for_the_right_password(
    app: App,
) -> None:
    add(app)
    for _ in range(4):
        with pytest.raises(LoginRefused) as refused:
            login(app, password="forkert adgangskode")
        assert not isinstance(refused.value, LoginThrottled)
    with pytest.raises(LoginThrottled) as throttled:
        login(app, password="forkert adgangskode")
    assert throttled.value.until == NOW + timedelta(seconds=30)
    with pytest.raises(LoginThrottled):
        login(app, now=NOW + timedelta(seconds=29))
    assert login(app, now=NOW + timedelta(seconds=31)).name == "anne"
    with pytest.raises(LoginRefused) as fresh:  # a success forgets the failures
        login(app, password="forkert adgangskode", now=NOW + timedelta(seconds=32))
    assert not isinstance(fresh.value, LoginThrottled)


def test_a_new_password_or_disabling_ends_the_sessions_made_before(app: App) -> None:
    add(app)
    viewer = login(app)
    assert accounts.viewer(app.database, viewer.id, viewer.epoch) == viewer
    accounts.change_password(
        app.database.unit_of_work(), name="anne", password="endnu en lang en", actor="a", now=NOW
    )
    assert accounts.viewer(app.database, viewer.id, viewer.epoch) is None
    with pytest.raises(LoginRefused):
        login(app)
    fresh = login(app, password="endnu en lang en")
    accounts.disable_user(app.database.unit_of_work(), name="anne", actor="a", now=NOW)
    assert accounts.viewer(app.database, fresh.id, fresh.epoch) is None
    with pytest.raises(LoginRefused):
        login(app, password="endnu en lang en")


@pytest.mark.parametrize(
    ("name", "role", "committees", "password", "error"),
    [
        ("anne jensen", "sekretariat", ("BIU",), PASSWORD, InvalidInputError),
        ("anne", "chef", (), PASSWORD, InvalidInputError),
        ("anne", "sekretariat", (), PASSWORD, InvalidInputError),
        ("anne", "sekretariat", ("XYZ",), PASSWORD, NotFoundError),
        ("anne", "revisor", ("BIU",), PASSWORD, InvalidInputError),
        ("anne", "revisor", (), "kort", InvalidInputError),
    ],
)
def test_a_bad_account_is_refused_and_nothing_is_stored(
    app: App,
    snapshot: Callable[[], str],
    name: str,
    role: str,
    committees: tuple[str, ...],
    password: str,
    error: type[Exception],
) -> None:
    before = snapshot()
    with pytest.raises(error):
        accounts.add_user(
            app.database.unit_of_work(),
            name=name,
            role=role,
            committees=committees,
            password=password,
            actor="admin",
            now=NOW,
        )
    assert snapshot() == before


def test_a_second_user_of_the_same_name_is_refused(app: App) -> None:
    add(app)
    with pytest.raises(AlreadyExistsError):
        add(app, name="ANNE")


def test_account_changes_are_audited_without_the_hash_and_the_audit_verifies(app: App) -> None:
    add(app)
    accounts.disable_user(app.database.unit_of_work(), name="anne", actor="admin", now=NOW)
    with app.database.reading() as session:
        report = verify(session)
        from sqlalchemy import select

        from council.cases.models import AuditEntry

        bodies = list(
            session.scalars(select(AuditEntry.body).where(AuditEntry.action.like("user.%")))
        )
    assert report.ok
    assert len(bodies) == 2 and all("argon2" not in body for body in bodies)
    assert '"role":"sekretariat"' in bodies[0]


def test_council_user_commands_add_change_disable_and_list_users(
    council: Callable[..., CliResult], monkeypatch: pytest.MonkeyPatch
) -> None:
    assert council("init", "--actor", "it").code == 0
    monkeypatch.setattr("sys.stdin", io.StringIO(PASSWORD + "\n"))
    added = council(
        "user", "add", "anne", "--role", "sekretariat", "--committee", "BIU",
        "--password-stdin", "--actor", "it",
    )  # fmt: skip
    assert added.code == 0, added.err
    assert "bruger anne tilføjet: sekretariat for BIU" in added.out
    monkeypatch.setattr("sys.stdin", io.StringIO("x\n"))
    short = council("user", "password", "anne", "--password-stdin", "--actor", "it")
    assert short.code == 1 and "mindst 10 tegn" in short.err
    monkeypatch.setattr("sys.stdin", io.StringIO(""))
    no_terminal = council("user", "add", "bo", "--role", "revisor", "--actor", "it")
    assert no_terminal.code == 2 and "--password-stdin" in no_terminal.err
    assert council("user", "disable", "anne", "--actor", "it").code == 0
    listed = council("user", "list")
    assert "anne: sekretariat (BIU) [deaktiveret]" in listed.out
    unknown = council("user", "disable", "nobody", "--actor", "it")
    assert unknown.code == 1 and "ukendt bruger 'nobody'" in unknown.err
