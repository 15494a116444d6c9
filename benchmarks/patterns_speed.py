"""Patterns across sessions at scale: 1,000 sessions of 100–300 notes (issue 18).

Generates, deterministically in a temporary folder, a workspace of --sessions sessions
(benchmarks/run.py's `session_data`, each note given a few extra words from a Zipf-drawn
vocabulary of 6,000 words so the recurring-words count has real work to do), in five
series, with action agreements and look backs, 20 reflections sent to the library and
three broken files. Each session file carries its word counts, as the app writes them
when a session is closed (core/word_counts.py); a second folder holds the same files
without them (as older versions or other tools write them). Then, each in fresh
processes (GOODWORK_CACHE in the folder):

- collect, cold:   `patterns.collect` with no cache (every file read and digested)
- collect, warm:   `patterns.collect` with the per-file cache (what the overview costs)
- collect, warm x: the same, a second time in the same process (the app, already running)
- report, cold:    `goodwork report -o FILE` as a new process, no cache
- report, new process: the same with the cache (a report after the app has run)
- report, cold, older files: no cache, files without their word counts (every note's
  words counted, ~1 ms of CPU per file more)
- CPU time next to wall time, of the process and its helper processes together (files
  with no cached digest are read on every core): on a shared machine the wall time
  says more about the neighbours than about the code; with helpers, wall time can be
  about half the CPU time on a quiet 2-core machine
- peak memory of each process (ru_maxrss; the largest of the process and its helpers)

and prints one table with the targets (overview warm ≤ 300 ms, report cold ≤ 1 s,
memory < 150 MB).

    python benchmarks/patterns_speed.py [--sessions 1000] [--runs 3] [--keep DIR]
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import date, datetime, timedelta
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(HERE))

from run import CET, NOTE_TEXTS, TITLE_HEADS, TITLE_NOUNS, session_data  # noqa: E402

from goodwork_tui.core.session_digest import words_document  # noqa: E402
from goodwork_tui.core.session_store import _dumps as store_dumps  # noqa: E402
from goodwork_tui.core.slug import session_stem  # noqa: E402

SEED = 20270118
SERIES = ("Intervisie team Oost", "Leernetwerk leerbegeleiders", "Teamleiders zorg",
          "Learning network North", "Supervision West")
SYLLABLES = ("ver", "trou", "wen", "man", "daat", "ge", "meen", "te", "sa", "men", "wer",
             "king", "re", "gie", "pro", "ces", "zorg", "klant", "plan", "ning", "team")


def vocabulary(rng: random.Random, size: int = 6_000) -> list[str]:
    words: set[str] = set()
    while len(words) < size:
        words.add("".join(rng.choice(SYLLABLES) for _ in range(rng.randint(2, 4))))
    return sorted(words)


def generate(folder: Path, count: int, seed: int = SEED, uncounted: Path | None = None
             ) -> None:
    """The sessions as the app leaves them: each carrying its word counts, as written
    when a session is closed (core/word_counts.py); in `uncounted`, the same files
    without (as older versions, or other tools, write them)."""
    rng = random.Random(seed)
    words = vocabulary(rng)
    weights = [1 / (rank + 1) for rank in range(len(words))]
    folder.mkdir(parents=True, exist_ok=True)
    if uncounted is not None:
        uncounted.mkdir(parents=True, exist_ok=True)
    last: dict[str, tuple[str, list[dict]]] = {}
    start = date(2024, 1, 8)
    for i in range(count):
        day = start + timedelta(days=i * 1000 // count)
        title = f"{rng.choice(TITLE_HEADS)[0]} {rng.choice(TITLE_NOUNS)[0]} {i}"
        created = datetime(day.year, day.month, day.day, 9, 30, tzinfo=CET)
        data = session_data(rng, rng.randint(100, 300), day, title, created)
        meta = data["session"]["1"]
        name = SERIES[i % len(SERIES)]
        meta["series"] = name
        meta["situations"] = [f"situation-{rng.randrange(200)}" for _ in range(rng.randint(0, 3))]
        for note in data["notes"].values():
            note["text"] += " " + " ".join(rng.choices(words, weights, k=rng.randint(3, 8)))
            if rng.random() < 0.1 and meta["situations"]:
                note["situation"] = rng.choice(meta["situations"])
        if name in last:  # look back at the previous session's agreements
            source, actions = last[name]
            meta["lookback"] = [
                {"action": a["id"], "from": source, "text": a["text"], "owner": a["owner"],
                 "review": a["review"], "status": rng.choice(("done", "carried", "dropped")),
                 "learned": rng.choice(NOTE_TEXTS), "owner_person": False,
                 "owner_named": False} for a in actions]
        stem = session_stem(title, day)
        last[name] = (stem, meta["actions"])
        path = folder / f"{stem}.json"
        if i % 337 == 5:
            path.write_bytes(store_dumps(data)[:300])  # a broken file: cut short
        else:
            if uncounted is not None:
                (uncounted / path.name).write_bytes(store_dumps(data))
            data["words"] = {"1": words_document(data)}
            path.write_bytes(store_dumps(data))
    for i in range(20):  # reflections that went into the library
        day = start + timedelta(days=i * 40)
        meta = {"schema": 1, "title": f"Reflectie {i}", "date": day.isoformat(),
                "lang": "nl", "format": {"id": "reflection", "reflection": True, "rounds": []},
                "to_library": [{"situation": f"situation-{i}", "title": f"Situatie {i}",
                                "file": f"situation-{i}.md", "date": day.isoformat()}]}
        for place in (folder, uncounted) if uncounted is not None else (folder,):
            (place / f"{day.isoformat()}-reflectie-{i}.json").write_bytes(
                store_dumps({"session": {"1": meta}, "notes": {}}))
    if uncounted is not None:
        for broken in folder.glob("*.json"):
            if not (uncounted / broken.name).exists():
                shutil.copyfile(broken, uncounted / broken.name)


COLLECT = """
import json, os, resource, sys, time
def cpu():  # this process and its helper processes (joined by then)
    used = os.times()
    return used.user + used.system + used.children_user + used.children_system
