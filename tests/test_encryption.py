"""Encryption at rest: `goodwork encrypt`/`decrypt`, the store on an encrypted workspace,
a wrong passphrase, a damaged ciphertext, kills during writes and during the conversion.

The passphrase unlock is deliberately slow (age's scrypt, about a second): the tests
unlock as few times as they can, and in this process pay it once (`scrypt_once`, see
tests/vault_helpers.py); the commands run in child processes always pay it."""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time
from datetime import date
from pathlib import Path

import pytest
from child_process import child_env

from goodwork_tui.core import encryption, vault
from goodwork_tui.core.session_store import (
    ReadOnlyError,
    SessionError,
    SessionStore,
    list_sessions,
)

PASS = "zeven ezels op een dijk"
FORMAT = {"title": "f", "rounds": [{"title": "r"}] * 3}


pytestmark = pytest.mark.usefixtures("scrypt_once")


@pytest.fixture(autouse=True)
def no_vaults_left():
    yield
    vault.forget()


def make_sessions(folder: Path, count: int, notes: int = 5) -> dict[str, bytes]:
    folder.mkdir(parents=True, exist_ok=True)
    for number in range(count):
        with SessionStore.create(folder, title=f"Sessie {number} over Jip (7)",
                                 on=date(2026, 1, 1 + number % 28), format=FORMAT) as store:
            for n in range(notes):
                store.add_note(f"Jip vertelde iets vertrouwelijks {number}.{n}", round=0)
    return {p.name: p.read_bytes() for p in folder.glob("*.json")}


def goodwork(*args: str, passphrase: str | None = PASS) -> subprocess.CompletedProcess[str]:
    env = child_env()
    env.pop(vault.ENV_VAR, None)
    if passphrase is not None:
        env[vault.ENV_VAR] = passphrase
    return subprocess.run([sys.executable, "-m", "goodwork_tui", *args], capture_output=True,
                          text=True, env=env, timeout=120, stdin=subprocess.DEVNULL)


def test_encrypt_use_and_decrypt_a_workspace(tmp_path: Path) -> None:
    sessions = tmp_path / "ws" / "sessions"
    (tmp_path / "ws" / "library").mkdir(parents=True)
    originals = make_sessions(sessions, 3)
    done = goodwork("--workspace", str(tmp_path / "ws"), "encrypt")
    assert done.returncode == 0, done.stderr
    assert "3 session files encrypted" in done.stdout
    for path in sessions.glob("*.json"):
        data = path.read_bytes()
        assert vault.is_sealed(data) and b"Jip" not in data
    assert vault.is_encrypted(sessions)
    # every command that reads sessions asks for the passphrase (here: the environment)
    listed = goodwork("--workspace", str(tmp_path / "ws"), "sessions", "list")
    assert listed.returncode == 0 and "Sessie 0 over Jip" in listed.stdout
    exported = goodwork("--workspace", str(tmp_path / "ws"), "export", "latest")
    assert exported.returncode == 0 and "Jip vertelde" in exported.stdout  # exports in clear
    locked = goodwork("--workspace", str(tmp_path / "ws"), "sessions", "list", passphrase=None)
    assert locked.returncode == 2 and "GOODWORK_PASSPHRASE" in locked.stderr
    done = goodwork("--workspace", str(tmp_path / "ws"), "decrypt")
    assert done.returncode == 0, done.stderr
    assert not vault.is_encrypted(sessions)
    assert {p.name: p.read_bytes() for p in sessions.glob("*.json")} == originals


def test_a_wrong_passphrase_writes_nothing_ever(tmp_path: Path) -> None:
    sessions = tmp_path / "ws" / "sessions"
    (tmp_path / "ws" / "library").mkdir(parents=True)
    make_sessions(sessions, 2)
    encryption.encrypt(sessions, PASS)  # (`goodwork encrypt` itself: the test above)
    vault.forget()
    before = {p.name: (p.read_bytes(), p.stat().st_mtime_ns) for p in sessions.iterdir()}
    for args in (("sessions", "list"), ("export", "latest"), ("decrypt",), ("encrypt",)):
        done = goodwork("--workspace", str(tmp_path / "ws"), *args, passphrase="wrong")
        assert done.returncode == 2, args
        assert "wrong passphrase" in done.stderr
    assert {p.name: (p.read_bytes(), p.stat().st_mtime_ns)
            for p in sessions.iterdir()} == before


