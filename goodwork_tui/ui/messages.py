"""Messages that cross the app."""

from __future__ import annotations

from dataclasses import dataclass

from textual.message import Message


@dataclass
class SituationChosen(Message):
    """The user opened a situation (Enter or click in the library tree)."""

    situation_id: str
    focus_reader: bool = True


@dataclass
class LibraryLoaded(Message):
    """The library has been (re)loaded in a worker thread."""
