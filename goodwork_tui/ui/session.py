"""The open session: its one owner in the interface.

`OpenSession` is not a widget; the app owns one. It holds the store, the round being
shown, its timer, the undo stack of deleted notes, and the ONE write path (`write`).
Views never change a session themselves: they call a method here and redraw when a
signal says so.

- `changed` publishes what changed: "opened", "closed", "round" (the round, its timer
  or the whole session record), "notes", "note-added", "timer", "meta".
- `saved` publishes a `SaveState` for the "saved 12:03:04" / "not saved" line.

Every failure ends in a message naming what went wrong; nothing here lets an
exception reach the screen.
"""

from __future__ import annotations

import contextlib
import os
import time
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from textual.signal import Signal

if TYPE_CHECKING:
    from ..core.i18n import Catalog
    from ..core.round_timer import TimerState
    from ..core.session_store import SessionStore
    from .app import GoodWorkApp


class Outcome:
    """What a store change gave: truthy when it is on disk; `value` is its result."""

    __slots__ = ("ok", "value")

    def __init__(self, ok: bool, value: Any = None) -> None:
        self.ok, self.value = ok, value

    def __bool__(self) -> bool:
        return self.ok


@dataclass(frozen=True, slots=True)
class SaveState:
    """The line under the session head: what happened to the last change."""

    message: str
    ok: bool = True


