"""``python -m council``: the same as the ``council`` command."""

from council.workflow.cli.main import entry_point

entry_point()
