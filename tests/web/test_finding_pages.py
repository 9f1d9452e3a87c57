"""Finding things on the web: the search page (/soeg) with whatever a visitor types, a
bilag's file (/bilag/N/NAME) served with its own type and the visibility rule, and the
secretariat's lists; a closed item and its files stay out of every public answer."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from support import Scenario, at
from web_support import Browser, links, texts

from council.cases.attachment_files import AttachmentStore
from council.workflow.services.attachments import attach_files

SECRET = "fratrædelsesgodtgørelse"


@pytest.fixture
def store(scenario: Scenario, tmp_path: Path) -> AttachmentStore:
    scenario.app.settings.attachment_dir = tmp_path / "bilag"
    return scenario.app.attachment_store()


@pytest.fixture
def files(
    scenario: Scenario, seed: dict[str, int], store: AttachmentStore, tmp_path: Path
) -> dict[str, int]:
    """A public item's bilag (a text file) and the closed item's (its text is the secret)."""
    folder = tmp_path / "filer"
    folder.mkdir()
    public = folder / "Notat <img src=x onerror=alert(1)>.txt"
    public.write_text("Mentorkurserne er evalueret.\n", encoding="utf-8")
    secret = folder / "Aftale.txt"
    secret.write_text(f"Aftale om {SECRET} til medarbejderen.\n", encoding="utf-8")
    found = {}
    for key, item, path in (("public", seed["item"], public), ("closed", seed["closed"], secret)):
        attached = attach_files(
            scenario.uow(),
            scenario.app.rulebook,
            store,
            item_id=item,
            paths=[path],
            max_bytes=100_000,
            actor="clerk",
            now=at("2010-01-15 10:00"),
        )
        line = attached.lines[0][0]
        assert line.id is not None
        found[key] = line.id
    return found


def bilag_links(html: str) -> list[str]:
    return [link for link in links(html) if link.startswith("/bilag/")]


def test_a_public_items_bilag_is_served_with_its_type_and_never_run_by_the_browser(
    browser: Callable[..., Browser], seed: dict[str, int], files: dict[str, int]
) -> None:
    visitor = browser()
    page = visitor.get(f"/punkter/{seed['item']}")
    [link] = bilag_links(page.text)
    assert link.startswith(f"/bilag/{files['public']}/")
    served = visitor.get(link)
    assert served.status_code == 200
    assert served.text == "Mentorkurserne er evalueret.\n"
    assert served.headers["content-type"] == "text/plain; charset=utf-8"
    assert "sandbox" in served.headers["content-security-policy"]
    disposition = served.headers["content-disposition"]
    assert disposition.startswith("inline; ") and "<" not in disposition.split("filename*")[0]
    assert (
        "filename*=UTF-8''Notat%20%3Cimg%20src%3Dx%20onerror%3Dalert%281%29%3E.txt" in disposition
    )
    assert "<img src=x" not in page.text  # the name is text on the page, not markup


@pytest.mark.parametrize(
    "tail",
    ["", "/anything.txt", "/..%2F..%2Fcouncil.db", "/%2e%2e/%2e%2e/etc/passwd", "/Aftale.txt"],
)
def test_the_name_in_a_bilag_address_chooses_nothing(
    browser: Callable[..., Browser], files: dict[str, int], tail: str
) -> None:
    """Only the number picks the file: a name with folders in it reads nothing from disk."""
    served = browser().get(f"/bilag/{files['public']}{tail}")
    assert served.status_code in {200, 404}
    if served.status_code == 200:
        assert served.text == "Mentorkurserne er evalueret.\n"


def test_a_closed_items_bilag_does_not_exist_for_the_public_and_is_served_to_a_reader(
    browser: Callable[..., Browser], seed: dict[str, int], files: dict[str, int]
) -> None:
    visitor = browser()
    for path in (f"/bilag/{files['closed']}", f"/bilag/{files['closed']}/Aftale.txt"):
        response = visitor.get(path)
        assert response.status_code == 404, path
        assert SECRET not in response.text and "Aftale" not in response.text
        assert f"Der findes intet bilag nr. {files['closed']}." in texts(response.text)
    assert bilag_links(visitor.get(f"/punkter/{seed['closed']}").text) == []
    meeting = visitor.get(f"/moeder/{seed['second']}/dagsorden").text
    assert f"/bilag/{files['closed']}" not in meeting
    assert "Intet matcher" in texts(visitor.get(f"/soeg?q={SECRET}").text)

    reader = browser("rita")
    assert SECRET in reader.get(f"/bilag/{files['closed']}/Aftale.txt").text
    hits = texts(reader.get(f"/soeg?q={SECRET}").text)
    assert "Fundet i bilag «Aftale»" in hits and "(lukket punkt)" in hits


def test_a_changed_file_in_the_store_is_a_danish_404_not_an_error(
    browser: Callable[..., Browser], store: AttachmentStore, files: dict[str, int]
) -> None:
    stored = [path for path in store.root.rglob("*") if path.is_file()]
    for path in stored:
        path.chmod(0o644)
        path.write_text("changed", encoding="utf-8")
    response = browser().get(f"/bilag/{files['public']}")
    assert response.status_code == 404
    assert "kan ikke hentes lige nu" in texts(response.text)
    assert "changed" not in response.text and str(store.root) not in response.text


@pytest.mark.parametrize(
    "query",
    [
        "<script>alert(1)</script>",
        '"unclosed phrase',
        "NEAR(status mentor)",
        "status*",
        "title:status",
        "status & !udsat | x",
        "status\x00",
        "\u202estatus",
        "'; DROP TABLE search_entry; --",
        "%ff",
    ],
)
def test_whatever_is_typed_in_the_search_box_is_a_page_not_an_error(
    browser: Callable[..., Browser], seed: dict[str, int], query: str
) -> None:
    response = browser().get("/soeg", params={"q": query})
    assert response.status_code in {200, 400}, response.text
    assert "<script>alert" not in response.text
    assert "Traceback" not in response.text


def test_a_search_finds_a_public_item_by_its_bilag_and_marks_the_words_found(
    browser: Callable[..., Browser], seed: dict[str, int], files: dict[str, int]
) -> None:
    page = browser().get("/soeg", params={"q": "evalueret"})
    assert page.status_code == 200
    assert "Fundet i bilag «Notat &lt;img src=x onerror=alert(1)&gt;»" in page.text
    assert "<mark>evalueret</mark>" in page.text
    assert f"/punkter/{seed['item']}" in links(page.text)


def test_a_too_long_search_is_told_so_in_danish(browser: Callable[..., Browser]) -> None:
    response = browser().get("/soeg", params={"q": "status " * 100})
    assert response.status_code == 400
    assert "Søgningen er for lang" in texts(response.text)


def test_the_secretariats_lists_need_a_login_and_show_a_closed_item_marked(
    browser: Callable[..., Browser], seed: dict[str, int]
) -> None:
    for path in ("/sekretariat/moeder", "/sekretariat/punkter", "/sekretariat/sager"):
        response = browser().get(path)
        assert response.status_code in {303, 401, 403}, path
        assert "fratrædelse" not in response.text
    anne = browser("anne")
    items = texts(anne.get("/sekretariat/punkter").text)
    assert "Personsag om hemmelig fratrædelse (lukket punkt)" in items
    meetings = anne.get("/sekretariat/moeder", params={"fra": "1/2-2010"})
    assert meetings.status_code == 400
    assert "Datoen «1/2-2010» kan ikke læses" in texts(meetings.text)
    between = texts(
        anne.get("/sekretariat/moeder", params={"fra": "01.02.2010", "til": "28.02.2010"}).text
    )
    assert "23. februar 2010" in between and "26. januar 2010" not in between
    cases = texts(anne.get("/sekretariat/sager", params={"ejer": "<script>"}).text)
    assert "2010-4130" not in cases
