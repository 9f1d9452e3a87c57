"""The seed case replayed on a simulated clock (``config/demo_seed.toml``)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import Any

from cases.dates import LOCAL_ZONE, format_date, parse_date
from config.errors import ConfigError
from config.settings import CONFIG_DIR
from config.toml_files import read_toml
from workflow import services
from workflow.app import App
from workflow.setup import initialise

SEED_FILE = CONFIG_DIR / "demo_seed.toml"
DEMO_ACTOR = "sekretariatet (demo)"


def remove_database_files(path: Path) -> None:
    """A fresh demo: the SQLite file and its WAL companions go."""
    for suffix in ("", "-wal", "-shm", "-journal"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)


def replay_seed(app: App, *, say: Callable[[str], None], seed_file: Path = SEED_FILE) -> str:
    """Build the seed case step by step; returns its case number."""
    seed = read_toml(seed_file)
    first = _local(seed["step"][0]["at"])
    initialise(app, actor=DEMO_ACTOR, now=first)
    database, rulebook = app.database, app.rulebook
    case = seed["case"]
    services.create_case(
        database.unit_of_work(),
        number=case["number"],
        title=case["title"],
        owner=case["owner"],
        actor=DEMO_ACTOR,
        now=first,
    )
    say(f"case {case['number']}: {case['title']}")
    items: dict[str, int] = {}
    specs = {spec["key"]: spec for spec in seed["item"]}
    for step in seed["step"]:
        now = _local(step["at"])
        act = step["act"]
        meeting_ref = f"{step.get('committee')}:{step.get('date')}"
        meeting_name = (
            f"{step.get('committee')} {format_date(parse_date(step.get('date', '')))}"
            if "date" in step
            else ""
        )
        if act == "meeting":
            services.create_meeting(
                database.unit_of_work(),
                committee_code=step["committee"],
                on=parse_date(step["date"]),
                actor=DEMO_ACTOR,
                now=now,
            )
            note = f" (date assumed: {step['assumed']})" if "assumed" in step else ""
            say(f"{_day(now)}  meeting {meeting_name}{note}")
        elif act == "draft":
            spec = specs[step["item"]]
            item = services.draft_item(
                database.unit_of_work(),
                rulebook,
                case_number=case["number"],
                committee_code=spec["committee"],
                draft=_draft(spec),
                actor=DEMO_ACTOR,
                now=now,
            )
            items[spec["key"]] = item.id  # type: ignore[assignment]
            say(f"{_day(now)}  item {item.id} drafted for {spec['committee']}: {item.title}")
        elif act == "present":
            result = services.present_item(
                database.unit_of_work(),
                rulebook,
                item_id=items[step["item"]],
                meeting_ref=meeting_ref,
                number=step.get("number"),
                actor=DEMO_ACTOR,
                now=now,
            )
            say(
                f"{_day(now)}  item {result.item_id} forelagt {step['committee']} "
                f"{format_date(parse_date(step['date']))} as punkt {result.agenda_number}"
            )
        elif act == "decide":
            result = services.decide_item(
                database.unit_of_work(),
                rulebook,
                item_id=items[step["item"]],
                outcome=step["outcome"],
                text=step.get("text"),
                actor=DEMO_ACTOR,
                now=now,
            )
            say(
                f"{_day(now)}  item {result.item_id} {rulebook.label(result.to_state).lower()}: "
                f"«{result.text}»"
            )
        elif act == "close":
            services.close_meeting(
                database.unit_of_work(),
                rulebook,
                meeting_ref=meeting_ref,
                actor=DEMO_ACTOR,
                now=now,
            )
            say(f"{_day(now)}  meeting {meeting_name} held")
        else:
            raise ConfigError(f"{seed_file}: step at {step['at']}: unknown act '{act}'")
    return str(case["number"])


def _draft(spec: dict[str, Any]) -> services.ItemDraft:
    return services.ItemDraft(
        title=spec["title"],
        kind=spec["kind"],
        summary=spec.get("summary", ""),
        administration=spec.get("administration"),
        recommendation=tuple(spec.get("points", [])),
        problem=spec.get("problem", ""),
        solution=spec.get("solution", ""),
        economy=spec.get("economy", ""),
        next_steps=spec.get("next_steps", ""),
        signatures=tuple(spec.get("signatures", [])),
        attachments=tuple(spec.get("attachments", [])),
    )


def _local(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=LOCAL_ZONE)


def _day(moment: datetime) -> str:
    return moment.strftime("%d.%m.%Y")
