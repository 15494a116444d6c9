"""The nl/en string catalogs, the Catalog lookup and choosing the default language."""

from __future__ import annotations

import string

import pytest

from goodwork_tui.core import i18n
from goodwork_tui.core.catalogs import en, nl
from goodwork_tui.core.i18n import CATALOGS, LANGUAGES, Catalog, default_language


def placeholders(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name is not None}


def test_both_languages_are_there() -> None:
    assert set(LANGUAGES) == {"nl", "en"}
    assert CATALOGS["nl"] is nl.STRINGS
    assert CATALOGS["en"] is en.STRINGS
    assert len(en.STRINGS) > 20


def test_same_keys() -> None:
    assert sorted(set(nl.STRINGS) - set(en.STRINGS)) == []
    assert sorted(set(en.STRINGS) - set(nl.STRINGS)) == []


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_no_empty_strings(lang: str) -> None:
    strings = CATALOGS[lang]
    assert all(isinstance(value, str) for value in strings.values())
    assert [key for key, value in strings.items() if not value.strip()] == []


def test_same_placeholders_per_key() -> None:
    different = {
        key: (placeholders(en.STRINGS[key]), placeholders(nl.STRINGS[key]))
        for key in en.STRINGS.keys() & nl.STRINGS.keys()
        if placeholders(en.STRINGS[key]) != placeholders(nl.STRINGS[key])
    }
    assert different == {}


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_every_string_is_a_valid_format_string(lang: str) -> None:
    for key, value in CATALOGS[lang].items():
        names = placeholders(value)
        # formatting with every placeholder filled must work and leave no braces of them
        result = Catalog(lang)(key, **{name: "X" for name in names})
        for name in names:
            assert "{" + name + "}" not in result, key


def test_dutch_is_really_dutch() -> None:
    assert nl.STRINGS["library.count"] != en.STRINGS["library.count"]


# ---------------------------------------------------------------- Catalog


def test_catalog_lookup_and_values() -> None:
    assert Catalog("en")("library.count", count=3) == "3 situations"
    assert Catalog("nl")("library.count", count=3) == "3 situaties"
    assert Catalog("nl")("library.title") == nl.STRINGS["library.title"]


def test_catalog_unknown_language_is_english() -> None:
    catalog = Catalog("de")
    assert catalog.lang == "en"
    assert catalog("library.count", count=1) == "1 situations"


