"""The shape of ``demo_seed.toml``: the seed case that ``council demo`` replays."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path
from typing import Annotated, ClassVar, Literal

from pydantic import AfterValidator, Field, model_validator

from council.config.toml_files import TableModel, quoted, read_model
from council.config.values import NonEmptyText

MOMENT = 'skal være et lokalt tidspunkt som "2010-02-23T17:00"'
DAY = 'skal være en dato som "2010-02-23"'


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
TEXT = "skal være en tekst"
TEXTS = "skal være en liste af tekster"


class SeedCase(TableModel):
    number: NonEmptyText = Field(description='skal være et sagsnummer som "2010-4130"')
    title: NonEmptyText = Field(description="skal være en tekst, der ikke er tom")
    owner: NonEmptyText = Field(description="skal være en tekst, der ikke er tom")


class SeedObligation(TableModel):
    entry_word: ClassVar[str | None] = "statusforpligtelse"
    named_by: ClassVar[str | None] = "key"

    key: NonEmptyText = Field(description="skal være en tekst, der ikke er tom")
    committees: Annotated[list[str], Field(min_length=1)] = Field(
        description="skal være en liste af udvalgskoder"
    )
    starts_on: Day = Field(description=DAY)
    ends_on: Day = Field(description=DAY)
    cadence: str | None = Field(None, description=TEXT)
    due: str | None = Field(None, description=TEXT)
    about: str = Field("", description=TEXT)


class SeedReplay(TableModel):
    until: Moment | None = Field(None, description=MOMENT)
    tables: list[Day] = Field(default_factory=list, description="skal være en liste af datoer")


class SeedItem(TableModel):
    entry_word: ClassVar[str | None] = "punkt"
    named_by: ClassVar[str | None] = "key"

    key: NonEmptyText = Field(description="skal være en tekst, der ikke er tom")
    committee: NonEmptyText = Field(description="skal være en udvalgskode")
    title: NonEmptyText = Field(description="skal være en tekst, der ikke er tom")
    kind: Literal["orientering", "beslutning"] = Field(
        description="skal være orientering eller beslutning"
    )
    fulfils: str | None = Field(None, description="skal nævne en [[obligation]]-nøgle")
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

    entry_word: ClassVar[str | None] = "mål"
    named_by: ClassVar[str | None] = "name"

    obligation: NonEmptyText = Field(description="skal nævne en [[obligation]]-nøgle")
    name: NonEmptyText = Field(description="skal være en tekst, der ikke er tom")
    unit: str = Field("", description=TEXT)
    targets: Annotated[list[str], Field(min_length=1)] = Field(
        description='skal være en liste af måltal, fx ["200", "2009=120"]'
    )


Pair = Annotated[list[str], Field(min_length=2, max_length=2)]


class SeedMemo(TableModel):
    """The OCR-scanned memo the demo's values come from, and the words its scan damaged."""

    name: NonEmptyText = Field(description="skal være en tekst, der ikke er tom")
    corrections: list[Pair] = Field(
        default_factory=list, description='skal være en liste af ["beskadiget", "korrekt"]-par'
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
    entry_word: ClassVar[str | None] = "trin"
    named_by: ClassVar[str | None] = "at"

    at: Moment = Field(description=MOMENT)
    act: Literal[
        "obligation", "meeting", "draft", "present", "decide", "close", "goals", "revise", "report"
    ] = Field(description=f"skal være en af {', '.join(NEEDS)}")
    obligation: str | None = Field(None, description="skal nævne en [[obligation]]-nøgle")
    item: str | None = Field(None, description="skal nævne en [[item]]-nøgle")
    committee: str | None = Field(None, description="skal være en udvalgskode")
    date: Day | None = Field(None, description=DAY)
    number: Annotated[int, Field(ge=1)] | None = Field(
        None, description="skal være et punktnummer fra 1"
    )
    outcome: str | None = Field(None, description=TEXT)
    text: str | None = Field(None, description=TEXT)
    note: str | None = Field(None, description=TEXT)
    assumed: str | None = Field(None, description=TEXT)
    goal: str | None = Field(None, description="skal nævne et [[goal]]")
    target: str | None = Field(None, description='skal være et måltal som tekst, fx "100"')
    reason: str | None = Field(None, description=TEXT)
    period: str | None = Field(None, description='skal være en periode, fx "2010"')
    values: list[Pair] | None = Field(
        None, description='skal være en liste af ["mål", "værdi"]-par'
    )

    @model_validator(mode="after")
    def _has_what_its_act_needs(self) -> SeedStep:
        for key in NEEDS[self.act]:
            if getattr(self, key) is None:
                raise ValueError(f"et trin, der gør '{self.act}' kræver '{key}'")
        return self


class DemoSeed(TableModel):
    """The whole of ``demo_seed.toml``."""

    case: SeedCase
    obligation: list[SeedObligation] = Field(
        default_factory=list, description="skal være [[obligation]]-tabeller"
    )
    reminders: SeedReplay = SeedReplay()
    item: list[SeedItem] = Field(default_factory=list, description="skal være [[item]]-tabeller")
    goal: list[SeedGoal] = Field(default_factory=list, description="skal være [[goal]]-tabeller")
    memo: SeedMemo | None = None
    step: Annotated[list[SeedStep], Field(min_length=1)] = Field(
        description="skal være [[step]]-tabeller; tilføj mindst én"
    )

    @model_validator(mode="after")
    def _steps_name_known_entries(self) -> DemoSeed:
        items = {item.key for item in self.item}
        obligations = {obligation.key for obligation in self.obligation}
        for step in self.step:
            if step.item is not None and step.item not in items:
                raise ValueError(f"trinnet {step.at} nævner intet [[item]] {quoted(step.item)}")
            if step.obligation is not None and step.obligation not in obligations:
                raise ValueError(
                    f"trinnet {step.at} nævner ingen [[obligation]] '{step.obligation}'"
                )
        for goal in self.goal:
            if goal.obligation not in obligations:
                raise ValueError(
                    f"målet {quoted(goal.name)} hører til ingen [[obligation]] "
                    f"{quoted(goal.obligation)}"
                )
        for item in self.item:
            if item.fulfils is not None and item.fulfils not in obligations:
                raise ValueError(
                    f"punktet {quoted(item.key)} opfylder ingen [[obligation]] "
                    f"{quoted(item.fulfils)}"
                )
        return self


def load_demo_seed(path: Path) -> DemoSeed:
    """Read and check the seed; any flaw is one ``ConfigError`` line naming the entry."""
    return read_model(path, DemoSeed)
