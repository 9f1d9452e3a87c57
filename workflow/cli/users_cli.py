"""``council user add|password|disable|list``: the accounts of the web application."""

# Annotations stay evaluated (no __future__ import): typer reads the commands' annotations
# on every start-up, and would compile and evaluate each string annotation twice.

import sys

import typer

from council.workflow.cli import runtime, terminal
from council.workflow.cli.runtime import ACTOR_OPTION
from council.workflow.cli.usage import UsageMistake

user_app = runtime.command_group()

PASSWORD_STDIN = typer.Option(
    False,
    "--password-stdin",
    help="Læs adgangskoden fra første linje på stdin (scripts).",
)


def _password(from_stdin: bool) -> str:
    """The new password: from standard input, or typed twice at a terminal (not echoed)."""
    if from_stdin:
        line = sys.stdin.readline()
        return line.rstrip("\r\n")
    if not sys.stdin.isatty():
        raise UsageMistake(
            "ingen terminal at skrive adgangskoden i; angiv den med --password-stdin"
        )
    value: str = typer.prompt("Adgangskode", hide_input=True, confirmation_prompt=True)
    return value


@user_app.command("add", help="Tilføj en bruger, der må logge ind i 'council web'.")
def add(
    name: str = typer.Argument(..., help="Brugernavnet, fx anne.jensen."),
    role: str = typer.Option(..., "--role", help="sekretariat, revisor eller admin."),
    committees: list[str] = typer.Option(
        [], "--committee", help="Et udvalg, en sekretariatsbruger handler for; gentag for flere."
    ),
    password_stdin: bool = PASSWORD_STDIN,
    actor: str = ACTOR_OPTION,
) -> None:
    from council.workflow import accounts
    from council.workflow.services import require_actor

    require_actor(actor)
    database = runtime.app().initialised_database()
    account = accounts.add_user(
        database.unit_of_work(),
        name=name,
        role=role.strip().lower(),
        committees=tuple(committees),
        password=_password(password_stdin),
        actor=actor,
        now=runtime.now(),
    )
    acts = f" for {', '.join(account.committees)}" if account.committees else ""
    terminal.say(f"bruger {account.name} tilføjet: {account.role}{acts}")


@user_app.command("password", help="Sæt en ny adgangskode; brugerens åbne sessioner afsluttes.")
def password(
    name: str = typer.Argument(...),
    password_stdin: bool = PASSWORD_STDIN,
    actor: str = ACTOR_OPTION,
) -> None:
    from council.workflow import accounts
    from council.workflow.services import require_actor

    require_actor(actor)
    database = runtime.app().initialised_database()
    account = accounts.change_password(
        database.unit_of_work(),
        name=name,
        password=_password(password_stdin),
        actor=actor,
        now=runtime.now(),
    )
    terminal.say(f"ny adgangskode sat for {account.name}")


@user_app.command("disable", help="Hindr en bruger i at logge ind; åbne sessioner afsluttes.")
def disable(name: str = typer.Argument(...), actor: str = ACTOR_OPTION) -> None:
    from council.workflow import accounts

    database = runtime.app().initialised_database()
    account = accounts.disable_user(
        database.unit_of_work(), name=name, actor=actor, now=runtime.now()
    )
    terminal.say(f"bruger {account.name} deaktiveret")


@user_app.command("list", help="Brugerne, deres roller og udvalg.")
def list_users() -> None:
    from council.workflow import accounts

    rows = accounts.list_users(runtime.app().initialised_database())
    if not rows:
        terminal.say("ingen brugere endnu: tilføj en med 'council user add'")
        return
    for account in rows:
        acts = f" ({', '.join(account.committees)})" if account.committees else ""
        state = " [deaktiveret]" if account.disabled else ""
        terminal.say(f"{account.name}: {account.role}{acts}{state}")
