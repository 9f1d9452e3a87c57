"""The CLI's words for people, in Danish, in one place.

Vocabulary kept apart on purpose: *punkt* is an item's number on a meeting's agenda (17 on
SUD's agenda of 02.12.2009), *punkt-id* the item's own number in the system (what ``council
item show`` takes). States are shown by their label from the rulebook (``workflow.toml``),
never by their code name; ``--json`` and ``--csv`` keep the code names.
"""

from __future__ import annotations

from datetime import date, datetime, time


def format_date(on: date | None) -> str:
    """``02.12.2009`` (imported on use: the CLI starts without the dates module)."""
    from council.cases.dates import format_date as formatted

    return formatted(on) if on is not None else "(dato ukendt)"


# Table headings.
ITEM_ID = "Punkt-id"
AGENDA_NUMBER = "Punkt"
CASE = "Sag"
COMMITTEE = "Udvalg"
TITLE = "Titel"
KIND = "Type"
STATE = "Status"
VERSION = "Version"
DECISION = "Beslutning"
MEETING = "Møde"
DATE = "Dato"
TIME = "Kl."
PLACE = "Sted"
ITEMS = "Punkter"
DECIDED = "Besluttet"
OWNER = "Ejer"
OPEN_ITEMS = "Åbne"


def clock(start: time) -> str:
    """A time of day as Danes write it: ``15.30``."""
    return start.strftime("%H.%M")


def meeting_heading(
    meeting_id: int,
    on: date | None,
    start: time | None,
    place: str | None,
    held: bool,
    cancelled: bool = False,
) -> str:
    """What follows the committee's name above a meeting's agenda."""
    when = format_date(on) + (f" kl. {clock(start)}" if start else "")
    where = f", {place}" if place else ""
    status = "aflyst" if cancelled else "afholdt" if held else "ikke afholdt"
    return f" — møde {meeting_id}, {when}{where} ({status})"


CHANGES = "Ændringer (revisionssporet):"


def change_line(at: datetime, actor: str, what: str, reason: str | None) -> str:
    from council.cases.dates import format_minute

    why = f" — begrundelse: {reason}" if reason else ""
    return f"  {format_minute(at)} {actor}: {what}{why}"


EMPTY_AGENDA = "Dagsordenen er tom."
NO_MEETING = "intet møde passer på søgningen"
NO_CANCELLED_MEETING = "intet møde passer på søgningen: intet møde er aflyst"
NO_CASE = "ingen sag passer på søgningen"
NO_ITEM = "intet punkt passer på søgningen"


def present_hint(item_id: int, meeting: str) -> str:
    return f"sæt det på med 'council item present {item_id} --meeting {meeting}'"


def carried_over(
    item_id: int, case: str, title: str, postponed_on: date | None, meeting: int
) -> str:
    return (
        f"udsat punkt: punkt-id {item_id}{case} {title} — udsat fra mødet den "
        f"{format_date(postponed_on)}; {present_hint(item_id, str(meeting))}"
    )


def referred(
    item_id: int, case: str, title: str, from_code: str, referred_on: date | None, meeting: int
) -> str:
    return (
        f"oversendt punkt: punkt-id {item_id}{case} {title} — oversendt fra {from_code} den "
        f"{format_date(referred_on)}; {present_hint(item_id, str(meeting))}"
    )


def meeting_created(meeting_id: object, committee: str, on: date | None) -> str:
    return f"møde {meeting_id} oprettet: {committee} {format_date(on)}"


def attendance_recorded(meeting_id: object, on: date | None, absent: list[str]) -> str:
    said = ", ".join(absent) if absent else "ingen"
    return f"møde {meeting_id} den {format_date(on)}: fraværende {said}"


def long_date(on: date | None) -> str:
    """``23. februar 2010`` (Babel's Danish; imported on use, as :func:`format_date`)."""
    from council.cases.dates import format_long_date

    return format_long_date(on)


def minutes_approved(on: date) -> str:
    return f"Protokollen godkendt den {long_date(on)}"


def minutes_approval_recorded(meeting_id: object, meeting_on: date | None, on: date) -> str:
    return f"møde {meeting_id} den {format_date(meeting_on)}: {minutes_approved(on).lower()}"


