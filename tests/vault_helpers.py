"""Age's scrypt, done once: the passphrase on a workspace's key costs 1-3 s a call on
purpose (work factor 2**19 or more), and pyrage has no way to lower it.

`scrypt_once` (a fixture in conftest.py) makes the tests that only need *an* encrypted
workspace pay that once per test run instead of once per encrypt and per unlock:

- every `Vault.new()` in this process gives the same identity (a real one, made once);
- `pyrage.passphrase.encrypt` of the same identity with the same passphrase gives the key
  file it gave before (a valid age file for that passphrase, at the real work factor);
- `pyrage.passphrase.decrypt` of the same bytes with the same passphrase gives the answer
  it gave before (the plain key, or a wrong passphrase) without running scrypt again.

The product's code runs unchanged, and each first call is the real scrypt. Child
processes (the CLI tests) never see this: they always pay the real price, and so do the
tests that leave the fixture out (tests/test_ui_encryption.py's first test times
"Unlocking…" against the real work factor)."""

from __future__ import annotations

from typing import Any

import pytest

from goodwork_tui.core import vault

_IDENTITY: list[Any] = []  # the one identity every new vault gets
_KEY_FILES: dict[tuple[bytes, str], bytes] = {}  # (plain key, passphrase) -> key file
_OPENED: dict[tuple[bytes, str], bytes | None] = {}  # (key file, passphrase) -> key or wrong


def install(monkeypatch: pytest.MonkeyPatch) -> None:
    import pyrage  # type: ignore[import-untyped]

    real_encrypt = pyrage.passphrase.encrypt
    real_decrypt = pyrage.passphrase.decrypt

    def new(cls: type[vault.Vault]) -> vault.Vault:
        if not _IDENTITY:
            _IDENTITY.append(pyrage.x25519.Identity.generate())
        return cls(_IDENTITY[0], _IDENTITY[0].to_public())

    def encrypt(plain: bytes, passphrase: str, armored: bool = False) -> bytes:
        if armored:  # (the product never asks for it)
            return real_encrypt(plain, passphrase, armored)
        key = (bytes(plain), passphrase)
        if key not in _KEY_FILES:
            _KEY_FILES[key] = real_encrypt(plain, passphrase)
        return _KEY_FILES[key]

    def decrypt(sealed: bytes, passphrase: str) -> bytes:
        key = (bytes(sealed), passphrase)
        if key not in _OPENED:
            try:
                _OPENED[key] = real_decrypt(sealed, passphrase)
            except pyrage.DecryptError:
                _OPENED[key] = None
        opened = _OPENED[key]
        if opened is None:
            raise pyrage.DecryptError("wrong passphrase (answered before, see vault_helpers)")
        return opened

    monkeypatch.setattr(vault.Vault, "new", classmethod(new))
    monkeypatch.setattr(pyrage.passphrase, "encrypt", encrypt)
    monkeypatch.setattr(pyrage.passphrase, "decrypt", decrypt)
