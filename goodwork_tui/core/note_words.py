"""The words of notes, for the recurring words across sessions (core/patterns.py).

How words are found: words of three letters or more (letters only: no digits, no
underscores) in the casefolded text of a note; Dutch and English function words
(STOP_WORDS) and people's names are left out; accents are folded, so "beïnvloeden" and
"beinvloeden" are one word (shown as most written). Each session keeps, per word, the
notes it is in (`Words`), packed small for the cache.
"""

from __future__ import annotations

import re
from array import array
from bisect import bisect_left
from itertools import repeat

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
    """Words of a session's notes and the notes each is in, packed for a quick cache:
    `text` holds the sorted words, one per line; the notes of the i-th word are
    `notes[offsets[i]:offsets[i + 1]]`. One string and two arrays pickle as a few byte
    strings: a thousand sessions load in milliseconds."""

    __slots__ = ("text", "offsets", "notes")

    def __init__(self, postings: dict[str, list[int]] | None = None) -> None:
        postings = postings or {}
        ordered = sorted(postings)
        self.text = "\n".join(ordered)
        flat = [i for word in ordered for i in postings[word]]
        self.notes = array("H" if max(flat, default=0) < 65536 else "I", flat)
        offsets = [0]
        for word in ordered:
            offsets.append(offsets[-1] + len(postings[word]))
        self.offsets = array("H" if offsets[-1] < 65536 else "I", offsets)

    def __getstate__(self) -> tuple:
        return (self.text, self.offsets, self.notes)

    def __setstate__(self, state: tuple) -> None:
        self.text, self.offsets, self.notes = state

    def __len__(self) -> int:
        return len(self.offsets) - 1

    def words(self) -> list[str]:
        """The words, sorted (as `bisect` wants them)."""
        return self.text.split("\n") if self.text else []

    def notes_at(self, index: int) -> memoryview:
        """The indexes of the notes that hold the index-th word (a view, not a copy)."""
        return memoryview(self.notes)[self.offsets[index]:self.offsets[index + 1]]

    def notes_of(self, word: str) -> memoryview:
        """The indexes of the notes that hold `word` (empty when none does)."""
        words = self.words()
        index = bisect_left(words, word)
        if index < len(words) and words[index] == word:
            return self.notes_at(index)
        return memoryview(self.notes)[:0]

    def find(self, wanted: list[str]) -> list[tuple[str, int, int]]:
        """(word, start, end) for each of `wanted` (sorted) that is among the words: its
        notes are notes[start:end]."""
        words = self.words()
        size = len(words)
        offsets = self.offsets
        return [(word, offsets[index], offsets[index + 1])
                for word, index in zip(wanted, map(bisect_left, repeat(words), wanted),
                                       strict=True)
                if index < size and words[index] == word]


def folded(words: dict[str, list[int]], leave_out: set[str],
            forms: dict[str, str]) -> dict[str, list[int]]:
    """Words under their folded form ("beïnvloeden" and "beinvloeden" are one word),
    without the words to leave out."""
    for word in leave_out.intersection(words):
        del words[word]
    odd = [w for w in words if not w.isascii()]
    for word in sorted(odd):
        key = fold(word)
        notes = words.pop(word)
        if key in words:
            words[key] = sorted(set(words[key]) | set(notes))
        else:
            words[key] = notes
        if key != word and key not in leave_out:
            forms.setdefault(key, word)
    for word in leave_out.intersection(words):  # a folded form may be one too
        del words[word]
    return words


# ----------------------------------------------------------------- the folder, cached
