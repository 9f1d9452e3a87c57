"""Errors of the workflow layer.

Class tree::

    CouncilError (config.errors)
    └── WorkflowError                the rules refuse an act
        ├── TransitionRefused        no such move from the item's current state
        ├── GuardRefused             the move exists but a named guard says no
        ├── UnknownOutcomeError      an outcome word the workflow does not know
        ├── MeetingAlreadyHeld       the meeting was closed before
        ├── UndecidedAgenda          a meeting with undecided items cannot be closed
        ├── MeetingChangeRefused     a meeting cannot be moved, cancelled or reopened so,
        │                            or an item not moved to that meeting (a Danish line)
        ├── MissingActorError        a write without an --actor / COUNCIL_ACTOR
        ├── InvalidActorError        an actor name that cannot be recorded as given
        ├── OverwriteRefused         a command would replace or delete what it did not make
        ├── PermissionRefused        the user's role or committees do not allow the act
        ├── CorrectionRefused        a correction or an approval of minutes that cannot be
        └── LoginRefused             a wrong name or password, or a disabled account
            └── LoginThrottled       too many failed logins in a row: wait, then try again

A refusal of the rules carries what it is about as data (the item, its state, the guard,
the meeting); its Danish line, which the CLI prints, is built here from that data; the web
application words some of them its own way from the same data (no command names there).
"""

from __future__ import annotations

from datetime import datetime

from council.config.errors import CouncilError


class WorkflowError(CouncilError):
    """Base of every error the workflow layer raises."""


class TransitionRefused(WorkflowError):
    """The workflow has no such move from the item's current state.

    ``act`` is what was asked: ``"present"``, ``"decide"`` (then ``wanted`` is the label of
    the outcome asked for and ``possible`` those of the outcomes there are), or ``"fire"``
    for a ``trigger`` the machine would not fire. Labels are the workflow's Danish ones.
    """

    def __init__(
        self,
        *,
        item_id: int | None,
        state: str,
        state_label: str,
        act: str,
        trigger: str | None = None,
        wanted: str | None = None,
        possible: tuple[str, ...] = (),
    ) -> None:
        self.item_id, self.state, self.state_label = item_id, state, state_label
        self.act, self.trigger, self.wanted, self.possible = act, trigger, wanted, possible
        super().__init__(self._message())

    def _message(self) -> str:
        where = f"punkt-id {self.item_id} har status {self.state_label.lower()}"
        if self.act == "present":
            return f"{where} og kan ikke forelægges et møde derfra"
        if self.act == "decide":
            allowed = ", ".join(label.lower() for label in self.possible) or "ingen"
            return (
                f"{where}: det kan ikke blive {(self.wanted or '').lower()} nu "
                f"(mulige udfald: {allowed})"
            )
        return f"{where}; handlingen er ikke mulig derfra"


class GuardRefused(WorkflowError):
    """A guard named in config/workflow.toml refused the transition.

    ``guard`` is its name, ``item_id`` the item, ``reason`` the guard's own sentence (the
    guard words it from the facts it judged).
    """

    def __init__(self, *, guard: str, item_id: int | None, reason: str) -> None:
        self.guard, self.item_id, self.reason = guard, item_id, reason
        super().__init__(reason)


class UnknownOutcomeError(WorkflowError):
    """An outcome word that no state of the workflow answers to; ``known`` are the labels."""

    def __init__(self, word: str, known: tuple[str, ...]) -> None:
        self.word, self.known = word, known
        super().__init__(f"'{word}' er ikke et udfald; brug et af: {', '.join(known)}")


class MeetingAlreadyHeld(WorkflowError):
    """The meeting was closed as held before."""

    def __init__(self, meeting_id: int) -> None:
        self.meeting_id = meeting_id
        super().__init__(f"møde {meeting_id} er allerede afsluttet")


class MeetingChangeRefused(WorkflowError):
    """A change to the calendar of meetings the rules refuse: rescheduling, cancelling or
    reopening a meeting, or moving an item to another meeting. ``meeting_id`` (and
    ``item_id`` for a move) say what it is about; its line is Danish already, and is the
    same on every face."""

    def __init__(self, message: str, *, meeting_id: int, item_id: int | None = None) -> None:
        self.meeting_id, self.item_id = meeting_id, item_id
        super().__init__(message)


class UndecidedAgenda(WorkflowError):
    """A meeting cannot be closed while items on its agenda have no decision there;
    ``undecided`` holds each such (agenda number, None where the source printed none;
    item id)."""

    def __init__(self, meeting_id: int, undecided: tuple[tuple[int | None, int], ...]) -> None:
        self.meeting_id, self.undecided = meeting_id, undecided
        numbers = ", ".join(
            f"punkt {number} (punkt-id {item})" if number is not None else f"punkt-id {item}"
            for number, item in undecided
        )
        super().__init__(
            f"møde {meeting_id} kan ikke afsluttes: endnu ingen beslutning på {numbers}; "
            "registrér en med 'council item decide'"
        )


class MissingActorError(WorkflowError):
    """A write was attempted without saying who does it."""


class InvalidActorError(WorkflowError):
    """An actor name with control or invisible characters, or too long for the records."""


class OverwriteRefused(WorkflowError):
    """A command would replace or delete a file or folder it did not make itself."""


class CorrectionRefused(WorkflowError):
    """A correction of what was recorded, or an approval of minutes, that the rules do not
    allow; ``what`` names the refusal for code, the message (Danish) says it for people."""

    def __init__(self, what: str, message: str) -> None:
        self.what = what
        super().__init__(message)


class PermissionRefused(WorkflowError):
    """The logged-in user's role or committees do not allow this act."""


class LoginRefused(WorkflowError):
    """The name and password do not match an account that may log in."""


class LoginThrottled(LoginRefused):
    """Too many failed logins in a row; ``until`` is when the next attempt is heard."""

    def __init__(self, message: str, *, until: datetime) -> None:
        super().__init__(message)
        self.until = until
