"""Reuse what was read from the library while its files have not changed.

Reading 10,000 situation files takes seconds; the app keeps, per file, what it read
(keyed by path, size and modification time) in one pickle in the user cache folder, so
a warm start only looks at the files' sizes and dates and reads the changed ones. The
cache is only ever written by this program, atomically; one that cannot be read is
ignored and rebuilt.
"""

from __future__ import annotations

import hashlib
import os
import pickle
from dataclasses import replace
from pathlib import Path

from .. import __version__
from .atomic import write_atomic
from .library import FileCache, Progress, load_library
from .model import Library
from .search import prepare

CACHE_FORMAT = 3


def cache_dir() -> Path:
    if os.environ.get("GOODWORK_CACHE"):
        return Path(os.environ["GOODWORK_CACHE"])
    from platformdirs import user_cache_dir

    return Path(user_cache_dir("goodwork", appauthor=False))


def _cache_file(root: Path, kind: str = "library") -> Path:
    digest = hashlib.sha256(str(root.resolve()).encode("utf-8", "surrogateescape")).hexdigest()
    return cache_dir() / f"{kind}-{digest[:20]}.pickle"


def _header(root: Path) -> tuple:
    # tag labels go into the search text: a change of tags.yaml means reading afresh
    try:
        stat = (root / "tags.yaml").stat()
        tags = (stat.st_size, stat.st_mtime_ns)
    except OSError:
        tags = None
    return (CACHE_FORMAT, __version__, str(root), tags)


def _read(path: Path, header: tuple) -> FileCache:
    try:
        with path.open("rb") as handle:
            stored_header, stored = pickle.load(handle)  # noqa: S301 - our own file
        if stored_header == header and isinstance(stored, dict):
            return FileCache(stored)
    except Exception:  # noqa: BLE001 - an unreadable cache only costs time
        pass
    return FileCache()


def _without_body(entry: tuple, sections: bool = False) -> tuple:
    stamp, variant, (value, problems) = entry
    if variant[0] != "situation" or value is None:
        return entry
    if sections:
        value = replace(value, body="", story="", dimensions={}, questions=(), images=(),
                        search_text="", search_title="")
    else:
        value = replace(value, body="")
    return (stamp, variant, (value, problems))


def _write(path: Path, header: tuple, cache: FileCache, keep_body: bool = True) -> None:
    if not cache.changed:
        return
    entries = cache.used
    if not keep_body:  # bodies are read from the file when a situation is opened
        entries = {key: _without_body(entry) for key, entry in entries.items()}
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        write_atomic(path, pickle.dumps((header, entries), protocol=pickle.HIGHEST_PROTOCOL))
    except OSError:
        pass  # a read-only cache folder only costs speed


def load(root: Path, *, progress: Progress | None = None) -> Library:
    """The library at `root` as the app needs it (sections not parsed), using the cache."""
    path, header = _cache_file(root), _header(root)
    cache = _read(path, header)
    library = load_library(root, full=False, cache=cache, progress=progress)
    prepare(library.situations, library.tags)  # folded search text goes into the cache too
    _write(path, header, cache, keep_body=False)
    return library


def check(root: Path, *, progress: Progress | None = None) -> Library:
    """The library fully parsed and checked (every section), using a cache of its own."""
    path, header = _cache_file(root, "check"), _header(root)
    cache = _read(path, header)
    library = load_library(root, full=True, cache=cache, progress=progress)
    # only the problems and the ids and links (for the checks across files) are needed
    # from here: keep the cache small
    for key, entry in cache.used.items():
        cache.used[key] = _without_body(entry, sections=True)
    _write(path, header, cache)
    return library
