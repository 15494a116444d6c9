"""Search as you type: every word of the query must occur in title, tags or text.

Text is folded once (casefold, accents stripped) when the index is built. A keystroke
then either scans that text (`SearchIndex` alone) or, for a list that was given a
`WordIndex`, looks the query's words up among the distinct words of the list, which
costs about as much for ten thousand situations as a scan costs for a few hundred.
Both give the same answers: "trouw" finds "vertrouwen" either way.
"""

from __future__ import annotations

import string
from array import array
from collections.abc import Iterable, Sequence

from .model import Situation
from .text import fold

# Text is cut into words at white space and ASCII punctuation (not "_", which is a word
# character). A query word without such characters occurs in a text exactly when it
# occurs inside one of the text's words, which is what lets the word list answer.
_SEPARATORS = str.maketrans({c: " " for c in string.punctuation if c != "_"})

def words_of(text: str) -> list[str]:
    return text.translate(_SEPARATORS).split()


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


class WordIndex:
    """The distinct words of a fixed list of situations, each with the positions (in
    that list) of the situations holding it. Built once, off the UI thread: ~0.4 s for
    8,000 situations; ~4 bytes a (word, situation) pair.

    Words found in many situations also get a bitmap (a Python int, bit n for position
    n), so a query word that occurs in nearly every situation ("e", "ver") is answered
    by OR-ing a few bitmaps instead of collecting hundreds of thousands of positions.
    """

    def __init__(self, pool: Sequence[Situation], haystacks: Sequence[str]) -> None:
        self.pool = pool
        self.haystacks = list(haystacks)
        size = len(self.haystacks)
        # arrays from the start: a million positions in lists of ints would take ~36 MB
        # for a moment (the peak memory counts), in arrays 4 MB
        postings: dict[str, array[int]] = {}
        get = postings.get
        for number, haystack in enumerate(self.haystacks):
            for word in set(words_of(haystack)):
                entry = get(word)
                if entry is None:
                    postings[word] = array("i", (number,))
                else:
                    entry.append(number)
        self._postings = postings
        frequent = max(size // FREQUENT, 1)
        self._bitmaps = {word: _bitmap(entry, size) for word, entry in postings.items()
                         if len(entry) >= frequent}
        self._vocabulary = list(self._postings)
        # Typing repeats the same words (forward, then backspace): remember the last ones.
        self._words_memo: dict[str, list[str]] = {}
        self._docs_memo: dict[str, set[int] | None] = {}
        self._scan_cost = 10 * max(size, 1)  # positions worth collecting rather than checking

    def _words(self, part: str) -> list[str]:
        """The distinct words that contain `part`."""
        words = self._words_memo.get(part)
        if words is None:
            # typing on: only words holding the shorter part can hold the longer one
            shorter = self._words_memo.get(part[:-1]) if len(part) > 1 else None
            source = self._vocabulary if shorter is None else shorter
            words = [word for word in source if part in word]
            if len(self._words_memo) > 512:
                self._words_memo.clear()
            self._words_memo[part] = words
        return words

    def docs(self, term: str) -> tuple[set[int] | None, bool]:
        """Positions of the situations that may hold `term`, and whether all of them do
        (None: no use looking it up; check it per situation)."""
        parts = words_of(term)
        exact = len(parts) == 1 and parts[0] == term
        part = max(parts, key=len, default="")  # the longest part is the most selective
        if not part:
            return None, False
        if part in self._docs_memo:
            return self._docs_memo[part], exact
        postings, bitmaps = self._postings, self._bitmaps
        words = self._words(part)
        # Collecting costs ~30 ns a position (a bitmap: one OR); checking each situation
        # costs ~0.3 µs when nearly all hold the part early on (one letter, "te"). With a
        # real vocabulary one letter is in tens of thousands of words: check instead.
        found: set[int] | None = None
        if len(words) <= MANY_WORDS and sum(
                len(postings[word]) for word in words if word not in bitmaps) <= self._scan_cost:
            found = set()
            bits = 0
            for word in words:
                bitmap = bitmaps.get(word)
                if bitmap is None:
                    found.update(postings[word])
                else:
                    bits |= bitmap
            if bits:
                found.update(_positions(bits))
        if len(self._docs_memo) > 512:
            self._docs_memo.clear()
        self._docs_memo[part] = found
        return found, exact


MANY_WORDS = 3000  # matching words from which a part is checked per situation instead
FEW = 256  # matches left from which further query words are checked, not looked up
FREQUENT = 64  # a word in at least 1/64 of the situations gets a bitmap (≤ 50 words a
# situation on average, so the bitmaps take at most about as much as the positions)


def _bitmap(positions: array[int], size: int) -> int:
    bits = bytearray((size + 7) // 8)
    for position in positions:
        bits[position >> 3] |= 1 << (position & 7)
    return int.from_bytes(bits, "little")


def _positions(bits: int) -> list[int]:
    """The positions of the set bits, lowest first."""
    text = bin(bits)[:1:-1]  # bit 0 first
    found: list[int] = []
    start = text.find("1")
    while start >= 0:
        found.append(start)
        start = text.find("1", start + 1)
    return found


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

    def _haystack(self, situation: Situation) -> str:
        haystack = self._haystacks.get(situation.id)
        if haystack is None:
            self.add([situation])
            haystack = self._haystacks[situation.id]
        return haystack

    def haystacks(self, pool: Sequence[Situation]) -> list[str]:
        """The folded text of each situation of `pool`, for a `WordIndex` of it."""
        return [self._haystack(situation) for situation in pool]

    def words(self, pool: Sequence[Situation]) -> WordIndex:
        """A word index of `pool` for `matches`."""
        return WordIndex(pool, self.haystacks(pool))

    def matches(self, query: str, pool: Sequence[Situation],
                words: WordIndex | None = None) -> list[Situation]:
        """The situations of `pool` matching `query`, in the order of `pool`. With
        `words` built for this very pool the answer comes from the word index."""
        terms = fold(query).split()
        if not terms:
            return list(pool)
        if words is None or words.pool is not pool:
            haystack = self._haystack
            return [s for s in pool if all(term in haystack(s) for term in terms)]
        found: set[int] | None = None
        check: list[str] = []
        for term in sorted(terms, key=len, reverse=True):  # longer words narrow more
            if found is not None and len(found) <= FEW:
                check.append(term)  # cheaper to check in the few left than to collect
                continue
            docs, exact = words.docs(term)
            if docs is not None:
                found = docs if found is None else found & docs
            if docs is None or not exact:
                check.append(term)
        numbers: Iterable[int] = range(len(pool)) if found is None else sorted(found)
        if check:
            haystacks = words.haystacks
            numbers = [n for n in numbers if all(term in haystacks[n] for term in check)]
        return [pool[n] for n in numbers]

    def search(self, query: str, situations: Iterable[Situation],
               words: WordIndex | None = None) -> list[Situation]:
        """The situations matching `query`, title hits first, otherwise in the given order."""
        pool = situations if isinstance(situations, Sequence) else list(situations)
        found = self.matches(query, pool, words)
        terms = fold(query).split()
        if not terms:
            return found
        in_title: list[Situation] = []
        elsewhere: list[Situation] = []
        for situation in found:
            title = self._titles.get(situation.id, "")
            (in_title if any(t in title for t in terms) else elsewhere).append(situation)
        return in_title + elsewhere
