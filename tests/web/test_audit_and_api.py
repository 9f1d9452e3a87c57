"""Auditors read the verified audit with its chain head, every history in full with its
downloads, and the outbox; the JSON API answers with the pages' closed-item rule and is
documented from its OpenAPI description."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable

from reminding import add_obligation
from sqlalchemy import text
from support import Scenario, at
from web_support import Browser, texts

from council.cases.audit_verify import verify
from council.workflow import obligation_services
from council.workflow.app import App


def test_an_auditor_sees_the_audit_verified_with_its_chain_head(
    app: App, browser: Callable[..., Browser], seed: dict[str, int]
) -> None:
    page = browser("rita").get("/revision")
    assert page.status_code == 200
    with app.database.reading() as session:
        report = verify(session)
    said = texts(page.text)
    assert "I orden" in said and report.head_hash in page.text
    assert f"Registreringer {report.entries}" in said
    assert "2010-4130" in said


def test_a_tampered_audit_trail_is_shown_as_not_in_order(
    app: App, browser: Callable[..., Browser], seed: dict[str, int]
) -> None:
    rita = browser("rita")
    with app.database.engine.begin() as connection:
        connection.execute(
            text("UPDATE agenda_item SET state = 'godkendt' WHERE id = :i"), {"i": seed["item"]}
        )
    said = texts(rita.get("/revision").text)
    assert "Revisionssporet er ikke i orden" in said
    assert f"dagsordenspunkt {seed['item']} afviger fra revisionssporet" in said


def test_only_auditors_and_administrators_read_the_audit_pages(
    browser: Callable[..., Browser], seed: dict[str, int]
) -> None:
    assert browser("anne").get("/revision").status_code == 403
    assert browser("ada").get("/revision").status_code == 200
    assert browser().get("/revision/paamindelser").status_code == 303


def test_an_auditor_downloads_the_full_history_including_a_closed_item(
    browser: Callable[..., Browser], scenario: Scenario, seed: dict[str, int]
) -> None:
    scenario.decide(seed["closed"], "godkendt", when="2010-02-23 17:00")
    rita = browser("rita")
    rows = list(csv.DictReader(io.StringIO(rita.get("/sager/2010-4130/historik.csv").text)))
    closed = [row for row in rows if row["item"] == str(seed["closed"])]
    assert [row["to_state"] for row in closed] == ["forelagt", "godkendt"]
    assert closed[-1]["text"] == "Indstillingen blev godkendt."
    history = texts(rita.get("/sager/2010-4130").text)
    assert "Personsag om hemmelig fratrædelse" in history
    download = rita.get("/sager/2010-4130/historik.json")
    assert (
        download.headers["content-disposition"] == 'attachment; filename="historik-2010-4130.json"'
    )
    public = browser().get("/sager/2010-4130/historik.json").json()
    assert all(r["closed"] and r["text"] is None for r in public if r["item"] == seed["closed"])


def test_an_auditor_reads_the_outbox_of_reminders(
    app: App, browser: Callable[..., Browser], seed: dict[str, int], tmp_path: object
) -> None:
    add_obligation(app)
    sent: list[object] = []

    class Keep:
        def describe(self) -> str:
            return "a list"

        def connect(self):  # type: ignore[no-untyped-def]
            from contextlib import contextmanager

            @contextmanager
            def opened():  # type: ignore[no-untyped-def]
                yield lambda message, recipients: sent.append(message)

            return opened()

    obligation_services.run_reminders(app, now=at("2009-11-01 08:00"), transport=Keep())  # type: ignore[arg-type]
    page = browser("rita").get("/revision/paamindelser")
    said = texts(page.text)
    assert page.status_code == 200 and sent
    assert "lead-60" in said and "Sendt" in said
    failed = browser("rita").get("/revision/paamindelser?status=failed")
    assert "Udbakken er tom for denne status" in texts(failed.text)


def test_the_api_lists_committees_meetings_items_history_and_obligations(
    app: App, browser: Callable[..., Browser], scenario: Scenario, seed: dict[str, int]
) -> None:
    add_obligation(app)
    visitor = browser()
    committees = visitor.get("/api/committees").json()
    assert {
        "code": "BIU",
        "name": "Beskæftigelses-, Integrations- og Erhvervsudvalget",
    }.items() <= next(c for c in committees if c["code"] == "BIU").items()
    meetings = visitor.get("/api/committees/BIU/meetings").json()
    assert [m["date"] for m in meetings] == ["2010-02-23", "2010-01-26"]
    meeting = visitor.get(f"/api/meetings/{seed['first']}").json()
    assert meeting["document"] == "agenda" and meeting["held"] is False
    assert [(i["number"], i["state"]) for i in meeting["items"]] == [(4, "forelagt")]
    item = visitor.get(f"/api/items/{seed['item']}").json()
    assert item["title"] == "Status på partnerskabsaftale med Dansk Flytningshjælp"
    assert item["recommendation"] == ["At ..."] and item["withheld"] is False
    history = visitor.get("/api/cases/2010-4130/history").json()
    assert history[0]["trigger"] == "present" and history[0]["recorded_at"].endswith("+00:00")
    obligations = visitor.get("/api/obligations?at=2010-01-15&committee=BIU").json()
    assert [(o["period"], o["state"]) for o in obligations] == [
        ("2009", "overdue"),
        ("2010", "upcoming"),
    ]
    assert obligations[0]["recipients"] is None
    staff = browser("rita").get("/api/obligations?committee=BIU").json()
    assert staff[0]["recipients"]
    assert visitor.get("/api/obligations?at=gisp").status_code == 404


def test_the_api_is_documented_by_its_openapi_description_without_foreign_scripts(
    browser: Callable[..., Browser], seed: dict[str, int]
) -> None:
    visitor = browser()
    schema = visitor.get("/api/openapi.json").json()
    paths = set(schema["paths"])
    assert {
        "/api/committees",
        "/api/committees/{code}/meetings",
        "/api/meetings/{meeting_id}",
        "/api/items/{item_id}",
        "/api/cases/{number}/history",
        "/api/obligations",
    } <= paths
    assert not any(path.startswith(("/sekretariat", "/login")) for path in paths)
    page = visitor.get("/api")
    said = texts(page.text)
    assert "GET /api/items/{item_id}" in said and "Et dagsordenspunkt med alle beslutninger" in said
    assert "<script" not in page.text
    assert visitor.get("/docs").status_code == 404
