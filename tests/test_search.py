"""Search: title, tags (code and labels) and body; folded; every word must match."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from workspace_helpers import STARTER

from goodwork_tui.core.library import load_library, load_tags
from goodwork_tui.core.model import Situation
from goodwork_tui.core.search import SearchIndex
from goodwork_tui.core.text import fold

TAGS = {
    "power": {"nl": "macht en hiërarchie", "en": "power and hierarchy"},
    "trust": {"nl": "vertrouwen", "en": "trust"},
    "team": {"nl": "team", "en": "team"},
}


def situation(id: str, title: str = "Titel", body: str = "", tags: tuple[str, ...] = ()
              ) -> Situation:
    return Situation(id=id, title=title, collection="c", lang="nl", path=Path(f"{id}.md"),
                     body=body, tags=tags)


@pytest.fixture
def corpus() -> list[Situation]:
    return [
        situation("a", "Een lauw onthaal", "De partners willen het beleid niet beïnvloeden.",
                  ("trust",)),
        situation("b", "Wie beslist?", "Over de manager en de Directeur.", ("power",)),
        situation("c", "De klagende dochter", "Een CAFÉ in de stad en een moeilijk gesprek.",
                  ("team",)),
        situation("d", "Beinvloeden zonder mandaat", "Iemand wil invloed.", ()),
    ]


def ids(found: list[Situation]) -> list[str]:
    return [s.id for s in found]


def search(corpus: list[Situation], query: str) -> list[str]:
    index = SearchIndex(TAGS)
    index.add(corpus)
    return ids(index.search(query, corpus))


# ---------------------------------------------------------------- fold


@pytest.mark.parametrize(("text", "folded"), [
    ("beïnvloeden", "beinvloeden"),
    ("BEÏNVLOEDEN", "beinvloeden"),
    ("Café Crème", "cafe creme"),
    ("Straße", "strasse"),
    ("ÉÈÊË àáâä", "eeee aaaa"),
    ("ﬁets", "fiets"),  # compatibility ligature
    ("macht en hiërarchie", "macht en hierarchie"),
    ("plain ascii 123", "plain ascii 123"),
    ("", ""),
])
def test_fold(text: str, folded: str) -> None:
    assert fold(text) == folded


def test_fold_of_precomposed_and_decomposed_is_equal() -> None:
    assert fold("e\u0301") == fold("\u00e9") == "e"


def test_fold_is_idempotent() -> None:
    text = "Ünïcödé ÇA VA, beïnvloeden"
    assert fold(fold(text)) == fold(text) == "unicode ca va, beinvloeden"


# ---------------------------------------------------------------- search


def test_empty_query_returns_everything_in_order(corpus: list[Situation]) -> None:
    assert search(corpus, "") == ["a", "b", "c", "d"]
    assert search(corpus, "   \t ") == ["a", "b", "c", "d"]


def test_no_match(corpus: list[Situation]) -> None:
    assert search(corpus, "olifant") == []


def test_body_match(corpus: list[Situation]) -> None:
    assert search(corpus, "gesprek") == ["c"]


def test_title_match(corpus: list[Situation]) -> None:
    assert search(corpus, "dochter") == ["c"]


def test_case_insensitive(corpus: list[Situation]) -> None:
    assert search(corpus, "DIRECTEUR") == ["b"]
    assert search(corpus, "directeur") == ["b"]
    assert search(corpus, "café") == ["c"]  # body has CAFÉ


def test_accent_insensitive_both_ways(corpus: list[Situation]) -> None:
    # unaccented query finds accented text, and the other way round
    assert search(corpus, "beinvloeden") == ["d", "a"]
    assert search(corpus, "BEÏNVLOEDEN") == ["d", "a"]
    assert search(corpus, "beïnvloeden") == ["d", "a"]
    assert search(corpus, "cafe") == ["c"]


def test_tag_code_and_both_labels(corpus: list[Situation]) -> None:
    assert search(corpus, "power") == ["b"]
    assert search(corpus, "hiërarchie") == ["b"]  # nl label
    assert search(corpus, "hierarchie") == ["b"]  # nl label, folded
    assert search(corpus, "hierarchy") == ["b"]  # en label
    assert search(corpus, "vertrouwen") == ["a"]


def test_tag_label_unknown_without_vocabulary(corpus: list[Situation]) -> None:
    index = SearchIndex()
    index.add(corpus)
    assert ids(index.search("power", corpus)) == ["b"]  # the code still matches
    assert ids(index.search("hierarchy", corpus)) == []


def test_all_words_must_match(corpus: list[Situation]) -> None:
    assert search(corpus, "partners beleid") == ["a"]
    assert search(corpus, "partners directeur") == []
    assert search(corpus, "manager power") == ["b"]  # body word + tag code
    assert search(corpus, "wie hierarchy") == ["b"]  # title word + tag label


def test_title_hits_come_first(corpus: list[Situation]) -> None:
    assert search(corpus, "mandaat") == ["d"]
    # "invloed" is in d's body and (as part of beïnvloeden) in a's body and d's title
    assert search(corpus, "invloed") == ["d", "a"]
    # 'de' occurs in the titles of c and d (beinvloeDEn) and in the bodies of a and b
    assert search(corpus, "de") == ["c", "d", "a", "b"]


def test_search_restricted_to_the_given_situations(corpus: list[Situation]) -> None:
    index = SearchIndex(TAGS)
    index.add(corpus)
    assert ids(index.search("beinvloeden", corpus[:2])) == ["a"]


def test_situations_not_added_are_indexed_on_demand(corpus: list[Situation]) -> None:
    index = SearchIndex(TAGS)
    assert ids(index.search("hiërarchie", corpus)) == ["b"]


def test_search_the_starter_library() -> None:
    library = load_library(STARTER)
    index = SearchIndex(library.tags)
    shown = library.shown("nl")
    index.add(shown)
    tagged_power = {s.id for s in shown if "power" in s.tags}
    assert tagged_power  # the starter library uses this tag
    found = {s.id for s in index.search("hierarchie", shown)}
    assert tagged_power <= found
    # 'zeggen' is in one title ("Wat je weet maar niet mag zeggen") and in many stories
    hits = ids(index.search("ZEGGEN", shown))
    assert len(hits) > 1
    assert hits[0] == "toezicht-stille-informatie-nl"
    assert hits[1:] == sorted(hits[1:])  # the rest keeps the given (library) order


def test_load_tags_of_the_starter_library() -> None:
    problems: list = []
    tags = load_tags(STARTER, problems)
    assert problems == []
    assert len(tags) == 28
    assert tags["power"] == {"nl": "macht en hiërarchie", "en": "power and hierarchy"}


# ---------------------------------------------------------------- the word index

# Letters that fold together, word characters that are not letters, ASCII punctuation
# (a word separator for the index) and other punctuation (not a separator).
ALPHABET = "aeiouvrtnsdkl ÉéëïIÏ_0189-.,'’“”—/:!?\n\t"


def _corpus(texts: list[str], tagged: bool = True) -> list[Situation]:
    return [situation(f"s{n}", title=text[:12], body=text,
                      tags=("trust",) if tagged and n % 3 else ())
            for n, text in enumerate(texts)]


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(texts=st.lists(st.text(ALPHABET, max_size=60), min_size=1, max_size=150),
       queries=st.lists(st.one_of(st.text(ALPHABET, max_size=8),
                                  st.tuples(st.integers(0, 149), st.integers(0, 59),
                                            st.integers(1, 9))), min_size=1, max_size=6))
def test_word_index_gives_the_same_answers_as_a_scan(texts, queries) -> None:
    corpus = _corpus(texts)
    index = SearchIndex(TAGS)
    index.add(corpus)
    words = index.words(corpus)
    for query in queries:
        if isinstance(query, tuple):  # a piece of one of the texts, as typed
            number, start, length = query
            text = texts[number % len(texts)]
            query = text[start:start + length]
        assert ids(index.matches(query, corpus, words)) == ids(index.matches(query, corpus))
        assert ids(index.search(query, corpus, words)) == ids(index.search(query, corpus))


def test_word_index_finds_parts_of_words_and_across_punctuation() -> None:
    corpus = _corpus(["Het vertrouwen van de klant.", "Een e-mail aan de_directeur",
                      "Over samenwerking, gemeente en wijk"] * 60 + ["Eenmalig verhaal"],
                     tagged=False)  # common words get bitmaps, rare ones position lists
    index = SearchIndex(TAGS)
    index.add(corpus)
    words = index.words(corpus)

    def found(query: str) -> set[str]:
        return {s.body for s in index.matches(query, corpus, words)}

    assert found("trouw") == {"Het vertrouwen van de klant."}
    assert found("e-mail") == found("mail") == {"Een e-mail aan de_directeur"}
    assert found("de_dir") == {"Een e-mail aan de_directeur"}
    assert found("werking, gem") == {"Over samenwerking, gemeente en wijk"}
    assert found("klant. e-mail") == set()  # every word must match in one situation
    assert found("...") == set()
    assert len(index.matches("e", corpus, words)) == 181
    assert found("malig") == found("eenmalig verha") == {"Eenmalig verhaal"}


def test_a_word_index_of_another_list_is_not_used() -> None:
    corpus = _corpus(["alpha", "beta", "gamma"])
    index = SearchIndex(TAGS)
    index.add(corpus)
    words = index.words(corpus[:1])  # built for a different list
    assert ids(index.matches("a", corpus, words)) == ["s0", "s1", "s2"]
