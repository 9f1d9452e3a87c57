"""The web application: public agendas and minutes, the secretariat's desk, the auditors'
pages and a JSON API, as a face of ``workflow`` beside the CLI.

It calls the same acts (``workflow.services``, ``workflow.accounts``) and read models
(``workflow.read_models``) as the CLI and renders through the project's one Jinja2
environment, with the same templates as ``council render`` for agendas, minutes and case
histories. It holds no SQL and no rule of its own: what a user may do is
``workflow.permissions``; whether a closed item is shown is one function,
:func:`council.workflow.web.closed_items.audience_of`; a refusal is worded in Danish from
the data it carries (:mod:`council.workflow.web.messages`).
"""

from council.workflow.web.application import create_asgi_app

__all__ = ["create_asgi_app"]
