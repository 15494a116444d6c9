"""markdown_safe: the fast escaping gives exactly what the plain regex version gave.

`reference_inline` below is the escaping as first written (three regex passes a line,
every text through `displayable`); `inline`, `shown` and `lines_of` take shortcuts for
speed and must not differ from it in a single byte, whatever the text.
"""

from __future__ import annotations

import re
import sys
import unicodedata

from hypothesis import given, settings
from hypothesis import strategies as st

from goodwork_tui.core.markdown_safe import inline, lines_of, shown
from goodwork_tui.core.text import displayable

_ANYWHERE = re.compile(r"([\\`*_\[\]<>&|~$%=#])")
_LINE_START = re.compile(r"^([-+:])")
_ORDERED = re.compile(r"^(\d+)([.)])")


def reference_lines(text: str) -> list[str]:
    cleaned = displayable(text.replace("\r\n", "\n").replace("\r", "\n"))
    return [" ".join(line.split()) for line in cleaned.split("\n") if line.strip()]


def reference_inline(text: str, indent: str = "") -> str:
    escaped = []
    for line in reference_lines(text):
        line = _ANYWHERE.sub(r"\\\1", line)
        line = _LINE_START.sub(r"\\\1", line)
        line = _ORDERED.sub(r"\1\\\2", line)
        escaped.append(line)
    return ("\\\n" + indent).join(escaped)


def same(text: str) -> None:
    assert lines_of(text) == reference_lines(text)
    assert shown(text) == "\n".join(reference_lines(text))
    for indent in ("", "  "):
        assert inline(text, indent) == reference_inline(text, indent)


# Every character class the shortcuts decide on: escaped ones, line-start ones, digits
# of any script, every kind of whitespace and line break, controls, bidi and other
# format characters, combining marks, surrogate-free astral characters.
SPECIAL = st.sampled_from(list(
    "\\`*_[]<>&|~$%=#-+:.)(0123456789٣੩ \t\n\r\x0b\x0c\x1c\x1f\x85\xa0\u1680\u2000\u200a"
    "\u2028\u2029\u202f\u205f\u3000\x00\x1b\x7f\x9f\u200b\u200d\u202a\u202e\u2066\u2069"
    "\ufeff\u0301é—·★") + ["\r\n", "1.", "2)", "١٢.", "\U0001f469", "\U000e0001"])
TEXTS = st.lists(st.one_of(SPECIAL, st.text(max_size=6)), max_size=12).map("".join)


@settings(max_examples=3000, deadline=None)
@given(TEXTS)
def test_property_escaping_is_byte_for_byte_the_reference(text: str) -> None:
    same(text)


def test_every_character_that_could_matter_is_escaped_as_before() -> None:
    """All of Latin, Greek, Cyrillic, punctuation and symbols, and every whitespace,
    control, format and decimal-digit character of Unicode, alone and in context."""
    chars = [chr(c) for c in range(0x3000)]
    chars += [chr(c) for c in range(0x3000, sys.maxunicode + 1)
              if unicodedata.category(chr(c)) in ("Cc", "Cf", "Zs", "Zl", "Zp", "Nd")
              or chr(c).isspace()]
    for char in chars:
        for text in (char, f"a{char}b", f"{char}1. x", f"1{char}) y", f"x\n{char}2.",
                     f" {char} ", f"{char}\n{char}"):
            same(text)
