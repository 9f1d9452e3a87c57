"""config/workflow.toml is validated when loaded: one clear line naming file and entry."""

from __future__ import annotations

from pathlib import Path

import pytest

from council.config.errors import ConfigError, WorkflowDefinitionError
from council.config.settings import CONFIG_DIR
from council.config.workflow_definition import load_workflow
from council.workflow.guards import GUARDS

SHIPPED = CONFIG_DIR / "workflow.toml"


def write_variant(tmp_path: Path, old: str, new: str) -> Path:
    text = SHIPPED.read_text(encoding="utf-8")
    assert old in text, f"fixture text not found: {old!r}"
    path = tmp_path / "workflow.toml"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return path


def test_the_shipped_workflow_has_the_design_cards_states() -> None:
    definition = load_workflow(SHIPPED, known_guards=GUARDS)
    assert definition.initial == "drafted"
    assert {
        "drafted",
        "forelagt",
        "udsat",
        "taget_til_efterretning",
        "godkendt",
        "ikke_godkendt",
        "anbefalet",
        "drøftet",
        "trukket",
    } <= set(definition.states)
    assert definition.states["udsat"].sentence == "Indstillingen blev udsat."
    assert definition.final_states == {
        "taget_til_efterretning",
        "godkendt",
        "ikke_godkendt",
        "anbefalet",
        "trukket",
    }
    assert "trukket" not in definition.fulfilling_states


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        (
            '[states.trukket]\nlabel = "Trukket"',
            '[states.arkiveret]\nlabel = "Arkiveret"\nfinal = true\n\n[states.trukket]\nlabel = "Trukket"',
            "[states.arkiveret]: kan ikke nås",
        ),
        (
            '[states."drøftet"]\nlabel = "Drøftet"',
            '[states.parkeret]\nlabel = "Parkeret"\n\n[states."drøftet"]\nlabel = "Drøftet"',
            "[states.parkeret]: blindgyde",
        ),
        (
            'trigger = "withdraw"\nsource = ["drafted", "forelagt", "udsat", "drøftet"]',
            'trigger = "withdraw"\nsource = ["drafted", "forelagt", "udsat", "drøftet", "godkendt"]',
            "[states.godkendt]: en sluttilstand kan ikke have overgange ud",
        ),
        (
            'guards = ["is_orientation_item", "decided_on_or_after_meeting"]',
            'guards = ["is_orientation_item", "mayor_agrees"]',
            "[[transition]] take_note: ukendt betingelse 'mayor_agrees'",
        ),
        (
            'dest = "udsat"',
            'dest = "parkeret"',
            "[[transition]] postpone: ukendt tilstand 'parkeret'",
        ),
        ('initial = "drafted"', 'initial = "kladde"', "[workflow]: starttilstanden 'kladde'"),
        ('trigger = "discuss"', 'trigger = "postpone"', "udløseren er defineret to gange"),
        (
            'words = ["godkendt", "godkend", "tiltrådt"]',
            'words = ["godkendt", "udsat"]',
            "ordet 'udsat' nævner også",
        ),
    ],
)
def test_a_flawed_workflow_is_refused_with_the_file_and_the_entry(
    tmp_path: Path, old: str, new: str, message: str
) -> None:
    path = write_variant(tmp_path, old, new)
    with pytest.raises(WorkflowDefinitionError) as caught:
        load_workflow(path, known_guards=GUARDS)
    text = str(caught.value)
    assert str(path) in text
    assert message in text
    assert "\n" not in text


def test_a_workflow_that_is_not_toml_is_refused_with_its_file_name(tmp_path: Path) -> None:
    path = tmp_path / "workflow.toml"
    path.write_text("[states\nlabel = ", encoding="utf-8")
    with pytest.raises(ConfigError, match="ikke gyldig TOML") as caught:
        load_workflow(path, known_guards=GUARDS)
    assert str(path) in str(caught.value)


def test_a_missing_workflow_file_is_refused(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="filen findes ikke"):
        load_workflow(tmp_path / "nowhere.toml", known_guards=GUARDS)


def test_each_transition_names_the_roles_that_may_fire_it_and_its_button_label() -> None:
    definition = load_workflow(SHIPPED, known_guards=GUARDS)
    assert [t.trigger for t in definition.transitions_for("drafted", "sekretariat")] == [
        "present",
        "withdraw",
    ]
    assert definition.transitions_for("forelagt", "revisor") == []
    labels = {t.trigger: t.label for t in definition.transitions}
    assert labels["take_note"] == "Tag til efterretning" and labels["present"] == "Forelæg"


def test_a_transition_for_an_unknown_role_is_refused(tmp_path: Path) -> None:
    path = write_variant(
        tmp_path, 'trigger = "discuss"\n', 'trigger = "discuss"\nroles = ["borgmester"]\n'
    )
    with pytest.raises(
        WorkflowDefinitionError,
        match=r"\[\[transition\]\] discuss: 'roles' nævner den ukendte rolle 'borgmester'",
    ):
        load_workflow(path, known_guards=GUARDS)