t0 = time.perf_counter()
from goodwork_tui.core.patterns import collect
t1, c1 = time.perf_counter(), cpu()
found = collect(__import__("pathlib").Path(sys.argv[1]))
t2, c2 = time.perf_counter(), cpu()
again = collect(__import__("pathlib").Path(sys.argv[1]))
t3, c3 = time.perf_counter(), cpu()
print(json.dumps({"import": t1 - t0, "collect": t2 - t1, "again": t3 - t2,
                  "collect_cpu": c2 - c1, "again_cpu": c3 - c2,
                  "sessions": len(found.sessions), "notes": found.notes,
                  "problems": len(found.problems), "words": len(found.words),
                  "rss_mb": max(resource.getrusage(who).ru_maxrss for who in (
                      resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN)) / 1024}))
"""

REPORT = """
import os, resource, sys, time
t0 = time.perf_counter()
from goodwork_tui.cli import main
code = main(sys.argv[1:])
used = os.times()  # this process and its helper processes (joined by then)
print(time.perf_counter() - t0, max(resource.getrusage(who).ru_maxrss for who in (
          resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN)) / 1024, code,
      used.user + used.system + used.children_user + used.children_system, file=sys.stderr)
"""


def pace() -> tuple[float, float]:
    """Milliseconds for a fixed pure-Python loop, least and median of 7: how fast this
    machine runs Python at the moment. On a shared virtual machine this changes (by up to
    half, within minutes, on the 2-core machine these figures come from), and every
    figure with it: compare figures taken at a similar pace."""
    times = []
    for _ in range(7):
        started = time.perf_counter()
        total = 0
        for i in range(1_000_000):
            total += i
        times.append((time.perf_counter() - started) * 1000)
    return min(times), statistics.median(times)


def child(code: str, args: list[str], env: dict[str, str]) -> tuple[float, str, str]:
    started = time.perf_counter()
    done = subprocess.run([sys.executable, "-c", code, *args], capture_output=True, text=True,
                          env=env, cwd=ROOT, timeout=600)
    if done.returncode != 0:
        raise SystemExit(done.stderr)
    return time.perf_counter() - started, done.stdout, done.stderr


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sessions", type=int, default=1_000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--keep", metavar="DIR")
    parser.add_argument("--json", action="store_true",
                        help="print the figures as JSON (for benchmarks/run.py)")
    args = parser.parse_args()
    base = Path(args.keep) if args.keep else Path(tempfile.mkdtemp(prefix="gw-patterns-"))
    workspace = base / "ws"
    sessions = workspace / "sessions"
    older = base / "ws-uncounted"  # the same sessions without their word counts
    cache = base / "cache"
    if not sessions.exists():
        for place in (workspace, older):
            (place / "library").mkdir(parents=True, exist_ok=True)
        generate(sessions, args.sessions, uncounted=older / "sessions")
    size = sum(p.stat().st_size for p in sessions.glob("*.json")) / 1e6
    env = dict(os.environ, GOODWORK_CACHE=str(cache), GOODWORK_CONFIG=str(base / "c.toml"),
               PYTHONPYCACHEPREFIX=str(base / "pyc"), PYTHONPATH=str(ROOT))
    # byte-code as an installed program has it (pip compiles it): with
    # PYTHONDONTWRITEBYTECODE set, every process compiled what it imports (the standard
    # library too, under the prefix), ~0.3 s of every figure; one untimed report makes it
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    shutil.rmtree(cache, ignore_errors=True)
    child(COLLECT, [str(sessions)], env)
    child(REPORT, ["--workspace", str(workspace), "report", "-o", str(base / "report.md")], env)
    rows: dict[str, list[float]] = {}
    cpu: dict[str, list[float]] = {}
    memory: dict[str, float] = {}
    info: dict = {}

    def note(label: str, wall: float, used: float, rss: float) -> None:
        rows.setdefault(label, []).append(wall)
        cpu.setdefault(label, []).append(used)
        memory[label] = max(memory.get(label, 0.0), rss)

    before = os.getloadavg()[0] if hasattr(os, "getloadavg") else 0.0
    pace_before = pace()
    for _ in range(args.runs):
        shutil.rmtree(cache, ignore_errors=True)
        _wall, out, _err = child(COLLECT, [str(sessions)], env)
        cold = json.loads(out)
        _wall, out, _err = child(COLLECT, [str(sessions)], env)
        warm = info = json.loads(out)
        note("collect, cold (no cache)", cold["collect"], cold["collect_cpu"], cold["rss_mb"])
        note("collect, warm (new process)", warm["collect"], warm["collect_cpu"], warm["rss_mb"])
        note("collect, warm (app running)", warm["again"], warm["again_cpu"], warm["rss_mb"])
        for label, clear, place in (
                ("report, cold (no cache)", True, workspace),
                ("report, new process", False, workspace),
                ("report, cold, older files", True, older)):
            if clear:
                shutil.rmtree(cache, ignore_errors=True)
            target = base / "report.md"
            wall, _out, err = child(REPORT, ["--workspace", str(place), "report", "-o",
                                             str(target)], env)
            fields = err.strip().splitlines()[-1].split()
            note(label, wall, float(fields[3]), float(fields[1]))
    if args.json:
        if not args.keep:
            shutil.rmtree(base, ignore_errors=True)
        print(json.dumps({"wall": rows, "cpu": cpu, "memory": memory,
                          "notes": info.get("notes", 0)}))
        return 0
    targets = {"collect, warm (app running)": 0.3, "collect, warm (new process)": 0.3,
               "report, cold (no cache)": 1.0, "report, new process": 1.0}
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else 0.0
    print(f"{args.sessions} sessions, {info.get('notes', 0):,} notes counted, "
          f"{size:.0f} MB of session files, {info.get('problems', 0)} broken files left out, "
          f"{info.get('words', 0)} recurring words; {args.runs} runs each; "
          f"{os.cpu_count()} cores, load average {before:.1f} before, {load:.1f} after "
          f"(the benchmark's own processes count in it)")
    pace_after = pace()
    print(f"pace of this machine (a fixed Python loop, ms, least / median of 7): "
          f"{pace_before[0]:.0f} / {pace_before[1]:.0f} before, "
          f"{pace_after[0]:.0f} / {pace_after[1]:.0f} after")
    print(f"{'figure':<30} {'min':>7} {'median':>7} {'max':>7} {'cpu med':>7} "
          f"{'target':>7} {'peak MB':>7}")
    met = True
    for label, values in rows.items():
        target = targets.get(label)
        ok = target is None or statistics.median(values) <= target
        met = met and ok and memory.get(label, 0) < 150
        print(f"{label:<30} {min(values):7.3f} {statistics.median(values):7.3f} "
              f"{max(values):7.3f} {statistics.median(cpu[label]):7.3f} "
              f"{f'{target:.1f} s' if target else '':>7} {memory.get(label, 0):7.0f} "
              f"{'' if ok else 'MISSED'}")
    if not args.keep:
        shutil.rmtree(base, ignore_errors=True)
    return 0 if met else 1


if __name__ == "__main__":
    raise SystemExit(main())
