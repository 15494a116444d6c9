"""Encryption at rest of a workspace's private files (sessions and reflections).

Format: age (age-encryption.org/v1), through pyrage, a maintained binding of the Rust
implementation. Why age: a small, well-reviewed, well-known file format that other tools
open too (`age`, `rage`), with authenticated encryption and no choices to get wrong.

How, so that a note stays fast to save:
- `sessions/.goodwork-key.age` holds a random X25519 identity (private key), itself
  encrypted with the passphrase (age's scrypt recipient: deliberately slow, about a second,
  and only once, when the workspace is unlocked).
- Every session file is encrypted to that identity's public key: no scrypt per write,
  a millisecond or two per file. Encrypted files keep their names; they are told apart by
  the age header, so a workspace half converted by a kill reads fine (each file either
  plain, as before, or encrypted).
- The unlocked identity lives only in this process's memory (`register`), per sessions
  folder. Writing into an encrypted folder that is not unlocked is refused, never done in
  the clear.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

MAGIC = b"age-encryption.org/v1\n"
KEY_FILE = ".goodwork-key.age"
ENV_VAR = "GOODWORK_PASSPHRASE"


class VaultError(Exception):
    """Encryption cannot go on; the message says why in plain words."""


class WrongPassphrase(VaultError):
    pass


class Locked(VaultError):
    """An encrypted workspace that has not been unlocked in this process."""


class Damaged(VaultError):
    """A file that looks encrypted but cannot be decrypted (damaged, or another key's)."""


def _pyrage() -> Any:
    try:
        import pyrage  # type: ignore[import-untyped]
    except ImportError as error:  # pragma: no cover - a broken install
        raise VaultError(f"encryption needs the pyrage package ({error})") from None
    return pyrage


@dataclass(frozen=True)
class Vault:
    identity: Any  # pyrage.x25519.Identity
    recipient: Any  # pyrage.x25519.Recipient

    @classmethod
    def new(cls) -> Vault:
        identity = _pyrage().x25519.Identity.generate()
        return cls(identity, identity.to_public())

    @classmethod
    def unlock(cls, key_data: bytes, passphrase: str) -> Vault:
        pyrage = _pyrage()
        try:
            secret = pyrage.passphrase.decrypt(key_data, passphrase)
        except pyrage.DecryptError:
            raise WrongPassphrase("wrong passphrase") from None
        try:
            identity = pyrage.x25519.Identity.from_str(secret.decode("ascii").strip())
        except (ValueError, UnicodeDecodeError, pyrage.IdentityError) as error:
            raise VaultError(f"the key file is damaged ({error})") from None
        return cls(identity, identity.to_public())

    def key_file(self, passphrase: str) -> bytes:
        return _pyrage().passphrase.encrypt(str(self.identity).encode("ascii"), passphrase)

    def seal(self, plain: bytes) -> bytes:
        return _pyrage().encrypt(plain, [self.recipient])

    def open(self, sealed: bytes, path: Path | None = None) -> bytes:
        pyrage = _pyrage()
        try:
            return pyrage.decrypt(sealed, [self.identity])
        except pyrage.DecryptError:
            where = f"{path}: " if path is not None else ""
            raise Damaged(f"{where}cannot be decrypted (damaged, or encrypted with another "
                          "workspace's key); left as it is") from None


def is_sealed(data: bytes) -> bool:
    return data.startswith(MAGIC)


def key_path(sessions_dir: Path) -> Path:
    return sessions_dir / KEY_FILE


def is_encrypted(sessions_dir: Path) -> bool:
    return key_path(sessions_dir).is_file()


# ---------------------------------------------------------------------------- this process

_UNLOCKED: dict[str, Vault] = {}


def _key(folder: Path) -> str:
    return os.path.normcase(os.path.abspath(folder))


def register(sessions_dir: Path, vault: Vault) -> None:
    _UNLOCKED[_key(sessions_dir)] = vault


def forget(sessions_dir: Path | None = None) -> None:
    if sessions_dir is None:
        _UNLOCKED.clear()
    else:
        _UNLOCKED.pop(_key(sessions_dir), None)


def unlocked(sessions_dir: Path) -> Vault | None:
    return _UNLOCKED.get(_key(sessions_dir))


def unlock_folder(sessions_dir: Path, passphrase: str) -> Vault:
    """Unlock an encrypted sessions folder for this process (WrongPassphrase if not)."""
    try:
        data = key_path(sessions_dir).read_bytes()
    except OSError as error:
        raise VaultError(f"{key_path(sessions_dir)}: cannot read the key ({error})") from None
    vault = Vault.unlock(data, passphrase)
    register(sessions_dir, vault)
    return vault


# ---------------------------------------------------------------------------- file access


def reveal(path: Path, raw: bytes) -> bytes:
    """The plain bytes of a file read from a sessions folder."""
    if not is_sealed(raw):
        return raw
    vault = unlocked(path.parent)
    if vault is None:
        raise Locked(f"{path}: encrypted; unlock the workspace with its passphrase")
    return vault.open(raw, path)


def conceal(path: Path, plain: bytes) -> bytes:
    """What to write for `plain` into `path`'s folder: ciphertext where the folder is
    encrypted. Refused (Locked) when it is encrypted but not unlocked: never in the clear."""
    vault = unlocked(path.parent)
    if vault is not None:
        return vault.seal(plain)
    if is_encrypted(path.parent):
        raise Locked(f"{path}: the workspace is encrypted and not unlocked; nothing written")
    return plain


def passphrase_from_environment() -> str | None:
    value = os.environ.get(ENV_VAR)
    return value if value else None
