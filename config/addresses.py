"""E-mail addresses, checked by email-validator wherever one enters the product.

An address reaches a mail header (``From``, ``To``) long after it was typed: in
``committees.toml``, ``reminders.toml``, ``--recipient`` or ``COUNCIL_SMTP_SENDER``. Text
that is not exactly one address (a CR/LF that would start a header of its own, a second
address, a stray comma) is refused where it enters, so it never reaches the outbox.
Only the syntax is checked (``check_deliverability=False``): no DNS look-up, so a check
costs no network and gives the same answer offline. email-validator is imported on the
first check: most commands never check an address.
"""

from __future__ import annotations

from council.config.errors import AddressError

EXAMPLE = "sekretariat@kk.dk"


def checked_address(text: str, *, ascii_only: bool = False) -> str:
    """``text`` without surrounding blanks if it is one e-mail address, optionally with a
    display name (``Anne Jensen <aj@kk.dk>``); else an :class:`AddressError` saying why.

    ``ascii_only`` refuses an internationalised address (one a server without SMTPUTF8
    cannot take), for the sender every message carries.
    """
    from email_validator import EmailNotValidError, validate_email

    value = text.strip() if isinstance(text, str) else text
    if not isinstance(value, str) or not value:
        raise AddressError(f"en e-mailadresse er tom; skriv den som {EXAMPLE}")
    try:
        found = validate_email(value, check_deliverability=False, allow_display_name=True)
    except EmailNotValidError as exc:  # its reason is English: the example says enough
        raise AddressError(f"{value!r} er ikke en e-mailadresse; skriv den som {EXAMPLE}") from exc
    if ascii_only and not found.normalized.isascii():
        raise AddressError(
            f"{value!r} har bogstaver uden for ASCII i selve adressen, som ikke alle mailservere "
            f"tager imod; skriv den som {EXAMPLE} (et visningsnavn må have dem)"
        )
    return value


def address_domain(address: str) -> str:
    """The domain of an address, also of one with a display name (``Navn <a@kk.dk>``)."""
    bare = address.strip()
    if bare.endswith(">") and "<" in bare:
        bare = bare[bare.rindex("<") + 1 : -1]
    return bare.rpartition("@")[2].strip()
