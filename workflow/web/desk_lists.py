"""The secretariat's lists: meetings, items and cases, filtered as ``council meeting list``,
``item list`` and ``case list`` filter them (the same read models, the same visibility)."""

from __future__ import annotations

from datetime import date

from fastapi import APIRouter, Request
from fastapi.responses import Response

from council.cases.dates import parse_date
from council.config.errors import CouncilError
from council.workflow.read_models import lists
from council.workflow.read_models.meetings import every_committee
from council.workflow.web.application import render, state_of, visit
from council.workflow.web.closed_items import audience_of
from council.workflow.web.forms import desk_user

router = APIRouter(include_in_schema=False)


def _date(text: str, what: str, errors: list[str]) -> date | None:
    if not text.strip():
        return None
    try:
        return parse_date(text.strip(), what=what)
    except CouncilError:
        errors.append(f"Datoen «{text.strip()[:40]}» kan ikke læses; skriv den som 23.02.2010.")
        return None


def _committees(request: Request) -> list[tuple[str, str]]:
    return [(c.code, c.name) for c in every_committee(state_of(request).app.initialised_database())]


@router.get("/sekretariat/moeder")
def meeting_list(
    request: Request, udvalg: str = "", fra: str = "", til: str = "", status: str = ""
) -> Response:
    desk_user(request)
    errors: list[str] = []
    start, end = _date(fra, "fra-dato", errors), _date(til, "til-dato", errors)
    listing = lists.Listing((), False)
    if not errors:
        try:
            listing = lists.meeting_list(
                state_of(request).app.initialised_database(),
                committee_code=udvalg or None,
                start=start,
                end=end,
                status=status or None,
            )
        except CouncilError:
            errors.append("Filteret kan ikke bruges: vælg et udvalg, en status og gyldige datoer.")
    return render(
        request,
        "web/meeting_list.html.j2",
        status=400 if errors else 200,
        listing=listing,
        errors=errors,
        committees=_committees(request),
        statuses=lists.MEETING_STATUSES,
        values={"udvalg": udvalg, "fra": fra, "til": til, "status": status},
    )


@router.get("/sekretariat/punkter")
def item_list(
    request: Request, udvalg: str = "", tilstand: str = "", aabne: str = "", moede: str = ""
) -> Response:
    desk_user(request)
    state = state_of(request)
    errors: list[str] = []
    listing = lists.Listing((), False)
    try:
        listing = lists.item_list(
            state.app.initialised_database(),
            state.app.rulebook,
            audience=audience_of(visit(request).viewer),
            committee_code=udvalg or None,
            state=tilstand or None,
            open_only=bool(aabne),
            meeting_ref=moede.strip() or None,
        )
    except CouncilError:
        errors.append("Filteret kan ikke bruges: vælg et udvalg, en status og et møde, der findes.")
    definition = state.app.rulebook.definition
    return render(
        request,
        "web/item_list.html.j2",
        status=400 if errors else 200,
        listing=listing,
        errors=errors,
        committees=_committees(request),
        states=[(name, s.label) for name, s in definition.states.items()],
        values={"udvalg": udvalg, "tilstand": tilstand, "aabne": aabne, "moede": moede},
    )


@router.get("/sekretariat/sager")
def case_list(request: Request, ejer: str = "", aabne: str = "") -> Response:
    desk_user(request)
    state = state_of(request)
    listing = lists.case_list(
        state.app.initialised_database(),
        state.app.rulebook,
        audience=audience_of(visit(request).viewer),
        owner=ejer.strip()[:200] or None,
        open_only=bool(aabne),
    )
    return render(
        request,
        "web/case_list.html.j2",
        listing=listing,
        errors=[],
        values={"ejer": ejer, "aabne": aabne},
    )
