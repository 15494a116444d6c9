"""Text helpers shared by search and display: folding and cleaning."""

from __future__ import annotations

import re
import unicodedata

# C0/C1 control characters except tab and newline, plus DEL. Shown as visible
# replacement symbols so nothing reaches the terminal as an escape sequence.
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
# Bidirectional overrides and isolates can visually reorder a line.
_BIDI = re.compile(r"[\u202a-\u202e\u2066-\u2069]")


def fold(text: str) -> str:
    """Casefold and strip accents, so "beinvloeden" matches "beïnvloeden"."""
    folded = text.casefold()
    if folded.isascii():  # the common case, and 50x faster than the general one
        return folded
    return unicodedata.normalize("NFKD", folded).translate(_STRIP_COMBINING)


class _CombiningMarks(dict):
    """str.translate table that drops combining marks; filled as characters are met."""

    def __missing__(self, code: int) -> int | None:
        value = None if unicodedata.combining(chr(code)) else code
        self[code] = value
        return value


_STRIP_COMBINING = _CombiningMarks()


def _visible_control(match: re.Match[str]) -> str:
    code = ord(match.group())
    if code < 0x20:
        return chr(0x2400 + code)  # Control Pictures block: ␀ ␁ ... ␛
    if code == 0x7F:
        return "\u2421"  # ␡
    return "\ufffd"


def displayable(text: str) -> str:
    """Text safe to hand to a terminal: controls become visible symbols."""
    text = _CONTROL.sub(_visible_control, text)
    return _BIDI.sub("\ufffd", text)


# Controls a paste may carry (a mail, a terminal log): never stored or drawn raw. Tab,
# newline and carriage return are line structure and stay.
_PASTED_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")


def pasted(text: str) -> str:
    """Pasted text as it is stored: exactly as pasted (no-break spaces, joiners, direction
    marks, the BOM all kept), only control characters made visible."""
    return _PASTED_CONTROL.sub(_visible_control, text)


def is_typed_text(character: str | None) -> bool:
    """A typed character that Python calls unprintable but that is text: a no-break space,
    a zero-width (non-)joiner, a direction mark or override, the BOM."""
    return (character is not None and len(character) == 1 and not character.isprintable()
            and unicodedata.category(character) in ("Cf", "Zs"))


def one_line(text: str, limit: int = 200) -> str:
    """A single display line: whitespace collapsed, controls made visible, capped."""
    line = " ".join(displayable(text).split())
    if len(line) > limit:
        line = line[: limit - 1] + "…"
    return line
