"""The library on disk: which files there are, and what was read from each before.

Finding the files (collection folders, Markdown files with their size and mtime) and
the `FileCache` that lets an unchanged file be reused are kept apart from the parsing
of one file (`library.py`), so either can change without the other. The names of the
library's special files live here, as the scanning needs them and the parser imports
them from here (not the other way round: no import cycle).
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

COLLECTION_FILE = "_collection.md"
FORMATS_DIR = "formats"
TAGS_FILE = "tags.yaml"
NOT_SITUATIONS = {"readme.md", COLLECTION_FILE}
# the other version of a file that `goodwork sync` keeps beside it after a conflict
# (NAME.conflict.md, NAME.conflict-2.md …): named as a problem, never read as a situation
CONFLICT_COPY = re.compile(r"^(?P<stem>.+)\.conflict(?:-\d+)?\.md$", re.IGNORECASE)


def conflict_original(name: str) -> str | None:
    """The file name a conflict copy is the other version of, or None."""
    match = CONFLICT_COPY.match(name)
    return f"{match['stem']}.md" if match else None


def markdown_files(folder: Path, conflicts: list[Path] | None = None) -> Iterable[Path]:
    return [Path(path) for path, _stamp in stamped_markdown_files(folder, None, conflicts)]


def stamped_markdown_files(folder: Path, broken: list[Path] | None = None,
                           conflicts: list[Path] | None = None,
                           ) -> list[tuple[str, tuple[int, int]]]:
    """Markdown files in `folder` by name, with (size, mtime). Plain strings and scandir:
    with ten thousand files, making Path objects and stat calls is most of a warm load.
    Links that loop or lead nowhere go to `broken`, so they can be named; a sync's
    conflict copies go to `conflicts` (and are never read as library files)."""
    found = []
    try:
        with os.scandir(folder) as entries:
            for entry in entries:
                name = entry.name
                if (not name.lower().endswith(".md") or name.startswith(".")
                        or name.lower() in NOT_SITUATIONS):
                    continue
                if ".conflict" in name.lower() and CONFLICT_COPY.match(name):
                    if conflicts is not None:
                        conflicts.append(folder / name)
                    continue
                try:
                    if not entry.is_file():
                        if entry.is_symlink() and broken is not None:
                            broken.append(folder / name)
                        continue
                    stat = entry.stat()
                except OSError:  # symlink loops and the like
                    if broken is not None:
                        broken.append(folder / name)
                    continue
                found.append((name, (stat.st_size, stat.st_mtime_ns)))
    except OSError:
        return []
    found.sort()
    base = str(folder)
    return [(os.path.join(base, name), stamp) for name, stamp in found]


def collection_folders(root: Path) -> list[Path]:
    try:
        entries = sorted(root.iterdir())
    except OSError:
        return []
    folders = []
    for entry in entries:
        # "_inbox" and other "_" folders hold material that is not (yet) a collection
        if entry.name.startswith((".", "_")) or entry.name == FORMATS_DIR:
            continue
        try:
            if entry.is_dir():
                folders.append(entry)
        except OSError:
            continue
    return folders


Progress = Callable[[int, int], None]
Stamp = tuple[int, int]


def stamp_of(path: Path | str) -> Stamp:
    try:
        stat = os.stat(path)
    except OSError:
        return (-1, -1)
    return (stat.st_size, stat.st_mtime_ns)


class FileCache:
    """What was read from each file, reused while its size and mtime stay the same.

    Entries are (stamp, variant, value): `variant` names what was computed (the kind of
    file and the options), so a result is only reused for the same question.
    """

    def __init__(self, entries: dict[str, tuple[Stamp, tuple, Any]] | None = None) -> None:
        self.entries = entries or {}
        self.used: dict[str, tuple[Stamp, tuple, Any]] = {}  # what this load looked at
        self.misses = 0

    def get(self, key: str, stamp: Stamp, variant: tuple, compute: Callable[[], Any]) -> Any:
        entry = self.entries.get(key)
        if entry is not None and entry[0] == stamp and entry[1] == variant:
            self.used[key] = entry
            return entry[2]
        self.misses += 1
        value = compute()
        self.used[key] = (stamp, variant, value)
        return value

    @property
    def changed(self) -> bool:
        return self.misses > 0 or len(self.used) != len(self.entries)
