"""The words of notes (core/note_words.py): the quick tokeniser finds exactly the words
`WORD.findall` finds in casefolded text, whatever the text holds."""

from __future__ import annotations

from collections import Counter

from hypothesis import given, settings
from hypothesis import strategies as st

from goodwork_tui.core.note_words import STOP_WORDS, WORD, NoteWords
from goodwork_tui.core.text import fold

# letters, signs and spaces that tokenising can get wrong: accents (precomposed and
# combining), letters that casefold to more letters or to ASCII, numbers that are not
# digits, spaces that are not ASCII, a lone surrogate, the separator the tokeniser uses
TRICKY = list("aAbBeEnNsSzZ019_ -.,'\n\t\x00") + [
    "é", "É", "ï", "ë", "ö", "ß", "İ", "ﬁ", "\u212a", "²", "½", "Ⅻ", "ø", "\u0301",
    "’", "–", "\xa0", "\u2003", "\x85", "\u3000", "\ud800", "ǆ", "Σ", "ς", "日", "de ",
    "een ", "één ", "mandaat ", "Mandaat ", "beïnvloeden ", "beinvloeden ", "Zoë ", "zoe ",
]


def expected(texts: list[str], names: set[str]) -> tuple[list[set[str]], dict[str, str]]:
    """What the words were before: WORD.findall per note, names and stop words left out,
    accents folded; forms: the first spelling in sorted order of each folded word."""
    leave_out = STOP_WORDS | names
    finals: list[set[str]] = []
    forms: dict[str, str] = {}
    for text in texts:
        found = set()
        for word in WORD.findall(text.casefold()):
            key = word if word.isascii() else fold(word)
            if word in leave_out or key in leave_out:
                continue
            found.add(key)
            if key != word and (key not in forms or word < forms[key]):
                forms[key] = word
        finals.append(found)
    return finals, forms


@settings(max_examples=400, deadline=None)
@given(st.lists(st.lists(st.sampled_from(TRICKY), max_size=30).map("".join), max_size=8),
       st.sets(st.sampled_from(["zoë", "zoe", "mandaat", "anouk", "ï"]), max_size=2))
def test_the_quick_tokeniser_finds_what_findall_finds(texts: list[str], names: set[str]) -> None:
    finals, forms = expected(texts, names)
    words = NoteWords(texts, names)
    assert words.counts() == Counter(w for final in finals for w in final)
    assert words.counts() == Counter(w for final in finals for w in final)  # asked again
    some = list(range(0, len(texts), 2))
    assert words.counts(some) == Counter(w for i in some for w in finals[i])
    assert words.forms == forms
    for word in {w for final in finals for w in final}:
        assert words.notes_with(word) == [i for i, final in enumerate(finals) if word in final]
        assert words.notes_with(word, some) == [i for i in some if word in finals[i]]


def test_words_of_real_notes() -> None:
    texts = ["Het mandaat van het team, het MANDAAT.", "Beïnvloeden of beinvloeden?",
             "Zoë vraagt: wie beïnvloedt de wethouder?", "l’équipe d’été", ""]
    words = NoteWords(texts, {"zoë"})
    assert words.counts() == Counter({"mandaat": 1, "team": 1, "beinvloeden": 1,
                                      "vraagt": 1, "beinvloedt": 1, "wethouder": 1,
                                      "equipe": 1, "ete": 1})
    assert words.forms == {"beinvloeden": "beïnvloeden", "beinvloedt": "beïnvloedt",
                           "equipe": "équipe", "ete": "été"}
    assert words.notes_with("beinvloeden") == [1]
