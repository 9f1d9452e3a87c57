"""Errors of the notifications layer.

Class tree::

    CouncilError (config.errors)
    └── NotificationError            rendering or delivering failed
        ├── TemplateError            a template is missing or refers to an undefined value
        └── DeliveryError            a message could not be handed to SMTP or the Maildir
"""

from __future__ import annotations

from council.config.errors import CouncilError


class NotificationError(CouncilError):
    """Base of every error the notifications layer raises."""


class TemplateError(NotificationError):
    """A template is missing or refers to a value it was not given."""


class DeliveryError(NotificationError):
    """A message could not be delivered; the outbox keeps it for a retry."""
