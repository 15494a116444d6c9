"""Reuse what was read from the library while its files have not changed.

Reading 10,000 situation files takes seconds; the app keeps, per file, what it read
(keyed by path, size and modification time) in one pickle in the user cache folder, so
a warm start only looks at the files' sizes and dates and reads the changed ones. The
cache is only ever written by this program, atomically; one that cannot be read is
ignored and rebuilt.
"""

from __future__ import annotations

import os
import pickle
import zlib
from collections import Counter
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING

from .. import __version__
from .atomic import write_atomic
from .i18n import LANGUAGES
from .model import Library

if TYPE_CHECKING:
    from .library_files import FileCache, Progress

CACHE_FORMAT = 6  # 4: images and portraits carry source and consent; 5: Round.helper;
# 6: Round.reveal


def cache_dir() -> Path:
    if os.environ.get("GOODWORK_CACHE"):
        return Path(os.environ["GOODWORK_CACHE"])
    from platformdirs import user_cache_dir

    return Path(user_cache_dir("goodwork", appauthor=False))


def cache_file(root: Path, kind: str = "library") -> Path:
    # a name per library folder; the header inside says which folder it holds (zlib's
    # checksums, not hashlib: loading OpenSSL costs a millisecond of start-up)
    key = str(root.resolve()).encode("utf-8", "surrogateescape")
    return cache_dir() / f"{kind}-{zlib.crc32(key):08x}{zlib.adler32(key):08x}.pickle"


def _header(root: Path) -> tuple:
    # tag labels go into the search text: a change of tags.yaml means reading afresh
    try:
        stat = (root / "tags.yaml").stat()
        tags = (stat.st_size, stat.st_mtime_ns)
    except OSError:
        tags = None
    return (CACHE_FORMAT, __version__, str(root), tags)


def _read(path: Path, header: tuple) -> FileCache:
    # the parsing code is imported when a library is read, not when the app starts
    from .library_files import FileCache

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
    from .library import load_library
    from .search import prepare

    path, header = cache_file(root), _header(root)
    cache = _read(path, header)
    library = load_library(root, full=False, cache=cache, progress=progress)
    prepare(library.situations, library.tags)  # folded search text goes into the cache too
    _write(path, header, cache, keep_body=False)
    _write_outline(root, library)
    return library


@dataclass(frozen=True)
class Outline:
    """What a library's first screen shows, as it was when the library was last read:
    its collections and how many situations each shows per language. A few KB, read in
    a millisecond, so a big library's screen need not wait for the library itself."""

    situations: int
    collections: tuple[tuple[str, tuple[tuple[str, str], ...]], ...]  # id, titles by lang
    counts: tuple[tuple[str, tuple[tuple[str, int], ...]], ...]  # lang → collection, count

    def collection_titles(self, lang: str) -> list[tuple[str, str]]:
        """(id, title in `lang`, else any) of each collection, in library order."""
        shown = []
        for collection_id, titles in self.collections:
            by_lang = dict(titles)
            shown.append((collection_id, by_lang.get(lang) or next(iter(by_lang.values()), "")
                          or collection_id))
        return shown

    def count(self, lang: str) -> dict[str, int]:
        """Situations shown per collection in `lang` (one per translation group)."""
        return dict(dict(self.counts).get(lang, ()))


def _outline_of(library: Library) -> Outline:
    counts = []
    for lang in LANGUAGES:
        per = Counter(situation.collection for situation in library.shown(lang))
        counts.append((lang, tuple(per.items())))
    return Outline(
        situations=len(library.situations),
        collections=tuple((c.id, tuple(sorted(c.title.items())))
                          for c in library.collections.values()),
        counts=tuple(counts))


def _write_outline(root: Path, library: Library) -> None:
    path, header = cache_file(root, "outline"), _header(root)
    fresh = _outline_of(library)
    if outline(root) == fresh:
        return
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        write_atomic(path, pickle.dumps((header, fresh), protocol=pickle.HIGHEST_PROTOCOL))
    except OSError:
        pass  # a read-only cache folder only costs speed


def outline(root: Path) -> Outline | None:
    """The outline written when the library at `root` was last read, if any. Files may
    have changed since: it is for showing something at once, not for trusting."""
    try:
        with cache_file(root, "outline").open("rb") as handle:
            header, stored = pickle.load(handle)  # noqa: S301 - our own file
    except Exception:  # noqa: BLE001 - no outline only costs time
        return None
    return stored if header == _header(root) and isinstance(stored, Outline) else None


def check(root: Path, *, progress: Progress | None = None) -> Library:
    """The library fully parsed and checked (every section), using a cache of its own."""
    from .library import load_library

    path, header = cache_file(root, "check"), _header(root)
    cache = _read(path, header)
    library = load_library(root, full=True, cache=cache, progress=progress)
    # only the problems and the ids and links (for the checks across files) are needed
    # from here: keep the cache small
    for key, entry in cache.used.items():
        cache.used[key] = _without_body(entry, sections=True)
    _write(path, header, cache)
    return library
