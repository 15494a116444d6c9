"""Typed prefixes for fast note-taking: "i: +doet @Anna the text".

Tokens at the start of a note set its kind (`word:`), lens (`+word`), speaker
(`@name`) and room-only mark (`!room`); the first word that is none of these starts
the text. Unknown words are text, so ordinary sentences are never eaten.
"""

from __future__ import annotations

from dataclasses import dataclass

from .model import LENSES, NOTE_KINDS
from .text import fold

KIND_ALIASES: dict[str, str] = {}
for _kind, _aliases in {
    "experience": "e exp experience erv ervaring",
    "action-option": "a act action h han handeling handelingsmogelijkheid",
    "value-norm": "v val value norm w waa waarde",
    "shared-issue": "s issue shared g ged gedeeld vraagstuk",
    "insight": "i ins insight inz inzicht",
    "question": "q question vr vraag",
    "outcome": "o out outcome opb opbrengst",
}.items():
    for _alias in _aliases.split():
        KIND_ALIASES[_alias] = _kind

LENS_ALIASES: dict[str, str] = {}
for _lens, _aliases in {
    "excellent": "1 x exc excellent is goed-is",
    "ethical": "2 eth ethical doet goed-doet",
    "engaging": "3 eng engaging voelt goed-voelt",
}.items():
    for _alias in _aliases.split():
        LENS_ALIASES[_alias] = _lens

ROOM_ONLY_TOKENS = {"!room", "!zaal", "!"}

assert set(KIND_ALIASES.values()) == set(NOTE_KINDS)
assert set(LENS_ALIASES.values()) == set(LENSES)


@dataclass(slots=True)
class ParsedNote:
    text: str
    kind: str | None = None
    lens: str | None = None
    speaker: str | None = None  # participant id
    room_only: bool = False


def match_participant(token: str, participants: list[dict]) -> str | None:
    """'@an' → the participant whose name starts with 'an', or whose letter is 'A'."""
    wanted = fold(token)
    if not wanted:
        return None
    for index, participant in enumerate(participants):
        if wanted == fold(letter(index)):
            return participant["id"]
    matches = [p for p in participants if fold(p.get("name", "")).startswith(wanted)]
    return matches[0]["id"] if len(matches) == 1 else None


def letter(index: int) -> str:
    """A, B, … Z, AA, AB …: the stable anonymous label of a participant."""
    label = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        label = chr(ord("A") + rest) + label
    return label


def parse(raw: str, participants: list[dict] | None = None) -> ParsedNote:
    participants = participants or []
    result = ParsedNote(text="")
    rest = raw.lstrip()
    while rest:
        word, _, tail = rest.partition(" ")
        lowered = word.casefold()
        if lowered.endswith(":") and lowered[:-1] in KIND_ALIASES and result.kind is None:
            result.kind = KIND_ALIASES[lowered[:-1]]
        elif lowered.startswith("+") and lowered[1:] in LENS_ALIASES and result.lens is None:
            result.lens = LENS_ALIASES[lowered[1:]]
        elif lowered in ROOM_ONLY_TOKENS and not result.room_only:
            result.room_only = True
        elif (lowered.startswith("@") and result.speaker is None
              and (speaker := match_participant(word[1:], participants))):
            result.speaker = speaker
        else:
            break
        rest = tail.lstrip(" ")
    result.text = rest.strip() if rest.strip() else ""
    return result
