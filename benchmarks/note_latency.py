"""Note latency: from Enter to the note durable on disk (the add_note call returning).

For sessions already holding 100, 1,000 and 5,000 notes, time each of N add_note calls
(whole-file atomic write: serialise, temp file, fsync, replace, fsync the folder) and print
p50/p95/max against the targets. Measures the disk the files are on: use --dir to pick it.

    python benchmarks/note_latency.py [--adds 250] [--dir DIR]
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
import uuid
from datetime import date, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from goodwork_tui.core.model import LENSES, NOTE_KINDS  # noqa: E402
from goodwork_tui.core.session_store import SessionStore  # noqa: E402

SIZES = (100, 1_000, 5_000)
TARGETS_MS = {1_000: 20.0, 5_000: 50.0}  # p95
FORMAT = {"id": "day", "title": "Day of rounds",
          "rounds": [{"title": f"Round {i + 1}", "minutes": 20} for i in range(6)]}
TEXTS = (
    "We vroegen eerst de partners wat zij nodig hadden, pas daarna kwam ons plan op tafel.",
    "She kept the information to herself and asked the chair to put the question on the "
    "agenda instead — it cost a week but nobody felt passed over.",
    "Verschillen tussen teams zijn juist wat ze goed maakt; uniformiteit is niet het doel.",
    "Question for next time: how do we know when enthusiasm is shared and not just polite?",
)


def note_text(i: int) -> str:
    return f"{TEXTS[i % len(TEXTS)]} ({i})"


def prefilled(folder: Path, size: int) -> Path:
    """A session with `size` notes, written in one go (as if typed over a long day)."""
    created = datetime.now().astimezone().isoformat(timespec="seconds")
    with SessionStore.create(folder, title=f"latency {size}", on=date(2024, 5, 1),
                             format=FORMAT, participants=[{"name": "Anouk", "consent": True}],
                             ) as store:
        store.notes_table.insert_multiple({
            "id": uuid.uuid4().hex[:12], "seq": i + 1, "text": note_text(i), "round": i % 6,
            "kind": NOTE_KINDS[i % len(NOTE_KINDS)], "lens": LENSES[i % len(LENSES)],
            "speaker": "Anouk" if i % 3 else "", "situation": "", "room_only": i % 10 == 0,
            "created": created,
        } for i in range(size))
        return store.path


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(q * (len(ordered) - 1))))
    return ordered[index]


def measure(path: Path, adds: int) -> list[float]:
    timings = []
    with SessionStore.open(path) as store:
        assert not store.read_only
        start_count = len(store.notes())
        for i in range(adds):
            text = note_text(start_count + i)
            started = time.perf_counter()
            store.add_note(text, round=i % 6, kind="insight", lens="engaging", speaker="Bram")
            timings.append((time.perf_counter() - started) * 1000)
    return timings


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--adds", type=int, default=250, help="add_note calls per size (≥200)")
    parser.add_argument("--dir", type=Path, help="folder for the session files (a temp "
                        "folder by default; pick the disk you want to measure)")
    args = parser.parse_args()
    if args.adds < 1:
        parser.error("--adds must be positive")

    with tempfile.TemporaryDirectory(prefix="goodwork-latency-", dir=args.dir) as folder:
        rows = []
        for size in SIZES:
            path = prefilled(Path(folder), size)
            timings = measure(path, args.adds)
            rows.append((size, path.stat().st_size, timings))

    load = f", load average {os.getloadavg()[0]:.2f}" if hasattr(os, "getloadavg") else ""
    print(f"add_note latency (Enter -> on disk), {args.adds} adds per session, "
          f"Python {sys.version.split()[0]}, {sys.platform}, {os.cpu_count()} CPUs{load}")
    header = (f"{'notes before':>12}  {'file KB':>8}  {'p50 ms':>7}  {'p95 ms':>7}  "
              f"{'max ms':>7}  {'target p95':>10}  result")
    print(header)
    print("-" * len(header))
    failed = False
    for size, file_size, timings in rows:
        p50, p95 = statistics.median(timings), percentile(timings, 0.95)
        target = TARGETS_MS.get(size)
        verdict = "-" if target is None else ("ok" if p95 <= target else "TOO SLOW")
        failed |= verdict == "TOO SLOW"
        target_text = "-" if target is None else f"<= {target:.0f} ms"
        print(f"{size:>12,}  {file_size / 1024:>8,.0f}  {p50:>7.2f}  {p95:>7.2f}  "
              f"{max(timings):>7.2f}  {target_text:>10}  {verdict}")
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
