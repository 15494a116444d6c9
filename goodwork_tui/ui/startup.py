"""Start-up: reading the library beside the first frame, and handing it to the screen.

The order matters for how fast the first frame appears:
1. The app is made: a small library starts being read in a thread at once; a big one
   read before shows its outline (collections and counts, as last read) instead.
2. The main screen is asked for: the reader gets a moment alone (FIRST_FRAME_WAIT), so
   a small library is in the first frame.
3. The screen is mounted (`show_if_read`): what was read by now is shown; else the
   outline, or a progress bar while a big library is read.
4. When read: the library goes to the library pane, the collector freezes it, and a
   frame later the check for problems runs and the session pane's resting part is
   built (the reader's heading is a Textual `Lazy`, mounted after the first frame).
"""

from __future__ import annotations

import threading
import time
from concurrent.futures import Future
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..core import library_cache
from ..core.model import Library
from ..core.search import SearchIndex
from . import collector
from .widgets.library_pane import LibraryPane
from .widgets.session_pane import SessionPane

if TYPE_CHECKING:
    from .app import GoodWorkApp

FIRST_FRAME_WAIT = 0.15  # seconds the first frame waits at most for the library
OUTLINE_FROM = 400  # situations from which the first frame shows the library's outline


def read_library(root: Path, progress) -> tuple[Library, SearchIndex]:
    library = library_cache.load(root, progress=progress)
    index = SearchIndex(library.tags)
    index.add(library.situations)
    return library, index


def _in_thread(function, *args: Any) -> Future:
    """Run `function` in a (daemon) thread now; the future holds its result or error."""
    future: Future = Future()

    def run() -> None:
        try:
            future.set_result(function(*args))
        except BaseException as error:  # noqa: BLE001 - handed to the waiting thread
            future.set_exception(error)

    threading.Thread(target=run, name="goodwork-library", daemon=True).start()
    return future


class LibraryLoader:
    """Reads the library for the app and hands it over to the main screen."""

    def __init__(self, app: GoodWorkApp) -> None:
        self.app = app
        self.progress: tuple[int, int] | None = None
        self.started = time.monotonic()
        root = app.workspace.library
        # A big library read before shows its outline in the first frame and is read
        # after it: read beside the interface being built, both would take several
        # times longer, fighting over the GIL.
        self.outline = library_cache.outline(root)
        if self.outline is not None and self.outline.situations <= OUTLINE_FROM:
            self.outline = None
        self.first: Future | None = None
        if self.outline is None:
            self.first = _in_thread(read_library, root, self._note_progress)

    def _note_progress(self, done: int, total: int) -> None:
        self.progress = (done, total)  # read by show_progress on the UI thread

    def _first_done(self, timeout: float) -> bool:
        """Wait up to `timeout` seconds for the first read; True when it succeeded."""
        if self.first is None:
            return False
        try:
            self.first.exception(timeout)
        except TimeoutError:
            return False
        return self.first.exception() is None

    def give_a_moment(self) -> None:
        """Give the reader a moment alone first: a small library is read in a few ms
        then, and shown in the first frame. A big one goes on in the background."""
        if self.first is not None:
            self._first_done(FIRST_FRAME_WAIT)

    def start(self) -> None:
        """The app is mounted: show progress, and read (or finish reading)."""
        app = self.app
        self.progress_timer = app.set_interval(0.1, self.show_progress)
        if self.first is not None:
            self.reload(self.first)
        else:
            app.call_after_refresh(self.reload)  # the outline is on screen first

    def show_progress(self) -> None:
        if self.progress is None or self.app.library is not None:
            return
        if self.outline is not None and time.monotonic() - self.started < 1.0:
            return  # the outline is shown: a warm read is over before a bar would help
        self.app.main.query_one(LibraryPane).show_progress(*self.progress)

    def reload(self, started: Future | None = None) -> None:
        """Read the library (again) off the UI thread; the screen is usable meanwhile.
        `started`: the first read, begun before the app was mounted."""
        self.app.run_worker(partial(self._read_and_hand_over, started), name="load_library",
                            thread=True, exclusive=True, group="library")

    def _read_and_hand_over(self, started: Future | None) -> None:
        library, index = self.read(started)
        self.app.call_from_thread(self.hand_over, library, index)

    def read(self, started: Future | None = None) -> tuple[Library, SearchIndex]:
        """In a worker thread: the library, read now or by the first read."""
        if started is not None:
            return started.result()
        return read_library(self.app.workspace.library, self._note_progress)

    def check(self) -> None:
        """Parse every section of every file (cached per file) for the problems panel."""
        self.app.run_worker(self._check, name="check_library", thread=True, exclusive=True,
                            group="check")

    def _check(self) -> None:
        checked = library_cache.check(self.app.workspace.library)
        self.app.call_from_thread(self.problems_ready, checked.problems)

    def show_if_read(self) -> None:
        """The main screen is built: a library read by now, or within a moment, is shown
        in its first frame (not a frame later, which lays out the whole screen again).
        While the interface is built, the reader thread gets little done: each of its
        many file checks waits for the GIL. Waiting here, it runs at full speed."""
        app = self.app
        if app.library is not None:
            return
        if self.outline is not None:
            app.main.query_one(LibraryPane).show_outline(self.outline, app.lang)
        elif self.first is not None and self._first_done(FIRST_FRAME_WAIT):
            self.ready(*self.first.result())

    def hand_over(self, library: Library, index: SearchIndex) -> None:
        """From the worker: the library read; shown unless shown already."""
        if library is not self.app.library:
            self.ready(library, index)

    def ready(self, library: Library, index: SearchIndex) -> None:
        app = self.app
        app.library, app.index = library, index
        # Ten thousand situations are long-lived objects: keep them out of the garbage
        # collector's passes, which otherwise stall typing for 100 ms and more.
        collector.freeze_library()
        self.progress_timer.pause()
        app.main.query_one(LibraryPane).set_library(library, index, app.lang)
        if app.current_id and library.situation(app.current_id):
            app.open_situation(app.current_id)
        # after the frame that shows the library: the check's file reads (and, when
        # files changed, its parsing) would otherwise compete with drawing it
        app.call_after_refresh(self._shown)

    def _shown(self) -> None:
        app = self.app
        self.check()
        # the session pane's resting part (intro, recent sessions) is built now (the
        # pane does so after the first frame; whichever comes first does it). Not a Lazy:
        # a session reopened after a crash, or F4 at once, needs it before that frame.
        main = app.main
        main.query_one(SessionPane).build_resting()
        collector.resume()

    def problems_ready(self, problems: list) -> None:
        app = self.app
        if app.library is None:
            return
        app.library.problems = problems
        app.main.query_one(LibraryPane).problems_changed()
        if problems:
            app.notify(app.t.plural("library.problems_notice", len(problems)),
                       severity="warning", markup=False)
