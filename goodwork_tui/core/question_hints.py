"""Gentle hints for a question to bring to a group (a moral question, in the method).

A known rule of thumb for such questions: at most 15 words, no comma, it does not
presuppose its answer, and it opens with a modal verb (can/will/must/dare/may — kan,
wil, moet, durf, mag) rather than with "how"/"hoe". These are hints, never a block.
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
# Words that slip an answer into the question ("isn't it better to ...").
LEADING = {
    "nl": ("toch", "natuurlijk", "uiteraard", "eigenlijk niet", "is het niet", "niet beter"),
    "en": ("surely", "obviously", "of course", "isn't it", "wouldn't it be better",
           "shouldn't we just", "don't you agree"),
}


def hints(question: str, lang: str = "en") -> list[str]:
    """Catalog keys of the hints that apply (empty: the question follows the rule)."""
    lang = lang if lang in MODALS else "en"
    text = " ".join(question.split())
    if not text:
        return []
    words = re.findall(r"[\w'’-]+", text.casefold())
    found = []
    if len(words) > MAX_WORDS:
        found.append("question.too_long")
    if "," in text:
        found.append("question.comma")
    first = words[0] if words else ""
    if first in HOW[lang]:
        found.append("question.how")
    elif first not in MODALS[lang]:
        found.append("question.modal")
    lowered = text.casefold()
    if any(re.search(rf"(?<!\w){re.escape(phrase)}(?!\w)", lowered) for phrase in LEADING[lang]):
        found.append("question.leading")
    if not text.endswith("?"):
        found.append("question.mark")
    return found