def decision_corrected(item_id: int, before: str, after: str, text: str, version: int) -> str:
    if before == after:
        return f"punkt-id {item_id}: beslutningens tekst rettet: «{text}» (version {version})"
    return (
        f"punkt-id {item_id}: beslutningen rettet fra {before} til {after}: «{text}» "
        f"(version {version})"
    )


def decision_corrected_closed(item_id: int, version: int) -> str:
    return f"punkt-id {item_id} (lukket punkt): beslutningen rettet (version {version})"


def corrected_after_approval(approved_on: date) -> str:
    return (
        f"protokollen blev godkendt den {long_date(approved_on)} med den tidligere tekst; "
        "den bevares, og rettelsen vises ved siden af"
    )


FIELD_NAMES = {
    "title": "titel",
    "kind": "type",
    "closed": "lukket punkt",
    "summary": "resumé",
    "administration": "indstillende forvaltning",
    "recommendation": "indstilling",
    "problem": "problemstilling",
    "solution": "løsning",
    "economy": "økonomi",
    "next_steps": "videre proces",
    "signatures": "underskrifter",
    "attachments": "bilag",
}


def item_edited(
    item_id: int, title: str, changed: list[str], correction: bool, version: int
) -> str:
    how = "rettet efter den endelige beslutning" if correction else "redigeret"
    return f"punkt-id {item_id} ({title}) {how}: {', '.join(changed)} (version {version})"


def meeting_closed(meeting_id: object, on: date | None) -> str:
    return f"møde {meeting_id} den {format_date(on)} er afsluttet som afholdt"


def item_placed_anew(
    item_id: int, from_meeting: int, to_meeting: int, number: int | None, version: int
) -> str:
    where = f"punkt {number}" if number is not None else "uden nummer"
    return (
        f"punkt-id {item_id} flyttet fra møde {from_meeting} til møde {to_meeting} ({where}); "
        f"begge dagsordener er nummereret forfra · version {version}"
    )


def meeting_rescheduled(meeting_id: object, on: date | None, start: time | None) -> str:
    when = format_date(on) + (f" kl. {clock(start)}" if start else "")
    return f"møde {meeting_id} er flyttet til {when}"


def meeting_cancelled(meeting_id: object, on: date | None) -> str:
    return f"møde {meeting_id} den {format_date(on)} er aflyst (mødet er bevaret som aflyst)"


def move_offer(item_id: int, title: str, meeting: object) -> str:
    return f"  punkt-id {item_id} {title}: council item move {item_id} --meeting {meeting}"


def offered_to(meeting_id: object, on: date | None) -> str:
    return (
        f"punkterne på dagsordenen tilbydes udvalgets næste planlagte møde, møde {meeting_id} "
        f"den {format_date(on)}; flyt hvert med:"
    )


def moved_on(item_id: int, meeting: object, number: int | None) -> str:
    where = f"punkt {number}" if number is not None else "uden nummer"
    return f"  punkt-id {item_id} flyttet til møde {meeting} ({where})"


def no_next_meeting(committee: str) -> str:
    return (
        f"{committee} har intet planlagt møde efter det aflyste; opret et med 'council meeting "
        f"new --committee {committee} --date DATO', og flyt punkterne med 'council item move "
        "PUNKT-ID --meeting MØDE'"
    )


def meeting_reopened(meeting_id: object, on: date | None, was: str, decisions: int) -> str:
    kept = ""
    if decisions == 1:
        kept = "; den beslutning, der er truffet på mødet, står uændret"
    elif decisions:
        kept = f"; de {decisions} beslutninger, der er truffet på mødet, står uændret"
    return f"møde {meeting_id} den {format_date(on)} var {was} og er nu planlagt igen{kept}"


def database_ready(where: str, loaded: list[str]) -> str:
    said = ", ".join(loaded) if loaded else "ingen ændret"
    return f"databasen er klar: {where}; udvalg indlæst: {said}"


def case_created(number: str, title: str) -> str:
    return f"sag {number} oprettet: {title}"


NO_ITEMS_YET = "Ingen dagsordenspunkter endnu: opret et med 'council item draft'."
CHAIN = "Behandlingsforløb:"


def chain_line(item_id: int, committee: str, on: date | None, said: str, onward: str | None) -> str:
    then = f" → {onward}" if onward else ""
    return f"  punkt-id {item_id}, {committee} {format_date(on)}: {said.lower()}{then}"


