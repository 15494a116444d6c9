"""The headings a library file may use, in Dutch and English, mapped to code names."""

from __future__ import annotations

from .text import fold

SITUATION_SECTIONS = {
    "situatie": "story",
    "situation": "story",
    "dimensies": "dimensions",
    "dimensions": "dimensions",
    "reflectievragen": "questions",
    "reflection questions": "questions",
}

# "## Beeld van goed werk: WHO" — the part after the colon names who speaks.
IMAGE_PREFIXES = ("beeld van goed werk", "image of good work")

DIMENSION_HEADINGS = {
    "kennis": "knowledge",
    "knowledge": "knowledge",
    "handelen": "actions",
    "actions": "actions",
    "identiteit": "identity",
    "identity": "identity",
    "waarden": "values",
    "values": "values",
    "verhoudingen": "relationships",
    "relationships": "relationships",
}

IMAGE_HEADINGS = {
    "wat ik deed": "did",
    "what i did": "did",
    "afwegingen": "considerations",
    "considerations": "considerations",
    "goed is": "excellent",
    "excellent": "excellent",
    "goed doet": "ethical",
    "ethical": "ethical",
    "goed voelt": "engaging",
    "engaging": "engaging",
}

# the settings at the start of an image section, before its level-3 headings
IMAGE_KEYS = {
    "bron": "source",
    "source": "source",
    "toestemming": "consent",
    "consent": "consent",
}

ROUND_KEYS = {
    "minutes": "minutes",
    "minuten": "minutes",
    "kinds": "kinds",
    "soorten": "kinds",
    "roles": "roles",
    "rollen": "roles",
    "helper": "helper",
    "hulp": "helper",
    "reveal": "reveal",
    "onthullen": "reveal",
}

# What `- helper:` may name (Dutch words too), mapped to the code name.
ROUND_HELPERS = {
    "moral-question": "moral-question",
    "morele-vraag": "moral-question",
}


def key(heading: str) -> str:
    """Heading text as looked up in the tables above."""
    return " ".join(fold(heading).split())


def image_who(heading: str) -> str | None:
    """The speaker of an image heading ('' when anonymous), None when not an image heading."""
    text = key(heading)
    for prefix in IMAGE_PREFIXES:
        if text == prefix or text.startswith(prefix + ":"):
            return heading.partition(":")[2].strip()
    return None
