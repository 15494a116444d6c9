"""Encrypted sessions: Enter -> durable note, and opening a big session (issue 20).

For a session of 1,000 notes, plain and encrypted (age, see core/vault.py), time N add_note
calls (serialise, encrypt, temp file, fsync, replace) and opening the session (read,
decrypt, parse), and print p50/p95 against the targets. The passphrase unlock (scrypt,
about a second, once per start) is printed apart: it is not part of either figure.

    python benchmarks/encryption_speed.py [--adds 200] [--opens 15]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))
sys.path.insert(0, str(HERE))

import note_latency  # noqa: E402

from goodwork_tui.core import encryption, vault  # noqa: E402
from goodwork_tui.core.session_store import SessionStore  # noqa: E402

NOTES = 1_000
TARGET_ADD_MS = 30.0  # p95, encrypted, 1,000 notes
TARGET_OPEN_MS = 300.0  # opening a 1,000-note encrypted session


def opens(path: Path, count: int) -> list[float]:
    timings = []
    for _ in range(count):
        started = time.perf_counter()
        with SessionStore.open(path, read_only=True) as store:
            assert len(store.notes()) >= NOTES
        timings.append((time.perf_counter() - started) * 1000)
    return timings


def run(adds: int, count: int) -> list[tuple[str, list[float], float | None]]:
    rows: list[tuple[str, list[float], float | None]] = []
    for encrypted in (False, True):
        with tempfile.TemporaryDirectory(prefix="goodwork-crypt-") as folder:
            sessions = Path(folder)
            path = note_latency.prefilled(sessions, NOTES)
            label = "encrypted" if encrypted else "plain"
            if encrypted:
                started = time.perf_counter()
                encryption.encrypt(sessions, "benchmark passphrase")
                vault.forget()
                unlock_started = time.perf_counter()
                vault.unlock_folder(sessions, "benchmark passphrase")
                rows.append(("encrypt workspace (scrypt + 1 file), ms",
                             [(unlock_started - started) * 1000], None))
                rows.append(("unlock with the passphrase (scrypt), ms",
                             [(time.perf_counter() - unlock_started) * 1000], None))
            rows.append((f"open 1,000-note session, {label}, ms", opens(path, count),
                         TARGET_OPEN_MS if encrypted else None))
            rows.append((f"Enter -> durable note at 1,000, {label}, ms",
                         note_latency.measure(path, adds), TARGET_ADD_MS if encrypted else None))
            vault.forget()
    return rows


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--adds", type=int, default=200)
    parser.add_argument("--opens", type=int, default=15)
    args = parser.parse_args()
    rows = run(args.adds, args.opens)
    header = f"{'figure':<46} {'runs':>5} {'p50':>8} {'p95':>8} {'target':>9}  result"
    print(header)
    print("-" * len(header))
    failed = False
    for name, values, target in rows:
        p50, p95 = statistics.median(values), note_latency.percentile(values, 0.95)
        verdict = "-" if target is None else ("ok" if p95 <= target else "TOO SLOW")
        failed |= verdict == "TOO SLOW"
        shown = "-" if target is None else f"<= {target:.0f}"
        print(f"{name:<46} {len(values):>5} {p50:>8.1f} {p95:>8.1f} {shown:>9}  {verdict}")
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
