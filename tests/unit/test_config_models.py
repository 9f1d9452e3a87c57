"""Every configuration file is read through a strict model: a misspelt key, a wrong type or
an address that is not one is one line naming the file, the entry and the key, with the
closest valid key suggested."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from council.cases.importers.phrases import load_phrase_table
from council.config.committees import load_committees
from council.config.demo_seed import load_demo_seed
from council.config.errors import ConfigError
from council.config.reminders import load_reminders
from council.config.settings import CONFIG_DIR
from council.config.workflow_definition import load_workflow
from council.workflow.guards import GUARDS


def load_workflow_file(path: Path) -> object:
    return load_workflow(path, known_guards=GUARDS)


LOADERS: dict[str, Callable[[Path], Any]] = {
    "committees.toml": load_committees,
    "reminders.toml": load_reminders,
    "workflow.toml": load_workflow_file,
    "decision_phrases.toml": load_phrase_table,
    "demo_seed.toml": load_demo_seed,
}


def shipped_with(tmp_path: Path, name: str, old: str, new: str) -> Path:
    """The shipped file ``name`` with the first ``old`` replaced by ``new``."""
    text = (CONFIG_DIR / name).read_text(encoding="utf-8")
    assert old in text, f"fixture text not found in {name}: {old!r}"
    path = tmp_path / name
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return path


def refusal(path: Path) -> str:
    with pytest.raises(ConfigError) as caught:
        LOADERS[path.name](path)
    message = str(caught.value)
    assert message.startswith(f"{path}: "), message
    assert "\n" not in message and "\r" not in message
    return message.removeprefix(f"{path}: ")


@pytest.mark.parametrize("name", list(LOADERS))
def test_every_shipped_file_passes_its_model(name: str) -> None:
    assert LOADERS[name](CONFIG_DIR / name) is not None


MISSPELT = [
    (
        "committees.toml",
        'secretariat_email = "sekretariat.sud@kk.example"',
        'secretariat_mail = "sekretariat.sud@kk.example"',
        "udvalg SUD: ukendt nøgle 'secretariat_mail'; mente du 'secretariat_email'?",
    ),
    (
        "reminders.toml",
        "interval_minutes = 5",
        "intervall_minutes = 5",
        "[service]: ukendt nøgle 'intervall_minutes'; mente du 'interval_minutes'?",
    ),
    (
        "reminders.toml",
        "lead_days = [60, 14, 0]",
        "lead_dayz = [60, 14, 0]",
        "[defaults]: ukendt nøgle 'lead_dayz'; mente du 'lead_days'?",
    ),
    (
        "reminders.toml",
        "[recipients]\n",
        "[recipient]\n",
        "ukendt tabel [recipient]; mente du [recipients]?",
    ),
    (
        "workflow.toml",
        'label = "Udsat"',
        'lable = "Udsat"',
        "[states.udsat]: ukendt nøgle 'lable'; mente du 'label'?",
    ),
    (
        "workflow.toml",
        'trigger = "postpone"\nsource = "forelagt"',
        'trigger = "postpone"\nsources = "forelagt"',
        "[[transition]] postpone: ukendt nøgle 'sources'; mente du 'source'?",
    ),
    (
        "decision_phrases.toml",
        "fallback = true\nphrases",
        "fallbak = true\nphrases",
        "[outcome.\"drøftet\"]: ukendt nøgle 'fallbak'; mente du 'fallback'?",
    ),
    (
        "decision_phrases.toml",
        "leading_sentences = 1000",
        "leading_sentence = 1000",
        "[matching]: ukendt nøgle 'leading_sentence'; mente du 'leading_sentences'?",
    ),
    (
        "demo_seed.toml",
        'outcome = "udsat"',
        'outcom = "udsat"',
        "trin 2010-01-26T17:00: ukendt nøgle 'outcom'; mente du 'outcome'?",
    ),
]


@pytest.mark.parametrize(
    ("name", "old", "new", "says"), MISSPELT, ids=[m[3][:50] for m in MISSPELT]
)
def test_a_misspelt_key_is_refused_naming_the_entry_and_the_closest_valid_key(
    tmp_path: Path, name: str, old: str, new: str, says: str
) -> None:
    assert refusal(shipped_with(tmp_path, name, old, new)) == says


def test_a_key_nothing_resembles_is_refused_with_the_keys_that_are_valid(tmp_path: Path) -> None:
    path = shipped_with(tmp_path, "reminders.toml", "send_at =", 'colour = "blue"\nsend_at =')
    assert refusal(path) == (
        "[service]: ukendt nøgle 'colour'; forventede en af interval_minutes, send_at, "
        "checkpoint_every_hours"
    )


WRONG_TYPES = [
    ("reminders.toml", "interval_minutes = 5", 'interval_minutes = "5"',
     "[service]: 'interval_minutes' skal være et tal over 0, fx 5"),
    ("reminders.toml", "escalate_every_days = 7", "escalate_every_days = 7.5",
     "[defaults]: 'escalate_every_days' skal være et helt antal dage, 0 eller flere"),
    ("reminders.toml", "committee_secretariat = true", "committee_secretariat = 1",
     "[recipients]: 'committee_secretariat' skal være true eller false"),
    ("reminders.toml", "interval_minutes = 5", "interval_minutes = nan",
     "[service]: 'interval_minutes' skal være et tal over 0, fx 5"),
    ("committees.toml", 'code = "BIU"', "code = 7",
     "udvalg #4: 'code' skal være en tekst, der ikke er tom, fx \"BIU\""),
    ("workflow.toml", "final = true", 'final = "yes"',
     "[states.taget_til_efterretning]: 'final' skal være true eller false"),
    ("workflow.toml", 'act = "present"', 'act = "forelæg"',
     "[[transition]] present: 'act' skal være en af present, decide"),
    ("decision_phrases.toml", "leading_sentences = 1000", "leading_sentences = 0",
     "[matching]: 'leading_sentences' skal være et helt tal ≥ 1"),
    ("demo_seed.toml", "number = 17", 'number = "17"',
     "trin 2009-11-20T10:10: 'number' skal være et punktnummer fra 1"),
    ("demo_seed.toml", 'at = "2009-11-20T10:10"', 'at = "20.11.2009 10:10"',
     "trin 20.11.2009 10:10: 'at' skal være et lokalt tidspunkt som \"2010-02-23T17:00\""),
]  # fmt: skip


@pytest.mark.parametrize(
    ("name", "old", "new", "says"), WRONG_TYPES, ids=[w[3] for w in WRONG_TYPES]
)
def test_a_value_of_the_wrong_type_is_refused_saying_what_to_write(
    tmp_path: Path, name: str, old: str, new: str, says: str
) -> None:
    assert refusal(shipped_with(tmp_path, name, old, new)) == says


@pytest.mark.parametrize(
    ("name", "old", "new", "entry"),
    [
        ("committees.toml", '"sekretariat.biu@kk.example"', '"ikke en adresse"',
         "udvalg BIU: 'secretariat_email' 'ikke en adresse' er ikke en e-mailadresse"),
        ("reminders.toml", 'always = []', 'always = ["a@kk.dk", "b@kk.dk, c@kk.dk"]',
         "[recipients]: 'always[1]' 'b@kk.dk, c@kk.dk' er ikke en e-mailadresse"),
        ("reminders.toml", '"kontakt.sof@kk.example"', '"kontakt.sof@"',
         "[recipients.administrations]: 'Socialforvaltningen' 'kontakt.sof@' er ikke en e-mail"),
    ],
)  # fmt: skip
def test_an_invalid_address_is_refused_naming_the_entry_and_the_key(
    tmp_path: Path, name: str, old: str, new: str, entry: str
) -> None:
    message = refusal(shipped_with(tmp_path, name, old, new))
    assert message.startswith(entry)
    assert message.endswith("skriv den som sekretariat@kk.dk")


def test_a_missing_key_is_named_with_what_it_must_be(tmp_path: Path) -> None:
    path = shipped_with(tmp_path, "committees.toml", 'administration = "Socialforvaltningen"\n', "")
    assert (
        refusal(path)
        == "udvalg SUD: 'administration' mangler; den skal være en tekst, der ikke er tom"
    )


def test_a_missing_table_is_named(tmp_path: Path) -> None:
    path = shipped_with(tmp_path, "workflow.toml", "[workflow]\n", "[workfloww]\n")
    assert refusal(path) == "ukendt tabel [workfloww]; mente du [workflow]?"
    path.write_text("[states.a]\nlabel = 'A'\n", encoding="utf-8")
    assert refusal(path) == "tabellen [workflow] mangler; tilføj den"


def test_a_name_with_a_line_break_cannot_split_the_one_line(tmp_path: Path) -> None:
    path = tmp_path / "reminders.toml"
    path.write_text('[service]\n"interval\\nminutes" = 5\n', encoding="utf-8")
    assert (
        refusal(path)
        == "[service]: ukendt nøgle 'interval\\nminutes'; mente du 'interval_minutes'?"
    )
    path = tmp_path / "committees.toml"
    path.write_text('[[committee]]\ncode = "BIU\\nBcc"\nname = "x"\n', encoding="utf-8")
    assert (
        refusal(path)
        == "udvalg #1: 'administration' mangler; den skal være en tekst, der ikke er tom"
    )


def test_a_seed_step_without_what_its_act_needs_is_refused(tmp_path: Path) -> None:
    path = shipped_with(
        tmp_path, "demo_seed.toml", 'act = "decide"\nitem = "sud"\n', 'act = "decide"\n'
    )
    assert refusal(path) == "trin 2009-12-02T17:00: et trin, der gør 'decide' kræver 'item'"


def test_a_seed_step_naming_an_unknown_item_is_refused(tmp_path: Path) -> None:
    path = shipped_with(
        tmp_path, "demo_seed.toml", 'act = "draft"\nitem = "sud"', 'act = "draft"\nitem = "sudd"'
    )
    assert refusal(path) == "trinnet 2009-11-20T10:05 nævner intet [[item]] 'sudd'"


def test_a_state_name_nearly_right_is_suggested(tmp_path: Path) -> None:
    path = shipped_with(tmp_path, "workflow.toml", 'dest = "udsat"', 'dest = "udsatt"')
    assert refusal(path) == "[[transition]] postpone: ukendt tilstand 'udsatt'; mente du 'udsat'?"
