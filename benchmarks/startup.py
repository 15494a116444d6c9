"""Time from process start to the first idle screen: Goed Werk vs a bare Textual app.

Each app runs headless in a fresh process; when its first screen is drawn (for Goed
Werk: with the starter library loaded and the tree filled) it prints the wall-clock
time and exits. Prints min/median/max over the runs and the ratio of the medians.

    python benchmarks/startup.py [--runs 7] [--workspace DIR]
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

BARE = """
import time
from textual.app import App
from textual.widgets import Footer, Header

class Bare(App):
    def compose(self):
        yield Header()
        yield Footer()

    def on_mount(self):
        self.call_after_refresh(self.ready)

    def ready(self):
        print(time.time(), flush=True)
        self.exit()

Bare().run(headless=True, size=(160, 48))
"""

GOODWORK = """
import time
from pathlib import Path
from goodwork_tui.core.config import Config
from goodwork_tui.core.workspace import Workspace
from goodwork_tui.ui.app import GoodWorkApp

from goodwork_tui.ui.startup import LibraryLoader

class MeasuredLoader(LibraryLoader):
    def ready(self, library, index):
        super().ready(library, index)
        self.app.call_after_refresh(self.app.ready)

class Measured(GoodWorkApp):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.loader.__class__ = MeasuredLoader  # the same loader, measured

    def ready(self):
        print(time.time(), flush=True)
        self.exit()

Measured(Workspace(Path({root!r}), "option"), config=Config(Path("/nonexistent/x.toml")),
         lang="en").run(headless=True, size=(160, 48))
"""


def measure(code: str, runs: int) -> list[float]:
    times = []
    for _ in range(runs):
        start = time.time()
        out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                             check=True, cwd=ROOT)
        times.append(float(out.stdout.strip().splitlines()[-1]) - start)
    return times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--workspace", default=str(ROOT))
    args = parser.parse_args()
    measure(BARE, 1)  # warm the file cache and byte-code
    bare = measure(BARE, args.runs)
    ours = measure(GOODWORK.format(root=args.workspace), args.runs)
    print(f"first idle screen, {args.runs} runs each, seconds")
    print(f"{'app':<28}{'min':>8}{'median':>8}{'max':>8}")
    rows = (("bare Textual (Header+Footer)", bare), ("goodwork, starter library", ours))
    for name, values in rows:
        print(f"{name:<28}{min(values):>8.3f}{statistics.median(values):>8.3f}"
              f"{max(values):>8.3f}")
    print(f"ratio of medians: {statistics.median(ours) / statistics.median(bare):.2f} "
          "(target <= 1.3)")


if __name__ == "__main__":
    main()
