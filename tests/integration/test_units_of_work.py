"""Units of work on a real database: what one leaves uncommitted never reaches the next.

On SQLite a unit that ran only on its connection leaves that connection open for the next
unit (cases.db._Spares); these tests hold it to the promise that the next unit starts
clean, that units opened inside one another never share a transaction, and that
``dispose`` gives every connection back.
"""

from __future__ import annotations

import threading
from pathlib import Path

import pytest
from sqlalchemy import bindparam, func, insert, select

from council.cases.db import Database
from council.cases.models import Committee
from council.cases.prepared import Prepared
from council.workflow.app import App

_COUNT = Prepared(select(func.count()).select_from(Committee))
_ADD = Prepared(insert(Committee), column_keys=("code", "name", "administration"))
_BY_CODE = Prepared(select(Committee.name).where(Committee.code == bindparam("code")))


def committees(database: Database) -> int:
    with database.unit_of_work(write=False) as uow:
        return int(_COUNT.scalar(uow.connection()))


def add(database: Database, code: str, *, commit: bool) -> None:
    with database.unit_of_work() as uow:
        _ADD.run(uow.connection(), code=code, name=f"Udvalg {code}", administration="X")
        if commit:
            uow.commit()


def test_a_unit_left_without_commit_leaves_nothing_for_the_next_unit(app: App) -> None:
    database = app.database
    before = committees(database)
    add(database, "XU", commit=False)
    add(database, "YU", commit=True)
    with database.unit_of_work() as uow:
        connection = uow.connection()
        assert _BY_CODE.scalar(connection, code="XU") is None
        assert _BY_CODE.scalar(connection, code="YU") == "Udvalg YU"
    assert committees(database) == before + 1


def test_a_unit_that_fails_half_way_rolls_back_and_the_next_unit_writes_normally(
    app: App,
) -> None:
    database = app.database
    before = committees(database)
    with pytest.raises(RuntimeError), database.unit_of_work() as uow:
        _ADD.run(uow.connection(), code="ZU", name="Udvalg ZU", administration="X")
        raise RuntimeError("the clerk's process fails before the commit")
    add(database, "WU", commit=True)
    assert committees(database) == before + 1


def test_units_opened_inside_one_another_have_separate_transactions(app: App) -> None:
    database = app.database
    before = committees(database)
    with database.unit_of_work(write=False) as outer:
        outer_connection = outer.connection()
        add(database, "NU", commit=True)  # a writer while a reader is open
        with database.unit_of_work(write=False) as inner:
            assert inner.connection() is not outer_connection
            assert _COUNT.scalar(inner.connection()) == before + 1
    assert committees(database) == before + 1


@pytest.mark.sqlite_only
def test_an_sqlite_connection_is_kept_for_the_next_unit_and_given_back_on_dispose(
    tmp_path: Path, app: App
) -> None:
    database = app.database
    with database.unit_of_work() as uow:
        first = uow.connection()
        uow.commit()
    with database.unit_of_work() as uow:
        assert uow.connection() is first  # no trip through the pool
        uow.commit()
    seen: list[object] = []

    def other_thread() -> None:
        with database.unit_of_work() as uow:
            seen.append(uow.connection())
            uow.commit()

    worker = threading.Thread(target=other_thread)
    worker.start()
    worker.join()
    assert seen == [first]  # any thread may take the idle connection
    database.dispose()
    assert first.closed
    assert database.engine.pool.checkedout() == 0


@pytest.mark.sqlite_only
def test_a_unit_that_used_the_orm_session_gives_its_connection_back_to_the_pool(
    app: App,
) -> None:
    database = app.database
    with database.unit_of_work() as uow:
        connection = uow.connection()
        uow.session.scalars(select(Committee.code)).all()
    assert connection.closed
    with database.unit_of_work() as uow:
        assert uow.connection() is not connection
