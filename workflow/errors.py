"""Errors of the workflow layer.

Class tree::

    CouncilError (config.errors)
    └── WorkflowError                the rules refuse an act
        ├── TransitionRefused        no such move from the item's current state
        ├── GuardRefused             the move exists but a named guard says no
        ├── UnknownOutcomeError      an outcome word the workflow does not know
        ├── MissingActorError        a write without an --actor / COUNCIL_ACTOR
        ├── InvalidActorError        an actor name that cannot be recorded as given
        └── OverwriteRefused         a command would replace or delete what it did not make
"""

from __future__ import annotations

from council.config.errors import CouncilError


class WorkflowError(CouncilError):
    """Base of every error the workflow layer raises."""


class TransitionRefused(WorkflowError):
    """The workflow has no such transition from the item's current state."""


class GuardRefused(WorkflowError):
    """A guard named in config/workflow.toml refused the transition."""


class UnknownOutcomeError(WorkflowError):
    """An outcome word that no state of the workflow answers to."""


class MissingActorError(WorkflowError):
    """A write was attempted without saying who does it."""


class InvalidActorError(WorkflowError):
    """An actor name with control or invisible characters, or too long for the records."""


class OverwriteRefused(WorkflowError):
    """A command would replace or delete a file or folder it did not make itself."""
