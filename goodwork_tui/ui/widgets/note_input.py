"""The always-ready note input and the list of a round's notes."""

from __future__ import annotations

from dataclasses import dataclass

from rich.text import Text
from textual.binding import Binding
from textual.message import Message
from textual.widgets.option_list import Option

from ...core.note_input import letter
from ...core.text import one_line
from ..safe import DRAW_SAFE
from ..textual_private import FixedWidthInput, GrowingOptionList


class NoteInput(FixedWidthInput):
    """Enter saves (handled by the pane); short keys set kind, lens and room-only.

    Its width is the pane's: no layout of the whole screen per key (nor when Enter
    clears it), which a room full of phones makes the facilitator feel."""

    BINDINGS = [
        Binding("ctrl+t", "cycle('kind')", "Kind", id="note.kind", show=False,
                tooltip="Next note kind for this note"),
        Binding("ctrl+l", "cycle('lens')", "Lens", id="note.lens", show=False,
                tooltip="Next lens for this note"),
        Binding("ctrl+b", "cycle('speaker')", "Speaker", id="note.speaker", show=False,
                tooltip="Choose who said it"),
        Binding("ctrl+r", "cycle('room')", "Room only", id="note.room", show=False,
                tooltip="Keep this note in the room (never exported)"),
        Binding("escape", "cancel_edit", "Cancel", show=False, id="note.cancel"),
    ]

    def __init__(self, *args, **kwargs) -> None:
        kwargs.setdefault("highlighter", DRAW_SAFE)  # stored as typed, drawn safe
        super().__init__(*args, **kwargs)

    @dataclass
    class Cycle(Message):
        what: str

    @dataclass
    class CancelEdit(Message):
        pass

    async def action_submit(self) -> None:
        """Enter: the note is taken and the field emptied at once, in the order of the
        keys. Keys typed after Enter (a fast typist, or keys that arrive at once) are
        already waiting behind it, and the pane saves the note only later: left to the
        pane, the emptying came after them, and the next note ran into this one."""
        value = self.value
        self.value = ""
        self.post_message(self.Submitted(self, value))

    def action_cycle(self, what: str) -> None:
        self.post_message(self.Cycle(what))

    def action_cancel_edit(self) -> None:
        self.post_message(self.CancelEdit())


class NoteList(GrowingOptionList):
    """Notes of the current round. Option ids are note ids."""

    BINDINGS = [
        Binding("e", "act('edit')", "Edit", id="notes.edit", tooltip="Edit the selected note"),
        Binding("delete,d", "act('delete')", "Delete", id="notes.delete",
                tooltip="Delete the selected note (ctrl+z undoes)"),
        Binding("m", "act('move')", "Move", id="notes.move",
                tooltip="Move the selected note to another round"),
        Binding("r", "act('room')", "Room only", id="notes.room",
                tooltip="Keep the selected note in the room, or not"),
    ]

    @dataclass
    class Act(Message):
        action: str
        note_id: str

    def action_act(self, action: str) -> None:
        if self.highlighted is None:
            return
        option = self.get_option_at_index(self.highlighted)
        if option.id:
            self.post_message(self.Act(action, option.id))

    def show_notes(self, notes: list[dict], describe, participants: list[dict],
                   newest: bool = False) -> None:
        highlighted = None
        if self.highlighted is not None and self.option_count:
            highlighted = self.get_option_at_index(self.highlighted).id
        shown = [option.id for option in self.options]
        if newest and shown and [note.get("id") for note in notes[:len(shown)]] == shown:
            # notes were only added (a room full of phones): draw just the new ones, so
            # a round of a thousand notes costs no more than one of ten
            notes = notes[len(shown):]
        else:
            shown = []
            self.clear_options()
        index = {p["id"]: i for i, p in enumerate(participants)}
        options = []
        for note in notes:
            label = Text(no_wrap=False)
            label.append(describe(note), style="dim")
            speaker = note.get("speaker")
            if speaker in index:
                name = participants[index[speaker]].get("name") or letter(index[speaker])
                label.append(f" · {one_line(name, 40)}", style="dim")
            if note.get("room_only"):
                label.append(" · ⌂", style="bold")
            label.append("\n")
            label.append(one_line(note.get("text", ""), 2000))
            options.append(Option(label, id=note["id"]))
        self.add_options(options)
        if options or shown:
            ids = shown + [o.id for o in options]
            keep = highlighted in ids and not newest
            self.highlighted = ids.index(highlighted) if keep else len(ids) - 1