class OpenSession:
    """The session being run (or none): state, the one write path, and its signals."""

    def __init__(self, app: GoodWorkApp) -> None:
        self.app = app
        self.store: SessionStore | None = None
        self.timer: TimerState | None = None
        self.round_index = -1  # index into the format's rounds of the round shown
        self.position = 0  # its place in the round order
        self.view_position: int | None = None  # the round a read-only view looks at
        self.current_round: dict[str, Any] = {}
        self.deleted: list[dict[str, Any]] = []  # the undo stack
        self._marked: tuple[Path, str] | None = None  # what the marker on disk says
        self.changed: Signal[str] = Signal(app, "session-changed")
        self.saved: Signal[SaveState] = Signal(app, "session-saved")

    # ----------------------------------------------------------------- state

    @property
    def t(self) -> Catalog:
        return self.app.t

    @property
    def markers(self) -> Path:
        """Where the marker of an open session is kept (see core/open_marker.py)."""
        return self.app.config.path.parent / "open"

    @property
    def is_open(self) -> bool:
        return self.store is not None

    @property
    def read_only(self) -> bool:
        return self.store is not None and self.store.read_only

    @property
    def meta(self) -> dict[str, Any]:
        return self.store.meta if self.store is not None else {}

    @property
    def situations(self) -> list[str]:
        """The situations the session was made for (ids), in their order."""
        found = self.meta.get("situations", [])
        return [s for s in found if isinstance(s, str) and s] if isinstance(found, list) else []

    @property
    def situation(self) -> str:
        """The situation a new note is linked to: the one being read."""
        return self.app.current_id or ""

    def _load_round(self) -> None:
        """Work out the round shown and its timer from the session record."""
        from ..core.round_timer import TimerState

        store = self.store
        assert store is not None
        meta = store.meta
        order = meta.get("round_order", [])
        position = meta.get("current", 0) if self.view_position is None else self.view_position
        rounds = meta.get("format", {}).get("rounds", [])
        index = order[position] if 0 <= position < len(order) else -1
        current = rounds[index] if 0 <= index < len(rounds) else {}
        self.position, self.round_index, self.current_round = position, index, current
        self.timer = TimerState.from_dict(current.get("minutes", 0), store.timer(index))

    def _publish(self, what: str) -> None:
        self.changed.publish(what)

    def _say(self, message: str, ok: bool = True) -> None:
        self.saved.publish(SaveState(message, ok))

    def notify(self, key: str, severity: str = "information", timeout: float | None = None,
               **values: Any) -> None:
        self.app.notify(self.t(key, **values), severity=severity,
                        markup=False, timeout=timeout)

    def tell_no_session(self) -> None:
        if not self.refuse_if_locked():  # locked: no session can be open, and that is why
            self.notify("session.none_open", severity="warning")

    @property
    def locked(self) -> bool:
        """The sessions folder is encrypted and was not unlocked (the passphrase was not
        given): no session is read, none is written."""
        from ..core import vault

        folder = self.app.workspace.sessions
        return vault.unlocked(folder) is None and vault.is_encrypted(folder)

    def refuse_if_locked(self) -> bool:
        """True (and the reason said) when the sessions cannot be used: they are locked."""
        if self.locked:
            self.notify("vault.locked", severity="warning", timeout=10)
            return True
        return False

    # ----------------------------------------------------------------- the write path

    def write(self, change, *args, published: str = "", **kwargs) -> Outcome:
        """Run one store change; on failure say so plainly and keep everything as it was.
        On success `published` (when given) is published as what changed."""
        from ..core import session_store  # loaded with the store already

        if self.store is None:
            return Outcome(False)
        try:
            value = change(*args, **kwargs)
        except session_store.ReadOnlyError:
            self._say(self.t("session.read_only"), ok=False)
            self.notify("session.read_only_notice", severity="warning")
            return Outcome(False)
        except OSError as error:
            reason = error.strerror or str(error)
            self._say(self.t("session.not_saved", reason=reason), ok=False)
            self.notify("session.not_saved_notice", severity="error", timeout=12, reason=reason)
            return Outcome(False)
        self._say(self.t("session.saved", time=time.strftime("%H:%M:%S")))
        if published:
            self._publish(published)
        return Outcome(True, value)

    def change(self, what: str, method: str, *args: Any, **kwargs: Any) -> Outcome:
        """`write` the store's `method`; on success publish `what` changed."""
        if self.store is None:
            return Outcome(False)
        return self.write(getattr(self.store, method), *args, published=what, **kwargs)

    # ----------------------------------------------------------------- lifecycle

    def create(self, answer: dict[str, Any]) -> SessionStore | None:
        from ..core import session_store  # tinydb and json: not needed for the first frame

        if self.refuse_if_locked():
            return None
        try:
            store = session_store.SessionStore.create(self.app.workspace.sessions,
                                                      lang=self.app.lang, **answer)
        except (OSError, session_store.SessionError) as error:
            self.notify("session.create_failed", severity="error", timeout=12,
                        reason=_reason(error))
            return None
        if not self.attach(store):
            return None
        self.notify("session.created", name=store.path.name)
        return store

    def open_file(self, path: str | Path) -> SessionStore | None:
        path = Path(path)
        if self.store is not None and self.store.path == path:
            self._publish("shown")
            return self.store
        if self.refuse_if_locked():
            return None
        from ..core import session_store

        # a reflection opens step by step, not as rounds
        if session_store.summarize(path).reflection:
            self.app.reflections.open_file(path)
            return None
        writable = _writable(path)
        try:
            store = session_store.SessionStore.open(path, read_only=not writable)
        except session_store.SessionError as error:
            self.notify("session.open_failed", severity="error", timeout=12, reason=str(error))
            return None
        except OSError as error:
            self.notify("session.open_failed", severity="error", timeout=12,
                        reason=f"{path}: {_reason(error)}")
            return None
        if not self.attach(store):
            return None
        if not writable:
            self.notify("session.not_writable", severity="warning", timeout=12, name=path.name)
        elif store.read_only:
            self.notify("session.locked", severity="warning", timeout=12, name=path.name)
        return store

    def attach(self, store: SessionStore) -> bool:
        """Make `store` the open session; False (with a message, the store closed) when
        it cannot be shown."""
        self.detach()
        self.store = store
        self.view_position = None
        self.deleted.clear()
        try:
            self._load_round()
        except Exception as error:  # noqa: BLE001 - odd data must never crash the room
            self.cannot_show(error)
            return False
        self._publish("opened")
        if self.store is None:  # a view could not show it (see cannot_show)
            return False
        self._say(self.t("session.read_only") if store.read_only else self.t("session.opened"),
                  ok=not store.read_only)
        situations = self.situations
        if situations:
            self.app.open_situation(situations[0])
        self._mark()
        return True

    def _mark(self) -> None:
        """Keep the marker a restart after a crash reads (see core/open_marker.py)."""
        if self.store is not None and not self.store.read_only \
                and self._marked != (self.store.path, self.situation):
            from ..core import open_marker

            self._marked = (self.store.path, self.situation)
            open_marker.mark(self.markers, self.store.path, self.situation)

    def cannot_show(self, error: BaseException) -> None:
        """A view found the session unreadable: close it and say why."""
        store = self.store
        if store is None:
            return
        self.store = None
        self.timer = None
        store.close()
        self.notify("session.open_failed", severity="error", timeout=12,
                    reason=f"{store.path}: {error!r}")
        self._publish("closed")

    def detach(self) -> None:
        """Close the open session (the timer kept where it is); nothing is said."""
        if self.store is not None:
            self.persist_timer(pause=False)
            self.store.close()
            from ..core import open_marker

            open_marker.unmark(self.markers)
            self._marked = None
        was_open = self.store is not None
        self.store = None
        self.timer = None
        if was_open:
            self._publish("closed")

    def close(self) -> None:
        if self.store is not None:
            self.detach()
            self.notify("session.closed")

    def archive(self) -> None:
        if self.store is None:
            self.tell_no_session()
            return
        if self.write(self.store.update_meta, archived=True):
            self.detach()
            self.notify("session.archived_notice")

    def shutdown(self) -> None:
        """The app is closing: keep the timer where it is and release the lock. The
        marker stays only when the app did not get here (a crash)."""
        store, timer = self.store, self.timer
        if store is None:
            return
        if timer is not None and not store.read_only:
            timer.record_overrun()
            state = timer.to_dict()
            if self.round_index >= 0 and not _unchanged(state, store.timer(self.round_index),
                                                        timer):
                with contextlib.suppress(OSError):  # the timer's last seconds only
                    store.set_timer(self.round_index, state)
        store.close()
        if not store.read_only:
            from ..core import open_marker

            open_marker.unmark(self.markers)
            self._marked = None
        self.store = None

    def reopen_after_crash(self) -> None:
        """At start: the session an app that was killed had open is opened again, its
        timer paused where it was; said in one line. A session another running app has
        open (its lock is held) is left alone."""
        from ..core import open_marker

        if self.store is not None or self.locked:
            return
        for left in open_marker.left_open(self.markers, self.app.workspace.sessions):
            if not left.session.is_file():
                left.forget()
                continue
            from ..core import session_store

            try:
                store = session_store.SessionStore.open(left.session)
            except (OSError, session_store.SessionError):
                left.forget()
                continue
            if store.read_only:  # open in another app: not ours to take
                store.close()
                continue
            if not self.attach(store):
                left.forget()
                return
            left.forget()
            if left.situation in self.situations:
                self.app.open_situation(left.situation)
            if self.timer is not None and self.timer.running:
                self.timer.pause(now=max(left.last_seen, self.timer.started_at or 0.0))
                self.persist_timer(pause=False)
                self._publish("timer")
            self.notify("session.reopened", timeout=10, name=store.path.name,
                        round=self.position + 1)
            return

    def heartbeat(self) -> None:
        """Every few seconds while a timer runs: the time a crash would pause it at."""
        if self.store is not None and not self.store.read_only and self.timer is not None \
                and self.timer.running:
            from ..core import open_marker

            open_marker.touch(self.markers)

    # ----------------------------------------------------------------- notes

    def add_note(self, text: str, **fields: Any) -> Outcome:
        assert self.store is not None
        fields.setdefault("situation", self.situation)
        return self.change("note-added", "add_note", text, round=self.store.current_round,
                           **fields)

    def update_note(self, note_id: str, **fields: Any) -> Outcome:
        return self.change("notes", "update_note", note_id, **fields)

    def delete_note(self, note_id: str) -> Outcome:
        note = self.store.note(note_id) if self.store is not None else None
        if note is None:
            return Outcome(False)
        outcome = self.change("notes", "delete_note", note_id)
        if outcome:
            self.deleted.append(note)
            self.notify("note.deleted")
        return outcome

    def undo(self) -> bool:
        """Bring back the last deleted note; False (and a message) when there is none."""
        if self.store is None or not self.deleted:
            self.notify("note.nothing_to_undo")
            return False
        if self.change("notes", "restore_note", self.deleted[-1]):
            self.deleted.pop()
            return True
        return False

    def move_note(self, note_id: str, round_index: int) -> Outcome:
        return self.change("notes", "move_note", note_id, round_index)

    # ----------------------------------------------------------------- rounds and timer

    def persist_timer(self, pause: bool) -> bool:
        if self.store is None or self.timer is None or self.store.read_only:
            return True
        if pause:
            self.timer.pause()
        else:
            self.timer.record_overrun()
        state = self.timer.to_dict()
        if self.round_index < 0 or _unchanged(state, self.store.timer(self.round_index),
                                              self.timer):
            return True  # nothing changed: no write (opening a session leaves it as it was)
        return bool(self.write(self.store.set_timer, self.round_index, state))

    def step(self, step: int) -> None:
        """Go `step` rounds on (or back); a read-only view only looks at another round."""
        if self.store is None:
            self.tell_no_session()
            return
        meta = self.store.meta
        position = meta.get("current", 0) if self.view_position is None else self.view_position
        last = len(meta.get("round_order", [])) - 1
        if not 0 <= position + step <= last:
            return  # already at the first or last round: nothing changes
        if self.store.read_only:
            self.view_position = position + step  # nothing is written
            self._load_round()
            self._publish("round")
            return
        self.persist_timer(pause=True)
        if self.write(self.store.step_round, step):
            self._load_round()
            self._publish("round")

    def _timer_writable(self) -> bool:
        if self.store is None or self.timer is None:
            self.tell_no_session()
            return False
        if self.store.read_only:
            self.notify("session.read_only_notice", severity="warning")
            return False
        return True

    def toggle_timer(self) -> None:
        if self._timer_writable():
            assert self.timer is not None
            self.timer.toggle()
            self.persist_timer(pause=False)
            self._publish("timer")

    def add_minute(self) -> None:
        if self._timer_writable():
            assert self.timer is not None
            self.timer.add_minute()
            self.persist_timer(pause=False)
            self._publish("timer")

    def set_round_order(self, order: list[int]) -> None:
        if self.store is not None and self.write(self.store.set_round_order, order):
            self._load_round()
            self._publish("round")

    # ----------------------------------------------------------------- the reveal

    def reveal(self, step: int) -> Outcome:
        """Show the room one part more (`step` 1) or one part less (-1) of the situation
        being read; published as "reveal"."""
        from ..core import reveal

        if self.store is None:
            self.tell_no_session()
            return Outcome(False)
        library = self.app.library
        found = library.situation(self.situation) if library and self.situation else None
        if found is None:
            self.notify("reveal.no_situation", severity="warning")
            return Outcome(False)
        try:
            found = reveal.with_parts(found)
        except reveal.Unreadable as error:
            self.notify("reveal.unreadable", severity="error", timeout=12, reason=str(error))
            self._publish("situation")  # the room view says so too
            return Outcome(False)
        parts = reveal.parts(found)
        level = len(reveal.shown(found, self.meta, self.current_round.get("reveal")))
        wanted = max(1, min(level + step, len(parts)))
        if wanted == level:
            self.notify("reveal.all_shown" if step > 0 else "reveal.story_only")
            return Outcome(False)
        return self.change("reveal", "set_reveal", self.situation, wanted)

    def situation_shown(self) -> None:
        """The reader shows another situation: new notes link to it (and a restart after
        a crash comes back to it)."""
        if self.store is not None:
            self._mark()
            self._publish("situation")

    def next_situation(self) -> str | None:
        """Discuss the session's next situation (of several); its id, or None."""
        situations = self.situations
        if self.store is None:
            self.tell_no_session()
            return None
        if not situations:
            self.notify("session.no_situations")
            return None
        current = self.app.current_id
        after = situations.index(current) + 1 if current in situations else 0
        chosen = situations[after % len(situations)]
        self.app.open_situation(chosen)
        return chosen

    # ----------------------------------------------------------------- harvest out

    def markdown(self, names: bool) -> str:
        from ..core.harvest import export

        store = self.store
        assert store is not None
        # in the session's language, like `goodwork export`: the same session, the same bytes
        return export(store.meta, store.notes(), fmt="md", names=names)

    def write_export(self, fmt: str, names: bool) -> None:
        from ..core.harvest import export, write_export

        store = self.store
        assert store is not None
        text = export(store.meta, store.notes(), fmt=fmt, names=names)
        folder = self.app.workspace.sessions / "harvests"
        try:
            path = write_export(folder, f"{store.id}-harvest", text, fmt)
        except OSError as error:
            self.notify("export.failed", severity="error", timeout=12, reason=_reason(error))
            return
        self.notify("export.written", timeout=12, path=str(path))

    def copy(self, names: bool = False) -> None:
        if self.store is None:
            self.tell_no_session()
            return
        self.app.copy_to_clipboard(self.markdown(names))
        self.notify("export.copied")


def _writable(path: Path) -> bool:
    """Can the file be changed (atomically: a temp file in its folder, then a rename)?"""
    return os.access(path, os.W_OK) and os.access(path.parent, os.W_OK | os.X_OK)


def _unchanged(state: dict[str, Any], stored: dict[str, Any], timer: TimerState) -> bool:
    """True when writing `state` would change nothing: the same as stored, or a timer
    never started for a round that has none stored yet."""
    from ..core.round_timer import TimerState

    if state == stored:
        return True
    untouched = TimerState(planned=timer.planned).to_dict()
    return not stored and state == untouched


def _reason(error: BaseException) -> str:
    if isinstance(error, OSError) and error.strerror:
        return error.strerror
    return str(error)
