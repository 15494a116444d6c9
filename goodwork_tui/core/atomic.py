"""Write a file so that it is either the old or the new version, never half of either."""

from __future__ import annotations

import contextlib
import os
import re
import tempfile
import time
from pathlib import Path

# Our temp files: ".<target name>.<mkstemp's 8 random characters>.tmp" (see _durable_temp).
_OUR_TEMP = re.compile(r"\A\..+\.[a-z0-9_]{8}\.tmp\Z")
# A write takes milliseconds; a temp file older than this was left by a process that died
# (kill -9, power cut). Younger ones may belong to a write going on right now.
STALE_AFTER = 60.0


def fsync_dir(folder: Path) -> None:
    """Make a rename durable. Not possible (nor needed) on Windows."""
    if os.name == "nt":
        return
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _durable_temp(path: Path, data: bytes, mode: int | None = None) -> str:
    """A temp file beside `path` holding `data`, flushed and fsynced; its name."""
    return _temp(path, data, mode, durable=True)


def _temp(path: Path, data: bytes, mode: int | None, *, durable: bool) -> str:
    """A temp file beside `path` holding `data`, flushed and fsynced if `durable`; its
    name.

    The file gets `mode`, else the mode of the file it replaces, else the private 0o600
    of mkstemp (sessions hold people's words).
    """
    if mode is None:
        with contextlib.suppress(OSError):
            mode = os.stat(path).st_mode & 0o777
    fd, temp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        if mode is not None and hasattr(os, "fchmod"):
            os.fchmod(fd, mode)
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            if durable:
                os.fsync(handle.fileno())
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temp_name)
        raise
    return temp_name


def write_atomic(path: Path, data: bytes, mode: int | None = None, *,
                 durable: bool = True) -> None:
    """Temp file in the same folder, flush, fsync, replace, fsync the folder.

    `durable=False` (for a cache, which is made again when unreadable) leaves out the
    fsyncs: still never half a file while the system runs, but after a power cut it may
    be empty or damaged. They cost more than the writing (a 16 MB cache: ~25 ms against
    ~16 ms on an SSD; far more on a slow disk).

    Raises OSError (full disk, read-only folder ...) with the original file untouched.
    """
    temp_name = _durable_temp(path, data, mode) if durable else _temp(
        path, data, mode, durable=False)
    try:
        os.replace(temp_name, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temp_name)
        raise
    if durable:
        fsync_dir(path.parent)


def create_new(path: Path, data: bytes, mode: int | None = None) -> None:
    """Make `path` holding `data`; FileExistsError if the name is taken.

    The file appears complete or not at all: the data is written and fsynced under a
    temporary name, then hard-linked to its name (which, unlike os.replace, never
    overwrites). Without hard links (FAT, some shares) the name is reserved with O_EXCL
    and then replaced; a failure there removes the reserved, still empty file.
    """
    temp_name = _durable_temp(path, data, mode)
    try:
        try:
            os.link(temp_name, path)
        except FileExistsError:
            raise
        except OSError:
            os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644))
            try:
                os.replace(temp_name, path)
            except BaseException:
                with contextlib.suppress(OSError):
                    os.unlink(path)
                raise
    finally:
        with contextlib.suppress(OSError):
            os.unlink(temp_name)
    fsync_dir(path.parent)


def remove_stale_temps(folder: Path, older_than: float = STALE_AFTER) -> list[str]:
    """Remove the temp files a killed writer left in `folder`: only ours (by their name),
    only regular files, only older than `older_than` seconds. Returns the names removed;
    what cannot be read or removed is left alone."""
    removed: list[str] = []
    now = time.time()
    try:
        entries = os.scandir(folder)
    except OSError:
        return removed
    with entries:
        for entry in entries:
            if not _OUR_TEMP.match(entry.name):
                continue
            try:
                if (not entry.is_file(follow_symlinks=False)
                        or now - entry.stat(follow_symlinks=False).st_mtime < older_than):
                    continue
                os.unlink(entry.path)
            except OSError:
                continue
            removed.append(entry.name)
    return removed
