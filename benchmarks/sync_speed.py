"""`goodwork sync` with a big shared workspace (issue 19): 10,000 situations and 1,000
harvests, a bare repository on this disk as the shared one. Measures the first sync
(`--init`: everything committed and pushed), a sync with nothing to do (target <= 1 s,
as a user runs it: a fresh `goodwork sync` process), and a sync that shares one changed
situation.

    python benchmarks/sync_speed.py [--situations 10000] [--harvests 1000] [--runs 5]
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TARGET_NOTHING_S = 1.0


def make_workspace(root: Path, situations: int, harvests: int) -> None:
    for number in range(situations):
        collection = root / "library" / f"collectie-{number % 50:02d}"
        collection.mkdir(parents=True, exist_ok=True)
        (collection / f"situatie-{number:05d}-nl.md").write_text(
            f"---\nid: situatie-{number:05d}-nl\ntitle: Situatie {number}\n"
            f"collection: collectie-{number % 50:02d}\nlang: nl\n---\n\n## Situatie\n\n"
            + "Een verhaal dat stopt op het moment van kiezen. " * 20 + "\n",
            encoding="utf-8")
    folder = root / "sessions" / "harvests"
    folder.mkdir(parents=True)
    for number in range(harvests):
        (folder / f"2026-{number:04d}-oogst.md").write_text(
            f"# Oogst {number}\n\n" + "- een inzicht uit de groep\n" * 30, encoding="utf-8")


def goodwork(*args: str) -> float:
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    started = time.perf_counter()
    done = subprocess.run([sys.executable, "-m", "goodwork_tui", *args], env=env,
                          capture_output=True, text=True)
    elapsed = time.perf_counter() - started
    if done.returncode != 0:
        raise SystemExit(f"goodwork {' '.join(args)} failed: {done.stderr}")
    return elapsed


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--situations", type=int, default=10_000)
    parser.add_argument("--harvests", type=int, default=1_000)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="goodwork-sync-") as folder:
        base = Path(folder)
        remote = base / "shared.git"
        subprocess.run(["git", "init", "--quiet", "--bare", str(remote)], check=True)
        workspace = base / "ws"
        make_workspace(workspace, args.situations, args.harvests)
        first = goodwork("--workspace", str(workspace), "sync", "--init", str(remote))
        nothing = [goodwork("--workspace", str(workspace), "sync") for _ in range(args.runs)]
        one = []
        target = next((workspace / "library").rglob("*.md"))
        for run in range(args.runs):
            target.write_text(target.read_text() + f"\nregel {run}\n", encoding="utf-8")
            one.append(goodwork("--workspace", str(workspace), "sync"))
    print(f"sync with {args.situations:,} situations and {args.harvests:,} harvests, "
          f"a bare repository on this disk as the shared one")
    header = f"{'figure':<40} {'runs':>5} {'median s':>9} {'max s':>7} {'target':>8}  result"
    print(header)
    print("-" * len(header))
    rows = [("first sync (--init: commit, push all)", [first], None),
            ("sync with nothing to do", nothing, TARGET_NOTHING_S),
            ("sync sharing one changed situation", one, None)]
    failed = False
    for name, values, goal in rows:
        verdict = "-" if goal is None else ("ok" if max(values) <= goal else "TOO SLOW")
        failed |= verdict == "TOO SLOW"
        shown = "-" if goal is None else f"<= {goal:.0f} s"
        print(f"{name:<40} {len(values):>5} {statistics.median(values):>9.2f} "
              f"{max(values):>7.2f} {shown:>8}  {verdict}")
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
