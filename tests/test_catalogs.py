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
