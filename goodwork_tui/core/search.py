"""Search as you type: every word of the query must occur in title, tags or text.

Text is folded once (casefold, accents stripped) when the index is built, so a
keystroke costs one substring scan per situation and no parsing.
"""

from __future__ import annotations

from collections.abc import Iterable

from .model import Situation
from .text import fold


def prepare(situations: Iterable[Situation], tag_labels: dict[str, dict[str, str]]) -> None:
    """Fold each situation's searchable text once; kept on the situation (and cached)."""
    for situation in situations:
        if situation.search_text:
            continue
        labels = [label for tag in situation.tags
                  for label in (tag, *tag_labels.get(tag, {}).values())]
        situation.search_title = fold(situation.title)
        situation.search_text = fold("\n".join((situation.title, " ".join(labels),
                                                situation.body)))


class SearchIndex:
    def __init__(self, tag_labels: dict[str, dict[str, str]] | None = None) -> None:
        self._tag_labels = tag_labels or {}
        self._titles: dict[str, str] = {}
        self._haystacks: dict[str, str] = {}

    def add(self, situations: Iterable[Situation]) -> None:
        situations = list(situations)
        prepare(situations, self._tag_labels)
        for situation in situations:
            self._titles[situation.id] = situation.search_title
            self._haystacks[situation.id] = situation.search_text

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
