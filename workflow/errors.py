"""Errors of the workflow layer.

Class tree::

    CouncilError (config.errors)
    └── WorkflowError                the rules refuse an act
        ├── TransitionRefused        no such move from the item's current state
        ├── GuardRefused             the move exists but a named guard says no
        ├── UnknownOutcomeError      an outcome word the workflow does not know
        ├── MissingActorError        a write without an --actor / COUNCIL_ACTOR
        ├── InvalidActorError        an actor name that cannot be recorded as given
        ├── OverwriteRefused         a command would replace or delete what it did not make
        ├── PermissionRefused        the user's role or committees do not allow the act
        └── LoginRefused             a wrong name or password, or a disabled account
            └── LoginThrottled       too many failed logins in a row: wait, then try again
"""

from __future__ import annotations

from datetime import datetime

from council.config.errors import CouncilError


class WorkflowError(CouncilError):
    """Base of every error the workflow layer raises."""


class TransitionRefused(WorkflowError):
    """The workflow has no such transition from the item's current state."""


class GuardRefused(WorkflowError):
    """A guard named in config/workflow.toml refused the transition; ``guard`` is its name."""

    def __init__(self, message: str, *, guard: str | None = None) -> None:
        super().__init__(message)
        self.guard = guard


class UnknownOutcomeError(WorkflowError):
    """An outcome word that no state of the workflow answers to."""


class MissingActorError(WorkflowError):
    """A write was attempted without saying who does it."""


class InvalidActorError(WorkflowError):
    """An actor name with control or invisible characters, or too long for the records."""


class OverwriteRefused(WorkflowError):
    """A command would replace or delete a file or folder it did not make itself."""


class PermissionRefused(WorkflowError):
    """The logged-in user's role or committees do not allow this act."""


class LoginRefused(WorkflowError):
    """The name and password do not match an account that may log in."""


class LoginThrottled(LoginRefused):
    """Too many failed logins in a row; ``until`` is when the next attempt is heard."""

    def __init__(self, message: str, *, until: datetime) -> None:
        super().__init__(message)
        self.until = until
