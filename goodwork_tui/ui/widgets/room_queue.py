"""The room's queue in the session pane: notes from the room that wait for approval.

With moderation on (`room_moderation` in the session record) a note from a phone is
stored `queued` (and room-only, so no view, export or projector shows it). Here the
facilitator approves it (a), edits then approves it (e), keeps it in the room only (o)
or discards it (d). Every change goes through the open session's write path.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import Input, OptionList, Static
from textual.widgets.option_list import Option

from ...core.text import one_line
from ..bindings import translate_bindings
from ..focus import focus_now
from ..safe import DrawSafe, plain
from ..typed_app import AppAware

if TYPE_CHECKING:
    from ..session import OpenSession

ACTIONS = ("approve", "edit", "room_only", "discard")


def queued_notes(session: OpenSession) -> list[dict[str, Any]]:
    store = session.store
    return [n for n in store.notes() if n.get("queued")] if store is not None else []


class QueueList(OptionList):
    BINDINGS = [
        Binding("a", "act('approve')", "Approve", id="room_queue.approve"),
        Binding("e", "act('edit')", "Edit", id="room_queue.edit"),
        Binding("o", "act('room_only')", "Room only", id="room_queue.room_only"),
        Binding("d,delete", "act('discard')", "Discard", id="room_queue.discard"),
    ]

    def action_act(self, action: str) -> None:
        parent = self.parent
        if isinstance(parent, RoomQueue):
            parent.act(action)


class RoomQueue(AppAware, Vertical):
    """Shown while moderation is on or notes wait; redraws on the session's signals."""

    DEFAULT_CSS = """
    RoomQueue { height: auto; max-height: 12; display: none; }
    RoomQueue.-shown { display: block; }
    RoomQueue #room-queue-title { text-style: bold; }
    RoomQueue QueueList { height: auto; max-height: 8; }
    RoomQueue #room-queue-edit { display: none; }
    RoomQueue #room-queue-edit.-editing { display: block; }
    """

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.editing: str | None = None

    @property
    def session(self) -> OpenSession:
        return self.gw.sessions

    def compose(self) -> ComposeResult:
        yield Static(id="room-queue-title")
        queue = QueueList(id="room-queue-list")
        translate_bindings(queue, self.t)
        yield queue
        yield Input(id="room-queue-edit", highlighter=DrawSafe())

    def on_mount(self) -> None:
        self.session.changed.subscribe(self, self._changed, immediate=True)
        self.refresh_queue()

    def _changed(self, what: str) -> None:
        if what == "note-added" and not self.has_class("-shown") \
                and not self.session.meta.get("room_moderation"):
            return  # nothing can have been queued: no list of notes read per note typed
        if what in ("opened", "closed", "notes", "note-added", "meta", "round", "harvest"):
            self.refresh_queue(added=what == "note-added")

    def refresh_queue(self, added: bool = False) -> None:
        """Draw the queue; with `added` (notes were only added) just the new ones."""
        notes = queued_notes(self.session)
        moderated = bool(self.session.meta.get("room_moderation"))
        self.set_class(bool(notes) or (moderated and self.session.is_open), "-shown")
        self.query_one("#room-queue-title", Static).update(plain(
            self.t("room.queue.title", count=len(notes))))
        queue = self.query_one(QueueList)
        highlighted = None
        if queue.highlighted is not None and queue.option_count:
            highlighted = queue.get_option_at_index(queue.highlighted).id
        shown = [option.id for option in queue.options]
        if added and [note["id"] for note in notes[:len(shown)]] == shown:
            notes = notes[len(shown):]  # a room full of phones: draw only the new ones
        else:
            shown = []
            queue.clear_options()
        options = []
        for note in notes:
            label = Text(one_line(str(note.get("text", "")), 500), no_wrap=False)
            if note.get("room_name"):
                label.append(f" · {one_line(note['room_name'], 40)}", style="dim")
            options.append(Option(label, id=note["id"]))
        queue.add_options(options)
        queue.display = bool(options or shown)
        if options or shown:
            ids = shown + [o.id for o in options]
            queue.highlighted = ids.index(highlighted) if highlighted in ids else 0

    def selected(self) -> str | None:
        queue = self.query_one(QueueList)
        if queue.highlighted is None or not queue.option_count:
            return None
        return queue.get_option_at_index(queue.highlighted).id

    def act(self, action: str, note_id: str | None = None) -> bool:
        """Do `action` on the selected queued note (or `note_id`); False when none."""
        note_id = note_id or self.selected()
        if note_id is None:
            self.session.notify("room.queue.empty")
            return False
        session = self.session
        if action == "approve":
            return bool(session.update_note(note_id, queued=False, room_only=False))
        if action == "room_only":
            return bool(session.update_note(note_id, queued=False, room_only=True))
        if action == "discard":
            return bool(session.delete_note(note_id))
        if action == "edit":
            note = session.store.note(note_id) if session.store is not None else None
            if note is None:
                return False
            self.editing = note_id
            edit = self.query_one("#room-queue-edit", Input)
            edit.value = str(note.get("text", ""))
            edit.add_class("-editing")
            focus_now(edit)
            return True
        return False

    @on(Input.Submitted, "#room-queue-edit")
    def _edited(self, event: Input.Submitted) -> None:
        event.stop()
        note_id, self.editing = self.editing, None
        if note_id is not None and event.value.strip() and not self.session.update_note(
                note_id, text=event.value, queued=False, room_only=False):
            self.editing = note_id  # not saved: the text stays in the box
            return
        event.input.remove_class("-editing")
        focus_now(self.query_one(QueueList))

    def key_escape(self) -> None:
        if self.editing is not None:
            self.editing = None
            self.query_one("#room-queue-edit", Input).remove_class("-editing")
            focus_now(self.query_one(QueueList))