def test_the_store_encrypts_every_write_and_no_plaintext_temp_file(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    sessions = tmp_path / "sessions"
    make_sessions(sessions, 1)
    encryption.encrypt(sessions, PASS)
    from goodwork_tui.core import atomic

    written: list[bytes] = []
    real = atomic._durable_temp

    def spy(path: Path, data: bytes, mode: int | None = None) -> str:
        written.append(data)
        return real(path, data, mode)

    monkeypatch.setattr(atomic, "_durable_temp", spy)
    path = next(sessions.glob("*.json"))
    with SessionStore.open(path) as store:
        store.add_note("Een nieuw geheim over Jip", round=1)
    with SessionStore.create(sessions, title="Nieuw over Jip", format=FORMAT) as store:
        store.add_note("nog een geheim", round=0)
    assert written and all(vault.is_sealed(data) for data in written)
    assert all(b"geheim" not in data for data in written)
    vault.forget()
    vault.unlock_folder(sessions, PASS)
    with SessionStore.open(path, read_only=True) as store:
        assert store.notes()[-1]["text"] == "Een nieuw geheim over Jip"


def test_a_locked_workspace_refuses_to_write_in_the_clear(tmp_path: Path) -> None:
    sessions = tmp_path / "sessions"
    make_sessions(sessions, 1)
    encryption.encrypt(sessions, PASS)
    vault.forget()
    path = next(sessions.glob("*.json"))
    before = path.read_bytes()
    with pytest.raises(SessionError, match="unlock"):
        SessionStore.open(path)
    with pytest.raises(ReadOnlyError, match="not unlocked"):
        SessionStore.create(sessions, title="Nieuw", format=FORMAT)
    assert path.read_bytes() == before
    assert [p.name for p in sessions.glob("*.json")] == [path.name]
    summary = list_sessions(sessions)[0]
    assert summary.problem and "passphrase" in summary.problem


def test_a_damaged_ciphertext_is_named_and_left_as_it_is(tmp_path: Path) -> None:
    sessions = tmp_path / "sessions"
    make_sessions(sessions, 2)
    encryption.encrypt(sessions, PASS)
    damaged, intact = sorted(sessions.glob("*.json"))
    data = bytearray(damaged.read_bytes())
    data[len(data) // 2] ^= 0xFF
    damaged.write_bytes(bytes(data))
    with pytest.raises(SessionError, match="cannot be decrypted") as error:
        SessionStore.open(damaged)
    assert damaged.name in str(error.value)
    assert damaged.read_bytes() == bytes(data)
    summaries = {s.path.name: s for s in list_sessions(sessions)}
    assert "cannot be decrypted" in (summaries[damaged.name].problem or "")
    assert summaries[intact.name].problem is None  # the rest is not hidden by it
    with pytest.raises(vault.VaultError, match="cannot be decrypted"):
        encryption.decrypt(sessions, PASS)
    assert vault.is_encrypted(sessions)  # the key stays while a file needs it
    assert damaged.read_bytes() == bytes(data)


def test_a_session_open_in_the_app_stops_the_conversion(tmp_path: Path) -> None:
    sessions = tmp_path / "sessions"
    originals = make_sessions(sessions, 2)
    store = SessionStore.open(next(sessions.glob("*.json")))  # holds the lock, as the app
    try:
        with pytest.raises(vault.VaultError, match="close the app"):
            encryption.encrypt(sessions, PASS)
    finally:
        store.close()
    assert not vault.is_encrypted(sessions)
    assert {p.name: p.read_bytes() for p in sessions.glob("*.json")} == originals


CONVERT = """
import sys
from pathlib import Path
from goodwork_tui.core import encryption
print("start", flush=True)
encryption.encrypt(Path(sys.argv[1]), sys.argv[2],
                   progress=lambda done, total: print(done, flush=True))
print("done", flush=True)
"""


@pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="needs SIGKILL")
def test_a_conversion_killed_half_way_leaves_every_file_readable(tmp_path: Path) -> None:
    sessions = tmp_path / "sessions"
    originals = make_sessions(sessions, 60, notes=40)
    child = subprocess.Popen([sys.executable, "-c", CONVERT, str(sessions), PASS],
                             stdout=subprocess.PIPE, text=True, env=child_env())
    assert child.stdout is not None
    # kill it once some files are converted and others not (after the key is written)
    for line in child.stdout:
        if line.strip().isdigit() and int(line) >= 15:
            os.kill(child.pid, signal.SIGKILL)
            break
    child.wait(timeout=60)
    files = {p.name: p.read_bytes() for p in sessions.glob("*.json")}
    assert set(files) == set(originals)
    sealed = [name for name, data in files.items() if vault.is_sealed(data)]
    plain = [name for name, data in files.items() if not vault.is_sealed(data)]
    assert sealed and plain  # really half way
    assert all(files[name] == originals[name] for name in plain)  # as before
    vault.unlock_folder(sessions, PASS)
    for name in sealed:
        with SessionStore.open(sessions / name, read_only=True) as store:
            assert len(store.notes()) == 40
    vault.forget()
    result = encryption.encrypt(sessions, PASS)  # the same command finishes the job
    assert len(result.converted) == len(plain) and result.already == len(sealed)
    encryption.decrypt(sessions, PASS)
    assert {p.name: p.read_bytes() for p in sessions.glob("*.json")} == originals


WRITER = """
import sys
from pathlib import Path
from goodwork_tui.core import vault
from goodwork_tui.core.session_store import SessionStore
import pyrage
sessions = Path(sys.argv[1])
# the unlocked key, as `unlock_folder` leaves it (the unlock itself: the tests above)
identity = pyrage.x25519.Identity.from_str(sys.stdin.readline().strip())
vault.register(sessions, vault.Vault(identity, identity.to_public()))
store = SessionStore.open(next(sessions.glob("*.json")))
print("ready", flush=True)
i = 0
while True:
    note = store.add_note(f"geheim {i}", round=i % 3, kind="insight")
    print(note["id"], flush=True)
    i += 1
"""


@pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="needs SIGKILL")
def test_kills_during_encrypted_writes_lose_no_acknowledged_note(tmp_path: Path) -> None:
    sessions = tmp_path / "sessions"
    make_sessions(sessions, 1, notes=200)
    encryption.encrypt(sessions, PASS)
    path = next(sessions.glob("*.json"))
    unlocked = vault.unlocked(sessions)
    assert unlocked is not None
    rng = random.Random(20261202)
    for _run in range(4):
        child = subprocess.Popen([sys.executable, "-c", WRITER, str(sessions)],
                                 stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True,
                                 env=child_env())
        assert child.stdin is not None and child.stdout is not None
        child.stdin.write(f"{unlocked.identity}\n")
        child.stdin.close()
        acked: list[str] = []
        assert child.stdout.readline().strip() == "ready"
        deadline = time.monotonic() + rng.uniform(0.1, 0.5)
        for line in child.stdout:
            acked.append(line.strip())
            if time.monotonic() > deadline:
                break
        os.kill(child.pid, signal.SIGKILL)
        child.wait(timeout=30)
        assert vault.is_sealed(path.read_bytes())
        with SessionStore.open(path, read_only=True) as store:  # 0 unreadable
            stored = {note["id"] for note in store.notes()}
        assert acked and not [note for note in acked if note not in stored]  # 0 lost
        assert not list(sessions.glob(".*.tmp")) or all(
            vault.is_sealed(p.read_bytes()) for p in sessions.glob(".*.tmp") if p.stat().st_size)
