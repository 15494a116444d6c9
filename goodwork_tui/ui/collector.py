"""Python's garbage collector while the interface starts and runs: all of it, here.

Start-up: importing Textual and building the first screen make a few hundred thousand
objects, nearly all of them kept for the app's whole life. The collector's passes over
them free next to nothing and cost a fifth of the start (~60 ms of CPU time here, in
docs/performance.md). So the command line calls `pause()` just before it imports the
interface, the app calls it again when it is made (for apps made elsewhere: tests,
benchmarks), and `resume()` runs when the first screen is complete, when the app exits,
or after PAUSE_LIMIT seconds whatever happens. Importing the interface alone changes
nothing (the `goodwork` commands never import it).

Running: a library of ten thousand situations (and its search index) lives as long as
the app. Left in the collector's generations, every full pass walks all of it again and
stalls typing for 80-180 ms; frozen (`gc.freeze`, moved where no pass looks) the pauses
drop to 15-21 ms. So what is alive once the library is loaded is frozen; a reload lets
the previous library go first, so it is not kept forever.

(The core's one use of the collector, off during an HTML render, is in
core/harvest_html.py: the core never imports the interface.)
"""

from __future__ import annotations

import gc
import threading

PAUSE_LIMIT = 5.0  # seconds: the longest the collector stays paused

_paused = False


def pause() -> None:
    global _paused
    if not gc.isenabled():
        return  # paused already, or by someone who will resume it themselves
    gc.disable()
    _paused = True
    limit = threading.Timer(PAUSE_LIMIT, resume)
    limit.daemon = True
    limit.start()


def resume() -> None:
    """Let the collector run again, if `pause()` stopped it."""
    global _paused
    if _paused:
        _paused = False
        gc.enable()


def freeze_library() -> None:
    """Freeze what is alive now, the library just loaded included. Anything frozen
    before (a previous library) is unfrozen and collected first."""
    if gc.get_freeze_count():
        gc.unfreeze()
        gc.collect()
    gc.freeze()


def freeze_more() -> None:
    """Freeze what was made since, and is as long-lived as the library (a word index
    built for it), keeping what is frozen already."""
    gc.freeze()
