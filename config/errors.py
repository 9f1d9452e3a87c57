"""Errors of the configuration layer, and the root of every error the product raises.

Class tree (each package adds its own branch in its own ``errors`` module)::

    CouncilError                 anything the product refuses, with a one-line message
    ├── ConfigError              a settings value or a shipped TOML file is wrong
    │   └── WorkflowDefinitionError   config/workflow.toml does not describe a sound machine
    └── AddressError             text that is not one e-mail address fit for a mail header

Only the faces (the CLI, later the web app) turn these into exit codes.
"""

from __future__ import annotations


class CouncilError(Exception):
    """Something the user can fix; ``str(error)`` is one line that says what and how."""

    exit_code = 1


class ConfigError(CouncilError):
    """A settings value or a configuration file is missing or malformed."""


class WorkflowDefinitionError(ConfigError):
    """The workflow file parses but does not describe a sound state machine."""


class AddressError(CouncilError):
    """Text given as an e-mail address is not one (or could not be put in a mail header).

    Where the text came from decides what the user is told: the loaders of the TOML files
    and of the settings turn it into a ``ConfigError`` naming the file or the variable.
    """
