"""Harvest export speed: sessions of 100, 2,000 and 5,000 notes, as Markdown and as HTML.

Each session is generated deterministically (fixed seed): realistic Dutch and English
notes of every kind and lens, some multi-line or full of Markdown characters, themes with
dot votes, stars, room-only notes, take-aways and action agreements. For each size and
format it times, over --runs runs:

- file → text: open the session file read-only, read the notes, build and render the
  harvest (what `goodwork export` does after start-up);
- export():    building and rendering alone, on notes already in memory.

and prints min / median / max against the target (5,000 notes ≤ 0.5 s, file → text).

The notes are drawn from a dozen sentences, so many share their text; the HTML render
does each distinct piece once. --distinct makes every note's text its own, as in a real
session, for the figure without that help.

    python benchmarks/export_speed.py [--runs 7] [--dir DIR] [--distinct]
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from goodwork_tui.core.harvest import export  # noqa: E402
from goodwork_tui.core.model import LENSES, NOTE_KINDS  # noqa: E402
from goodwork_tui.core.session_store import SessionStore  # noqa: E402

SIZES = (100, 2_000, 5_000)
TARGET_S = {5_000: 0.5}
SEED = 20260314
FORMAT = {"id": "dag-van-rondes-nl", "title": "Dag van rondes",
          "rounds": [{"title": title, "prompt": "", "minutes": 45, "kinds": ["experience"]}
                     for title in ("Opening", "Werkronde: vragen", "Werkronde: puzzels",
                                   "Werkronde: uitdagingen", "Samen", "Oogst")]}
SENTENCES = (
    "We vroegen eerst de partners wat zij nodig hadden, pas daarna kwam ons plan op tafel.",
    "She kept the information to herself and asked the chair to put the question on the "
    "agenda instead — it cost a week but nobody felt passed over.",
    "Verschillen tussen teams zijn juist wat ze goed maakt; uniformiteit is niet het doel.",
    "Question for next time: how do we know when enthusiasm is shared and not just polite?",
    "De cliënt wilde één aanpak na de fusie, maar de teams werkten elk op hun eigen manier.",
    "Ik had het gesprek eerder moeten voeren, niet pas toen het al schuurde.",
    "Wat voor de één professioneel verantwoord is, voelt voor de ander als wantrouwen.",
    "Energy came back when we let the team decide the order of the work themselves.",
    "Regels: ze verschillen per team, en dat is niet altijd erg (zie ronde 2).",
    "1. eerst bellen 2. dan mailen — of juist andersom? *Niemand* wist het zeker.",
    "Het #thema kwam steeds terug: wie beslist er eigenlijk, en wie draagt de gevolgen?",
    "Costs 20% more time, saves <a lot> of trust — [worth it] says the team_lead.",
)
THEMES = ("Vertrouwen", "Informatie delen", "Eigen regie", "Grenzen", "Tijd en ruimte",
          "Samenwerken met partners", "Wie beslist?", "Energie", "Waarden onder druk",
          "Leren van elkaar", "Uniformiteit", "Moed")


def note_text(rng: random.Random, i: int, distinct: bool = False) -> str:
    text = rng.choice(SENTENCES)
    if i % 7 == 0:  # a longer story over a few lines
        text += "\n" + rng.choice(SENTENCES) + "\n\n" + rng.choice(SENTENCES)
    return f"{text} (nr. {i})" if distinct else text


def generate(folder: Path, size: int, distinct: bool = False) -> Path:
    """A session file with `size` notes, the same bytes every time."""
    rng = random.Random(SEED + size)
    people = [{"name": name, "consent": rng.random() < 0.5}
              for name in ("Anouk", "Bram", "Chris", "Dewi", "Eva", "Femke", "", "")]
    with SessionStore.create(
        folder, title=f"Netwerkdag {size}", on=date(2026, 3, 14), group="Leercoaches",
        facilitator="Anouk", format=FORMAT, participants=people, lang="nl",
        situations=["leerbegeleiding-een-nl", "leerbegeleiding-twee-nl"],
    ) as store:
        themes = [{"id": f"t{n}", "name": name} for n, name in enumerate(THEMES, start=1)]
        store.notes_table.insert_multiple({
            "id": f"n{i:05d}", "seq": i, "text": note_text(rng, i, distinct),
            "round": rng.randrange(len(FORMAT["rounds"])),
            "kind": rng.choice([*NOTE_KINDS, ""]), "lens": rng.choice([*LENSES, "", ""]),
            "speaker": rng.choice(["", "p1", "p2", "p3", "p4", "p5", "p6", "p7", "p8"]),
            "situation": "", "room_only": rng.random() < 0.05,
            "starred": rng.random() < 0.1, "votes": rng.choice([0, 0, 0, 1, 2, 3, 5]),
            "theme": rng.choice(["", "", "", *(t["id"] for t in themes)]),
            "created": "2026-03-14T09:00:00+01:00",
        } for i in range(1, size + 1))
        store.update_meta(
            themes=themes,
            takeaways="Verhalen reizen slecht, vragen reizen goed.\n\n"
                      "Volgende keer: eerst de gedeelde vraagstukken.",
            actions=[{"id": f"a{n}", "text": rng.choice(SENTENCES), "owner": people[n]["name"],
                      "review": f"2026-0{4 + n}-01"} for n in range(5)],
        )
        return store.path


def from_file(path: Path, fmt: str) -> str:
    with SessionStore.open(path, read_only=True) as store:
        return export(store.meta, store.notes(), fmt=fmt)


def timed(function, runs: int) -> list[float]:  # type: ignore[no-untyped-def]
    function()  # warm-up: imports, caches
    timings = []
    for _ in range(runs):
        started = time.perf_counter()
        function()
        timings.append(time.perf_counter() - started)
    return timings


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7, help="timed runs per case (≥ 5)")
    parser.add_argument("--dir", type=Path, default=None,
                        help="where to write the generated sessions (default: a temp folder)")
    parser.add_argument("--distinct", action="store_true",
                        help="every note's text its own (no two notes share a text)")
    args = parser.parse_args()
    runs = max(5, args.runs)
    with tempfile.TemporaryDirectory(dir=args.dir) as temp:
        folder = Path(temp)
        print(f"harvest export, {runs} runs each (seconds)"
              f"{', every note text distinct' if args.distinct else ''}\n")
        header = (f"{'notes':>6}  {'fmt':<4}  {'file → text: min':>16}  {'median':>7}  "
                  f"{'max':>7}  {'export() median':>15}  {'out KB':>6}  target")
        print(header)
        print("-" * len(header))
        failed = False
        for size in SIZES:
            path = generate(folder, size, args.distinct)
            with SessionStore.open(path, read_only=True) as store:
                meta, notes = store.meta, store.notes()
            for fmt in ("md", "html"):
                whole = timed(lambda path=path, fmt=fmt: from_file(path, fmt), runs)
                core = timed(lambda m=meta, n=notes, fmt=fmt: export(m, n, fmt=fmt), runs)
                size_kb = len(from_file(path, fmt).encode("utf-8")) / 1024
                target = TARGET_S.get(size)
                verdict = ""
                if target is not None:
                    ok = max(whole) <= target
                    failed |= not ok
                    verdict = f"≤ {target} s {'ok' if ok else 'MISSED'}"
                print(f"{size:>6}  {fmt:<4}  {min(whole):>16.4f}  "
                      f"{statistics.median(whole):>7.4f}  {max(whole):>7.4f}  "
                      f"{statistics.median(core):>15.4f}  {size_kb:>6.0f}  {verdict}")
        print("\n(target: a 5,000-note session exported in at most 0.5 s, every run)")
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
