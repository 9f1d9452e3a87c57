"""The seed case replayed on a simulated clock (``config/demo_seed.toml``).

The secretariat's steps and the reminder service run on one simulated clock: between two
steps, the sweep runs at each moment a reminder falls due (the earliest bookmark of any
obligation line), so the demo shows the reminders that would have gone out, on their day,
and the table of ``council obligations`` at a few dates. Mail goes to the Maildir next to
the demo database (never to an SMTP server, whatever the environment says).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path

from council.cases.dates import LOCAL_ZONE, format_date, local_date, parse_date
from council.cases.obligations.lines import Line
from council.config.demo_seed import DemoSeed, SeedItem, SeedStep, load_demo_seed
from council.config.settings import CONFIG_DIR
from council.notifications.messages import Mail
from council.notifications.reminder_text import step_label, subject_of
from council.notifications.transports import MaildirTransport, Send, Transport, default_maildir
from council.workflow import obligation_services, reminder_settings, services
from council.workflow.app import App
from council.workflow.initialise import initialise
from council.workflow.read_models import goals as goal_reads
from council.workflow.read_models import obligations as obligation_reads
from council.workflow.services import goals as goal_acts

SEED_FILE = CONFIG_DIR / "demo_seed.toml"
DEMO_ACTOR = "sekretariatet (demo)"


@dataclass
class _Listing:
    """The demo's transport when the database is no file: the outbox listing is the mail."""

    kept: list[Mail] = field(default_factory=list)

    def describe(self) -> str:
        return "demoens liste over udbakken"

    @contextmanager
    def connect(self) -> Iterator[Send]:
        def send(message: Mail, _recipients: list[str]) -> str | None:
            self.kept.append(message)
            return None

        yield send


def replay_seed(app: App, *, say: Callable[[str], None], seed_file: Path = SEED_FILE) -> str:
    """Build the seed case step by step, sweeping for reminders as the simulated clock
    passes their moments; returns its case number."""
    seed = load_demo_seed(seed_file)
    first = _local(seed.step[0].at)
    initialise(app, actor=DEMO_ACTOR, now=first)
    database = app.database
    case = seed.case
    services.create_case(
        database.unit_of_work(),
        number=case.number,
        title=case.title,
        owner=case.owner,
        actor=DEMO_ACTOR,
        now=first,
    )
    say(f"sag {case.number}: {case.title}")
    replay = _Replay(app, seed, say)
    replay.run()
    return case.number


class _DemoMaildir(MaildirTransport):
    """The demo's maildir, beside its database; the trail names it by its file name, so the
    seed's trail (and the head its documents print) is the same wherever it is built."""

    def describe(self) -> str:
        return f"maildir:{self.path.name}"