def test_catalog_falls_back_to_english(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delitem(nl.STRINGS, "library.count")
    assert Catalog("nl")("library.count", count=7) == "7 situations"


def test_catalog_empty_dutch_string_falls_back_to_english(
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(nl.STRINGS, "library.count", "")
    assert Catalog("nl")("library.count", count=2) == "2 situations"


def test_catalog_falls_back_to_the_key() -> None:
    assert Catalog("nl")("no.such.key") == "no.such.key"
    assert Catalog("en")("no.such.key", count=1) == "no.such.key"


def test_catalog_leaves_unknown_placeholders_alone() -> None:
    assert Catalog("en")("library.count") == "{count} situations"
    assert Catalog("en")("library.count", other=1) == "{count} situations"


def test_catalog_values_are_not_reinterpreted() -> None:
    # a value holding braces or markup is inserted as is
    assert Catalog("en")("library.count", count="{lang} [b]x[/b]") == "{lang} [b]x[/b] situations"


# ---------------------------------------------------------------- default language


@pytest.fixture
def no_locale(monkeypatch: pytest.MonkeyPatch) -> None:
    """The process locale as in a plain C/POSIX environment."""
    monkeypatch.setattr(i18n.locale, "getlocale", lambda *args: (None, None))


@pytest.mark.parametrize(("environ", "expected"), [
    ({"LANG": "nl_NL.UTF-8"}, "nl"),
    ({"LANG": "nl_BE.UTF-8"}, "nl"),
    ({"LANG": "nl_BE"}, "nl"),
    ({"LANG": "nl"}, "nl"),
    ({"LANG": "en_US.UTF-8"}, "en"),
    ({"LANG": "en_GB"}, "en"),
    ({"LANG": "de_DE.UTF-8"}, "en"),
    ({"LANG": "fr_BE.UTF-8"}, "en"),
    ({"LANG": "C.UTF-8"}, "en"),
    ({"LANG": "C"}, "en"),
    ({"LC_ALL": "nl_NL.UTF-8", "LANG": "en_US.UTF-8"}, "nl"),
    ({"LC_ALL": "en_US.UTF-8", "LANG": "nl_NL.UTF-8"}, "en"),
    ({"LC_MESSAGES": "nl_NL.UTF-8", "LANG": "en_US.UTF-8"}, "nl"),
    ({"LC_ALL": "", "LANG": "nl_NL.UTF-8"}, "nl"),
    ({"LANGUAGE": "nl"}, "nl"),
    ({}, "en"),
])
def test_default_language(environ: dict[str, str], expected: str, no_locale: None) -> None:
    assert default_language(environ) == expected


def test_default_language_reads_os_environ(monkeypatch: pytest.MonkeyPatch,
                                           no_locale: None) -> None:
    monkeypatch.setenv("LANG", "nl_NL.UTF-8")
    assert default_language() == "nl"
    monkeypatch.setenv("LANG", "de_DE.UTF-8")
    assert default_language() == "en"


def test_default_language_empty_env_uses_the_process_locale(
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(i18n.locale, "getlocale", lambda *args: ("nl_NL", "UTF-8"))
    assert default_language({}) == "nl"
    monkeypatch.setattr(i18n.locale, "getlocale", lambda *args: ("de_DE", "UTF-8"))
    assert default_language({}) == "en"


def test_default_language_survives_a_broken_locale(monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(*args: object) -> tuple[str, str]:
        raise ValueError("unknown locale")

    monkeypatch.setattr(i18n.locale, "getlocale", broken)
    assert default_language({}) == "en"


# ---------------------------------------------------------------- the words (issue 16)

# what the method review found in the Dutch and English interface, and must not return
NOT_IN_DUTCH = ("wegschrijv", "weggeschreven", "Toch schrijven", "Geschreven:", "Begeleider",
                "leercoach", "vakmatig", "bij naam geëxporteerd", "bij naam in exports",
                "blijven weg", "over {total} heen", "liet je?", "bewaard")
NOT_IN_ENGLISH = ("meet this", "met this", "case-giver", "case giver")


def test_the_dutch_catalog_keeps_to_one_term_each() -> None:
    found = {(key, word) for key, value in nl.STRINGS.items() for word in NOT_IN_DUTCH
             if word.casefold() in value.casefold()}
    assert found == set()


def test_the_english_catalog_says_come_across_and_case_presenter() -> None:
    found = {(key, word) for key, value in en.STRINGS.items() for word in NOT_IN_ENGLISH
             if word in value}
    assert found == set()
    assert "come across" in en.STRINGS["reflection.step.where"]


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_one_quotation_style(lang: str) -> None:
    """Quotations in ‘…’; an apostrophe (collega's, don't) is not one, nor is code."""
    import re

    quoted = {key for key, value in CATALOGS[lang].items()
              if re.search(r"(^|[\s(])['\"“][^'\"”]+['\"”]", re.sub(r"`[^`]*`", "", value))}
    assert quoted == set()


@pytest.mark.parametrize(("lang", "file"), [("nl", "solo-reflectie-nl.md"),
                                             ("en", "solo-reflection-en.md")])
def test_the_reflection_steps_have_one_set_of_names(lang: str, file: str) -> None:
    """The app's reflection and the solo reflection format name the seven steps alike."""
    from workspace_helpers import STARTER

    from goodwork_tui.core.library import load_format
    from goodwork_tui.core.reflection import STEPS

    loaded = load_format(STARTER / "formats" / file, [])
    t = Catalog(lang)
    assert [r.title for r in loaded.rounds] == [t(f"reflection.step.{s}") for s in STEPS]
    assert loaded.title.startswith(t("reflection.format"))


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_lens_prompts_ask_for_ones_own_image_as_the_method_defines_the_lenses(lang: str,
                                                                           ) -> None:
    strings = CATALOGS[lang]
    own = {"nl": "voor jou goed werk", "en": "good work for you"}[lang]
    assert own in strings["reflection.prompt.lenses"]
    quality = {"nl": "vakkundig en van goede kwaliteit", "en": "skilful and of good quality"}
    others = {"nl": "belangen en perspectieven", "en": "interests and perspectives"}
    involved = {"nl": "voor wie erbij betrokken waren", "en": "for those involved"}
    assert quality[lang] in strings["reflection.lens.excellent"]
    assert others[lang] in strings["reflection.lens.ethical"]
    assert involved[lang] in strings["reflection.lens.engaging"]


def test_counts_group_their_thousands_as_each_language_writes_them() -> None:
    assert Catalog("en").plural("session.note_count", 196124) == "196,124 notes"
    assert Catalog("nl").plural("session.note_count", 196124) == "196.124 notities"
    assert Catalog("en").plural("patterns.session_count", 997) == "997 sessions"
    assert Catalog("nl").plural("session.note_count", 1) == "1 notitie"
    assert Catalog("en").plural("session.note_count", 0) == "0 notes"
