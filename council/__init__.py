"""council: a case-workflow engine for a Danish municipality's committees.

The product's packages live in the repository's top-level folders (``config/``, ``cases/``,
``notifications/``, ``workflow/``) and are installed under this one import root
(``council.config``, ``council.cases``, ...), so that they never take over the generic
top-level names ``config`` or ``workflow`` that other installed software may use.
"""
