"""config/reminders.toml: the shipped defaults, and a flawed file refused in one line."""

from __future__ import annotations

from datetime import time
from pathlib import Path

import pytest

from council.config.errors import ConfigError
from council.config.reminders import ReminderConfig, load_reminders
from council.config.settings import CONFIG_DIR, load_settings


def test_the_shipped_file_gives_the_documented_defaults() -> None:
    config = load_reminders(CONFIG_DIR / "reminders.toml")
    assert config.interval_minutes == 5
    assert config.send_at == time(8, 0)
    assert (config.cadence, config.due) == ("FREQ=YEARLY", "31.12")
    assert config.lead_days == (60, 14, 0)
    assert config.escalate_every_days == 7
    assert config.due_soon_days == 14
    assert config.committee_secretariat is True
    assert config.administration_contact("socialforvaltningen") == "kontakt.sof@kk.example"
    assert config.administration_contact("Ukendt forvaltning") is None
    assert (config.retry_first_minutes, config.retry_max_minutes) == (1, 60)


def test_an_empty_file_means_every_default(tmp_path: Path) -> None:
    path = tmp_path / "reminders.toml"
    path.write_text("")
    assert load_reminders(path) == ReminderConfig(path=path)


def test_escalation_zero_turns_it_off(tmp_path: Path) -> None:
    path = tmp_path / "reminders.toml"
    path.write_text("[defaults]\nescalate_every_days = 0\nlead_days = [14, 60, 14]\n")
    config = load_reminders(path)
    assert config.escalate_every_days is None
    assert config.lead_days == (60, 14)


@pytest.mark.parametrize(
    ("text", "says"),
    [
        ("[service]\ninterval_minutes = 0\n", "[service]: 'interval_minutes' skal være et tal over 0, fx 5"),
        ("[service]\nsend_at = \"8 o'clock\"\n", "[service]: 'send_at' skal være et klokkeslæt"),
        ("[service]\nsend_at = \"25:00\"\n", "[service]: 'send_at' skal være et klokkeslæt"),
        ("[defaults]\nlead_days = [\"60\"]\n", "'lead_days' skal være en liste af hele antal dage"),
        ("[defaults]\nescalate_every_days = -1\n", "'escalate_every_days' skal være et helt"),
        ("[defaults]\ncadence = \"\"\n", "'cadence' skal være en tekst, der ikke er tom"),
        ("[recipients]\nalways = 3\n", "'always' skal være en tekst eller en liste af tekster"),
        ("[recipients]\nadministrations = [\"x\"]\n", "skal knytte forvaltningers navne"),
        ("[recipients]\ncommittee_secretariat = \"yes\"\n", "skal være true eller false"),
        ("[delivery]\nretry_max_minutes = -5\n", "'retry_max_minutes' skal være et tal over 0"),
        ("[delivery]\nlease_minutes = 1e12\n", "'lease_minutes' skal være højst 525600 minutter"),
        ("[recipients]\nalways = \"a@kk.dk\\r\\nBcc: b@kk.dk\"\n", "[recipients]: 'always[0]' 'a@kk.dk\\r\\nBcc"),
        ("[recipients.administrations]\nSOF = \"sof@\"\n", "[recipients.administrations]: 'SOF' 'sof@' er ikke en e-mail"),
        ("service = 3\n", "[service] skal være en tabel"),
        ("[service\n", "ikke gyldig TOML"),
    ],
)  # fmt: skip
def test_a_flawed_file_is_refused_naming_the_file_and_the_entry(
    tmp_path: Path, text: str, says: str
) -> None:
    path = tmp_path / "reminders.toml"
    path.write_text(text)
    with pytest.raises(ConfigError) as excinfo:
        load_reminders(path)
    message = str(excinfo.value)
    assert message.startswith(str(path))
    assert says in message
    assert "\n" not in message


def test_the_smtp_settings_come_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COUNCIL_SMTP_HOST", "smtp.kk.example")
    monkeypatch.setenv("COUNCIL_SMTP_PORT", "2525")
    monkeypatch.setenv("COUNCIL_SMTP_STARTTLS", "false")
    monkeypatch.setenv("COUNCIL_SMTP_USER", "paamindelser")
    monkeypatch.setenv("COUNCIL_SMTP_PASSWORD", "hemmeligt")
    monkeypatch.setenv("COUNCIL_SMTP_SENDER", "paamindelser@kk.example")
    monkeypatch.setenv("COUNCIL_MAILDIR", "/var/mail/council")
    settings = load_settings()
    assert (settings.smtp_host, settings.smtp_port, settings.smtp_starttls) == (
        "smtp.kk.example",
        2525,
        False,
    )
    assert settings.smtp_user == "paamindelser"
    assert settings.smtp_password is not None
    assert settings.smtp_password.get_secret_value() == "hemmeligt"
    assert "hemmeligt" not in repr(settings)
    assert settings.maildir == Path("/var/mail/council")


def test_a_malformed_smtp_port_is_one_line(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COUNCIL_SMTP_PORT", "smtp")
    with pytest.raises(ConfigError, match="COUNCIL_SMTP_PORT er ugyldig"):
        load_settings()
