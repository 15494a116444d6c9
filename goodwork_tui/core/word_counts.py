"""The word counts a session file carries, so that the views across sessions need not
count its notes' words again.

Counting the words of a session's notes (note_words.py) is half the CPU time of reading a
session file with no cache: about 1 ms for 200 notes, CPython's floor for splitting and
counting some 4,000 words. So a group session's file carries what that counting found, in a
table of its own (`words`, one document): in how many notes each word is, the same for the
questions, the folded words as written, and a `key` of what they were counted from (the
texts of the notes that count, which of them are questions, the names left out, and
WORDS_FORMAT: how words are found).

The store writes them when it closes a session it changed (SessionStore.close), so a file
read on another machine (shared through git) or after the cache is gone is read at about
half the cost. A reader takes them only where their key is that of what it reads in the
file; else it counts the words as always. A file changed by hand, by an older version, by
a merge, or still open in the app, is counted exactly as before: the counts are never
trusted, only checked and used.
"""

from __future__ import annotations

import hashlib
from array import array
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from .note_words import WORD, NoteWords, Words
from .session_schema import WORDS_TABLE as TABLE  # noqa: F401 - the name readers use

# bump when how words are found changes (note_words.py: WORD, STOP_WORDS, folding): the
# counts in files are then counted again
WORDS_FORMAT = 1

Counted = tuple[Words, Words, dict[str, str]]  # words, question words, forms


def names_of(participants: Iterable[Any], facilitator: object) -> set[str]:
    """Names are not patterns: the casefolded words of a participant's or the
    facilitator's name are never counted."""
    names: set[str] = set()
    for person in [*participants, {"name": facilitator}]:
        name = person.get("name") if isinstance(person, dict) else None
        if isinstance(name, str):
            names.update(WORD.findall(name.casefold()))
    return names


def key(texts: Sequence[str], questions: Sequence[int], names: Iterable[str]) -> str:
    """What the counts of these notes depend on, hashed: every text (its length too, so
    no two lists of texts join alike), which are questions, the names, WORDS_FORMAT."""
    digest = hashlib.blake2b(digest_size=16)
    digest.update(f"{WORDS_FORMAT}:{len(texts)}:".encode())
    digest.update(array("q", map(len, texts)).tobytes())
    digest.update("".join(texts).encode("utf-8", "surrogatepass"))
    digest.update(array("q", questions).tobytes())
    digest.update("\n".join(sorted(names)).encode("utf-8", "surrogatepass"))
    return digest.hexdigest()


def count(texts: Sequence[str], questions: Sequence[int], names: set[str], *,
          ordered: bool = False) -> Counted:
    """The words of the notes, of the questions among them, and the forms: counted (the
    words in no particular order, or `ordered`)."""
    words = NoteWords(texts, names)
    notes = len(texts)
    counts: Mapping[str, int] = words.counts()
    asked: Mapping[str, int] | None = words.counts(questions) if questions else None
    forms = words.forms
    if ordered:
        counts, asked = dict(sorted(counts.items())), dict(sorted((asked or {}).items()))
        forms = dict(sorted(forms.items()))
    return Words(counts, notes), Words(asked, notes), forms


def document(texts: Sequence[str], questions: Sequence[int], names: set[str]
             ) -> dict[str, Any]:
    """The `words` document a session file carries for these notes; in order, so the
    same notes give the same bytes (a session shared through git changes no line for
    them)."""
    found, asked, forms = count(texts, questions, names, ordered=True)
    return {"format": WORDS_FORMAT, "key": key(texts, questions, names),
            "words": found.text, "counts": found.counts.tolist(),
            "question_words": asked.text, "question_counts": asked.counts.tolist(),
            "forms": forms}


def _words(text: object, counts: object, notes: int) -> Words | None:
    """Words from a document's fields; None if they do not fit together."""
    if not (isinstance(text, str) and isinstance(counts, list)):
        return None
    listed = text.count("\n") + 1 if text else 0
    if len(counts) != listed:
        return None
    try:
        packed = array("H" if notes < 65536 else "I", counts)
    except (TypeError, OverflowError):
        return None
    if counts and (min(packed) < 1 or max(packed) > notes):
        return None
    found = Words()
    found.text, found.counts = text, packed
    return found


def carried(document: object, texts: Sequence[str], questions: Sequence[int],
            names: set[str]) -> Counted | None:
    """The counts a file carries (its `words` document, as json gives it), if they were
    counted from exactly these notes and names; else None (count them again)."""
    if not isinstance(document, dict) or document.get("format") != WORDS_FORMAT:
        return None
    if document.get("key") != key(texts, questions, names):
        return None
    notes = len(texts)
    found = _words(document.get("words"), document.get("counts"), notes)
    asked = _words(document.get("question_words"), document.get("question_counts"), notes)
    forms = document.get("forms")
    if found is None or asked is None or not isinstance(forms, dict) or not all(
            isinstance(k, str) and isinstance(v, str) for k, v in forms.items()):
        return None
    return found, asked, forms
