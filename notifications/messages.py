"""The e-mail of an outbox row: text and HTML alternatives under its stable Message-ID.

Made for a delivery of thousands at a time, so the parts are built the cheap way the
standard library allows: each header is stored as its wire form (``set_raw``) instead of
being parsed by the header registry and refolded when written, which was the largest cost
of a reminder's delivery. A header that is not plain ASCII, or too long for one line, goes
the registry's way (parsed and folded by the policy); the subject, Danish, is encoded as
RFC 2047 base64 words here. The bodies are UTF-8 in base64 (encoded in C), under a
boundary fixed by the Message-ID that base64 text cannot contain. A header value with a
line break is refused (``ValueError``), as the registry refuses it.

The result is an ordinary :class:`~email.message.EmailMessage` (``policy.default``):
readers use ``get_body``, ``iter_parts`` and the headers as usual.
"""

from __future__ import annotations

import base64
import hashlib
from datetime import datetime
from email.charset import BASE64, Charset
from email.header import Header
from email.message import EmailMessage, MIMEPart
from email.policy import default
from email.utils import format_datetime

from council.cases.dates import LOCAL_ZONE
from council.cases.obligations.tables import DIGEST, OutboxMessage

_HEADER = default.header_factory
_PART_TYPES = {
    subtype: _HEADER("Content-Type", f'text/{subtype}; charset="utf-8"')
    for subtype in ("plain", "html")
}
"""Parsed once: a header stored parsed is not parsed again each time the generator reads
the content type (several times a part)."""
_UTF8 = Charset("utf-8")
_UTF8.header_encoding = BASE64
_LINE = 78  # the policy's max_line_length: a longer header line is refolded by the policy


def build_message(
    row: OutboxMessage, *, sender: str, now: datetime, to: list[str] | None = None
) -> EmailMessage:
    """The e-mail of an outbox row: text and HTML alternatives, its stable Message-ID;
    addressed to ``to`` (default: every recipient of the row)."""
    message = EmailMessage()
    if row.step_kind == DIGEST:
        reminder = f"sammendrag/{row.period_key}"
    else:
        reminder = f"{row.obligation_id}/{row.period_key}/{row.step_key}"
    headers = (
        ("Subject", row.subject or ""),
        ("From", sender),
        ("To", ", ".join(row.recipients if to is None else to)),
        ("Date", format_datetime(now.astimezone(LOCAL_ZONE))),
        ("Message-ID", row.message_id),
        ("Auto-Submitted", "auto-generated"),
        ("X-Council-Reminder", reminder),
    )
    for name, value in headers:
        _set_header(message, name, value)
    boundary = "council." + hashlib.sha256(row.message_id.encode("utf-8")).hexdigest()[:32]
    message.set_raw("MIME-Version", "1.0")
    message.set_raw(
        "Content-Type", _HEADER("Content-Type", f'multipart/alternative; boundary="{boundary}"')
    )
    message.set_payload(
        [_text_part(row.body_text or "", "plain"), _text_part(row.body_html or "", "html")]
    )
    return message


def _set_header(message: EmailMessage, name: str, value: str) -> None:
    if "\n" in value or "\r" in value:
        raise ValueError("en headerværdi må ikke indeholde linjeskift")
    if value.isascii():
        if len(name) + 2 + len(value) <= _LINE:
            message.set_raw(name, value)
        else:
            message[name] = value  # the policy folds it
    elif name == "Subject":
        message.set_raw(name, Header(value, _UTF8, header_name=name).encode(maxlinelen=76))
    else:
        message[name] = value  # an address with a name or a domain beyond ASCII


def _text_part(text: str, subtype: str) -> MIMEPart:
    if not text.endswith("\n"):
        text += "\n"  # as ``set_content`` ends a text
    part = MIMEPart()
    part.set_raw("Content-Type", _PART_TYPES[subtype])
    part.set_raw("Content-Transfer-Encoding", "base64")
    part.set_payload(base64.encodebytes(text.encode("utf-8")).decode("ascii"))
    return part
