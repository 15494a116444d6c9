"""The domain model of the library: plain dataclasses, cheap to hold by the thousand."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

LENSES = ("excellent", "ethical", "engaging")
DIMENSIONS = ("knowledge", "actions", "identity", "values", "relationships")
NOTE_KINDS = (
    "experience",
    "action-option",
    "value-norm",
    "shared-issue",
    "insight",
    "question",
    "outcome",
)
ROLES = ("case-giver", "facilitator", "harvester", "timekeeper")


@dataclass(slots=True)
class Problem:
    """One thing wrong in a library file, with the 1-based line it was found on."""

    path: Path
    line: int
    message: str

    def format(self, root: Path | None = None) -> str:
        shown = self.path
        if root is not None and self.path.is_relative_to(root):
            shown = self.path.relative_to(root)
        return f"{shown}:{self.line}: {self.message}"


@dataclass(slots=True)
class Image:
    """An image of good work: what someone did, what they weighed, and the lenses."""

    who: str
    did: str = ""
    considerations: str = ""
    lenses: dict[str, str] = field(default_factory=dict)


@dataclass(slots=True)
class Situation:
    id: str
    title: str
    collection: str
    lang: str
    path: Path
    body: str
    tags: tuple[str, ...] = ()
    translations: dict[str, str] = field(default_factory=dict)
    story: str = ""
    dimensions: dict[str, str] = field(default_factory=dict)
    questions: tuple[str, ...] = ()
    images: tuple[Image, ...] = ()
    line: int = 1


@dataclass(slots=True)
class Collection:
    id: str
    path: Path
    title: dict[str, str]
    role: dict[str, str] = field(default_factory=dict)
    description: dict[str, str] = field(default_factory=dict)

    def title_in(self, lang: str) -> str:
        return pick(self.title, lang) or self.id


@dataclass(slots=True)
class Round:
    title: str
    minutes: int
    prompt: str
    kinds: tuple[str, ...] = ()
    roles: tuple[str, ...] = ()


@dataclass(slots=True)
class Format:
    """A session format (werkvorm): an ordered list of rounds."""

    id: str
    title: str
    lang: str
    kind: str
    minutes: int
    path: Path
    intro: str = ""
    rounds: tuple[Round, ...] = ()
    translations: dict[str, str] = field(default_factory=dict)


def pick(texts: dict[str, str], lang: str) -> str:
    """The text in `lang`, else English, else Dutch, else any."""
    for key in (lang, "en", "nl"):
        if texts.get(key):
            return texts[key]
    return next(iter(texts.values()), "")
