"""Writing library files by hand: templates for new situations and collections, and
turning interview portraits (the inbox) into a new situation type."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from .markdown_file import FileError, body_of, read_text, split_front_matter
from .model import CONSENT, DIMENSIONS
from .reflection import HEADINGS
from .sections import IMAGE_HEADINGS, key
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
        "question": "Herken je dit? Waar kwam jij dit het afgelopen jaar tegen?",
        "source": "wie het vertelde en wanneer, of: verzonnen voorbeeld",
        "consent": "ja, anoniem of verzonnen",
        "did": "Wat deed deze professional?", "considerations": "Wat woog hij of zij af?",
        "excellent": "Was het vakkundig en van goede kwaliteit?",
        "ethical": "Deed het recht aan de belangen en perspectieven van de anderen?",
        "engaging": "Was het betekenisvol en gaf het energie, voor wie erbij betrokken waren?",
    },
    "en": {
        "story": "Tell in 150 to 350 words what happened, up to the moment of choice. "
                 "Concrete, with invented names; end open, without a moral.",
        "knowledge": "What knowledge plays a part?", "actions": "What can one do?",
        "identity": "How does professional identity resonate?",
        "values": "Which values are at stake?",
        "relationships": "How do the people involved relate to each other?",
        "question": "Do you recognise this? Where did you come across something like it "
                    "in the past year?",
        "source": "who told it and when, or: invented example",
        "consent": "yes, anonymous or fictional",
        "did": "What did this professional do?", "considerations": "What did they weigh?",
        "excellent": "Was it skilful and of good quality?",
        "ethical": "Did it do right by the interests and perspectives of the others?",
        "engaging": "Was it meaningful and energising for those involved?",
    },
}
# the setting lines that open an image: its source and consent, in the file's language
PROVENANCE = {
    "nl": {"source": "bron", "consent": "toestemming",
           "yes": "ja", "anonymous": "anoniem", "fictional": "verzonnen"},
    "en": {"source": "source", "consent": "consent",
           "yes": "yes", "anonymous": "anonymous", "fictional": "fictional"},
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
    p = PROVENANCE[lang]
    portraits: list[Portrait | None] = [*images] if images else [None]
    for portrait in portraits:
        who = f": {portrait.who}" if portrait and portrait.who else ""
        out += [f"## {h['image']}{who}", ""]
        # the portrait's source and consent go with it; a new image asks for them (the
        # check reports the consent until it is one of the three words)
        source = portrait.source if portrait is not None else text["source"]
        consent = p.get(portrait.consent, portrait.consent) if portrait is not None \
            else text["consent"]
        out += [f"- {p['source']}: {' '.join(source.split())}",
                f"- {p['consent']}: {' '.join(consent.split())}", ""]
        lenses: dict[str, str] = {}
        if portrait is not None:
            did, lenses = _lens_paragraphs(portrait.text)
            out += [f"### {h['did']}", "", did, ""]
            out += [f"### {h['considerations']}", "", text["considerations"], ""]
        else:
            out += [f"### {h['did']}", "", text["did"], "",
                    f"### {h['considerations']}", "", text["considerations"], ""]
        for lens in ("excellent", "ethical", "engaging"):
            out += [f"### {h[lens]}", "", lenses.get(lens) or text[lens], ""]
    return "\n".join(out).rstrip("\n") + "\n"


def _lens_paragraphs(portrait_text: str) -> tuple[str, dict[str, str]]:
    """A portrait's text, and the paragraphs that start with a lens's name ('Goed doet:
    …', as a reflection writes them) by lens, without the name: they go under the lens
    headings of the new image."""
    rest: list[str] = []
    lenses: dict[str, list[str]] = {}
    for paragraph in re.split(r"\n\s*\n", portrait_text.strip()):
        label, colon, after = paragraph.partition(":")
        lens = IMAGE_HEADINGS.get(key(label)) if colon and after.strip() else None
        if lens in ("excellent", "ethical", "engaging"):
            lenses.setdefault(lens, []).append(after.strip())
        else:
            rest.append(paragraph)
    return "\n\n".join(rest), {lens: "\n\n".join(parts) for lens, parts in lenses.items()}


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
    source: str = ""
    consent: str = ""  # a code: yes, anonymous or fictional ('' when missing or unknown)

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
        consent = meta.get("consent", "")
        if isinstance(consent, bool):  # YAML reads a bare yes/no as true/false
            consent = "yes" if consent else "no"
        consent = " ".join(str(consent or "").lower().split())
        portraits.append(Portrait(path, str(meta.get("who", "") or ""), body,
                                  words(meta.get("tags")), words(meta.get("dimensions")),
                                  source=str(meta.get("source", "") or ""),
                                  consent=CONSENT.get(consent, "")))
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
