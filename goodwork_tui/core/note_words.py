"""The words of notes, for the recurring words across sessions (core/patterns.py).

How words are found: words of three letters or more (letters only: no digits, no
underscores) in the casefolded text of a note; Dutch and English function words
(STOP_WORDS) and people's names are left out; accents are folded, so "beïnvloeden" and
"beinvloeden" are one word (shown as most written). Each session keeps, per word, in how
many of its notes it is (`Words`); which notes those are is found again when asked
(`note_words`), from the session file: the notes behind a word are read from it anyway.

Speed: `WORD.findall` on every note was most of the time of reading a session cold. The
notes are split into tokens instead by one byte translation (ASCII letters lowercased,
every other ASCII character a space) and `str.split`; a token is one word as it is when
it is plain ASCII letters, three or more, no stop word; any other token (an accent, a
sign such as "’" inside, too short) is looked at once per process with `WORD.findall`
and `fold` (`_learn`), so the words are exactly those of `WORD.findall`: most such
tokens hold no word (`_DROPPED`), the few others are other words (`_MAPPED`), which only
notes that are not all ASCII can hold.
"""

from __future__ import annotations

import re
from array import array
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from itertools import chain, compress, count
from operator import not_

from .text import fold

# Words of three letters or more (no digits, no underscores), taken from casefolded text.
WORD = re.compile(r"[^\W\d_]{3,}")

# Dutch and English function words (the method's own everyday words in notes stay:
# they are what a group talks about). Matched after casefolding, before folding.
_STOP_TEXT = """
aan aangezien achter af al alle alleen alles als altijd ander andere anders beetje bij
binnen boven daar daarna daarom dan dat de deze die dit doch doen door dus echter een
eens eerst elk elke en enige er erg even geen geweest haar had heb hebben heeft hem het
hier hij hoe hun ieder iedere iemand iets ik in is ja je jij jou jouw juist kan komen
kon kun kunnen laat maar me meer men met mij mijn moet moeten na naar nee net niet niets
nog nu of om omdat ons onze ook op over reeds samen sinds steeds te tegen toch toen tot
twee u uit uw van veel voor vooral waar waarom wanneer want was wat we wel welk welke
werd wie wij wil willen word worden wordt zal ze zei zelf zich zij zijn zo zoals zodat
zonder zou zouden zullen
about above after again against all also always among and another any are around
because been before being below between both but can cannot could did does doing done
down during each either else even ever every few for from further get gets getting got
had has have having her here hers herself him himself his how however into its itself
just least less let like made make many may more most much must myself never not now
off once one only other others our ours ourselves out over own per quite rather really
same she should since some still such than that the their theirs them themselves then
there these they this those though through thus too under until upon very was way were
what whatever when where whether which while who whom whose why will with within without
would yet you your yours yourself yourselves
"""
STOP_WORDS = frozenset(_STOP_TEXT.split())


class Words:
    """The words of a session's notes and in how many notes each is, packed for a quick
    cache: `text` holds the words, one per line (in no particular order), `counts` the
    notes of each, in the same order."""

    __slots__ = ("text", "counts")

    def __init__(self, counts: Mapping[str, int] | None = None, most: int | None = None
                 ) -> None:
        """`most`: no count is larger (the notes of the session), if known."""
        counts = counts or {}
        self.text = "\n".join(counts)
        if most is None:
            most = max(counts.values(), default=0)
        self.counts = array("H" if most < 65536 else "I", list(counts.values()))

    def __getstate__(self) -> tuple:
        return (self.text, self.counts)

    def __setstate__(self, state: tuple) -> None:
        self.text, self.counts = state

    def __len__(self) -> int:
        return len(self.counts)

    def words(self) -> list[str]:
        return self.text.split("\n") if self.text else []

    def count_of(self, word: str) -> int:
        """In how many notes `word` is (0 when in none)."""
        found = self.find([word])
        return found[0][1] if found else 0

    def find(self, wanted: Iterable[str]) -> list[tuple[str, int]]:
        """(word, notes) for each of `wanted` that is among the words, in that order.
        A few words are looked up in the text itself: quicker than making a list or a
        dict of a thousand words for each session."""
        if not self.text:
            return []
        text = f"\n{self.text}\n"
        found = []
        for word in wanted:
            at = text.find(f"\n{word}\n")
            if at >= 0:
                found.append((word, self.counts[text.count("\n", 0, at)]))
        return found


# ASCII letters lowercased (what casefold does to them), the note separator kept, every
# other ASCII byte a space; bytes of UTF-8 sequences (>= 0x80) as they are
_SEPARATOR = "\x00"
_TABLE = bytes(b + 32 if 65 <= b <= 90 else b if 97 <= b <= 122 or b >= 128 or b == 0
               else 32 for b in range(256))
_TABLE_ONE = _TABLE[:0] + b" " + _TABLE[1:]  # one note at a time: no separator

