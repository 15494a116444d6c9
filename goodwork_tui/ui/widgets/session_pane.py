"""The session pane: the current round, its timer, and fast, durable notes."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from rich.cells import cell_len
from textual import on, work
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.widgets import Input, OptionList, Static
from textual.widgets.option_list import Option

from ...core.model import LENSES, NOTE_KINDS
from ...core.text import one_line
from ..bindings import translate_bindings
from ..focus import focus_now
from ..safe import line, plain
from ..typed_app import AppAware

if TYPE_CHECKING:
    from ...core.round_timer import TimerState
    from ...core.session_store import SessionStore
    from ..session import OpenSession, SaveState
    from .note_input import NoteInput, NoteList


class SessionPane(AppAware, Vertical, can_focus=False):
    """Shows the open session (`app.sessions`) and composes notes; it redraws when the
    session's signals say something changed, and changes it only through its methods."""

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        # what the next note gets (the note composer's state)
        self.kind = ""
        self.lens = ""
        self.room_only = False
        self.speaker = ""  # participant id for the next note, chosen with ctrl+b
        self.editing: str | None = None
        self._before_edit: tuple[str, str, bool, str] = ("", "", False, "")
        self._overrun_told = False
        self._running_part: Vertical | None = None  # the running session's widgets, once built
        self._resting_part: VerticalScroll | None = None  # intro and recent sessions, once built
        self._flags_shown: str | None = None  # what #note-flags shows
        self._saved_shown = ""  # what #session-saved shows

    @property
    def session(self) -> OpenSession:
        return self.gw.sessions

    @property
    def store(self) -> SessionStore | None:
        return self.session.store

    @property
    def timer(self) -> TimerState | None:
        return self.session.timer

    def compose(self) -> ComposeResult:
        # Built a frame after the first one (the library is what the first frame is for),
        # or at once when needed: the intro and recent sessions, then, when the first
        # session is shown, the running session's widgets.
        return iter(())

    def on_mount(self) -> None:
        # immediate: the pane is drawn anew before the change's caller goes on
        self.session.changed.subscribe(self, self._session_changed, immediate=True)
        self.session.saved.subscribe(self, self._show_saved, immediate=True)
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
        from .look_back import LookBack  # the first step of a session in a series
        from .room_queue import RoomQueue  # notes from the room waiting for approval

        running.mount(top, Static(id="round-title"), prompt_box, timer_row,
                      LookBack(id="look-back"), notes, RoomQueue(id="room-queue"),
                      Static(id="note-flags"), entry, Static(id="question-hints"))
        top.mount(Static(id="session-head"), Static(id="session-saved"))
        prompt_box.mount(Static(id="round-prompt"), Static(id="round-roles"))
        timer_row.mount(Static(id="timer-clock"),
                        ProgressBar(id="timer-bar", total=100, show_eta=False,
                                    show_percentage=False))

    # ----------------------------------------------------------------- showing

    def relabel(self) -> None:
        self.border_title = self.t("session.title")
        if self._resting_part is None:
            return  # build_resting fills it
        intro = plain(self.t("vault.locked")) if self.session.locked else self.t("session.none")
        self.query_one("#session-intro", Static).update(intro)
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
        if self.session.locked:  # encrypted, no passphrase (yet): nothing is read
            self.query_one("#recent-title").display = recent.display = False
            return
        workspace = self.gw.workspace
        from ...core.session_list import list_sessions  # (not the store: no TinyDB at start)

        summaries = [s for s in list_sessions(workspace.sessions) if not s.archived][:15]
        options = []
        for summary in summaries:
            if summary.problem:
                label = line(f"{summary.id} — {self.t('session.broken')}")
                options.append(Option(label, id=str(summary.path), disabled=True))
            else:
                label = line(f"{summary.date}  {summary.title}  "
                             f"({self.t.plural('session.note_count', summary.notes)})")
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
        store = self.store
        if store is None:
            return
        session = self.session
        meta = store.meta
        order = meta.get("round_order", [])
        parts = (meta.get("title", ""), meta.get("format", {}).get("title", ""),
                 meta.get("date", ""))
        head = " · ".join(p for p in parts if p)
        self.query_one("#session-head", Static).update(plain(one_line(head, 300)))
        current = session.current_round
        title = self.t("session.round", number=session.position + 1, total=len(order),
                       title=one_line(current.get("title", ""), 200))
        self.query_one("#round-title", Static).update(plain(title) if order else
                                                      plain(self.t("session.no_rounds")))
        self.query_one("#round-prompt", Static).update(plain(current.get("prompt", "")))
        self._show_roles(current.get("roles"), meta.get("lang"))
        self._overrun_told = self.timer is not None and self.timer.remaining() < 0
        if not self.kind and current.get("kinds"):
            self.kind = current["kinds"][0]
        self._refresh_notes()
        self._refresh_flags()
        self._tick()
        if store.read_only:
            self._show_saved_text(self.t("session.read_only"), ok=False)
        note_input = self.query_one("#note-input", Input)
        note_input.disabled = store.read_only

    def _show_roles(self, roles: object, lang: object) -> None:
        """The roles the format names for the round (issue 16.3), in the session's
        language; an older name is read as its current code, an unknown one as typed."""
        from ...core.i18n import Catalog
        from ...core.model import ROLES, role_code

        codes = [role_code(r) for r in roles if isinstance(r, str) and r.strip()] \
            if isinstance(roles, list | tuple) else []
        box = self.query_one("#round-roles", Static)
        box.display = bool(codes)
        if codes:
            t = Catalog(lang) if isinstance(lang, str) and lang else self.t
            names = [t(f"role.{code}") if code in ROLES else code for code in codes]
            box.update(plain(t("round.roles", roles=" · ".join(names))))

    def _refresh_notes(self, newest: bool = False) -> None:
        if self.store is None:
            return
        # notes from the room waiting for approval are in the room queue, not here
        notes = [n for n in self.store.notes(self.session.round_index) if not n.get("queued")]
        participants = self.store.meta.get("participants", [])
        self.query_one("#notes").show_notes(  # type: ignore[attr-defined]
            notes, self.describe, participants, newest=newest)

    def _refresh_flags(self) -> None:
        from ...core import note_input  # (imported with the first session, not at start-up)

        t = self.t
        parts = [t("note.kind_is", kind=t(f"kind.{self.kind}") if self.kind else "—"),
                 t("note.lens_is", lens=t(f"lens.{self.lens}") if self.lens else "—")]
        library, current = self.gw.library, self.gw.current_id
        situation = library.situation(current) if library and current else None
        if situation is not None:
            parts.append(t("note.situation_is", title=one_line(situation.title, 40)))
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
        flags = "  ·  ".join(parts)
        if flags != self._flags_shown:  # a note from the room changes nothing here
            self._flags_shown = flags
            self.query_one("#note-flags", Static).update(plain(flags))

    def _show_saved(self, state: SaveState) -> None:
        if self._running_part is not None:
            self._show_saved_text(state.message, state.ok)

    def _show_saved_text(self, message: str, ok: bool = True) -> None:
        saved = self.query_one("#session-saved", Static)
        # the same width ("saved 12:03:04" after "saved 12:03:03"): no new layout of the
        # screen, only this line drawn again (a busy room saves ten times a second)
        saved.update(plain(message), layout=cell_len(message) != cell_len(self._saved_shown))
        self._saved_shown = message
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

    # ----------------------------------------------------------------- the session

    def _session_changed(self, what: str) -> None:
        try:
            self._redraw(what)
        except Exception as error:  # noqa: BLE001 - odd data must never crash the room
            self.session.cannot_show(error)

    def _redraw(self, what: str) -> None:
        if what == "opened":
            self.kind = self.lens = self.speaker = ""
            self.room_only = False
            self.editing = None
            self._build_running()
            self._show_state()
            self.refresh_all()
        elif what == "closed":
            self.editing = None
            self._show_state()
            self.refresh_recent()
        elif self.store is None or self._running_part is None:
            return
        elif what == "round":
            self.kind = ""
            self.refresh_all()
        elif what in ("notes", "note-added"):
            self._refresh_notes(newest=what == "note-added")
            self._refresh_flags()
        elif what == "timer":
            if self.timer is not None and self.timer.running:
                self._overrun_told = self.timer.remaining() < 0
            self._tick()
        elif what == "meta":
            self.refresh_all()
        elif what == "situation":
            self._refresh_flags()

    def focus_input(self) -> None:
        if self.store is not None and not self.store.read_only:
            look_back = self.query("#look-back")  # its first step, while it is shown
            if look_back and look_back.first().take_focus():  # type: ignore[attr-defined]
                return
            focus_now(self.query_one("#note-input", Input))
        elif self.store is None:
            self.build_resting()
            focus_now(self.query_one("#recent-sessions", OptionList))

    # ----------------------------------------------------------------- notes

    @on(Input.Submitted, "#note-input")
    def _submit(self, event: Input.Submitted) -> None:
        from ...core import note_input

        event.stop()
        store = self.store
        if store is None:
            self._give_back(event.input, event.value)
            return
        raw = event.value  # the input is empty already (NoteInput.action_submit)
        parsed = note_input.parse(raw, store.meta.get("participants", []))
        if not parsed.text.strip():
            self._give_back(event.input, raw)
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
            added = False
            ok = self.session.update_note(self.editing, **fields)
        else:
            added = True
            ok = self.session.add_note(parsed.text, kind=kind, lens=lens,
                                       speaker=parsed.speaker or self.speaker,
                                       room_only=room_only)
        if not ok:
            self._give_back(event.input, raw)  # not saved: the text is not lost
            return
        if added:
            self.lens = ""
            self.room_only = False
            self.speaker = ""
        else:
            self._end_edit()
        self._refresh_flags()

    @staticmethod
    def _give_back(entry: Input, raw: str) -> None:
        """Put a note that was not saved (or only a prefix such as "+doet ") back in the
        input, before anything typed since; blanks are no note."""
        if raw.strip():
            entry.value = f"{raw} {entry.value}" if entry.value else raw
            entry.cursor_position = len(entry.value)

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
        current = self.session.current_round if self.store is not None else {}
        if (kind != "question" or current.get("helper") != "moral-question"
                or not parsed.text.strip()):
            box.display = False
            return
        from ...core.question_hints import hints

        found = hints(parsed.text, self.gw.lang)
        lines = [self.t(key) for key in found] or [self.t("question.ok")]
        box.update(plain("  ".join(f"· {text}" for text in lines)))
        box.set_class(not found, "-ok")
        box.display = True

    def on_note_input_cycle(self, event: NoteInput.Cycle) -> None:
        if event.what == "kind":
            kinds: tuple[str, ...] = ("", *NOTE_KINDS)
            self.kind = kinds[(kinds.index(self.kind) + 1) % len(kinds)]
            self._question_hints(self.query_one("#note-input", Input).value)
        elif event.what == "lens":
            lenses: tuple[str, ...] = ("", *LENSES)
            self.lens = lenses[(lenses.index(self.lens) + 1) % len(lenses)]
        elif event.what == "speaker":
            self._choose_speaker()
            return
        else:
            self.room_only = not self.room_only
        self._refresh_flags()

    def _end_edit(self) -> None:
        self.editing = None
        self.kind, self.lens, self.room_only, self.speaker = self._before_edit

    @work(exclusive=True, group="dialog")
    async def _choose_speaker(self) -> None:
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

        speaker = await self.app.push_screen_wait(
            PickScreen(self.t("note.who"), self.t("open.hint"), options))
        if speaker is not None:
            self.speaker = "" if speaker == "-" else speaker
            self._refresh_flags()
        self.query_one("#note-input", Input).focus()

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
            focus_now(note_input)  # the keys typed after "e" edit the note
            self._refresh_flags()
        elif event.action == "delete":
            self.session.delete_note(note["id"])
        elif event.action == "room":
            self.session.update_note(note["id"], room_only=not note.get("room_only"))
        elif event.action == "move":
            self._choose_round_for(note["id"])

    @work(exclusive=True, group="dialog")
    async def _choose_round_for(self, note_id: str) -> None:
        from ..screens.pick import PickScreen

        store = self.store
        if store is None:
            return
        meta = store.meta
        rounds = meta.get("format", {}).get("rounds", [])
        options = [Option(line(f"{n + 1}. {rounds[i]['title']}"), id=str(i))
                   for n, i in enumerate(meta.get("round_order", [])) if i < len(rounds)]
        chosen = await self.app.push_screen_wait(
            PickScreen(self.t("move.title"), self.t("open.hint"), options))
        if chosen:
            self.session.move_note(note_id, int(chosen))

    @on(OptionList.OptionSelected, "#recent-sessions")
    def _open_recent(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        if event.option.id:
            self.session.open_file(event.option.id)