class _Replay:
    """The seed's steps, the sweeps and the tables, in the order of the simulated clock."""

    def __init__(self, app: App, seed: DemoSeed, say: Callable[[str], None]) -> None:
        self.app = app
        self.seed = seed
        self.say = say
        self.items: dict[str, int] = {}
        self.lines: dict[str, list[Line]] = {}
        self.config = reminder_settings.reminder_config(app)
        path = app.database.path
        self.transport: Transport = _DemoMaildir(default_maildir(path)) if path else _Listing()
        self.where = f"maildir:{default_maildir(path)}" if path else self.transport.describe()
        reminders = seed.reminders
        self.until = _local(reminders.until) if reminders.until else None
        self.tables = [
            datetime.combine(parse_date(day), datetime.min.time(), tzinfo=LOCAL_ZONE)
            + timedelta(days=1, microseconds=-1)
            for day in reminders.tables
        ]
        self.sent = 0

    def run(self) -> None:
        steps = [(_local(step.at), step) for step in self.seed.step]
        tables = list(self.tables)
        while steps or tables:
            upcoming = [moment for moment, _ in steps[:1]] + tables[:1]
            moment = min(upcoming)
            self.sweep_until(moment)
            if steps and steps[0][0] == moment:
                self.step(moment, steps.pop(0)[1])
            else:
                self.table(tables.pop(0))
        if self.until is not None:
            self.sweep_until(self.until)
        if self.lines:
            self.summary()
        if self.seed.goal:
            self.goal_status()

    # -- the reminder service, on the simulated clock

    def sweep_until(self, moment: datetime) -> None:
        """Run the sweep at each moment a reminder falls due, up to ``moment``."""
        if not self.lines:
            return
        while True:
            due = obligation_services.next_sweep_due(self.app)
            if due is None or due > moment:
                return
            result = obligation_services.run_reminders(
                self.app, now=due, config=self.config, transport=self.transport
            )
            self.sent += len(result.delivery.sent)
            for row in result.written:
                m = row.message
                self.say(f"{_day(due)}  påmindelse {step_label(m.step_key)}: «{subject_of(m)}»")

    def table(self, moment: datetime) -> None:
        rows = obligation_reads.obligation_rows(self.app, now=moment, config=self.config)
        self.say("")
        self.say(f"council obligations --at {moment.date().isoformat()}")
        for line in obligation_reads.table_lines(
            rows, width=100, step_names=self.config.step_names
        ):
            self.say(line)
        self.say("")

    def summary(self) -> None:
        rows = obligation_services.reminder_outbox(self.app)
        self.say("")
        self.say("påmindelser sendt, pr. periode:")
        keys = sorted({(r.committee_code, r.message.period_key) for r in rows})
        for code, period in keys:
            mine = [
                r.message
                for r in rows
                if (r.committee_code, r.message.period_key) == (code, period)
            ]
            escalations = [m for m in mine if m.step_kind == "overdue"]
            overdue = (
                f", {len(escalations)} rykkere "
                f"{_day(escalations[0].step_at)}–{_day(escalations[-1].step_at)}"
                if escalations
                else ""
            )
            self.say(
                f"  {code} {period}: {len(mine)} "
                f"({', '.join(step_label(m.step_key) for m in mine[:3])}"
                f"{', ...' if len(mine) > 3 else ''}){overdue}; den sidste den "
                f"{_day(mine[-1].step_at)}"
            )
        self.say(f"{self.sent} påmindelser leveret til {self.where}")

    # -- the secretariat's steps

    def step(self, now: datetime, step: SeedStep) -> None:
        acts: dict[str, Callable[[datetime, SeedStep], None]] = {
            "obligation": self.obligation,
            "goals": self.goals,
            "revise": self.revise,
            "report": self.report,
            "meeting": self.meeting,
            "draft": self.draft,
            "present": self.present,
            "decide": self.decide,
            "close": self.close,
        }
        acts[step.act](now, step)

    def meeting(self, now: datetime, step: SeedStep) -> None:
        services.create_meeting(
            self.app.database.unit_of_work(),
            committee_code=str(step.committee),
            on=parse_date(str(step.date)),
            actor=DEMO_ACTOR,
            now=now,
        )
        note = f" (dato antaget: {step.assumed})" if step.assumed else ""
        self.say(f"{_day(now)}  møde {_meeting_name(step)}{note}")

    def draft(self, now: datetime, step: SeedStep) -> None:
        spec = {spec.key: spec for spec in self.seed.item}[str(step.item)]
        item = services.draft_item(
            self.app.database.unit_of_work(),
            self.app.rulebook,
            case_number=self.seed.case.number,
            committee_code=spec.committee,
            draft=_draft(spec),
            actor=DEMO_ACTOR,
            now=now,
        )
        self.items[spec.key] = item.id
        self.say(
            f"{_day(now)}  punkt-id {item.id} oprettet som udkast til {spec.committee}: "
            f"{item.title}"
        )
        if spec.fulfils is not None:
            self.link(now, item.id, spec)

    def present(self, now: datetime, step: SeedStep) -> None:
        result = services.present_item(
            self.app.database.unit_of_work(),
            self.app.rulebook,
            item_id=self.items[str(step.item)],
            meeting_ref=_meeting_ref(step),
            number=step.number,
            actor=DEMO_ACTOR,
            now=now,
        )
        self.say(
            f"{_day(now)}  punkt-id {result.item_id} forelagt {step.committee} "
            f"{format_date(parse_date(str(step.date)))} som punkt {result.agenda_number}"
        )

    def decide(self, now: datetime, step: SeedStep) -> None:
        rulebook = self.app.rulebook
        result = services.decide_item(
            self.app.database.unit_of_work(),
            rulebook,
            item_id=self.items[str(step.item)],
            outcome=str(step.outcome),
            text=step.text,
            actor=DEMO_ACTOR,
            now=now,
        )
        self.say(
            f"{_day(now)}  punkt-id {result.item_id} "
            f"{rulebook.label(result.to_state).lower()}: "
            f"«{result.text}»"
        )

    def close(self, now: datetime, step: SeedStep) -> None:
        services.close_meeting(
            self.app.database.unit_of_work(),
            self.app.rulebook,
            meeting_ref=_meeting_ref(step),
            actor=DEMO_ACTOR,
            now=now,
        )
        self.say(f"{_day(now)}  møde {_meeting_name(step)} afholdt")

    def obligation(self, now: datetime, step: SeedStep) -> None:
        specs = {spec.key: spec for spec in self.seed.obligation}
        spec = specs[str(step.obligation)]
        lines = obligation_services.add_obligation(
            self.app.database.unit_of_work(),
            config=self.config,
            case_number=self.seed.case.number,
            committee_codes=spec.committees,
            starts_on=parse_date(spec.starts_on),
            ends_on=parse_date(spec.ends_on),
            cadence=spec.cadence,
            due=spec.due,
            about=spec.about,
            actor=DEMO_ACTOR,
            now=now,
        )
        self.lines[spec.key] = lines
        for line in lines:
            dues = ", ".join(f"{p.key} senest {format_date(p.due)}" for p in line.periods)
            self.say(
                f"{_day(now)}  statusforpligtelse {line.id}: status til {line.committee_code} "
                "én gang årligt "
                f"{format_date(line.starts_on)}–{format_date(line.ends_on)}"
                f" ({dues}); påminder {', '.join(line.recipients)}"
            )

    def goals(self, now: datetime, step: SeedStep) -> None:
        """The agreement's result goals, on each committee's line of the obligation."""
        case_number = self.seed.case.number
        for spec in self.seed.goal:
            if spec.obligation != step.obligation:
                continue
            added = goal_acts.add_goal(
                self.app.database.unit_of_work(),
                obligation_ref=case_number,
                name=spec.name,
                unit=spec.unit,
                targets=spec.targets,
                actor=DEMO_ACTOR,
                now=now,
            )
            targets = ", ".join(
                t if "=" not in t else f"{t.split('=')[1]} i {t.split('=')[0]}"
                for t in spec.targets
            )
            self.say(
                f"{_day(now)}  mål {spec.name}: målværdi {targets} "
                f"({', '.join(line.committee_code for line, _ in added)})"
            )

    def revise(self, now: datetime, step: SeedStep) -> None:
        revised = goal_acts.revise_goal(
            self.app.database.unit_of_work(),
            obligation_ref=self.seed.case.number,
            name=str(step.goal),
            target=str(step.target),
            reason=str(step.reason),
            actor=DEMO_ACTOR,
            now=now,
        )
        _line, goal, entry = revised[0]
        note = f" (dato antaget: {step.assumed})" if step.assumed else ""
        self.say(f"{_day(now)}  mål {goal.name} ændret til {step.target}: {entry.reason}{note}")

    def report(self, now: datetime, step: SeedStep) -> None:
        item_id = self.items[str(step.item)]
        given = [(name, value) for name, value in step.values or ()]
        result = goal_acts.report_values(
            self.app.database.unit_of_work(),
            fulfilling_states=self.app.rulebook.definition.fulfilling_states,
            item_id=item_id,
            values=[goal_acts.GoalValueGiven(name, value) for name, value in given],
            period=step.period,
            note=step.note or "",
            actor=DEMO_ACTOR,
            now=now,
        )
        shown = ", ".join(f"{name} {value}" for name, value in given)
        self.say(f"{_day(now)}  punkt-id {item_id} indberetter for {result.period_key}: {shown}")

    def goal_status(self) -> None:
        """The status table of ``council status``, and what was corrected in the memo."""
        from council.notifications.goal_documents import render_status, status_document

        case_number = self.seed.case.number
        tables = goal_reads.goal_table(self.app, obligation_ref=case_number)
        self.say("")
        self.say(f"council status {case_number}")
        for line in render_status(status_document(tables), fmt="txt").splitlines():
            self.say(line)
        memo = self.seed.memo
        if memo is not None:
            fixed = ", ".join(f"«{wrong}» → «{right}»" for wrong, right in memo.corrections)
            self.say("")
            self.say(
                f"Tallene for 2010 kommer fra statusnotatet ({memo.name}), en OCR-scanning; "
                f"demoens data staver de ord, scanningen ødelagde, korrekt: {fixed}."
            )

    def link(self, now: datetime, item_id: int, spec: SeedItem) -> None:
        line = next(
            line for line in self.lines[str(spec.fulfils)] if line.committee_code == spec.committee
        )
        obligation_services.link_item(
            self.app.database.unit_of_work(),
            obligation_ref=str(line.id),
            item_id=item_id,
            actor=DEMO_ACTOR,
            now=now,
        )
        self.say(f"{_day(now)}  punkt-id {item_id} knyttet til statusforpligtelse {line.id}")


