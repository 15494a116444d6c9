"""Python's garbage collector and the app's long-lived objects: all of it, in one place.

A library of ten thousand situations (and its search index) lives as long as the app.
Left in the collector's generations, every full pass walks all of it again and stalls
typing for 80-180 ms; frozen (`gc.freeze`, moved to a generation no pass visits) the
pauses drop to 15-21 ms (docs/performance.md). So what is alive once the library is
loaded is frozen; a reload lets the previous library go first, so it is not kept forever.

(The core's one use of the collector, pausing it during an HTML render, stays in
core/harvest_html.py: the core never imports the interface.)
"""

from __future__ import annotations

import gc


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
