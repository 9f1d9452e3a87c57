"""Status obligations and reminders: the acts, and the wiring of sweep and delivery.

``add_obligation`` and ``link_item`` are acts like those in ``workflow.services``:
keyword-only, an ``actor`` and an injected ``now``; the stores in ``cases.obligations``
write each line and link together with its audit entry, committed whole or not at all.
``run_reminders`` is one sweep followed by one delivery round, at an injected ``now``;
``council reminders run``, ``council serve`` and the demo call it.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

from council.cases import case_records, items
from council.cases import committees as committee_store
from council.cases.dates import format_date, format_minute, require_aware, require_plausible
from council.cases.db import Database, UnitOfWork
from council.cases.errors import InvalidInputError
from council.cases.models import Case, Committee
from council.cases.obligations import lines, outbox, recording
from council.cases.obligations.lines import Line
from council.cases.obligations.steps import schedule
from council.cases.obligations.terms import Terms, parse_cadence, parse_due_rule
from council.config.addresses import address_domain, checked_address
from council.config.errors import AddressError
from council.config.reminders import ReminderConfig
from council.notifications.delivery import DeliveryReport, Digests, RetryPolicy, deliver
from council.notifications.preview import Preview, preview
from council.notifications.reminder_text import Wording
from council.notifications.sweep import sweep
from council.notifications.transports import Transport, transport_for
from council.workflow.app import App
from council.workflow.reminder_settings import reminder_config
from council.workflow.services import require_actor
from council.workflow.visibility import MAIL

# A --now this little ahead of the real clock still counts as now (hosts' clocks differ).
CLOCK_TOLERANCE = timedelta(minutes=5)


# ------------------------------------------------------------------ acts


def add_obligation(
    uow: UnitOfWork,
    *,
    config: ReminderConfig,
    case_number: str,
    committee_codes: Sequence[str],
    starts_on: date,
    ends_on: date,
    cadence: str | None = None,
    due: str | None = None,
    lead_days: Sequence[int] | None = None,
    escalate_every_days: int | None = None,
    recipients: Sequence[str] = (),
    about: str = "",
    actor: str,
    now: datetime,
) -> list[Line]:
    """Record a status obligation: one line per committee, each reminded on its own.

    ``None`` takes the default from ``config/reminders.toml``; ``escalate_every_days=0``
    turns escalation off. Without ``recipients`` each line reminds the case owner's contact
    (``[recipients.administrations]``), the committee's secretariat and ``always``.
    Everything given is checked before anything is read or written.
    """
    actor, now = require_actor(actor), require_aware(now)
    require_plausible(starts_on, what=f"startdatoen {format_date(starts_on)}")
    require_plausible(ends_on, what=f"slutdatoen {format_date(ends_on)}")
    codes = _committee_codes(committee_codes)
    terms = _terms(
        config, starts_on, ends_on, cadence, due, lead_days, escalate_every_days, about=about
    )
    first_check = _first_reminder(terms, config)
    explicit = _addresses(recipients)
    with uow:
        case = case_records.by_number(uow.session, case_number)
        committees = [committee_store.by_code(uow.session, code) for code in codes]
        added = [
            recording.add_line(
                uow.session,
                case=case,
                committee=committee,
                terms=terms,
                recipients=explicit or _default_recipients(config, case, committee),
                first_check=first_check,
                actor=actor,
                now=now,
            )
            for committee in committees
        ]
        uow.commit()
    return added


def link_item(
    uow: UnitOfWork, *, obligation_ref: str, item_id: int, actor: str, now: datetime
) -> Line:
    """Link an agenda item to the obligation line of its committee that it answers."""
    actor, now = require_actor(actor), require_aware(now)
    with uow:
        item = items.by_id(uow.session, item_id)
        assert item.id is not None
        line = lines.by_ref(uow.session, obligation_ref, committee_id=item.committee_id)
        recording.link_item(uow.session, line, item_id=item.id, actor=actor, now=now)
        uow.commit()
    return line


def obligation_for_item(database: Database, ref: str, *, committee_code: str) -> Line:
    """The line ``ref`` names for a new item of ``committee_code`` (checked before drafting)."""
    with database.reading() as session:
        committee = committee_store.by_code(session, committee_code)
        return lines.by_ref(session, ref, committee_id=committee.id)


def _terms(
    config: ReminderConfig,
    starts_on: date,
    ends_on: date,
    cadence: str | None,
    due: str | None,
    lead_days: Sequence[int] | None,
    escalate_every_days: int | None,
    *,
    about: str,
) -> Terms:
    """The obligation's terms, each one not given taken from ``config/reminders.toml``;
    an escalation interval of 0 days means none."""
    cadence_rule = parse_cadence(cadence if cadence is not None else config.cadence)
    due_rule = parse_due_rule(due if due is not None else config.due)
    leads = config.lead_days if lead_days is None else lead_days
    every = config.escalate_every_days if escalate_every_days is None else escalate_every_days
    if every is not None and every < 0:
        raise InvalidInputError("eskaleringsintervallet er et antal dage, 0 (ingen) eller flere")
    return Terms(
        starts_on=starts_on,
        ends_on=ends_on,
        cadence=cadence_rule,
        due=due_rule,
        lead_days=tuple(sorted(set(leads), reverse=True)),
        escalate_every_days=every or None,
        about=about.strip(),
    )


def _first_reminder(terms: Terms, config: ReminderConfig) -> datetime | None:
    """When the first reminder of a line on these terms falls due (checking the dates,
    the lead times and the escalation on the way)."""
    return schedule(
        start=terms.starts_on,
        end=terms.ends_on,
        cadence=terms.cadence,
        due=terms.due,
        lead_days=terms.lead_days,
        escalate_every_days=terms.escalate_every_days,
        send_at=config.send_at,
    ).first_step_at()


def _committee_codes(codes: Iterable[str]) -> list[str]:
    result: list[str] = []
    for raw in codes:
        for piece in raw.split(","):
            code = piece.strip().upper()
            if code and code not in result:
                result.append(code)
    if not result:
        raise InvalidInputError("angiv mindst ét --committee, fx --committee SUD")
    return result


def _addresses(values: Iterable[str]) -> list[str]:
    """The addresses given (``--recipient``, each may list several with commas), each
    checked: one that could not go into a mail header is refused before anything is written."""
    result: list[str] = []
    for raw in values:
        for piece in raw.split(","):
            if not piece.strip():
                continue
            try:
                value = checked_address(piece)
            except AddressError as exc:
                raise InvalidInputError(str(exc)) from exc
            if value not in result:
                result.append(value)
    return result


def _default_recipients(config: ReminderConfig, case: Case, committee: Committee) -> list[str]:
    """The case owner's contact, the committee's secretariat and ``always``; refused when
    that is no one. The files were checked when loaded; the secretariat comes from the
    database, which a release that did not check addresses may have filled, so it is
    checked again here."""
    candidates = [config.administration_contact(case.owner)]
    if config.committee_secretariat and committee.secretariat_email:
        try:
            candidates.append(checked_address(committee.secretariat_email))
        except AddressError as exc:
            raise InvalidInputError(
                f"{committee.code}s secretariat_email i databasen: {exc}; ret den i "
                "committees.toml og kør 'council init', eller angiv --recipient"
            ) from exc
    candidates += list(config.always)
    result: list[str] = []
    for address in candidates:
        if address and address not in result:
            result.append(address)
    if not result:
        raise InvalidInputError(
            f"ingen at påminde om {committee.code}: angiv --recipient E-MAIL, eller sæt "
            f"{committee.code}s secretariat_email i committees.toml eller kontakten for "
            f"'{case.owner}' i reminders.toml"
        )
    return result


# ------------------------------------------------------------------ reminders


@dataclass(frozen=True)
class ReminderRun:
    """One sweep and the delivery after it."""

    now: datetime
    written: list[outbox.OutboxRow]
    delivery: DeliveryReport


def run_reminders(
    app: App,
    *,
    now: datetime,
    config: ReminderConfig | None = None,
    transport: Transport | None = None,
) -> ReminderRun:
    """Write every reminder step due at ``now`` into the outbox, then deliver the outbox.

    A ``now`` past :func:`latest_sweep_moment` is refused before anything is written.
    Whether ``now`` may lie in the future of the real clock is the caller's to check
    (:func:`check_sweep_time`): the demo replays 2009-2011 on a database of its own.
    """
    now = require_aware(now)
    config = config or reminder_config(app)
    _check_reach(now, config)
    database = app.initialised_database()
    definition = app.rulebook.definition
    result = sweep(
        database,
        now=now,
        fulfilling_states=definition.fulfilling_states,
        send_at=config.send_at,
        message_domain=address_domain(app.settings.smtp_sender) or "council.invalid",
        audience=MAIL,
        state_labels={name: state.label for name, state in definition.states.items()},
    )
    transport = transport or transport_for(app.settings, database_path=database.path)
    report = deliver(
        database,
        transport,
        now=now,
        sender=app.settings.smtp_sender,
        policy=RetryPolicy(
            first_minutes=config.retry_first_minutes,
            max_minutes=config.retry_max_minutes,
            lease_minutes=config.lease_minutes,
        ),
        wording=_wording(app, config),
        digests=Digests(frozenset(config.digest), config.send_at),
    )
    with database.reading() as session:
        written = outbox.listing(session, ids=result.written)
    return ReminderRun(now=now, written=written, delivery=report)


def preview_reminders(app: App, *, now: datetime, config: ReminderConfig | None = None) -> Preview:
    """What :func:`run_reminders` at ``now`` would write and send, changing nothing."""
    now = require_aware(now)
    config = config or reminder_config(app)
    _check_reach(now, config)
    definition = app.rulebook.definition
    return preview(
        app.initialised_database(),
        now=now,
        fulfilling_states=definition.fulfilling_states,
        send_at=config.send_at,
        message_domain=address_domain(app.settings.smtp_sender) or "council.invalid",
        audience=MAIL,
        state_labels={name: state.label for name, state in definition.states.items()},
        wording=_wording(app, config),
        digests=Digests(frozenset(config.digest), config.send_at),
    )


def _wording(app: App, config: ReminderConfig) -> Wording:
    """What a reminder's text is worked out with when it is sent."""
    definition = app.rulebook.definition
    return Wording(
        audience=MAIL,
        state_labels={name: state.label for name, state in definition.states.items()},
        step_names=dict(config.step_names),
        fulfilling_states=frozenset(definition.fulfilling_states),
    )


