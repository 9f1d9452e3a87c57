"""Agenda, minutes and case history rendered from the records, as text and HTML.

The golden files in tests/golden/ are the seed case as ``council demo`` builds it. After an
intended change of layout, regenerate them with ``COUNCIL_UPDATE_GOLDEN=1 pytest`` and read
the diff before committing.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from html.parser import HTMLParser
from pathlib import Path

import pytest
from support import Scenario, at

from council.config.settings import load_settings
from council.notifications.documents import (
    Document,
    agenda_document,
    history_document,
    item_document,
    minutes_document,
    render_document,
)
from council.notifications.errors import TemplateError
from council.notifications.rendering import render
from council.workflow import services
from council.workflow.app import App
from council.workflow.audit_files import audit_files
from council.workflow.demo import replay_seed
from council.workflow.read_models.audit import trail_anchor
from council.workflow.visibility import audience

GOLDEN = Path(__file__).resolve().parents[1] / "golden"
UPDATE = os.environ.get("COUNCIL_UPDATE_GOLDEN") == "1"


@pytest.fixture(scope="module")
def seeded(tmp_path_factory: pytest.TempPathFactory) -> Iterator[App]:
    """The seed case replayed exactly as ``council demo`` does (fixed simulated clock)."""
    path = tmp_path_factory.mktemp("seed") / "seed.db"
    app = App(settings=load_settings(database_url=f"sqlite:///{path}"))
    replay_seed(app, say=lambda _line: None)
    yield app
    app.database.dispose()


def build(app: App, kind: str, ref: str, *, internal: bool = False) -> Document:
    definition = app.rulebook.definition
    viewers = audience(internal=internal)
    with app.database.reading() as session:
        if kind == "agenda":
            return agenda_document(
                session, meeting_ref=ref, definition=definition, audience=viewers
            )
        if kind == "minutes":
            return minutes_document(
                session,
                meeting_ref=ref,
                definition=definition,
                audience=viewers,
                trail=trail_anchor(app.database, audit_files(app)),
            )
        if kind == "history":
            return history_document(
                session, case_number=ref, definition=definition, audience=viewers
            )
        return item_document(session, item_id=int(ref), definition=definition, audience=viewers)


def rendered(app: App, kind: str, ref: str, fmt: str, *, internal: bool = False) -> str:
    return render_document(build(app, kind, ref, internal=internal), fmt=fmt)


def assert_golden(name: str, text: str) -> None:
    path = GOLDEN / name
    if UPDATE:
        GOLDEN.mkdir(exist_ok=True)
        path.write_text(text, encoding="utf-8")
    assert path.is_file(), f"{path} is missing: run with COUNCIL_UPDATE_GOLDEN=1 to create it"
    assert text == path.read_text(encoding="utf-8"), f"{name} differs from its golden file"


class Outline(HTMLParser):
    """The headings of a page, its lang and any script, for accessibility checks."""

    def __init__(self) -> None:
        super().__init__()
        self.levels: list[int] = []
        self.lang: str | None = None
        self.scripts = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "html":
            self.lang = dict(attrs).get("lang")
        if tag == "script":
            self.scripts += 1
        if len(tag) == 2 and tag[0] == "h" and tag[1].isdigit():
            self.levels.append(int(tag[1]))


def outline(html: str) -> Outline:
    parser = Outline()
    parser.feed(html)
    return parser


# ------------------------------------------------------------------------------ golden files


@pytest.mark.parametrize("fmt", ["txt", "html"])
@pytest.mark.parametrize(
    ("kind", "ref", "name"),
    [
        ("agenda", "BIU:2010-02-23", "agenda-biu-2010-02-23"),
        ("minutes", "BIU:2010-02-23", "minutes-biu-2010-02-23"),
        ("history", "2010-4130", "history-2010-4130"),
    ],
)
def test_the_seed_meeting_renders_as_its_golden_file(
    seeded: App, kind: str, ref: str, name: str, fmt: str
) -> None:
    assert_golden(f"{name}.{fmt}", rendered(seeded, kind, ref, fmt))


# ------------------------------------------------------------------------------ layout


def test_the_agenda_shows_the_earlier_postponement_but_not_the_decision_to_come(
    seeded: App,
) -> None:
    text = rendered(seeded, "agenda", "BIU:2010-02-23", "txt")
    assert "4. Status på partnerskabsaftale med Dansk Flytningshjælp (2010-4130)" in text
    assert "(udsat fra mødet den 26. januar 2010)" in text
    assert "Beskæftigelses- og Integrationsudvalgets beslutning den 26.01.2010" in text
    assert "beslutning den 23.02.2010" not in text
    assert "blev taget til efterretning" not in text.split("26.01.2010")[-1]


def test_the_minutes_add_the_decision_taken_at_the_meeting_after_the_earlier_one(
    seeded: App,
) -> None:
    text = rendered(seeded, "minutes", "BIU:2010-02-23", "txt")
    earlier = text.index("Beskæftigelses- og Integrationsudvalgets beslutning den 26.01.2010")
    now = text.index("Beskæftigelses- og Integrationsudvalgets beslutning den 23.02.2010")
    assert earlier < now
    assert text[now:].splitlines()[2] == "Indstillingen blev taget til efterretning."


def test_an_item_is_laid_out_in_the_copenhagen_order(seeded: App) -> None:
    text = rendered(seeded, "minutes", "BIU:2010-02-23", "txt")
    marks = [
        "4. Status på partnerskabsaftale",
        "Der er indgået partnerskabsaftale",
        "Indstilling og beslutning",
        "Beskæftigelses- og Integrationsforvaltningen indstiller,",
        "1. At Beskæftigelses- og Integrationsudvalget tager orienteringen",
        "Problemstilling",
        "Løsning",
        "Økonomi",
        "Videre proces",
        "Bilag",
        "1. Efterretningsnotat vedrørende status",
        "Morten Binder",
        "/ Kaj Ove Christiansen",
        "beslutning den 26.01.2010",
        "beslutning den 23.02.2010",
    ]
    positions = [text.index(mark) for mark in marks]
    assert positions == sorted(positions)


def test_dates_are_danish_long_in_running_text_and_short_in_decision_headings(
    seeded: App,
) -> None:
    html = rendered(seeded, "minutes", "BIU:2010-02-23", "html")
    assert "mødet den 23. februar 2010" in html
    assert "beslutning den 23.02.2010</h3>" in html


def test_the_html_page_is_complete_accessible_and_printable(seeded: App) -> None:
    for kind, ref in [("agenda", "2"), ("minutes", "BIU:2010-02-23"), ("history", "2010-4130")]:
        html = rendered(seeded, kind, ref, "html")
        page = outline(html)
        assert html.startswith("<!DOCTYPE html>")
        assert page.lang == "da"
        assert page.levels[0] == 1 and page.levels.count(1) == 1
        assert all(b - a <= 1 for a, b in zip(page.levels, page.levels[1:], strict=False)), (
            kind,
            page.levels,
        )
        assert '<meta charset="utf-8">' in html and "<title>" in html
        assert "@media print" in html and "@page" in html
        assert page.scripts == 0
        assert html.rstrip().endswith("</html>")


def test_the_history_lists_every_act_in_recorded_order_with_who_and_when(seeded: App) -> None:
    document = build(seeded, "history", "2010-4130")
    assert document.template == "history"
    events = document.events  # type: ignore[union-attr]
    assert [e.seq for e in events] == sorted(e.seq for e in events)
    assert [(e.committee_code, e.act, e.to_state) for e in events] == [
        ("SUD", "Forelagt", "Forelagt"),
        ("SUD", "Beslutning", "Taget til efterretning"),
        ("BIU", "Forelagt", "Forelagt"),
        ("BIU", "Beslutning", "Udsat"),
        ("BIU", "Forelagt", "Forelagt"),
        ("BIU", "Beslutning", "Taget til efterretning"),
        ("SUD", "Forelagt", "Forelagt"),  # the 2010 status (its meetings' dates assumed)
        ("BIU", "Forelagt", "Forelagt"),
        ("SUD", "Beslutning", "Taget til efterretning"),
        ("BIU", "Beslutning", "Taget til efterretning"),
    ]
    text = rendered(seeded, "history", "2010-4130", "txt")
    assert "registreret 23.02.2010 17:00 af sekretariatet (demo)" in text


# ------------------------------------------------------------------------------ escaping, strictness


def test_a_script_in_a_title_is_escaped_in_html_and_kept_verbatim_in_text(
    scenario: Scenario,
) -> None:
    meeting = scenario.meeting("BIU", "2010-02-23")
    item = scenario.draft(title='<script>alert("x")</script> & Co')
    scenario.present(item, meeting)
    html = rendered(scenario.app, "agenda", str(meeting), "html")
    assert "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt; &amp; Co" in html
    assert "<script>" not in html
    assert outline(html).scripts == 0
    text = rendered(scenario.app, "agenda", str(meeting), "txt")
    assert '1. <script>alert("x")</script> & Co (2010-4130)' in text


def test_a_missing_template_variable_fails_instead_of_printing_nothing() -> None:
    with pytest.raises(TemplateError, match="document"):
        render("agenda.txt.j2")
    with pytest.raises(TemplateError, match="document"):
        render("history.html.j2")


def test_a_view_model_without_a_field_the_template_needs_fails() -> None:
    class Half:
        template = "agenda"
        title = "Dagsorden"
        internal = False

    with pytest.raises(TemplateError, match="committee_name"):
        render_document(Half(), fmt="txt")  # type: ignore[arg-type]


def test_an_unknown_format_is_refused() -> None:
    with pytest.raises(TemplateError, match="txt, html"):
        render_document(object(), fmt="pdf")  # type: ignore[arg-type]


# ------------------------------------------------------------------------------ closed items


@pytest.fixture
def with_closed_item(scenario: Scenario) -> tuple[Scenario, int]:
    meeting = scenario.meeting("BIU", "2010-02-23")
    open_item = scenario.draft(title="Åben sag")
    closed = services.draft_item(
        scenario.uow(),
        scenario.app.rulebook,
        case_number="2010-4130",
        committee_code="BIU",
        draft=services.ItemDraft(
            title="Personsag om Hemmelig Person",
            kind="beslutning",
            closed=True,
            summary="Fortroligt resumé.",
            recommendation=("At udvalget godkender fortrolig aftale.",),
        ),
        actor="clerk",
        now=at("2010-01-05 09:00"),
    )
    scenario.present(open_item, meeting)
    scenario.present(closed.id, meeting)  # type: ignore[arg-type]
    scenario.decide(closed.id, "godkendt", when="2010-02-23 18:00", text="Godkendt fortroligt.")  # type: ignore[arg-type]
    return scenario, meeting


def test_a_public_document_shows_a_closed_item_only_as_its_number(
    with_closed_item: tuple[Scenario, int],
) -> None:
    scenario, meeting = with_closed_item
    for kind in ("agenda", "minutes"):
        for fmt in ("txt", "html"):
            text = rendered(scenario.app, kind, str(meeting), fmt)
            assert "2. Lukket punkt" in text
            for secret in ("Hemmelig", "Fortroligt", "fortrolig", "Godkendt fortroligt"):
                assert secret not in text, (kind, fmt, secret)
            assert "INTERNT DOKUMENT" not in text.upper()
    for fmt in ("txt", "html"):
        history = rendered(scenario.app, "history", "2010-4130", fmt)
        assert "Hemmelig" not in history and "fortroligt" not in history
        assert "Godkendt" not in history  # not even the outcome's label
        assert "Lukket punkt" in history
    assert "punkt 2 — lukket punkt\n" in rendered(scenario.app, "history", "2010-4130", "txt")


def test_an_internal_document_includes_the_closed_item_and_says_it_is_internal(
    with_closed_item: tuple[Scenario, int],
) -> None:
    scenario, meeting = with_closed_item
    text = rendered(scenario.app, "minutes", str(meeting), "txt", internal=True)
    assert text.startswith("INTERNT DOKUMENT")
    assert "2. Personsag om Hemmelig Person (2010-4130)" in text
    assert "Godkendt fortroligt." in text
    html = rendered(scenario.app, "minutes", str(meeting), "html", internal=True)
    assert '<meta name="robots" content="noindex, nofollow">' in html
    assert "<title>INTERNT" in html and "Internt dokument" in html
    assert "Personsag om Hemmelig Person" in html


# ------------------------------------------------------------------------------ other cases


def test_an_undated_decision_is_shown_in_its_place_as_date_unknown(scenario: Scenario) -> None:
    undated = services.create_meeting(
        scenario.uow(), committee_code="BIU", on=None, actor="clerk", now=at("2010-01-02 09:00")
    )
    later = scenario.meeting("BIU", "2010-02-23")
    item = scenario.draft()
    scenario.present(item, undated.id)  # type: ignore[arg-type]
    scenario.decide(item, "udsat", date_unknown=True)
    scenario.present(item, later, when="2010-02-10 09:00")
    scenario.decide(item, "taget til efterretning", when="2010-02-23 17:00")
    text = rendered(scenario.app, "item", str(item), "txt")
    first = text.index("Beskæftigelses- og Integrationsudvalgets beslutning (dato ukendt)")
    second = text.index("Beskæftigelses- og Integrationsudvalgets beslutning den 23.02.2010")
    assert first < second
    history = rendered(scenario.app, "history", "2010-4130", "txt")
    assert "BIU, mødet (dato ukendt), punkt 1 — beslutning: Forelagt → Udsat" in history
    agenda = rendered(scenario.app, "agenda", str(undated.id), "html")
    assert "mødet (dato ukendt)" in agenda


def test_minutes_say_when_an_item_has_no_decision_yet(scenario: Scenario) -> None:
    meeting = scenario.meeting("BIU", "2010-02-23")
    scenario.present(scenario.draft(), meeting)
    assert "(Ingen beslutning registreret på mødet.)" in rendered(
        scenario.app, "minutes", str(meeting), "txt"
    )
    assert "Ingen beslutning" not in rendered(scenario.app, "agenda", str(meeting), "txt")


def test_an_empty_agenda_says_so(scenario: Scenario) -> None:
    meeting = scenario.meeting("BIU", "2010-02-23")
    assert "Dagsordenen er tom." in rendered(scenario.app, "agenda", str(meeting), "txt")
    assert "Dagsordenen er tom." in rendered(scenario.app, "agenda", str(meeting), "html")
