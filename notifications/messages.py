"""The e-mail of an outbox row: text and HTML alternatives under its stable Message-ID.

Made for a delivery of thousands at a time, so the message is written straight in its
wire form (:class:`Mail`: the bytes SMTP sends, CRLF line ends) instead of being built as
an :class:`~email.message.EmailMessage` and flattened by ``email.generator``, which was
most of a reminder's delivery. The layout is the one the standard library writes for the
same message: each plain ASCII header that fits a line as it is; a header that is not
plain ASCII, or too long for one line, parsed and folded by the header registry
(``policy.default``); the Danish subject as RFC 2047 base64 words of whole characters;
the bodies UTF-8 in base64 under a boundary fixed by the Message-ID that base64 text
cannot contain. A header value with a line break is refused (``ValueError``), as the
registry refuses it.

Readers who want the message as an ``EmailMessage`` (``get_body``, ``iter_parts``, the
headers) get it parsed from those bytes: :attr:`Mail.message`, :func:`build_message`.
"""

from __future__ import annotations

import base64
import hashlib
from dataclasses import dataclass
from datetime import datetime
from email import message_from_bytes
from email.message import EmailMessage
from email.policy import default
from email.utils import format_datetime, getaddresses
from functools import cached_property, lru_cache

from council.cases.dates import LOCAL_ZONE
from council.cases.obligations.tables import DIGEST, OutboxMessage

_WIRE = default.clone(linesep="\r\n")
_LINE = 78  # the policy's max_line_length: a longer header line is folded by the policy
_WORD_LINE = 76  # RFC 2047: a line with encoded words is at most 76 characters
_WORD_FRAME = len("=?utf-8?b??=")


@dataclass(frozen=True)
class Mail:
    """One message as it goes on the wire: envelope sender, Message-ID and its bytes."""

    sender: str  # the envelope sender: the address of From
    message_id: str
    data: bytes  # the whole message, CRLF line ends

    @cached_property
    def message(self) -> EmailMessage:
        """The message parsed, for readers (tests, a transport that keeps messages)."""
        parsed = message_from_bytes(self.data, policy=default)
        assert isinstance(parsed, EmailMessage)
        return parsed

    def __getitem__(self, name: str) -> object:
        """A header as the parsed message reads it (``mail["Message-ID"]``)."""
        if name.lower() == "message-id":
            return self.message_id
        return self.message[name]


def build_mail(
    row: OutboxMessage, *, sender: str, now: datetime, to: list[str] | None = None
) -> Mail:
    """The e-mail of an outbox row in its wire form: text and HTML alternatives, its
    stable Message-ID; addressed to ``to`` (default: every recipient of the row)."""
    if row.step_kind == DIGEST:
        reminder = f"sammendrag/{row.period_key}"
    else:
        reminder = f"{row.obligation_id}/{row.period_key}/{row.step_key}"
    boundary = "council." + hashlib.sha256(row.message_id.encode("utf-8")).hexdigest()[:32]
    lines = [
        _header("Subject", row.subject or ""),
        _header("From", sender),
        _header("To", ", ".join(row.recipients if to is None else to)),
        _header("Date", _date(now)),
        _header("Message-ID", row.message_id),
        "Auto-Submitted: auto-generated\r\n",
        _header("X-Council-Reminder", reminder),
        "MIME-Version: 1.0\r\n",
        f'Content-Type: multipart/alternative;\r\n boundary="{boundary}"\r\n',
        "\r\n",
        _part(boundary, "plain", row.body_text or ""),
        _part(boundary, "html", row.body_html or ""),
        f"--{boundary}--\r\n",
    ]
    data = "".join(lines).encode("utf-8")
    return Mail(sender=envelope_sender(sender), message_id=row.message_id, data=data)


def build_message(
    row: OutboxMessage, *, sender: str, now: datetime, to: list[str] | None = None
) -> EmailMessage:
    """The e-mail of an outbox row as an ``EmailMessage`` (:func:`build_mail`, parsed)."""
    return build_mail(row, sender=sender, now=now, to=to).message


@lru_cache(maxsize=64)
def envelope_sender(sender: str) -> str:
    """The address of a From value (a name may come with it), as ``send_message`` takes it."""
    return getaddresses([sender])[0][1]


@lru_cache(maxsize=16)
def _date(now: datetime) -> str:
    return format_datetime(now.astimezone(LOCAL_ZONE))


def _header(name: str, value: str) -> str:
    if "\n" in value or "\r" in value:
        raise ValueError("en headerværdi må ikke indeholde linjeskift")
    if value.isascii():
        if len(name) + 2 + len(value) <= _LINE:
            return f"{name}: {value}\r\n"
    elif name == "Subject":
        return f"{name}: {_encoded_words(value, len(name) + 2)}\r\n"
    # too long for a line, or an address with a name or a domain beyond ASCII
    folded: str = default.header_factory(name, value).fold(policy=_WIRE)
    return folded


def _encoded_words(value: str, first_column: int) -> str:
    """RFC 2047 base64 words of ``value`` (UTF-8), each of whole characters, one a line
    (the first after ``first_column`` characters, the others after a space)."""
    data = value.encode("utf-8")
    words = []
    start = 0
    room = first_column
    while start < len(data):
        end = min(start + (_WORD_LINE - room - _WORD_FRAME) // 4 * 3, len(data))
        room = 1
        while end < len(data) and 0x80 <= data[end] < 0xC0:
            end -= 1  # never split a character: a word may not end inside one
        words.append("=?utf-8?b?" + base64.b64encode(data[start:end]).decode("ascii") + "?=")
        start = end
    return "\r\n ".join(words)


_PART_HEADERS = {
    subtype: f'Content-Type: text/{subtype}; charset="utf-8"\r\n'
    "Content-Transfer-Encoding: base64\r\n\r\n"
    for subtype in ("plain", "html")
}


def _part(boundary: str, subtype: str, text: str) -> str:
    if not text.endswith("\n"):
        text += "\n"  # as ``set_content`` ends a text
    body = base64.encodebytes(text.encode("utf-8")).decode("ascii").replace("\n", "\r\n")
    return f"--{boundary}\r\n{_PART_HEADERS[subtype]}{body}\r\n"
