"""Gentle hints for a question to bring to a group (a moral question, in the method).

A known rule of thumb for such questions: at most 15 words, no comma, it does not
presuppose its answer, and it opens with a modal verb (can/will/must/dare/may — kan,
wil, moet, durf, mag) rather than with "how"/"hoe". These are hints, never a block.

Only a round that asks for the group's moral question turns the helper on (a format says
so with `- helper: moral-question`). Even there people ask clarifying questions ("Wat…",
"Wie…"): those are not told to open with a modal verb, and a dilemma's "…, of B?" is no
comma to complain about.
"""

from __future__ import annotations

import re

MAX_WORDS = 15
MODALS = {
    "nl": ("kan", "kun", "kunnen", "wil", "willen", "moet", "moeten", "durf", "durven",
           "mag", "mogen", "zal", "zullen", "mocht", "kon", "wilde", "moest", "durfde"),
    "en": ("can", "could", "will", "would", "must", "should", "dare", "may", "might",
           "shall"),
}
HOW = {"nl": ("hoe",), "en": ("how",)}
# Questions that ask for facts: the modal-verb rule is not for them.
CLARIFYING = {
    "nl": ("wat", "wie", "wanneer", "waar", "waarom", "welke", "welk"),
    "en": ("what", "who", "when", "where", "why", "which"),
}
# The comma of a dilemma: "Moet ik A doen, of B?"
DILEMMA_COMMA = re.compile(r",\s+(?:of|or)\b")
# Words that slip an answer into the question ("isn't it better to ...").
LEADING = {
    "nl": ("natuurlijk", "uiteraard", "eigenlijk niet", "is het niet", "niet beter"),
    "en": ("surely", "obviously", "of course", "isn't it", "wouldn't it be better",
           "shouldn't we just", "don't you agree"),
}


def hints(question: str, lang: str = "en") -> list[str]:
    """Catalog keys of the hints that apply (empty: the question follows the rule).

    The words of both languages count whatever `lang` is: a group may well word its
    question in Dutch while the screen is in English."""
    del lang  # kept for callers; see above
    text = " ".join(question.split())
    if not text:
        return []
    lowered = text.casefold()
    words = re.findall(r"[\w'’-]+", lowered)
    found = []
    if len(words) > MAX_WORDS:
        found.append("question.too_long")
    if "," in DILEMMA_COMMA.sub(" or", lowered):
        found.append("question.comma")
    first = words[0] if words else ""
    if first in _ANY["how"]:
        found.append("question.how")
    elif first not in _ANY["modal"] and first not in _ANY["clarifying"]:
        found.append("question.modal")
    if any(re.search(rf"(?<!\w){re.escape(phrase)}(?!\w)", lowered)
           for phrase in _ANY["leading"]):
        found.append("question.leading")
    if not text.endswith("?"):
        found.append("question.mark")
    return found


_ANY = {name: {word for words in table.values() for word in words}
        for name, table in (("modal", MODALS), ("how", HOW), ("clarifying", CLARIFYING),
                            ("leading", LEADING))}
