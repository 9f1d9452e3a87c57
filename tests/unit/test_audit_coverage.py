"""Every column of every table is either rebuilt from the audit trail or listed as derived,
with the reason: a column added later cannot be forgotten by ``audit verify``."""

from __future__ import annotations

import importlib
import pkgutil

from sqlmodel import SQLModel

import council.cases
from council.cases.audit_expected import READERS
from council.cases.audit_images import AUDITED, NOT_AUDITED

for _module in pkgutil.walk_packages(council.cases.__path__, "council.cases."):
    if ".migrations" not in _module.name:  # every table the records have, registered
        importlib.import_module(_module.name)


def test_every_table_of_the_models_is_audited_or_says_why_not() -> None:
    tables = set(SQLModel.metadata.tables)
    registered = {audited.name for audited in AUDITED} | set(NOT_AUDITED)
    assert tables - registered == set(), "tables neither audited nor listed as not audited"
    assert registered - tables == set(), "the registry names tables the models do not have"


def test_every_column_is_covered_by_the_trail_or_derived_with_a_reason() -> None:
    for audited in AUDITED:
        columns = {column.name for column in audited.table.columns}
        covered = set(audited.key) | set(audited.covered)
        derived = set(audited.derived)
        assert columns - covered - derived == set(), f"{audited.name}: columns not covered"
        assert (covered | derived) - columns == set(), f"{audited.name}: no such columns"
        assert covered & derived == set(), f"{audited.name}: covered and derived at once"
        assert len(audited.covered) == len(set(audited.covered)), f"{audited.name}: twice"
        for column, reason in audited.derived.items():
            assert len(reason.split()) >= 4, f"{audited.name}.{column}: say why it is derived"


def test_every_action_that_writes_a_table_has_a_reader_and_every_reader_a_table() -> None:
    writing = {action for audited in AUDITED for action in audited.actions}
    assert writing == set(READERS)
