"""Attachments as files: reading a file a user gives, knowing its type by its content, and
the content-addressed store the files are kept in.

A file is read only if it is a regular file (not a symbolic link, a folder, a device, a
FIFO or a socket) of at most the configured size, and only if its content is one of the
types an attachment may have (:data:`TYPES`): its first bytes (and, for a Word document,
the parts of its ZIP container) decide, and its name's suffix must agree, so a program
named ``notat.pdf`` is refused.

The store is a folder (``council.db`` → ``council.attachments/`` beside an SQLite file,
``COUNCIL_ATTACHMENT_DIR`` for PostgreSQL) where each file lies under the SHA-256 of its
content (``ab/ab12...``): the same file attached twice is stored once, and a file whose
content no longer has its name's hash has been changed.
"""

from __future__ import annotations

import hashlib
import io
import os
import secrets
import stat
import zipfile
from dataclasses import dataclass
from pathlib import Path

from council.cases.errors import AttachmentRefused, AttachmentStoreError
from council.config.os_reasons import os_reason

MAX_NAME_LENGTH = 255
MAX_UNPACKED_FACTOR = 40
"""A Word document's parts may unpack to at most this many times the largest file
allowed: a small file that unpacks to gigabytes (a ZIP bomb) is refused."""


@dataclass(frozen=True)
class FileType:
    media_type: str
    label: str  # as a refusal names it
    suffixes: tuple[str, ...]
    inline: bool  # a browser may show it itself (else it is downloaded)


PDF = FileType("application/pdf", "en PDF", (".pdf",), inline=True)
DOCX = FileType(
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "et Word-dokument (.docx)",
    (".docx",),
    inline=False,
)
PNG = FileType("image/png", "et PNG-billede", (".png",), inline=True)
JPEG = FileType("image/jpeg", "et JPEG-billede", (".jpg", ".jpeg"), inline=True)
TEXT = FileType(
    "text/plain", "almindelig tekst (UTF-8)", (".txt", ".text", ".csv", ".md"), inline=True
)
TYPES = (PDF, DOCX, PNG, JPEG, TEXT)
BY_MEDIA_TYPE = {kind.media_type: kind for kind in TYPES}
ALLOWED = "PDF, Word (.docx), PNG, JPEG eller almindelig UTF-8-tekst (.txt, .csv)"


@dataclass(frozen=True)
class GivenFile:
    """A file read for attaching: its name (without folders), content and type."""

    name: str
    content: bytes
    kind: FileType

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.content).hexdigest()

    @property
    def size(self) -> int:
        return len(self.content)

    @property
    def stem(self) -> str:
        return Path(self.name).stem or self.name


def read_given(path: Path, *, max_bytes: int) -> GivenFile:
    """The file at ``path``, refused (:class:`AttachmentRefused`) unless it is a regular
    file of at most ``max_bytes`` whose content is one of :data:`TYPES` and whose suffix
    agrees."""
    shown = str(path)
    try:
        status = path.lstat()
    except FileNotFoundError:
        raise AttachmentRefused(shown, "filen findes ikke") from None
    except OSError as exc:
        raise AttachmentRefused(shown, f"kan ikke læses ({os_reason(exc)})") from exc
    _require_regular(shown, status.st_mode)
    name = path.name
    if not name or len(name) > MAX_NAME_LENGTH:
        raise AttachmentRefused(shown, f"angiv en fil med et navn på 1 til {MAX_NAME_LENGTH} tegn")
    content = _read(path, shown, max_bytes=max_bytes)
    return GivenFile(name, content, _checked_type(shown, name, content, max_bytes=max_bytes))


def _require_regular(shown: str, mode: int) -> None:
    if stat.S_ISLNK(mode):
        kind = "et symbolsk link; vedhæft den fil, det peger på"
    elif stat.S_ISDIR(mode):
        kind = "en mappe; vedhæft filerne i den én ad gangen"
    elif stat.S_ISREG(mode):
        return
    else:
        kind = "ikke en almindelig fil (en enhed, FIFO eller socket)"
    raise AttachmentRefused(shown, f"er {kind}")


def _read(path: Path, shown: str, *, max_bytes: int) -> bytes:
    """At most ``max_bytes`` of a regular file, opened without following a link and
    without waiting on a FIFO put there since it was looked at."""
    flags = os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0)
    try:
        handle = os.open(path, flags)
    except OSError as exc:
        raise AttachmentRefused(shown, f"kan ikke læses ({os_reason(exc)})") from exc
    with os.fdopen(handle, "rb") as stream:
        status = os.fstat(stream.fileno())
        _require_regular(shown, status.st_mode)
        if status.st_size > max_bytes:
            raise AttachmentRefused(shown, _too_large(status.st_size, max_bytes))
        content = stream.read(max_bytes + 1)
    if len(content) > max_bytes:
        raise AttachmentRefused(shown, _too_large(len(content), max_bytes))
    if not content:
        raise AttachmentRefused(shown, "er tom")
    return content


