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
ROLES = ("case-presenter", "facilitator", "harvester", "timekeeper")
# older names of roles, still read (old format files, and sessions that keep a copy of
# their format): a round's roles are always given by the current code
ROLE_ALIASES = {"case-giver": "case-presenter"}
# where an image or portrait comes from may be told with consent, anonymously, or be
# invented; the values are accepted in Dutch and English
CONSENT = {"yes": "yes", "ja": "yes", "anonymous": "anonymous", "anoniem": "anonymous",
           "fictional": "fictional", "verzonnen": "fictional"}


def role_code(name: str) -> str:
    """The current code of a role, from its code or an older name."""
    return ROLE_ALIASES.get(name, name)


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
    source: str = ""  # who told it, or where it comes from
    consent: str = ""  # a code from CONSENT's values: yes, anonymous or fictional


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
    # folded title and title+tags+body, filled by the search index and kept in the cache
    search_title: str = ""
    search_text: str = ""


def one_line_summary(situation: Situation, limit: int = 160, body: str | None = None) -> str:
    """The first sentence of the story, as plain text: for lists and the harvest."""
    import re

    story = situation.story
    if not story:  # not parsed into sections: the first paragraph under a heading
        text = situation.body if body is None else body
        story = "\n\n".join(p for p in text.split("\n\n")
                             if p.strip() and not p.lstrip().startswith("#"))
    first = next((p for p in story.split("\n\n") if p.strip()), "")
    text = " ".join(re.sub(r"[*_`#>]", "", first).split())
    match = re.match(r"(.+?[.!?])(\s|$)", text)
    sentence = match.group(1) if match else text
    return sentence if len(sentence) <= limit else sentence[: limit - 1].rstrip() + "…"


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
    helper: str = ""  # "moral-question": the question helper guides what is typed here
    reveal: str = ""  # what of the situation the room sees by default (core/reveal.py)


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
    order: int = 100  # position in lists of formats; lower comes first


def pick(texts: dict[str, str], lang: str) -> str:
    """The text in `lang`, else English, else Dutch, else any."""
    for key in (lang, "en", "nl"):
        if texts.get(key):
            return texts[key]
    return next(iter(texts.values()), "")


@dataclass
class Library:
    root: Path
    collections: dict[str, Collection] = field(default_factory=dict)
    situations: list[Situation] = field(default_factory=list)
    formats: list[Format] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    tags: dict[str, dict[str, str]] = field(default_factory=dict)

    def situation(self, situation_id: str) -> Situation | None:
        return self._by_id().get(situation_id)

    def _by_id(self) -> dict[str, Situation]:
        cache = self.__dict__.get("_ids")
        if cache is None or len(cache) != len(self.situations):
            cache = {s.id: s for s in self.situations}
            self.__dict__["_ids"] = cache
        return cache

    def in_language(self, situation: Situation, lang: str) -> Situation:
        """The translation of `situation` in `lang` where one exists, else itself."""
        if situation.lang == lang:
            return situation
        other = self.situation(situation.translations.get(lang, ""))
        return other if other is not None and other.lang == lang else situation

    def shown(self, lang: str) -> list[Situation]:
        """One situation per translation group: the one in `lang`, else as written."""
        seen: set[str] = set()
        result: list[Situation] = []
        for situation in self.situations:
            if situation.id in seen:
                continue
            group = {situation.id, *situation.translations.values()}
            seen |= group
            result.append(self.in_language(situation, lang))
        return result

    def body(self, situation: Situation) -> str:
        """The Markdown after the front matter. A library read from the cache does not
        hold the bodies (that keeps ten thousand situations small): read the file."""
        if situation.body:
            return situation.body
        from .markdown_file import FileError, body_of, read_text, split_front_matter

        try:
            _meta, lines, closing = split_front_matter(read_text(situation.path))
        except FileError:
            return ""
        return body_of(lines, closing)

    def tag_label(self, tag: str, lang: str) -> str:
        labels = self.tags.get(tag)
        return (labels.get(lang) or labels.get("en") or tag) if labels else tag
