"""Writing library files by hand: templates for new situations and collections, and
turning interview portraits (the inbox) into a new situation type."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from .markdown_file import FileError, body_of, read_text, split_front_matter
from .model import DIMENSIONS
from .reflection import HEADINGS
from .slug import slugify

INBOX = "_inbox"

TEMPLATE_TEXT = {
    "nl": {
        "story": "Vertel in 150 tot 350 woorden wat er gebeurde, tot het moment van kiezen. "
                 "Concreet, met verzonnen namen; eindig open, zonder moraal.",
        "knowledge": "Welke kennis speelt mee?", "actions": "Wat kun je doen?",
        "identity": "Hoe klinkt de professionele identiteit door?",
        "values": "Welke waarden staan op het spel?",
        "relationships": "Hoe liggen de verhoudingen tussen de betrokkenen?",
        "question": "Herken je dit? Waar kwam je het afgelopen jaar zoiets tegen?",
        "did": "Wat deed deze professional?", "considerations": "Wat woog hij of zij af?",
        "excellent": "Was het goed werk?", "ethical": "Deed het recht aan de anderen?",
        "engaging": "Voelde het betekenisvol?",
    },
    "en": {
        "story": "Tell in 150 to 350 words what happened, up to the moment of choice. "
                 "Concrete, with invented names; end open, without a moral.",
        "knowledge": "What knowledge plays a part?", "actions": "What can one do?",
        "identity": "How does professional identity resonate?",
        "values": "Which values are at stake?",
        "relationships": "How do the people involved relate to each other?",
        "question": "Do you recognise this? Where did you meet something like it this year?",
        "did": "What did this professional do?", "considerations": "What did they weigh?",
        "excellent": "Was it good work?", "ethical": "Did it do right by the others?",
        "engaging": "Did it feel meaningful?",
    },
}
DIMENSION_HEADINGS = {
    "nl": {"knowledge": "Kennis", "actions": "Handelen", "identity": "Identiteit",
           "values": "Waarden", "relationships": "Verhoudingen", "title": "Dimensies"},
    "en": {"knowledge": "Knowledge", "actions": "Actions", "identity": "Identity",
           "values": "Values", "relationships": "Relationships", "title": "Dimensions"},
}


def new_id(collection: str, title: str, lang: str, taken: set[str]) -> str:
    base = f"{collection}-{slugify(title)[:40].strip('-')}"
    candidate, number = f"{base}-{lang}", 2
    while candidate in taken:
        candidate, number = f"{base}-{number}-{lang}", number + 1
    return candidate


def _front_matter(data: dict) -> str:
    return "---\n" + yaml.safe_dump(data, allow_unicode=True, sort_keys=False) + "---\n"


def situation_template(*, situation_id: str, title: str, collection: str, lang: str,
                       tags: list[str] | None = None, images: list[Portrait] | None = None,
                       ) -> str:
    """A new situation with every section in place and a line of guidance in each."""
    lang = lang if lang in TEMPLATE_TEXT else "en"
    text, h, d = TEMPLATE_TEXT[lang], HEADINGS[lang], DIMENSION_HEADINGS[lang]
    out = [_front_matter({"id": situation_id, "title": title, "collection": collection,
                          "lang": lang, "tags": list(tags or [])}),
           f"## {h['story']}", "", text["story"], "", f"## {d['title']}", ""]
    for dimension in DIMENSIONS:
        out += [f"### {d[dimension]}", "", text[dimension], ""]
    out += [f"## {h['questions']}", "", f"- {text['question']}", ""]
    portraits: list[Portrait | None] = [*images] if images else [None]
    for portrait in portraits:
        who = f": {portrait.who}" if portrait and portrait.who else ""
        out += [f"## {h['image']}{who}", ""]
        if portrait is not None:
            out += [f"### {h['did']}", "", portrait.text.strip(), ""]
            out += [f"### {h['considerations']}", "", text["considerations"], ""]
        else:
            out += [f"### {h['did']}", "", text["did"], "",
                    f"### {h['considerations']}", "", text["considerations"], ""]
        for lens in ("excellent", "ethical", "engaging"):
            out += [f"### {h[lens]}", "", text[lens], ""]
    return "\n".join(out).rstrip("\n") + "\n"


def collection_text(collection_id: str, titles: dict[str, str], roles: dict[str, str],
                    descriptions: dict[str, str]) -> str:
    data: dict = {"id": collection_id, "title": {k: v for k, v in titles.items() if v}}
    if any(roles.values()):
        data["role"] = {k: v for k, v in roles.items() if v}
    if any(descriptions.values()):
        data["description"] = {k: v for k, v in descriptions.items() if v}
    return _front_matter(data)


# ----------------------------------------------------------------- the portraits inbox


@dataclass(slots=True)
class Portrait:
    """An image of good work from an interview, not yet ordered into a situation type."""

    path: Path
    who: str
    text: str
    tags: tuple[str, ...] = ()
    dimensions: tuple[str, ...] = ()
    problem: str = ""

    @property
    def label(self) -> str:
        first = next((line for line in self.text.splitlines() if line.strip()), "")
        return f"{self.who} — {first}" if self.who else first or self.path.name


def read_inbox(library_root: Path) -> list[Portrait]:
    """Every portrait in library/_inbox/ (front matter optional: who, tags, dimensions)."""
    folder = library_root / INBOX
    portraits = []
    try:
        paths = sorted(p for p in folder.iterdir() if p.suffix.lower() == ".md"
                       and not p.name.startswith(".") and p.name.lower() != "readme.md")
    except OSError:
        return []
    for path in paths:
        try:
            text = read_text(path)
        except FileError as error:
            portraits.append(Portrait(path, "", "", problem=f"{path.name}:{error.line}: "
                                                            f"{error.message}"))
            continue
        meta: dict = {}
        body = text
        if text.startswith("---"):
            try:
                meta, lines, closing = split_front_matter(text)
                body = body_of(lines, closing)
            except FileError as error:
                portraits.append(Portrait(path, "", text, problem=f"{path.name}:{error.line}: "
                                                                  f"{error.message}"))
                continue
        def words(value: object) -> tuple[str, ...]:
            if isinstance(value, str):
                return tuple(w for w in re.split(r"[,\s]+", value) if w)
            if isinstance(value, list):
                return tuple(str(v) for v in value)
            return ()
        portraits.append(Portrait(path, str(meta.get("who", "") or ""), body,
                                  words(meta.get("tags")), words(meta.get("dimensions"))))
    return portraits


@dataclass(slots=True)
class Shared:
    tags: list[str] = field(default_factory=list)
    dimensions: list[str] = field(default_factory=list)


def shared(portraits: list[Portrait]) -> Shared:
    """The tags and dimensions every chosen portrait has."""
    if not portraits:
        return Shared()
    tags = set(portraits[0].tags)
    dimensions = set(portraits[0].dimensions)
    for portrait in portraits[1:]:
        tags &= set(portrait.tags)
        dimensions &= set(portrait.dimensions)
    order = {name: i for i, name in enumerate(portraits[0].tags)}
    return Shared(sorted(tags, key=lambda t: order.get(t, 0)),
                  [d for d in DIMENSIONS if d in dimensions])
