"""Python's garbage collector is paused while the interface starts.

Importing Textual and building the first screen make a few hundred thousand objects,
nearly all of them kept for the app's whole life. The collector's passes over them
cost ~15 ms of a quarter-second start (more than the whole parsing of the library
list) and free next to nothing. So `pause()` runs when the interface package is
imported and when the app is made, and `resume()` when the first screen is complete,
when the app exits, or after PAUSE_LIMIT seconds whatever happens (a process that
imports the interface without running the app).
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
