"""SMTP as a municipality's relay runs it: STARTTLS, then AUTH with a user and a password.

The server is aiosmtpd on loopback with a throwaway self-signed certificate (made with the
``openssl`` command), which the client is told to trust through ``SSL_CERT_FILE``.
"""

from __future__ import annotations

import shutil
import ssl
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
from mailserver import MailServer
from reminding import add_obligation
from support import Scenario, at

from council.cases.obligations import outbox as outbox_store
from council.config.settings import load_settings
from council.workflow import obligation_services
from council.workflow.app import App

LOGIN = ("paamindelser", "hemmeligt kodeord")


@pytest.fixture(scope="module")
def certificate(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    if shutil.which("openssl") is None:
        pytest.skip("the openssl command is needed to make a test certificate")
    folder = tmp_path_factory.mktemp("tls")
    cert, key = folder / "cert.pem", folder / "key.pem"
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2",
         "-keyout", str(key), "-out", str(cert), "-subj", "/CN=127.0.0.1",
         "-addext", "subjectAltName=IP:127.0.0.1"],
        check=True, capture_output=True, timeout=60,
    )  # fmt: skip
    return cert, key


@pytest.fixture
def trusted(certificate: tuple[Path, Path], monkeypatch: pytest.MonkeyPatch) -> ssl.SSLContext:
    """The server's TLS context; the client trusts its certificate."""
    cert, key = certificate
    monkeypatch.setenv("SSL_CERT_FILE", str(cert))
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(cert, key)
    return context


def product(app: App, mail: MailServer, **settings: object) -> App:
    options: dict[str, object] = {
        "database_url": app.settings.database_url,
        "smtp_host": mail.host,
        "smtp_port": mail.port,
        "smtp_sender": "paamindelser@kk.example",
        "smtp_timeout_seconds": 5.0,
    }
    options.update(settings)
    return App(settings=load_settings(**options))


def statuses(app: App) -> list[tuple[str, int, str | None]]:
    with app.database.reading() as session:
        return [
            (r.message.status, r.message.attempts, r.message.last_error)
            for r in outbox_store.listing(session)
        ]


@pytest.fixture
def secure_mail(trusted: ssl.SSLContext) -> Iterator[MailServer]:
    server = MailServer(tls=trusted, credentials=LOGIN).start()
    yield server
    server.stop()


def test_reminders_go_over_starttls_with_the_configured_login(
    scenario: Scenario, secure_mail: MailServer
) -> None:
    add_obligation(scenario.app, committee_codes=["SUD"])
    app = product(
        scenario.app, secure_mail, smtp_starttls=True, smtp_user=LOGIN[0], smtp_password=LOGIN[1]
    )
    try:
        run = obligation_services.run_reminders(app, now=at("2009-11-01 08:00"))
    finally:
        app.database.dispose()
    assert len(run.delivery.sent) == 1
    assert secure_mail.logins == ["paamindelser"]
    [received] = secure_mail.wait_for(1)
    assert received.subject.startswith("Påmindelse: status til Socialudvalget")


def test_a_wrong_password_is_recorded_and_retried_not_dropped(
    scenario: Scenario, secure_mail: MailServer
) -> None:
    add_obligation(scenario.app, committee_codes=["SUD"])
    app = product(
        scenario.app, secure_mail, smtp_starttls=True, smtp_user=LOGIN[0], smtp_password="forkert"
    )
    try:
        obligation_services.run_reminders(app, now=at("2009-11-01 08:00"))
        [(status, attempts, error)] = statuses(app)
        assert (status, attempts) == ("failed", 1)
        assert "afviste forbindelsen: 535" in (error or "")
        right = product(
            scenario.app,
            secure_mail,
            smtp_starttls=True,
            smtp_user=LOGIN[0],
            smtp_password=LOGIN[1],
        )
        obligation_services.run_reminders(right, now=at("2009-11-01 08:01"))
        right.database.dispose()
        assert statuses(app) == [("sent", 2, None)]
    finally:
        app.database.dispose()
    assert len(secure_mail.wait_for(1)) == 1


def test_with_starttls_configured_nothing_goes_to_a_server_that_cannot_encrypt(
    scenario: Scenario,
) -> None:
    plain = MailServer().start()
    add_obligation(scenario.app, committee_codes=["SUD"])
    app = product(
        scenario.app, plain, smtp_starttls=True, smtp_user=LOGIN[0], smtp_password=LOGIN[1]
    )
    try:
        obligation_services.run_reminders(app, now=at("2009-11-01 08:00"))
        [(status, attempts, error)] = statuses(app)
    finally:
        app.database.dispose()
        plain.stop()
    assert (status, attempts) == ("failed", 1)
    assert "STARTTLS extension not supported by server" in (error or "")
    assert plain.messages() == []
