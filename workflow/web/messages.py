"""The Danish words for what the acts refuse, made from the data each refusal carries.

The acts' errors carry what they are about (a guard's name, a record's kind, an agenda
number, the undecided items of a meeting) and word their own Danish line, which the CLI
prints and which names the command to use. The web application words the refusals its
users meet in its own way from the same data (a guard's refusal by the guard's name, the
others by their kind), without command names; anything unforeseen says that it was
refused, with the act's own Danish line.
"""

from __future__ import annotations

import re

from council.cases.dates import format_date
from council.cases.errors import (
    AgendaNumberTaken,
    AlreadyExistsError,
    ConflictError,
    DatabaseError,
    InvalidInputError,
    MeetingDateTaken,
    NotFoundError,
)
from council.config.errors import CouncilError
from council.workflow.errors import (
    CorrectionRefused,
    GuardRefused,
    MeetingAlreadyHeld,
    MeetingChangeRefused,
    PermissionRefused,
    TransitionRefused,
    UndecidedAgenda,
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
    "committee_is_competent": (
        "Sagen afgøres af et andet organ end udvalget. Udvalget kan anbefale den videre."
    ),
    "is_decision_item": (
        "En orienteringssag tages til efterretning; den kan ikke godkendes, "
        "forkastes eller anbefales."
    ),
}
NOT_FOUND = {
    "case": "Der findes ingen sag med det nummer. Opret sagen først.",
    "committee": "Udvalget findes ikke.",
    "item": "Punktet findes ikke (længere).",
    "meeting": "Mødet findes ikke. Vælg et andet.",
    "obligation": "Statusforpligtelsen findes ikke.",
    "goal": "Statusforpligtelsen har intet mål med det navn.",
}
EXISTS = {
    "case": "Der findes allerede en sag med det nummer.",
    "user": "Der findes allerede en bruger med det navn.",
    "goal": "Statusforpligtelsen har allerede et mål med det navn.",
}

CORRECTIONS = {
    "reason_missing": "Skriv en begrundelse. Uden den gemmes intet.",
    "title_empty": "Titlen er tom. Et punkt skal have en titel.",
    "text_empty": (
        "Skriv beslutningens tekst, eller lad feltet stå tomt for udfaldets standardtekst."
    ),
    "no_sentence": "Udfaldet har ingen standardtekst. Skriv beslutningens tekst.",
    "nothing_given": "Der er intet at rette.",
}

NOT_ALLOWED = "Du har ikke adgang til at gøre dette."
BUSY = "Databasen er optaget lige nu. Prøv igen om et øjeblik."


def describe(error: CouncilError) -> str:
    """One Danish sentence (or two) for a refusal."""
    if isinstance(error, GuardRefused) and error.guard in GUARDS:
        return GUARDS[error.guard]
    if isinstance(error, TransitionRefused | UnknownOutcomeError):
        return "Det kan ikke lade sig gøre fra punktets nuværende status."
    if isinstance(error, UndecidedAgenda):
        numbers = ", ".join(
            str(number) if number is not None else "uden nummer"
            for number, _item in error.undecided
        )
        return (
            "Mødet kan ikke lukkes, før hvert punkt på dagsordenen har en beslutning "
            f"(mangler: punkt {numbers})."
        )
    if isinstance(error, CorrectionRefused):
        cause = error.__cause__
        if isinstance(cause, GuardRefused) and cause.guard in GUARDS:
            return f"Beslutningen kan ikke rettes til det udfald: {GUARDS[cause.guard]}"
        return CORRECTIONS.get(error.what) or sentence(error)
    if isinstance(error, MeetingChangeRefused):
        return sentence(error)
    if isinstance(error, MeetingAlreadyHeld):
        return "Mødet er allerede lukket."
    if isinstance(error, PermissionRefused):
        return NOT_ALLOWED
    if isinstance(error, ConflictError):
        return "Punktet er ændret af en anden, siden du hentede siden. Intet er gemt."
    if isinstance(error, NotFoundError):
        return NOT_FOUND.get(error.kind, "Det findes ikke (længere).")
    if isinstance(error, AgendaNumberTaken):
        return f"Dagsordenen har allerede et punkt nr. {error.number}. Vælg et andet."
    if isinstance(error, MeetingDateTaken):
        return f"Udvalget har allerede et møde den {format_date(error.on)}."
    if isinstance(error, AlreadyExistsError):
        return EXISTS.get(error.kind, "Det findes allerede.")
    if isinstance(error, DatabaseError):
        return BUSY
    if isinstance(error, InvalidInputError):
        return f"Oplysningerne kan ikke gemmes som de er ({error})."
    return f"Handlingen blev afvist ({error})."


_COMMAND_HINT = re.compile(r" ?\([^()]*(?:--|'council )[^()]*\)")


def sentence(error: CouncilError) -> str:
    """The act's own Danish line as a sentence, without what it says to type at the
    command line (an option such as --reason, a command such as 'council meeting close'):
    on the web the form's fields say that."""
    text = _COMMAND_HINT.sub("", str(error))
    kept = [part for part in text.split("; ") if "--" not in part and "'council " not in part]
    text = "; ".join(kept or [text]).strip().rstrip(".")
    return text[:1].upper() + text[1:] + "."
