"""Messages that cross the app."""

from __future__ import annotations

from textual.message import Message


class SituationChosen(Message):
    """The user opened a situation (Enter or click in the library tree)."""

    def __init__(self, situation_id: str, focus_reader: bool = True) -> None:
        # (a plain class: a dataclass costs a third of a millisecond at start-up)
        super().__init__()
        self.situation_id = situation_id
        self.focus_reader = focus_reader
