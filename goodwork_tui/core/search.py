"""Search as you type: every word of the query must occur in title, tags or text.

Text is folded once (casefold, accents stripped) when the index is built, so a
keystroke costs one substring scan per situation and no parsing.
"""

from __future__ import annotations

from collections.abc import Iterable

from .model import Situation
from .text import fold


class SearchIndex:
    def __init__(self, tag_labels: dict[str, dict[str, str]] | None = None) -> None:
        self._tag_labels = tag_labels or {}
        self._titles: dict[str, str] = {}
        self._haystacks: dict[str, str] = {}

    def add(self, situations: Iterable[Situation]) -> None:
        for situation in situations:
            labels = [
                label
                for tag in situation.tags
                for label in (tag, *self._tag_labels.get(tag, {}).values())
            ]
            self._titles[situation.id] = fold(situation.title)
            self._haystacks[situation.id] = fold(
                "\n".join((situation.title, " ".join(labels), situation.body))
            )

    def search(self, query: str, situations: Iterable[Situation]) -> list[Situation]:
        """The situations matching `query`, title hits first, otherwise in the given order."""
        terms = fold(query).split()
        candidates = list(situations)
        if not terms:
            return candidates
        in_title: list[Situation] = []
        elsewhere: list[Situation] = []
        for situation in candidates:
            haystack = self._haystacks.get(situation.id)
            if haystack is None:
                self.add([situation])
                haystack = self._haystacks[situation.id]
            if all(term in haystack for term in terms):
                title = self._titles[situation.id]
                (in_title if any(t in title for t in terms) else elsewhere).append(situation)
        return in_title + elsewhere
