"""The sessions folder: which sessions there are, summarized without opening them.

Kept apart from `session_store` (TinyDB and the writing code): the main screen lists
recent sessions at start-up, and needs none of that to do so.
"""

from __future__ import annotations

import contextlib
import pickle
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .atomic import write_atomic
from .session_schema import (  # noqa: F401 - the listing's names, as before
    MAX_READ_BYTES,
    META_TABLE,
    NOTES_TABLE,
    SCHEMA,
    SUFFIX,
    SessionError,
    SessionMeta,
    check_shape,
)

_check_shape = check_shape  # the old name, for callers that still use it


@dataclass(slots=True)
class SessionSummary:
    id: str
    path: Path
    title: str
    date: str
    format_title: str
    notes: int
    rounds: int
    archived: bool
    problem: str | None = None
    created: str = ""
    reflection: bool = False
    series: str = ""  # the series it belongs to (issue 18), "" for none


def session_files(sessions_dir: Path) -> Iterator[Path]:
    try:
        entries = sorted(sessions_dir.iterdir(), reverse=True)
    except OSError:
        return
    for path in entries:
        if path.suffix == SUFFIX and not path.name.startswith(".") and path.is_file():
            yield path


def summarize(path: Path) -> SessionSummary:
    """Read one session file without locking it; a broken file gives a summary with a problem."""
    import json  # only for files not summarized before

    try:
        raw = path.read_bytes() if path.stat().st_size <= MAX_READ_BYTES else b""
        if raw.startswith(b"age-"):
            from . import vault

            try:
                raw = vault.reveal(path, raw)
            except vault.Locked:
                return _broken(path, "encrypted: unlock the workspace with its passphrase")
            except vault.Damaged:
                return _broken(path, "encrypted, but cannot be decrypted (damaged?)")
        data = json.loads(raw.decode("utf-8"))
        check_shape(path, data)
        meta = next(iter(data[META_TABLE].values()))
        schema = meta["schema"]
        if not isinstance(schema, int):
            raise ValueError(schema)
        if not isinstance(meta.get("format", {}), dict):
            raise ValueError("format")
        notes = len(data.get(NOTES_TABLE, {}))
        session = SessionMeta.of(meta)
        return SessionSummary(
            id=path.stem, path=path, title=str(meta.get("title", "")),
            date=str(meta.get("date", "")),
            format_title=str(session.format_title), notes=notes,
            rounds=len(meta.get("round_order", [])), archived=bool(meta.get("archived")),
            problem="made by a newer version of Goed Werk" if schema > SCHEMA else None,
            created=str(meta.get("created", "")),
            reflection=session.reflection,
            series=meta.get("series") if isinstance(meta.get("series"), str) else "",
        )
    except Exception as error:  # noqa: BLE001 - any broken file is reported, never fatal
        reason = "unreadable" if isinstance(error, OSError) else "not a readable session file"
        return _broken(path, reason)


def _broken(path: Path, reason: str) -> SessionSummary:
    return SessionSummary(id=path.stem, path=path, title="", date="", format_title="",
                          notes=0, rounds=0, archived=False, problem=reason)


def list_sessions(sessions_dir: Path) -> list[SessionSummary]:
    """Every session in the folder, newest first. Summaries of unchanged files (size,
    mtime) come from a cache, so a thousand sessions list in a blink."""
    cache_path = _summary_cache_file(sessions_dir)
    # Titles are people's words: in an encrypted workspace the cache is encrypted too,
    # and without the key it is neither read nor written.
    seal = _cache_sealer(sessions_dir)
    cached: dict[str, tuple[int, int, SessionSummary]] = {}
    try:
        raw = cache_path.read_bytes() if seal is not False else b""
        loaded = pickle.loads(seal.open(raw) if seal else raw)  # noqa: S301 - our own file
        if isinstance(loaded, dict):
            cached = loaded
    except Exception:  # noqa: BLE001 - an unreadable cache only costs time
        pass
    fresh: dict[str, tuple[int, int, SessionSummary]] = {}
    summaries = []
    for path in session_files(sessions_dir):
        try:
            stat = path.stat()
            stamp = (stat.st_size, stat.st_mtime_ns)
        except OSError:
            stamp = (-1, -1)
        entry = cached.get(str(path))
        # (a summary cached before a field was added lacks it: made again)
        summary = (entry[2] if entry is not None and entry[:2] == stamp
                   and hasattr(entry[2], "series") else summarize(path))
        fresh[str(path)] = (*stamp, summary)
        summaries.append(summary)
    # reused summaries are the cached objects themselves: compare by identity (an old
    # summary may lack a field, and comparing it would fail)
    changed = fresh.keys() != cached.keys() or any(
        value[:2] != cached[key][:2] or value[2] is not cached[key][2]
        for key, value in fresh.items())
    if changed and seal is not False:
        with contextlib.suppress(OSError):
            cache_path.parent.mkdir(parents=True, exist_ok=True)
            data = pickle.dumps(fresh, protocol=pickle.HIGHEST_PROTOCOL)
            write_atomic(cache_path, seal.seal(data) if seal else data)
    return sorted(summaries, key=lambda s: (s.date, s.created, s.id), reverse=True)


def _cache_sealer(sessions_dir: Path) -> Any:
    """None for a plain workspace, the unlocked vault for an encrypted one, False for an
    encrypted one that is locked (then no cache at all)."""
    from . import vault

    if not vault.is_encrypted(sessions_dir):
        return None
    return vault.unlocked(sessions_dir) or False


def _summary_cache_file(sessions_dir: Path) -> Path:
    from .library_cache import cache_file

    return cache_file(sessions_dir, "sessions")


def find_session(sessions_dir: Path, ref: str) -> Path | None:
    """A session by id (file stem), by file path, or 'latest'."""
    if ref == "latest":
        for summary in list_sessions(sessions_dir):
            if summary.problem is None and not summary.archived:
                return summary.path
        return None
    candidate = Path(ref)
    if candidate.suffix == SUFFIX and candidate.is_file():
        return candidate
    path = sessions_dir / f"{ref}{SUFFIX}"
    if "/" not in ref and "\\" not in ref and path.is_file():
        return path
    return None
