"""The Danish words for what the acts refuse.

The acts speak English to the CLI's users; the web application tells its users in Danish.
A guard's refusal is told by the guard's name (config/workflow.toml names the guards), the
other refusals by their kind; anything unforeseen says so and keeps the act's own words.
"""

from __future__ import annotations

from council.cases.errors import (
    AlreadyExistsError,
    ConflictError,
    DatabaseError,
    InvalidInputError,
    NotFoundError,
)
from council.config.errors import CouncilError
from council.workflow.errors import (
    GuardRefused,
    PermissionRefused,
    TransitionRefused,
    UnknownOutcomeError,
)

GUARDS = {
    "meeting_is_unheld": "Mødet er allerede holdt. Vælg et møde, der ikke er holdt endnu.",
    "meeting_of_items_committee": (
        "Mødet hører til et andet udvalg end punktet. Vælg et af udvalgets egne møder."
    ),
    "not_before_another_meeting": (
        "Punktet står allerede på et andet mødes dagsorden. Registrér en beslutning dér først."
    ),
    "meeting_after_last_treatment": (
        "Punktet er allerede behandlet på et møde samme dag eller senere. "
        "Det kan kun forelægges et senere møde."
    ),
    "decided_on_or_after_meeting": (
        "Beslutningsdatoen ligger før mødets dato. Angiv en dato på eller efter mødet."
    ),
    "is_orientation_item": "Kun orienteringssager kan tages til efterretning.",
    "is_decision_item": (
        "En orienteringssag tages til efterretning; den kan ikke godkendes, "
        "forkastes eller anbefales."
    ),
}

NOT_ALLOWED = "Du har ikke adgang til at gøre dette."
BUSY = "Databasen er optaget lige nu. Prøv igen om et øjeblik."


def describe(error: CouncilError) -> str:
    """One Danish sentence (or two) for a refusal."""
    if isinstance(error, GuardRefused) and error.guard in GUARDS:
        return GUARDS[error.guard]
    if isinstance(error, TransitionRefused | UnknownOutcomeError):
        return "Det kan ikke lade sig gøre fra punktets nuværende status."
    if isinstance(error, PermissionRefused):
        return NOT_ALLOWED
    if isinstance(error, ConflictError):
        return "Punktet er ændret af en anden, siden du hentede siden. Intet er gemt."
    if isinstance(error, NotFoundError):
        return "Det findes ikke (længere)."
    if isinstance(error, DatabaseError):
        return BUSY
    if isinstance(error, AlreadyExistsError):
        return "Det findes allerede."
    if isinstance(error, InvalidInputError):
        return f"Oplysningerne kan ikke gemmes som de er ({error})."
    return f"Handlingen blev afvist ({error})."