def _too_large(size: int, max_bytes: int) -> str:
    return (
        f"fylder {size:,} byte; et bilag må højst fylde {max_bytes:,} byte "
        "(COUNCIL_ATTACHMENT_MAX_BYTES)"
    )


def sniff(content: bytes, *, max_bytes: int) -> FileType | None:
    """The type the content is, by its first bytes (and a ZIP's parts); None: none we take."""
    if content.startswith(b"%PDF-"):
        return PDF
    if content.startswith(b"\x89PNG\r\n\x1a\n"):
        return PNG
    if content.startswith(b"\xff\xd8\xff"):
        return JPEG
    if content.startswith(b"PK\x03\x04"):
        return DOCX if _is_word_document(content, max_bytes=max_bytes) else None
    return TEXT if _is_text(content) else None


def _is_word_document(content: bytes, *, max_bytes: int) -> bool:
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            names = set(archive.namelist())
            unpacked = sum(info.file_size for info in archive.infolist())
    except (zipfile.BadZipFile, ValueError, OSError):
        return False
    if unpacked > MAX_UNPACKED_FACTOR * max_bytes:
        return False
    return {"[Content_Types].xml", "word/document.xml"} <= names


def _is_text(content: bytes) -> bool:
    """UTF-8 without NUL or other control characters than tab, line breaks and form feed."""
    try:
        text = content.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return not any((ord(c) < 32 and c not in "\t\n\r\f") or c == "\x7f" for c in text)


def _checked_type(shown: str, name: str, content: bytes, *, max_bytes: int) -> FileType:
    kind = sniff(content, max_bytes=max_bytes)
    suffix = Path(name).suffix.casefold()
    if kind is None:
        raise AttachmentRefused(
            shown, f"indholdet er ingen af de typer, et bilag må have: {ALLOWED}"
        )
    if suffix not in kind.suffixes:
        claimed = next((t for t in TYPES if suffix in t.suffixes), None)
        said = f"navnet siger {claimed.label}" if claimed else f"navnet ender på '{suffix}'"
        if not suffix:
            said = "navnet har ingen endelse"
        raise AttachmentRefused(
            shown,
            f"{said}, men indholdet er {kind.label}; giv den endelsen "
            f"{kind.suffixes[0]}, hvis det er det, den er",
        )
    return kind


class AttachmentStore:
    """The folder of the attachments' files, each named by the SHA-256 of its content."""

    def __init__(self, root: Path) -> None:
        self.root = root

    def path_of(self, sha256: str) -> Path:
        if len(sha256) != 64 or not all(c in "0123456789abcdef" for c in sha256):
            raise AttachmentStoreError(f"'{sha256[:80]}' er ikke en SHA-256 i hex")
        return self.root / sha256[:2] / sha256

    def put(self, content: bytes, sha256: str) -> Path:
        """Keep ``content`` under its hash (once: a file already there with that content is
        kept as it is; one whose content changed is replaced by the right content)."""
        target = self.path_of(sha256)
        if self.problem(sha256) is None:
            return target
        try:
            target.parent.mkdir(parents=True, exist_ok=True)
            temporary = target.with_name(f".{sha256}.{secrets.token_hex(6)}.tmp")
            with open(temporary, "xb") as stream:
                stream.write(content)
                stream.flush()
                os.fsync(stream.fileno())
            os.chmod(temporary, 0o444)
            os.replace(temporary, target)
        except OSError as exc:
            raise AttachmentStoreError(
                f"kan ikke skrive til bilagsmappen {self.root}: {os_reason(exc)}; "
                "tjek mappen og dens rettigheder (COUNCIL_ATTACHMENT_DIR)"
            ) from exc
        return target

    def read(self, sha256: str) -> bytes:
        """The file's content; refused when it is missing or no longer has its hash."""
        problem = self.problem(sha256)
        if problem is not None:
            raise AttachmentStoreError(f"bilagsfilen {self.path_of(sha256)} {problem}")
        return self.path_of(sha256).read_bytes()

    def problem(self, sha256: str) -> str | None:
        """What is wrong with the stored file: None when it is there with its content."""
        path = self.path_of(sha256)
        try:
            status = path.lstat()
        except FileNotFoundError:
            return f"mangler i bilagsmappen {self.root}"
        except OSError as exc:
            return f"kan ikke læses ({os_reason(exc)})"
        if not stat.S_ISREG(status.st_mode):
            return "er ikke en almindelig fil"
        digest = hashlib.sha256()
        try:
            with open(path, "rb") as stream:
                for block in iter(lambda: stream.read(1 << 20), b""):
                    digest.update(block)
        except OSError as exc:
            return f"kan ikke læses ({os_reason(exc)})"
        if digest.hexdigest() != sha256:
            return "er ændret: indholdet har ikke længere den SHA-256, det blev gemt under"
        return None
