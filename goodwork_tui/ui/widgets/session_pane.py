"""The session pane: the current round, its timer, and fast, durable notes."""

from __future__ import annotations

import contextlib
import time
from typing import TYPE_CHECKING, Any

from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.widgets import Input, OptionList, Static
from textual.widgets.option_list import Option

from ...core.model import LENSES, NOTE_KINDS
from ...core.text import one_line
from ..bindings import translate_bindings
from ..focus import focus_now
from ..safe import line, plain

if TYPE_CHECKING:
    from ...core.round_timer import TimerState
    from ...core.session_store import SessionStore
    from .note_input import NoteInput, NoteList


class Outcome:
    """What a store change gave: truthy when it is on disk; `value` is its result."""

    __slots__ = ("ok", "value")

    def __init__(self, ok: bool, value: Any = None) -> None:
        self.ok, self.value = ok, value

    def __bool__(self) -> bool:
        return self.ok


class SessionPane(Vertical, can_focus=False):
    """Shows a `SessionStore`; every change goes to the store before the screen shows it."""

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.store: SessionStore | None = None
        self.kind = ""
        self.lens = ""
        self.room_only = False
        self.speaker = ""  # participant id for the next note, chosen with ctrl+b
        self.editing: str | None = None
        self.deleted: list[dict[str, Any]] = []
        self.timer: TimerState | None = None
        self.view_position: int | None = None  # the round shown in a read-only view
        self.round_index = -1  # index into the format's rounds of the round shown
        self._before_edit: tuple[str, str, bool, str] = ("", "", False, "")
        self._overrun_told = False
        self._running_part: Vertical | None = None  # the running session's widgets, once built
        self._resting_part: VerticalScroll | None = None  # intro and recent sessions, once built

    @property
    def t(self):  # type: ignore[no-untyped-def]
        return self.app.t  # type: ignore[attr-defined]

    def compose(self) -> ComposeResult:
        # Built a frame after the first one (the library is what the first frame is for),
        # or at once when needed: the intro and recent sessions, then, when the first
        # session is shown, the running session's widgets.
        return iter(())

    def on_mount(self) -> None:
        self.set_interval(1.0, self._tick)
        self.call_after_refresh(self.build_resting)

    def build_resting(self) -> None:
        """Mount the intro and the recent sessions, once (queryable at once)."""
        if self._resting_part is not None:
            return
        resting = self._resting_part = VerticalScroll(id="session-empty")
        self.mount(resting, before=self._running_part)
        resting.mount(Static(id="session-intro"), Static(id="recent-title"),
                      OptionList(id="recent-sessions"))
        resting.display = self.store is None
        self.relabel()

    def _build_running(self) -> None:
        """Mount the running session's widgets, once. Mounted one level at a time, so
        they can be queried (and filled) at once, as `attach` does right after."""
        if self._running_part is not None:
            return
        running = self._running_part = Vertical(id="session-running")
        running.display = False
        self.mount(running)
        top, prompt_box = Horizontal(id="session-top"), VerticalScroll(id="round-prompt-box")
        timer_row = Horizontal(id="timer-row")
        from textual.widgets import ProgressBar

        from .note_input import NoteInput, NoteList  # with the first session, not at start

        notes = NoteList(id="notes")
        entry = NoteInput(id="note-input", placeholder=self.t("note.placeholder"))
        for widget in (notes, entry):  # their keys, as the footer shows them
            translate_bindings(widget, self.t)
        running.mount(top, Static(id="round-title"), prompt_box, timer_row, notes,
                      Static(id="note-flags"), entry, Static(id="question-hints"))
        top.mount(Static(id="session-head"), Static(id="session-saved"))
        prompt_box.mount(Static(id="round-prompt"))
        timer_row.mount(Static(id="timer-clock"),
                        ProgressBar(id="timer-bar", total=100, show_eta=False,
                                    show_percentage=False))

    # ----------------------------------------------------------------- showing

    def relabel(self) -> None:
        self.border_title = self.t("session.title")
        if self._resting_part is None:
            return  # build_resting fills it
        self.query_one("#session-intro", Static).update(self.t("session.none"))
        self.query_one("#recent-title", Static).update(self.t("session.recent"))
        self.refresh_recent()  # after the first frame: ~35 ms with a thousand sessions
        if self._running_part is not None:
            self.query_one("#note-input", Input).placeholder = self.t("note.placeholder")
        if self.store is not None:
            self.refresh_all()

    def _show_state(self) -> None:
        self.build_resting()
        running = self.store is not None
        self.query_one("#session-empty").display = not running
        if self._running_part is not None:
            self._running_part.display = running

    def refresh_recent(self) -> None:
        self.build_resting()
        recent = self.query_one("#recent-sessions", OptionList)
        recent.clear_options()
        workspace = self.app.workspace  # type: ignore[attr-defined]
        from ...core.session_list import list_sessions  # (not the store: no TinyDB at start)

        summaries = [s for s in list_sessions(workspace.sessions) if not s.archived][:15]
        options = []
        for summary in summaries:
            if summary.problem:
                label = line(f"{summary.id} — {self.t('session.broken')}")
                options.append(Option(label, id=str(summary.path), disabled=True))
            else:
                label = line(f"{summary.date}  {summary.title}  "
                             f"({self.t('session.note_count', count=summary.notes)})")
                options.append(Option(label, id=str(summary.path)))
        recent.add_options(options)  # at once: one refresh, not one per session
        self.query_one("#recent-title").display = bool(summaries)
        recent.display = bool(summaries)

    def describe(self, note: dict[str, Any]) -> str:
        parts = [note.get("created", "")[11:16]]
        if note.get("kind"):
            parts.append(self.t(f"kind.{note['kind']}"))
        if note.get("lens"):
            parts.append(self.t(f"lens.{note['lens']}"))
        return " · ".join(p for p in parts if p)

    def refresh_all(self) -> None:
        from ...core.round_timer import TimerState

        store = self.store
        if store is None:
            return
        meta = store.meta
        order = meta.get("round_order", [])
        position = meta.get("current", 0) if self.view_position is None else self.view_position
        rounds = meta.get("format", {}).get("rounds", [])
        parts = (meta.get("title", ""), meta.get("format", {}).get("title", ""),
                 meta.get("date", ""))
        head = " · ".join(p for p in parts if p)
        self.query_one("#session-head", Static).update(plain(one_line(head, 300)))
        index = order[position] if 0 <= position < len(order) else -1
        self.round_index = index
        current = rounds[index] if 0 <= index < len(rounds) else {}
        title = self.t("session.round", number=position + 1, total=len(order),
                       title=one_line(current.get("title", ""), 200))
        self.query_one("#round-title", Static).update(plain(title) if order else
                                                      plain(self.t("session.no_rounds")))
        self.query_one("#round-prompt", Static).update(plain(current.get("prompt", "")))
        self.timer = TimerState.from_dict(current.get("minutes", 0), store.timer(index))
        self._overrun_told = self.timer.remaining() < 0
        if not self.kind and current.get("kinds"):
            self.kind = current["kinds"][0]
        self._refresh_notes()
        self._refresh_flags()
        self._tick()
        if store.read_only:
            self._saved(self.t("session.read_only"), ok=False)
        note_input = self.query_one("#note-input", Input)
        note_input.disabled = store.read_only

    def _refresh_notes(self, newest: bool = False) -> None:
        if self.store is None:
            return
        notes = self.store.notes(self.round_index)
        participants = self.store.meta.get("participants", [])
        self.query_one("#notes").show_notes(  # type: ignore[attr-defined]
            notes, self.describe, participants, newest=newest)

    def _refresh_flags(self) -> None:
        from ...core import note_input  # (imported with the first session, not at start-up)

        t = self.t
        parts = [t("note.kind_is", kind=t(f"kind.{self.kind}") if self.kind else "—"),
                 t("note.lens_is", lens=t(f"lens.{self.lens}") if self.lens else "—")]
        situation = self.app.current_id  # type: ignore[attr-defined]
        library = self.app.library  # type: ignore[attr-defined]
        if situation and library and library.situation(situation):
            parts.append(t("note.situation_is",
                           title=one_line(library.situation(situation).title, 40)))
        if self.speaker and self.store is not None:
            people = self.store.meta.get("participants", [])
            for index, person in enumerate(people):
                if person.get("id") == self.speaker:
                    name = person.get("name") or t("participant.anonymous",
                                                   letter=note_input.letter(index))
                    parts.append(t("note.speaker_is", name=one_line(name, 30)))
        if self.room_only:
            parts.append(t("note.room_only"))
        if self.editing:
            parts.insert(0, t("note.editing"))
        self.query_one("#note-flags", Static).update(plain("  ·  ".join(parts)))

    def situation_changed(self) -> None:
        """The library pane opened another situation: new notes link to it."""
        if self.store is not None:
            self._refresh_flags()

    def _saved(self, message: str, ok: bool = True) -> None:
        saved = self.query_one("#session-saved", Static)
        saved.update(plain(message))
        saved.set_class(not ok, "-error")

    def _tick(self) -> None:
        if self.timer is None or self.store is None:
            return
        from ...core.round_timer import clock

        remaining = self.timer.remaining()
        total = max(self.timer.total, 1)
        state = "" if self.timer.running else f"  {self.t('timer.paused')}"
        if remaining >= 0:
            text = self.t("timer.left", left=clock(remaining), total=clock(total))
        else:
            text = self.t("timer.over", over=clock(remaining), total=clock(total))
        text += state
        self.query_one("#timer-clock", Static).update(plain(text))
        from textual.widgets import ProgressBar  # imported by _build_running already

        bar = self.query_one("#timer-bar", ProgressBar)
        bar.update(progress=min(100.0, 100.0 * self.timer.elapsed() / total))
        overrun = remaining < 0
        self.query_one("#timer-row").set_class(overrun, "-overrun")
        if overrun and self.timer.running and not self._overrun_told:
            self._overrun_told = True
            self.app.bell()

    # ----------------------------------------------------------------- lifecycle

    def attach(self, store: SessionStore) -> bool:
        """Show `store`; False (with a message, the store closed) when it cannot be shown."""
        self.detach()
        self.store = store
        self.kind = self.lens = self.speaker = ""
        self.room_only = False
        self.editing = None
        self.view_position = None
        self.deleted.clear()
        self._build_running()
        self._show_state()
        try:
            self.refresh_all()
        except Exception as error:  # noqa: BLE001 - odd data must never crash the room
            self.store = None
            store.close()
            self._show_state()
            self.timer = None
            self.app.notify(self.t("session.open_failed", reason=f"{store.path}: {error!r}"),
                            severity="error", markup=False, timeout=12)
            return False
        self._saved(self.t("session.read_only") if store.read_only else self.t("session.opened"),
                    ok=not store.read_only)
        return True

    def detach(self) -> None:
        if self.store is not None:
            self._persist_timer(pause=False)
            self.store.close()
        self.store = None
        self.timer = None
        self._show_state()
        self.refresh_recent()

    def on_unmount(self) -> None:
        # the app is closing: keep the timer where it is and release the lock
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
        self.store = None

    def focus_input(self) -> None:
        if self.store is not None and not self.store.read_only:
            focus_now(self.query_one("#note-input", Input))
        elif self.store is None:
            self.build_resting()
            focus_now(self.query_one("#recent-sessions", OptionList))

    def _write(self, change, *args, **kwargs) -> Outcome:  # type: ignore[no-untyped-def]
        """Run one store change; on failure say so plainly and keep everything as it was."""
        from ...core import session_store  # loaded with the store already

        try:
            value = change(*args, **kwargs)
        except session_store.ReadOnlyError:
            self._saved(self.t("session.read_only"), ok=False)
            self.app.notify(self.t("session.read_only_notice"), severity="warning", markup=False)
            return Outcome(False)
        except OSError as error:
            reason = error.strerror or str(error)
            self._saved(self.t("session.not_saved", reason=reason), ok=False)
            self.app.notify(self.t("session.not_saved_notice", reason=reason), severity="error",
                            markup=False, timeout=12)
            return Outcome(False)
        self._saved(self.t("session.saved", time=time.strftime("%H:%M:%S")))
        return Outcome(True, value)

    # ----------------------------------------------------------------- notes

    @on(Input.Submitted, "#note-input")
    def _submit(self, event: Input.Submitted) -> None:
        from ...core import note_input

        event.stop()
        store = self.store
        if store is None:
            return
        raw = event.value
        parsed = note_input.parse(raw, store.meta.get("participants", []))
        if not parsed.text.strip():
            return
        kind = parsed.kind or self.kind
        lens = parsed.lens or self.lens
        room_only = parsed.room_only or self.room_only
        if self.editing and store.note(self.editing) is None:
            # the note was deleted while being edited: keep the text as a new note
            self.editing = None
            self.app.notify(self.t("note.edit_gone"), severity="warning", markup=False)
        if self.editing:
            fields = {"text": parsed.text, "kind": kind, "lens": lens, "room_only": room_only}
            if parsed.speaker or self.speaker:
                fields["speaker"] = parsed.speaker or self.speaker
            ok = self._write(store.update_note, self.editing, **fields)
        else:
            ok = self._write(store.add_note, parsed.text, round=store.current_round, kind=kind,
                             lens=lens, speaker=parsed.speaker or self.speaker,
                             situation=self.app.current_id or "",  # type: ignore[attr-defined]
                             room_only=room_only)
        if not ok:
            return  # the text stays in the input
        event.input.value = ""
        added = self.editing is None
        if added:
            self.lens = ""
            self.room_only = False
            self.speaker = ""
        else:
            self._end_edit()
        self._refresh_notes(newest=added)
        self._refresh_flags()

    @on(Input.Changed, "#note-input")
    def _typing(self, event: Input.Changed) -> None:
        self._question_hints(event.value)

    def _question_hints(self, raw: str) -> None:
        """While a question is typed, gentle hints from the rule for moral questions: only
        in a round that asks for the group's moral question (`- helper: moral-question`)."""
        from ...core import note_input

        box = self.query_one("#question-hints", Static)
        parsed = note_input.parse(raw)
        kind = parsed.kind or self.kind
        rounds = self.store.meta.get("format", {}).get("rounds", []) if self.store else []
        current = rounds[self.round_index] if 0 <= self.round_index < len(rounds) else {}
        if (kind != "question" or current.get("helper") != "moral-question"
                or not parsed.text.strip()):
            box.display = False
            return
        from ...core.question_hints import hints

        found = hints(parsed.text, self.app.lang)  # type: ignore[attr-defined]
        lines = [self.t(key) for key in found] or [self.t("question.ok")]
        box.update(plain("  ".join(f"· {text}" for text in lines)))
        box.set_class(not found, "-ok")
        box.display = True

    def on_note_input_cycle(self, event: NoteInput.Cycle) -> None:
        if event.what == "kind":
            choices = ("", *NOTE_KINDS)
            self.kind = choices[(choices.index(self.kind) + 1) % len(choices)]
            self._question_hints(self.query_one("#note-input", Input).value)
        elif event.what == "lens":
            choices = ("", *LENSES)
            self.lens = choices[(choices.index(self.lens) + 1) % len(choices)]
        elif event.what == "speaker":
            self._choose_speaker()
            return
        else:
            self.room_only = not self.room_only
        self._refresh_flags()

    def _end_edit(self) -> None:
        self.editing = None
        self.kind, self.lens, self.room_only, self.speaker = self._before_edit

    def _choose_speaker(self) -> None:
        from textual.widgets.option_list import Option

        from ...core import note_input
        from ..screens.pick import PickScreen

        if self.store is None:
            return
        participants = self.store.meta.get("participants", [])
        options = [Option(line(self.t("note.nobody")), id="-")]
        options += [Option(line(p.get("name") or self.t("participant.anonymous",
                                                        letter=note_input.letter(i))),
                           id=p["id"]) for i, p in enumerate(participants)]

        def chosen(speaker: str | None) -> None:
            if speaker is not None:
                self.speaker = "" if speaker == "-" else speaker
                self._refresh_flags()
            self.query_one("#note-input", Input).focus()

        self.app.push_screen(PickScreen(self.t("note.who"), self.t("open.hint"), options),
                             chosen)

    def on_note_input_cancel_edit(self) -> None:
        if self.editing:
            self._end_edit()
            self.query_one("#note-input", Input).value = ""
            self._refresh_flags()

    def on_note_list_act(self, event: NoteList.Act) -> None:
        store = self.store
        if store is None:
            return
        note = store.note(event.note_id)
        if note is None:
            return
        if event.action == "edit":
            if store.read_only:
                return
            if not self.editing:  # what the next new note gets once the edit is over
                self._before_edit = (self.kind, self.lens, self.room_only, self.speaker)
            self.editing = note["id"]
            self.kind, self.lens = note.get("kind", ""), note.get("lens", "")
            self.room_only = bool(note.get("room_only"))
            self.speaker = note.get("speaker", "")
            note_input = self.query_one("#note-input", Input)
            note_input.value = note.get("text", "")  # the stored text; drawn safe
            note_input.focus()
            self._refresh_flags()
        elif event.action == "delete":
            if self._write(store.delete_note, note["id"]):
                self.deleted.append(note)
                self.app.notify(self.t("note.deleted"), markup=False)
                self._refresh_notes()
        elif event.action == "room":
            if self._write(store.update_note, note["id"], room_only=not note.get("room_only")):
                self._refresh_notes()
        elif event.action == "move":
            self.app.choose_round(note["id"])  # type: ignore[attr-defined]

    def undo_delete(self) -> bool:
        if self.store is None or not self.deleted:
            return False
        note = self.deleted[-1]
        if self._write(self.store.restore_note, note):
            self.deleted.pop()
            self._refresh_notes()
            return True
        return False

    def move_note(self, note_id: str, round_index: int) -> None:
        if self.store is not None and self._write(self.store.move_note, note_id, round_index):
            self._refresh_notes()

    # ----------------------------------------------------------------- rounds and timer

    def _persist_timer(self, pause: bool) -> bool:
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
        return self._write(self.store.set_timer, self.round_index, state)

    def step_round(self, step: int) -> None:
        if self.store is None:
            return
        meta = self.store.meta
        position = meta.get("current", 0) if self.view_position is None else self.view_position
        if not 0 <= position + step < len(meta.get("round_order", [])):
            return  # already at the first or last round: nothing changes
        if self.store.read_only:
            self.store_step_read_only(step)
            return
        self._persist_timer(pause=True)
        if self._write(self.store.step_round, step):
            self.kind = ""
            self.refresh_all()

    def store_step_read_only(self, step: int) -> None:
        """A read-only view may look at other rounds; nothing is written."""
        assert self.store is not None
        meta = self.store.meta
        position = self.view_position if self.view_position is not None else meta.get("current", 0)
        last = len(meta.get("round_order", [])) - 1
        self.view_position = max(0, min(position + step, last))
        self.refresh_all()

    def toggle_timer(self) -> None:
        if self.timer is None or self.store is None:
            return
        if self.store.read_only:
            self.app.notify(self.t("session.read_only_notice"), severity="warning", markup=False)
            return
        self.timer.toggle()
        if self.timer.running:
            self._overrun_told = self.timer.remaining() < 0
        self._persist_timer(pause=False)
        self._tick()

    def add_minute(self) -> None:
        if self.timer is None or self.store is None:
            return
        if self.store.read_only:
            self.app.notify(self.t("session.read_only_notice"), severity="warning", markup=False)
            return
        self.timer.add_minute()
        self._overrun_told = self.timer.remaining() < 0
        self._persist_timer(pause=False)
        self._tick()

    def set_round_order(self, order: list[int]) -> None:
        if self.store is not None and self._write(self.store.set_round_order, order):
            self.refresh_all()

    @on(OptionList.OptionSelected, "#recent-sessions")
    def _open_recent(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        if event.option.id:
            self.app.open_session_file(event.option.id)  # type: ignore[attr-defined]


def _unchanged(state: dict[str, Any], stored: dict[str, Any], timer: TimerState) -> bool:
    """True when writing `state` would change nothing: the same as stored, or a timer
    never started for a round that has none stored yet."""
    from ...core.round_timer import TimerState

    if state == stored:
        return True
    untouched = TimerState(planned=timer.planned).to_dict()
    return not stored and state == untouched