def _draft(spec: SeedItem) -> services.ItemDraft:
    return services.ItemDraft(
        title=spec.title,
        kind=spec.kind,
        summary=spec.summary,
        administration=spec.administration,
        recommendation=tuple(spec.points),
        problem=spec.problem,
        solution=spec.solution,
        economy=spec.economy,
        next_steps=spec.next_steps,
        signatures=tuple(spec.signatures),
        attachments=tuple(spec.attachments),
    )


def _local(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=LOCAL_ZONE)


def _day(moment: datetime) -> str:
    return format_date(local_date(moment))


DEMO_ACCOUNTS = (
    ("sekretariat", "sekretariat", ("BIU", "SUD")),
    ("revisor", "revisor", ()),
    ("admin", "admin", ()),
)


def add_demo_accounts(app: App, *, now: datetime) -> list[tuple[str, str, str]]:
    """One account per role for ``council web`` on the demo database, each with a fresh
    random password; returns (name, role, password). Only the demo makes these."""
    from council.workflow import accounts

    made = []
    for name, role, committees in DEMO_ACCOUNTS:
        password = accounts.new_password()
        accounts.add_user(
            app.database.unit_of_work(),
            name=name,
            role=role,
            committees=committees,
            password=password,
            actor=DEMO_ACTOR,
            now=now,
        )
        made.append((name, role, password))
    return made


def _meeting_ref(step: SeedStep) -> str:
    return f"{step.committee}:{step.date}"


def _meeting_name(step: SeedStep) -> str:
    return f"{step.committee} {format_date(parse_date(step.date))}" if step.date else ""