def item_drafted(item_id: int, committee: str, case: str, title: str, competent: str | None) -> str:
    decider = f"; afgøres af {competent}" if competent else ""
    return f"punkt-id {item_id} oprettet som udkast til {committee} i sag {case}: {title}{decider}"


def item_linked(item_id: int, obligation: int, committee: str) -> str:
    return (
        f"punkt-id {item_id} knyttet til statusforpligtelse {obligation} (status til {committee})"
    )


def at_meeting(meeting_id: int | None, agenda_number: int | None) -> str:
    where = f" på møde {meeting_id}" if meeting_id else ""
    number = f" som punkt {agenda_number}" if agenda_number else ""
    return where + number


def item_changed_closed(item_id: int, title: str, where: str, version: int) -> str:
    return (
        f"punkt-id {item_id} ({title}): ændret{where} (version {version}); "
        f"'council item show {item_id} --internal' viser det"
    )


def item_moved(
    item_id: int, from_label: str, to_label: str, where: str, said: str, version: int
) -> str:
    return f"punkt-id {item_id}: {from_label} → {to_label}{where}{said} (version {version})"


def referred_on(item_id: int, made: str, committee: str) -> str:
    return (
        f"sendt videre: punkt-id {item_id} {made} til {committee}, venter på udvalgets næste "
        f"møde ('council item present {item_id} --meeting {committee}:DATO')"
    )


def files_attached_closed(item_id: int, title: str, count: int, version: int) -> str:
    return (
        f"punkt-id {item_id} ({title}): {count} fil(er) vedhæftet (version {version}); "
        f"'council item show {item_id} --internal' viser dem"
    )


def attached(item_id: int, rest: str) -> str:
    return f"punkt-id {item_id}: {rest}"


def item_version(item_id: int, version: int) -> str:
    return f"punkt-id {item_id} har nu version {version}"


def size(size: int) -> str:
    """A file's size, with a Danish decimal comma."""
    if size < 1024:
        return f"{size} byte"
    if size < 1024 * 1024:
        return f"{size / 1024:.0f} KB"
    return f"{size / (1024 * 1024):.1f} MB".replace(".", ",")


CLOSED_NOT_LISTED = "(lukkede punkter vises ikke efter status; --internal viser dem)"


def withheld_item(item_id: int, committee: str, version: int) -> str:
    return (
        f"punkt-id {item_id} · {committee} · version {version}; "
        "et lukket punkt: 'council item show PUNKT-ID --internal' viser det"
    )


def item_line(
    item_id: int, committee: str, kind: str | None, state: str | None, version: int
) -> str:
    kind_of = f"{kind}ssag · " if kind else ""
    return f"punkt-id {item_id} · {committee} · {kind_of}status: {state or ''} · version {version}"


def referred_from(committee: str, item_id: int) -> str:
    return f"oversendt fra {committee} (punkt-id {item_id})"


def first_shown(count: int) -> str:
    return f"(de første {count} vises; afgræns listen eller giv --limit)"


def no_history(case_number: str) -> str:
    return f"sag {case_number} har ingen historik endnu"


def history_title(case_number: str) -> str:
    return f"Beslutningshistorik for sag {case_number}"


def trail_broken(problem: str) -> str:
    return f"revisionssporet holder IKKE: {problem}"


def also(problem: str) -> str:
    return f"desuden: {problem}"


def trail_holds(entries: int, head: str) -> str:
    return f"revisionssporet er kontrolleret: {entries} poster, kædens hoved {head}"


def trail_holds_since(since: str, after: int, entries: int, head: str) -> str:
    return (
        f"revisionssporet er kontrolleret siden {since}: {after} poster efter det, "
        f"{entries} i alt, kædens hoved {head}"
    )


NOT_CHECKED_BEFORE = (
    "ikke kontrolleret her: posterne før dette kontrolpunkt og registreringerne mod sporet; "
    "'council audit verify' uden --since-checkpoint kontrollerer dem"
)


def checkpoints_hold(count: int, log: str, key: str, last: str | None) -> str:
    said = f"; det seneste, {last}, holder" if last else ""
    return f"kontrolpunkter kontrolleret: {count} i {log} (nøgle {key}){said}"


NO_CHECKPOINT_LOG = (
    "ingen log over kontrolpunkter: kun sporets egen sammenhæng er kontrolleret "
    "('council audit checkpoint' underskriver et)"
)


def head_entry(entry: int) -> str:
    return f"det nedskrevne hoved er post {entry} i sporet"
