"""Reuse the parsed library while no file in it has changed.

Parsing Markdown and YAML is the slow part of start-up. The parsed `Library` is
pickled in the user cache folder under a signature of every file's path, size and
modification time; any change to any file means a fresh parse. The cache is only ever
written by this program, atomically, and a cache that cannot be read is ignored.
"""

from __future__ import annotations

import hashlib
import os
import pickle
from pathlib import Path

from .. import __version__
from .atomic import write_atomic
from .model import Library

CACHE_FORMAT = 1


def cache_dir() -> Path:
    if os.environ.get("GOODWORK_CACHE"):
        return Path(os.environ["GOODWORK_CACHE"])
    from platformdirs import user_cache_dir

    return Path(user_cache_dir("goodwork", appauthor=False))


def signature(root: Path) -> tuple:
    """Every file below root (hidden folders skipped) with its size and mtime."""
    entries = []
    for folder, dirs, files in os.walk(root):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for name in sorted(files):
            path = os.path.join(folder, name)
            try:
                stat = os.stat(path)
            except OSError:
                entries.append((path, -1, -1))
                continue
            entries.append((path, stat.st_size, stat.st_mtime_ns))
    return (CACHE_FORMAT, __version__, str(root), tuple(entries))


def _cache_file(root: Path) -> Path:
    digest = hashlib.sha256(str(root.resolve()).encode("utf-8", "surrogateescape")).hexdigest()
    return cache_dir() / f"library-{digest[:20]}.pickle"


def load(root: Path) -> Library:
    """The library at `root`, from the cache when nothing changed, else parsed afresh."""
    before = signature(root)
    path = _cache_file(root)
    try:
        with path.open("rb") as handle:
            stored_signature, library = pickle.load(handle)  # noqa: S301 - our own file
        if stored_signature == before and isinstance(library, Library):
            return library
    except Exception:  # noqa: BLE001 - any unreadable cache just means a fresh parse
        pass
    from .library import load_library

    library = load_library(root)
    # Only store what was parsed from an unchanged tree, so an edit made while we
    # parsed is never hidden behind a stale cache.
    if signature(root) == before:
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            write_atomic(path, pickle.dumps((before, library), protocol=pickle.HIGHEST_PROTOCOL))
        except OSError:
            pass  # a read-only cache folder only costs speed
    return library
