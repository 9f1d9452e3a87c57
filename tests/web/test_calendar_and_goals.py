"""The web application's calendar subscriptions and the goal-reporting form of a status item."""

from __future__ import annotations

import re
from collections.abc import Callable

import icalendar
from reminding import add_obligation
from support import Scenario, at
from web_support import Browser, texts

from council.cases.audit_verify import verify
from council.workflow import obligation_services
from council.workflow.app import App
from council.workflow.services import goals as goal_acts


def test_anyone_subscribes_to_the_meetings_without_logging_in(
    browser: Callable[..., Browser], seed: dict[str, int]
) -> None:
    response = browser().get("/kalender/moeder.ics?udvalg=BIU")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/calendar")
    calendar = icalendar.Calendar.from_ical(response.text)
    found = calendar.walk("VEVENT")
    assert len(found) == 2
    assert all(str(e["URL"]).startswith("http://testserver/moeder/") for e in found)
    assert "Personsag" not in response.text  # no item, so no closed item, is ever named
    assert browser().get("/kalender/moeder.ics?udvalg=XYZ").status_code == 404
    page = browser().get("/kalender")
    assert page.status_code == 200 and "/kalender/moeder.ics?udvalg=BIU" in page.text
    assert "Log ind" in texts(page.text)


def test_deadlines_are_at_a_secret_address_per_user_and_a_new_one_ends_the_old(
    browser: Callable[..., Browser], scenario: Scenario, app: App
) -> None:
    add_obligation(app)
    anne = browser("anne")  # secretariat of BIU
    made = anne.post("/kalender/frister")
    assert made.status_code == 200 and made.headers["cache-control"] == "no-store"
    [address] = re.findall(r"http://testserver(/kalender/frister/[A-Za-z0-9_-]+\.ics)", made.text)
    feed = browser().get(address)  # a calendar program fetches it without logging in
    assert feed.status_code == 200
    uids = {str(e["UID"]) for e in icalendar.Calendar.from_ical(feed.text).walk("VEVENT")}
    assert uids and all(uid.startswith("frist-2-") for uid in uids)  # BIU's line only
    again = anne.post("/kalender/frister")
    [second] = re.findall(r"http://testserver(/kalender/frister/[A-Za-z0-9_-]+\.ics)", again.text)
    assert second != address
    assert browser().get(address).status_code == 404
    assert browser().get("/kalender/frister/gaet.ics").status_code == 404
    assert browser().post("/kalender/frister", token=False).status_code in (303, 403)
    with app.database.reading() as session:
        assert verify(session).ok


def test_the_secretariat_reports_the_goals_on_the_items_page(
    browser: Callable[..., Browser], scenario: Scenario, app: App, seed: dict[str, int]
) -> None:
    add_obligation(app, committee_codes=["BIU"])
    obligation_services.link_item(
        scenario.uow(), obligation_ref="1", item_id=1, actor="clerk", now=at("2010-01-12 09:00")
    )
    goal_acts.add_goal(
        scenario.uow(),
        obligation_ref="1",
        name="Brugere",
        unit="brugere",
        targets=["750", "2009=575"],
        actor="clerk",
        now=at("2010-01-12 09:00"),
    )
    anne = browser("anne")
    page = anne.get("/punkter/1")
    assert "Indberet status på mål" in page.text and "Brugere (mindst 575 brugere)" in page.text
    assert "Indberet status på mål" not in browser().get("/punkter/1").text
    assert "Indberet status på mål" not in browser("sofie").get("/punkter/1").text
    bad = anne.post("/punkter/1/maal", {"periode": "2009", "maal-1": "-5"})
    assert bad.status_code == 400 and "er negativ" in bad.text
    done = anne.post("/punkter/1/maal", {"periode": "2009", "maal-1": "ca. 1.242"})
    assert done.status_code == 303
    shown = texts(anne.get("/punkter/1").text)
    assert "Status på mål" in shown and "ca. 1.242" in shown and "nået" in shown
    assert "Status på mål" in texts(browser().get("/punkter/1").text)  # public: the table
    with app.database.reading() as session:
        assert verify(session).ok
