"""The shape of ``demo_seed.toml``: the seed case that ``council demo`` replays."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path
from typing import Annotated, ClassVar, Literal

from pydantic import AfterValidator, Field, model_validator

from council.config.toml_files import TableModel, quoted, read_model
from council.config.values import NonEmptyText

MOMENT = 'must be a local moment like "2010-02-23T17:00"'
DAY = 'must be a date like "2010-02-23"'


def _moment(value: str) -> str:
    try:
        datetime.fromisoformat(value)
    except ValueError:
        raise ValueError(MOMENT) from None
    return value


def _day(value: str) -> str:
    try:
        date.fromisoformat(value)
    except ValueError:
        raise ValueError(DAY) from None
    return value


Moment = Annotated[str, AfterValidator(_moment)]
Day = Annotated[str, AfterValidator(_day)]
TEXT = "must be a string"
TEXTS = "must be a list of strings"


class SeedCase(TableModel):
    number: NonEmptyText = Field(description='must be a case number like "2010-4130"')
    title: NonEmptyText = Field(description="must be a non-empty string")
    owner: NonEmptyText = Field(description="must be a non-empty string")


class SeedObligation(TableModel):
    entry_word: ClassVar[str | None] = "obligation"
    named_by: ClassVar[str | None] = "key"

    key: NonEmptyText = Field(description="must be a non-empty string")
    committees: Annotated[list[str], Field(min_length=1)] = Field(
        description="must be a list of committee codes"
    )
    starts_on: Day = Field(description=DAY)
    ends_on: Day = Field(description=DAY)
    cadence: str | None = Field(None, description=TEXT)
    due: str | None = Field(None, description=TEXT)
    about: str = Field("", description=TEXT)


class SeedReplay(TableModel):
    until: Moment | None = Field(None, description=MOMENT)
    tables: list[Day] = Field(default_factory=list, description="must be a list of dates")


class SeedItem(TableModel):
    entry_word: ClassVar[str | None] = "item"
    named_by: ClassVar[str | None] = "key"

    key: NonEmptyText = Field(description="must be a non-empty string")
    committee: NonEmptyText = Field(description="must be a committee code")
    title: NonEmptyText = Field(description="must be a non-empty string")
    kind: Literal["orientering", "beslutning"] = Field(
        description="must be orientering or beslutning"
    )
    fulfils: str | None = Field(None, description="must name an [[obligation]] key")
    summary: str = Field("", description=TEXT)
    administration: str | None = Field(None, description=TEXT)
    points: list[str] = Field(default_factory=list, description=TEXTS)
    problem: str = Field("", description=TEXT)
    solution: str = Field("", description=TEXT)
    economy: str = Field("", description=TEXT)
    next_steps: str = Field("", description=TEXT)
    signatures: list[str] = Field(default_factory=list, description=TEXTS)
    attachments: list[str] = Field(default_factory=list, description=TEXTS)


class SeedGoal(TableModel):
    """A result goal of an obligation, with its targets: ``"200"`` for every period,
    ``"2009=120"`` for one."""

    entry_word: ClassVar[str | None] = "goal"
    named_by: ClassVar[str | None] = "name"

    obligation: NonEmptyText = Field(description="must name an [[obligation]] key")
    name: NonEmptyText = Field(description="must be a non-empty string")
    unit: str = Field("", description=TEXT)
    targets: Annotated[list[str], Field(min_length=1)] = Field(
        description='must be a list of targets, e.g. ["200", "2009=120"]'
    )


Pair = Annotated[list[str], Field(min_length=2, max_length=2)]


class SeedMemo(TableModel):
    """The OCR-scanned memo the demo's values come from, and the words its scan damaged."""

    name: NonEmptyText = Field(description="must be a non-empty string")
    corrections: list[Pair] = Field(
        default_factory=list, description='must be a list of ["damaged", "correct"] pairs'
    )


# What each act of a step needs besides ``at``.
NEEDS: dict[str, tuple[str, ...]] = {
    "obligation": ("obligation",),
    "meeting": ("committee", "date"),
    "draft": ("item",),
    "present": ("item", "committee", "date"),
    "decide": ("item", "outcome"),
    "close": ("committee", "date"),
    "goals": ("obligation",),
    "revise": ("obligation", "goal", "target", "reason"),
    "report": ("item", "values"),
}


class SeedStep(TableModel):
    entry_word: ClassVar[str | None] = "step"
    named_by: ClassVar[str | None] = "at"

    at: Moment = Field(description=MOMENT)
    act: Literal[
        "obligation", "meeting", "draft", "present", "decide", "close", "goals", "revise", "report"
    ] = Field(description=f"must be one of {', '.join(NEEDS)}")
    obligation: str | None = Field(None, description="must name an [[obligation]] key")
    item: str | None = Field(None, description="must name an [[item]] key")
    committee: str | None = Field(None, description="must be a committee code")
    date: Day | None = Field(None, description=DAY)
    number: Annotated[int, Field(ge=1)] | None = Field(
        None, description="must be an agenda number from 1"
    )
    outcome: str | None = Field(None, description=TEXT)
    text: str | None = Field(None, description=TEXT)
    note: str | None = Field(None, description=TEXT)
    assumed: str | None = Field(None, description=TEXT)
    goal: str | None = Field(None, description="must name a [[goal]]")
    target: str | None = Field(None, description='must be a target as text, e.g. "100"')
    reason: str | None = Field(None, description=TEXT)
    period: str | None = Field(None, description='must be a period, e.g. "2010"')
    values: list[Pair] | None = Field(None, description='must be a list of ["goal", "value"] pairs')

    @model_validator(mode="after")
    def _has_what_its_act_needs(self) -> SeedStep:
        for key in NEEDS[self.act]:
            if getattr(self, key) is None:
                raise ValueError(f"a step that does '{self.act}' needs '{key}'")
        return self


class DemoSeed(TableModel):
    """The whole of ``demo_seed.toml``."""

    case: SeedCase
    obligation: list[SeedObligation] = Field(
        default_factory=list, description="must be [[obligation]] tables"
    )
    reminders: SeedReplay = SeedReplay()
    item: list[SeedItem] = Field(default_factory=list, description="must be [[item]] tables")
    goal: list[SeedGoal] = Field(default_factory=list, description="must be [[goal]] tables")
    memo: SeedMemo | None = None
    step: Annotated[list[SeedStep], Field(min_length=1)] = Field(
        description="must be [[step]] tables; add at least one"
    )

    @model_validator(mode="after")
    def _steps_name_known_entries(self) -> DemoSeed:
        items = {item.key for item in self.item}
        obligations = {obligation.key for obligation in self.obligation}
        for step in self.step:
            if step.item is not None and step.item not in items:
                raise ValueError(f"step at {step.at} names no [[item]] {quoted(step.item)}")
            if step.obligation is not None and step.obligation not in obligations:
                raise ValueError(f"step at {step.at} names no [[obligation]] '{step.obligation}'")
        for goal in self.goal:
            if goal.obligation not in obligations:
                raise ValueError(
                    f"goal {quoted(goal.name)} is of no [[obligation]] {quoted(goal.obligation)}"
                )
        for item in self.item:
            if item.fulfils is not None and item.fulfils not in obligations:
                raise ValueError(
                    f"item {quoted(item.key)} fulfils no [[obligation]] {quoted(item.fulfils)}"
                )
        return self


def load_demo_seed(path: Path) -> DemoSeed:
    """Read and check the seed; any flaw is one ``ConfigError`` line naming the entry."""
    return read_model(path, DemoSeed)
