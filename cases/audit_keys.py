"""The Ed25519 key pair that signs checkpoints of the audit trail (the ``cryptography`` library).

The private key is a PEM file (PKCS #8, unencrypted, since ``council serve`` signs unattended)
made with mode 0600 and never overwritten: a checkpoint signed by a key that is gone can no
longer be told from a forged one. Its public key lies beside it as ``<key>.pub`` (PEM,
SubjectPublicKeyInfo) and is all an auditor needs. A key is known by its id, the first 16 hex
digits of the SHA-256 of its 32 raw public bytes, which every checkpoint names.
"""

from __future__ import annotations

import hashlib
import os
import stat
from dataclasses import dataclass
from pathlib import Path

from cryptography.exceptions import InvalidSignature, UnsupportedAlgorithm
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from cryptography.hazmat.primitives.serialization import (
    Encoding,
    NoEncryption,
    PrivateFormat,
    PublicFormat,
    load_pem_private_key,
    load_pem_public_key,
)

from council.cases.errors import AuditKeyError
from council.config.os_reasons import os_reason

KEY_ID_DIGITS = 16
MAX_KEY_FILE_BYTES = 16_384  # a PEM Ed25519 key is about 120 bytes
PUBLIC_SUFFIX = ".pub"


def public_key_path(private: Path) -> Path:
    """Where the public key of the private key ``private`` lies: ``<key>.pub``."""
    return private.with_name(private.name + PUBLIC_SUFFIX)


@dataclass(frozen=True)
class VerifyingKey:
    """A public key that checks checkpoint signatures."""

    key: Ed25519PublicKey
    path: Path | None = None

    @property
    def key_id(self) -> str:
        raw = self.key.public_bytes(Encoding.Raw, PublicFormat.Raw)
        return hashlib.sha256(raw).hexdigest()[:KEY_ID_DIGITS]

    def verifies(self, signature: bytes, data: bytes) -> bool:
        try:
            self.key.verify(signature, data)
        except InvalidSignature:
            return False
        return True


@dataclass(frozen=True)
class SigningKey:
    """A private key that signs checkpoints."""

    key: Ed25519PrivateKey
    path: Path | None = None

    @property
    def public(self) -> VerifyingKey:
        return VerifyingKey(self.key.public_key())

    def sign(self, data: bytes) -> bytes:
        return self.key.sign(data)


def generate_key_pair(private: Path, public: Path) -> VerifyingKey:
    """Make a new key pair: ``private`` (mode 0600) and ``public``; neither may exist yet."""
    for path in (private, public):
        if os.path.lexists(path):
            raise AuditKeyError(
                f"{path} findes allerede og overskrives aldrig (de kontrolpunkter, nøglen "
                "underskrev, kunne ikke længere kontrolleres); angiv en anden fil med --key "
                "eller COUNCIL_AUDIT_KEY"
            )
        if not path.parent.is_dir():
            raise AuditKeyError(
                f"kan ikke lave revisionsnøglen {path}: mappen {path.parent} findes ikke"
            )
    key = Ed25519PrivateKey.generate()
    pem = key.private_bytes(Encoding.PEM, PrivateFormat.PKCS8, NoEncryption())
    public_pem = key.public_key().public_bytes(Encoding.PEM, PublicFormat.SubjectPublicKeyInfo)
    _create(private, pem, mode=0o600)
    try:
        _create(public, public_pem, mode=0o644)
    except AuditKeyError:
        private.unlink()  # made just now, by us: no half key pair is left behind
        raise
    return VerifyingKey(key.public_key(), public)


def _create(path: Path, data: bytes, *, mode: int) -> None:
    """Write a new file with exactly ``mode``, refusing one that appeared meanwhile."""
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0)
    try:
        descriptor = os.open(path, flags, mode)
    except OSError as exc:
        raise AuditKeyError(f"kan ikke lave revisionsnøglen {path}: {os_reason(exc)}") from exc
    try:
        if hasattr(os, "fchmod"):
            os.fchmod(descriptor, mode)  # whatever the umask took away or left
        os.write(descriptor, data)
        os.fsync(descriptor)
    except OSError as exc:
        os.close(descriptor)
        path.unlink()
        raise AuditKeyError(f"kan ikke skrive revisionsnøglen {path}: {os_reason(exc)}") from exc
    os.close(descriptor)


def load_signing_key(path: Path) -> SigningKey:
    """The private key at ``path``; refused when it is missing, not a key, or readable by
    others than its owner."""
    data = _read_key_file(
        path,
        missing=(
            f"ingen revisionsnøgle i {path}: lav en med 'council audit keygen' "
            "(eller peg COUNCIL_AUDIT_KEY på din egen)"
        ),
        private=True,
    )
    try:
        key = load_pem_private_key(data, password=None)
    except (ValueError, TypeError, UnsupportedAlgorithm) as exc:
        raise AuditKeyError(
            f"{path} er ikke en ukrypteret privat Ed25519-nøgle i PEM-form "
            "(som 'council audit keygen' laver dem)"
        ) from exc
    if not isinstance(key, Ed25519PrivateKey):
        raise AuditKeyError(f"{path} er ikke en Ed25519-nøgle; lav en med 'council audit keygen'")
    return SigningKey(key, path)


def load_verifying_key(path: Path) -> VerifyingKey:
    """The public key at ``path``."""
    data = _read_key_file(
        path,
        missing=(
            f"ingen offentlig revisionsnøgle i {path}: peg COUNCIL_AUDIT_PUBLIC_KEY på "
            ".pub-filen til den nøgle, der underskriver kontrolpunkterne"
        ),
        private=False,
    )
    try:
        key = load_pem_public_key(data)
    except (ValueError, UnsupportedAlgorithm) as exc:
        raise AuditKeyError(
            f"{path} er ikke en offentlig Ed25519-nøgle i PEM-form (den .pub-fil, 'council "
            "audit keygen' skriver)"
        ) from exc
    if not isinstance(key, Ed25519PublicKey):
        raise AuditKeyError(f"{path} er ikke en offentlig Ed25519-nøgle")
    return VerifyingKey(key, path)


def _read_key_file(path: Path, *, missing: str, private: bool) -> bytes:
    try:
        status = path.stat()
    except FileNotFoundError:
        raise AuditKeyError(missing) from None
    except OSError as exc:
        raise AuditKeyError(f"kan ikke læse revisionsnøglen {path}: {os_reason(exc)}") from exc
    if not stat.S_ISREG(status.st_mode):
        raise AuditKeyError(f"revisionsnøglen {path} er ikke en almindelig fil")
    if status.st_size > MAX_KEY_FILE_BYTES:
        raise AuditKeyError(f"{path} er for stor til at være en revisionsnøgle")
    if private and os.name == "posix" and status.st_mode & 0o077:
        mode = stat.S_IMODE(status.st_mode)
        raise AuditKeyError(
            f"revisionsnøglen {path} kan læses af andre (tilstand {mode:04o}); "
            f"giv kun ejeren adgang: chmod 600 {path}"
        )
    try:
        return path.read_bytes()
    except OSError as exc:
        raise AuditKeyError(f"kan ikke læse revisionsnøglen {path}: {os_reason(exc)}") from exc