def next_sweep_due(app: App) -> datetime | None:
    """When a sweep next has something to look at: the earliest reminder any line may owe."""
    with app.initialised_database().reading() as session:
        return lines.next_check(session)


def latest_sweep_moment(config: ReminderConfig) -> datetime:
    """The last moment a sweep can run at. A sweep reckons with times after its ``now``:
    the lease on the messages it claims, the retry of a failed one, the local date of each
    (Copenhagen is ahead of UTC); none may pass the last day Python's calendar holds,
    31.12.9999. So ``now`` stays a day and the longest of those waits before that day ends.
    """
    waits = max(config.lease_minutes, config.retry_max_minutes)
    reach = timedelta(days=1, minutes=waits)
    return (datetime.max.replace(tzinfo=UTC) - reach).replace(second=0, microsecond=0)


def check_sweep_time(
    now: datetime, *, real_now: datetime, replay: bool, config: ReminderConfig
) -> None:
    """Refuse a sweep time given by hand (``--now``) before anything is written.

    A sweep at a moment in the future of the real clock writes and sends every reminder
    due by then, and a step is sent once only: a later sweep at the real time would find
    them used up and send nothing. So a ``now`` more than :data:`CLOCK_TOLERANCE` ahead of
    ``real_now`` is refused, unless ``replay`` says the database is a replay (a copy, a
    demonstration) that will not be used live. A ``now`` past :func:`latest_sweep_moment`
    is refused even then.
    """
    now = require_aware(now)
    _check_reach(now, config)
    if not replay and now > real_now + CLOCK_TOLERANCE:
        raise InvalidInputError(
            f"--now {format_minute(now)} ligger i fremtiden (uret siger "
            f"{format_minute(real_now)}); en kørsel da ville sende påmindelser, der endnu ikke er "
            "forfaldne, og bruge dem op for altid. Angiv --replay, hvis databasen er en "
            "genafspilning, der ikke skal bruges i drift"
        )


def _check_reach(now: datetime, config: ReminderConfig) -> None:
    latest = latest_sweep_moment(config)
    if now > latest:
        raise InvalidInputError(
            f"en kørsel kan ikke ligge senere end {format_minute(latest)} (kalenderen slutter "
            "31.12.9999); angiv et tidligere --now"
        )


def reminder_outbox(app: App, *, status: str | None = None) -> list[outbox.OutboxRow]:
    """Every reminder in the outbox (or those of one ``status``: pending, sent, failed,
    superseded), in the order their steps fell due; digests among them."""
    with app.initialised_database().reading() as session:
        return outbox.listing(session, status=status.strip().lower() if status else None)
