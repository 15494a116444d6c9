"""`goodwork encrypt` / `goodwork decrypt`: convert a workspace's private files.

All or nothing, in the sense that matters: the key file is written first (encrypting) or
removed last (decrypting), and each session file is replaced atomically, so a conversion
killed at any moment leaves every file readable — plain as before, or encrypted with the
passphrase — and running the same command again finishes it. The passphrase is checked
before anything is written. Sessions open in an app (their lock is held) stop the
conversion before it starts.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from . import vault as vaults
from .atomic import write_atomic


@dataclass
class Conversion:
    converted: list[Path] = field(default_factory=list)
    already: int = 0  # files that were already in the wanted state (a resumed conversion)
    damaged: list[str] = field(default_factory=list)  # named and left as they are


def private_files(sessions_dir: Path) -> list[Path]:
    """The files that hold people's words: every session and reflection."""
    try:
        return sorted(p for p in sessions_dir.glob("*.json")
                      if p.is_file() and not p.name.startswith("."))
    except OSError:
        return []


@contextlib.contextmanager
def _all_locks(files: list[Path]) -> Iterator[None]:
    """Hold every session's lock: none may be open in an app while it is converted."""
    from filelock import FileLock, Timeout

    held = []
    try:
        for path in files:
            lock = FileLock(str(path) + ".lock", timeout=0, is_singleton=False)
            try:
                lock.acquire()
            except Timeout:
                raise vaults.VaultError(f"{path.name} is open in Goed Werk: close the app "
                                        "(or that session) first; nothing was changed") from None
            held.append(lock)
        yield
    finally:
        for lock in reversed(held):
            with contextlib.suppress(Exception):
                lock.release()


def _forget_summary_cache(sessions_dir: Path) -> None:
    """The session list's cache holds titles in the clear (and the patterns' cache words
    of notes): they are made again, sealed."""
    from .library_cache import cache_file

    for kind in ("sessions", "patterns"):
        with contextlib.suppress(OSError):
            cache_file(sessions_dir, kind).unlink(missing_ok=True)


def encrypt(sessions_dir: Path, passphrase: str,
            progress: Callable[[int, int], None] | None = None) -> Conversion:
    if not passphrase:
        raise vaults.VaultError("an empty passphrase protects nothing")
    key = vaults.key_path(sessions_dir)
    files = private_files(sessions_dir)
    result = Conversion()
    with _all_locks(files):
        if key.exists():  # encrypted before, or a conversion that was stopped: go on
            vault = vaults.unlock_folder(sessions_dir, passphrase)
        else:
            vault = vaults.Vault.new()
            sessions_dir.mkdir(parents=True, exist_ok=True)
            write_atomic(key, vault.key_file(passphrase), mode=0o600)
            vaults.register(sessions_dir, vault)
        _forget_summary_cache(sessions_dir)
        for number, path in enumerate(files, 1):
            raw = path.read_bytes()
            if vaults.is_sealed(raw):
                result.already += 1
            else:
                write_atomic(path, vault.seal(raw))
                result.converted.append(path)
            if progress is not None:
                progress(number, len(files))
    return result


def decrypt(sessions_dir: Path, passphrase: str,
            progress: Callable[[int, int], None] | None = None) -> Conversion:
    key = vaults.key_path(sessions_dir)
    if not key.exists():
        raise vaults.VaultError("this workspace is not encrypted")
    vault = vaults.Vault.unlock(key.read_bytes(), passphrase)  # WrongPassphrase: no write
    files = private_files(sessions_dir)
    result = Conversion()
    with _all_locks(files):
        for number, path in enumerate(files, 1):
            raw = path.read_bytes()
            if not vaults.is_sealed(raw):
                result.already += 1
            else:
                try:
                    plain = vault.open(raw, path)
                except vaults.Damaged as error:
                    result.damaged.append(str(error))
                    continue
                write_atomic(path, plain)
                result.converted.append(path)
            if progress is not None:
                progress(number, len(files))
        if result.damaged:
            raise vaults.VaultError(
                "some files cannot be decrypted, so the workspace stays encrypted (the key "
                "is kept): " + "; ".join(result.damaged))
        _forget_summary_cache(sessions_dir)
        key.unlink()
    vaults.forget(sessions_dir)
    return result