# Process-wide, grown as tokens are met (the vocabulary repeats from session to session):
_KNOWN: set[str] = set()  # every token met
_DROPPED: set[str] = set()  # tokens that hold no word (a stop word, too short, no letters)
_MAPPED: dict[str, tuple[tuple[str, str], ...]] = {}  # tokens that are other words (folded,
# split: never plain ASCII) → their (word, folded) pairs; any other token is one word as it is


def _learn(tokens: Iterable[str]) -> None:
    for token in tokens:
        if token.isascii() and len(token) >= 3 and token not in STOP_WORDS:
            continue
        pairs = []
        for word in WORD.findall(token.casefold()):
            key = word if word.isascii() else fold(word)
            if word not in STOP_WORDS and key not in STOP_WORDS:
                pairs.append((word, key))
        if not pairs:
            _DROPPED.add(token)
        elif pairs != [(token, token)]:
            _MAPPED[token] = tuple(pairs)
    _KNOWN.update(tokens)


def _decoded(data: bytes) -> str:
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:  # a lone surrogate (JSON allows "\ud800"): kept as it was
        return data.decode("utf-8", "surrogatepass")


def _tokens(texts: Sequence[str]) -> tuple[list[set[str]], list[int]]:
    """Each text's tokens (see the module's doc), as a set; and the indexes of the texts
    that are not all ASCII (only they can hold a token that is other words)."""
    if not texts:
        return [], []
    joined = _SEPARATOR.join(texts).encode("utf-8", "surrogatepass")
    pieces = _decoded(joined.translate(_TABLE)).split(_SEPARATOR)
    if len(pieces) != len(texts):  # a text holds the separator itself
        pieces = [_decoded(t.encode("utf-8", "surrogatepass").translate(_TABLE_ONE))
                  for t in texts]
    return (list(map(set, map(str.split, pieces))),
            list(compress(count(), map(not_, map(str.isascii, pieces)))))


class NoteWords:
    """The words of a session's notes: `counts(indexes)` in how many of those notes each
    word is, `notes_with(word)` which notes hold it, `forms` the folded words as most
    written (when not as folded). `names` (casefolded words of people's names) and the
    stop words are left out."""

    __slots__ = ("_sets", "_tokens", "_unusual", "_other", "_mapped", "forms")

    def __init__(self, texts: Sequence[str], names: set[str]) -> None:
        self._sets, self._unusual = _tokens(texts)
        # token → its notes; given away by the first `counts()` (then counted again)
        self._tokens: Counter[str] | None = Counter(chain.from_iterable(self._sets))
        tokens = self._tokens.keys()
        if not _KNOWN.issuperset(tokens):
            _learn([token for token in tokens if token not in _KNOWN])
        # tokens that are not simply themselves: left out, or other words (folded, split)
        other = (tokens & _DROPPED) | names.intersection(tokens)
        mapped: dict[str, set[str]] = {}
        forms: dict[str, str] = {}
        for token in tokens & _MAPPED.keys():
            keys = set()
            for word, key in _MAPPED[token]:
                if word in names or key in names:
                    continue
                keys.add(key)
                if key != word and not word.isascii() and (
                        key not in forms or word < forms[key]):
                    forms[key] = word  # the first in sorted order, as `fold` was used
            if keys != {token}:
                other.add(token)
                if keys:
                    mapped[token] = keys
        self._other, self._mapped, self.forms = other, mapped, forms

    def _final(self, tokens: set[str]) -> set[str]:
        words = tokens - self._other
        for token in tokens.intersection(self._mapped):
            words |= self._mapped[token]
        return words

    def counts(self, indexes: Iterable[int] | None = None) -> Counter[str]:
        """Word → in how many of the notes (all, or those at `indexes`) it is."""
        sets = self._sets
        if indexes is None:
            counts, self._tokens = self._tokens, None
            if counts is None:
                counts = Counter(chain.from_iterable(sets))
            unusual: Iterable[int] = self._unusual
        else:
            chosen = list(indexes)
            counts = Counter(chain.from_iterable(map(sets.__getitem__, chosen)))
            unusual = list(filter(set(self._unusual).__contains__, chosen))
        drop = counts.pop
        for token in self._other:
            drop(token, None)
        mapped = self._mapped
        if mapped:
            for index in unusual:
                tokens = sets[index]
                if not tokens.isdisjoint(mapped):
                    # the words this note gains by its mapped tokens, not counted yet
                    counts.update(self._final(tokens) - (tokens - self._other))
        return counts

    def notes_with(self, word: str, indexes: Iterable[int] | None = None) -> list[int]:
        """The indexes of the notes (all, or those at `indexes`) that hold `word`."""
        return self.notes_with_each([word], indexes)[word]

    def notes_with_each(self, words: Iterable[str], indexes: Iterable[int] | None = None
                        ) -> dict[str, list[int]]:
        """`notes_with` for each of `words`, each note's words worked out once."""
        found: dict[str, list[int]] = {word: [] for word in words}
        sets = self._sets
        for index in range(len(sets)) if indexes is None else indexes:
            for word in self._final(sets[index]).intersection(found):
                found[word].append(index)
        return found
