"""The question helper's rules, in Dutch and English."""

from __future__ import annotations

import pytest

from goodwork_tui.core.i18n import CATALOGS
from goodwork_tui.core.question_hints import hints


@pytest.mark.parametrize(("question", "lang"), [
    ("Mag ik informatie achterhouden om het overleg te laten slagen?", "nl"),
    ("Moet een inspecteur advies geven als het de kinderen helpt?", "nl"),
    ("Durf ik mijn team de beslissing terug te geven?", "nl"),
    ("Can I keep quiet about what I know to protect the talks?", "en"),
    ("May a facilitator share her own view on the outcome?", "en"),
])
def test_a_good_question_gets_no_hint(question, lang):
    assert hints(question, lang) == []


@pytest.mark.parametrize(("question", "lang", "expected"), [
    ("Hoe zorg ik dat iedereen gehoord wordt?", "nl", "question.how"),
    ("How do I make sure everyone is heard?", "en", "question.how"),
    ("Ik twijfel of ik de klacht doorstuur?", "nl", "question.modal"),
    ("I wonder whether I should pass on the complaint?", "en", "question.modal"),
    ("Mag ik, als begeleider, iets zeggen?", "nl", "question.comma"),
    ("May I, as the facilitator, say something?", "en", "question.comma"),
    ("Is het niet beter om in te grijpen?", "nl", "question.leading"),
    ("Must I not obviously step in here?", "en", "question.leading"),
    ("Mag ik dit delen", "nl", "question.mark"),
])
def test_each_rule_gives_its_hint(question, lang, expected):
    assert expected in hints(question, lang)


def test_sixteen_words_is_too_long_and_fifteen_is_not():
    fifteen = "Mag " + " ".join(["ik"] * 13) + " zwijgen?"
    assert len(fifteen.split()) == 15
    assert "question.too_long" not in hints(fifteen, "nl")
    sixteen = "Mag " + " ".join(["ik"] * 14) + " zwijgen?"
    assert "question.too_long" in hints(sixteen, "nl")


def test_empty_text_gets_no_hints_and_every_hint_has_words_in_both_languages():
    assert hints("   ", "nl") == []
    keys = {"question.too_long", "question.comma", "question.how", "question.modal",
            "question.leading", "question.mark"}
    for lang in ("nl", "en"):
        assert keys <= set(CATALOGS[lang]), lang


@pytest.mark.parametrize(("question", "lang"), [
    ("Wat deed de directeur toen?", "nl"),     # clarifying: no modal verb asked for
    ("Wie wist ervan?", "nl"),
    ("Who knew about it?", "en"),
    ("Moet ik A doen, of B?", "nl"),           # the dilemma's comma is the point of it
    ("Should I do A, or B?", "en"),
    ("Moet ik toch ingrijpen?", "nl"),         # "toch" is not an answer slipped in
    ("Moet ik de ouders inlichten, of zwijgen?", "en"),  # Dutch words under an English UI
])
def test_clarifying_questions_dilemmas_and_toch_get_no_hint(question, lang):
    assert hints(question, lang) == []
