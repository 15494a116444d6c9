"""What the views across sessions need from each session file, read once and kept.

Patterns (core/patterns.py) and series (core/series.py) look at every session of a
workspace. Reading a thousand files of a few hundred notes each takes a second; a
`Digest` holds only what those views count (lenses, situations, themes, content words,
agreements, look backs), with each note as an index into the session's note ids, so the
views can lead back to the notes. Digests of unchanged files (size, mtime) come from one
pickle in the user cache folder, encrypted when the sessions are (like session_list.py's
summaries), and neither read nor written while an encrypted folder is locked.

Room-only notes are left out here, at the source: nothing across sessions counts them.
Reflections are one person's own words: only their session record (and what they sent to
the library) is kept, never their notes' words or lenses.
"""

from __future__ import annotations

import contextlib
import pickle
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .atomic import write_atomic
from .session_list import MAX_READ_BYTES, META_TABLE, NOTES_TABLE, SCHEMA, session_files
from .text import fold

DIGEST_FORMAT = 1  # bump when Digest changes: older caches are then ignored

# Words of three letters or more (no digits, no underscores), taken from casefolded text.
_WORD = re.compile(r"[^\W\d_]{3,}")

# Dutch and English function words (and the method's own everyday words in notes would
# stay: they are what a group talks about). Matched after casefolding, before folding.
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


class DigestProblem(Exception):
    """A file that is not a usable session; the message says why (not where)."""


@dataclass(slots=True)
class Digest:
    id: str
    path: str
    title: str
    date: str
    created: str
    series: str
    lang: str
    group: str
    facilitator: str
    format: dict[str, Any]
    archived: bool
    reflection: bool
    participants: list[dict[str, Any]]
    situations: list[str]
    situation_titles: dict[str, dict[str, str]]
    actions: list[dict[str, Any]]
    lookback: list[dict[str, Any]]
    to_library: list[dict[str, Any]]
    note_ids: tuple[str, ...] = ()  # the notes that count (not room-only), by seq
    lens: dict[str, tuple[int, ...]] = field(default_factory=dict)  # '' = no lens
    situation_notes: dict[str, tuple[int, ...]] = field(default_factory=dict)
    themes: list[tuple[str, str, tuple[int, ...]]] = field(default_factory=list)
    words: dict[str, tuple[int, ...]] = field(default_factory=dict)  # folded word → notes
    question_words: dict[str, tuple[int, ...]] = field(default_factory=dict)
    forms: dict[str, str] = field(default_factory=dict)  # folded → as written, if not equal

    @property
    def order(self) -> tuple[str, str, str]:
        """Sessions sort by day, then by when they were made, then by id."""
        return (self.date, self.created, self.id)


@dataclass(slots=True)
class Problem:
    path: Path
    reason: str


def read_session(path: Path) -> dict[str, Any]:
    """A session file's tables (decrypted where sealed), or DigestProblem."""
    import json

    try:
        if path.stat().st_size > MAX_READ_BYTES:
            raise DigestProblem("too large to be a session file")
        raw = path.read_bytes()
    except OSError as error:
        raise DigestProblem(f"unreadable ({error.strerror or error})") from None
    if raw.startswith(b"age-"):
        from . import vault

        try:
            raw = vault.reveal(path, raw)
        except vault.Locked:
            raise DigestProblem("encrypted: unlock the workspace with its passphrase") from None
        except vault.VaultError:
            raise DigestProblem("encrypted, but cannot be decrypted (damaged?)") from None
    try:
        data = json.loads(raw.decode("utf-8"))
        meta = next(iter(data[META_TABLE].values()))
        notes = data.get(NOTES_TABLE, {})
    except (ValueError, KeyError, TypeError, AttributeError, StopIteration, RecursionError):
        raise DigestProblem("not a readable session file") from None
    if not isinstance(meta, dict) or not isinstance(notes, dict):
        raise DigestProblem("not a session file (unexpected structure)")
    schema = meta.get("schema")
    if not isinstance(schema, int) or isinstance(schema, bool) or schema < 1:
        raise DigestProblem("not a session file (no valid schema number)")
    if schema > SCHEMA:
        raise DigestProblem("made by a newer version of Goed Werk")
    return data


def _text(value: object) -> str:
    return value if isinstance(value, str) else ""


def _records(value: object) -> list[dict[str, Any]]:
    return [dict(v) for v in value if isinstance(v, dict)] if isinstance(value, list) else []


def digest(path: Path) -> Digest:
    """The digest of one session file, or DigestProblem."""
    data = read_session(path)
    meta = next(iter(data[META_TABLE].values()))
    try:
        return _digest(path, meta, data.get(NOTES_TABLE, {}))
    except (AttributeError, KeyError, TypeError, ValueError) as error:
        raise DigestProblem(f"not a readable session file ({type(error).__name__})") from None


def _digest(path: Path, meta: dict[str, Any], table: dict[str, Any]) -> Digest:
    from .model import LENSES

    fmt = meta.get("format") if isinstance(meta.get("format"), dict) else {}
    titles = meta.get("situation_titles")
    situations = meta.get("situations")
    found = Digest(
        id=path.stem, path=str(path), title=_text(meta.get("title")),
        date=_text(meta.get("date")), created=_text(meta.get("created")),
        series=_text(meta.get("series")), lang=_text(meta.get("lang")) or "en",
        group=_text(meta.get("group")), facilitator=_text(meta.get("facilitator")),
        format=dict(fmt), archived=meta.get("archived") is True,
        reflection=bool(fmt.get("reflection")),
        participants=_records(meta.get("participants")),
        situations=[s for s in situations if isinstance(s, str)]
        if isinstance(situations, list) else [],
        situation_titles={k: dict(v) for k, v in titles.items() if isinstance(v, dict)}
        if isinstance(titles, dict) else {},
        actions=_records(meta.get("actions")), lookback=_records(meta.get("lookback")),
        to_library=_records(meta.get("to_library")),
    )
    notes = sorted((n for n in table.values() if isinstance(n, dict) and not n.get("room_only")),
                   key=lambda n: n.get("seq", 0) if isinstance(n.get("seq"), int) else 0)
    found.note_ids = tuple(_text(n.get("id")) for n in notes)
    if found.reflection:  # one person's own words: counted only as an image sent on
        return found

    lens: dict[str, list[int]] = {}
    by_situation: dict[str, list[int]] = {}
    by_theme: dict[str, list[int]] = {}
    questions: list[int] = []
    texts = []
    for index, note in enumerate(notes):
        get = note.get
        value = get("lens")
        lens.setdefault(value if value in LENSES else "", []).append(index)
        value = get("situation")
        if value and isinstance(value, str):
            by_situation.setdefault(value, []).append(index)
        value = get("theme")
        if value and isinstance(value, str):
            by_theme.setdefault(value, []).append(index)
        if get("kind") == "question":
            questions.append(index)
        texts.append(_text(get("text")).casefold())
    found.lens = {k: tuple(v) for k, v in lens.items()}
    found.situation_notes = {k: tuple(v) for k, v in by_situation.items()}
    found.themes = [(_text(t.get("id")), _text(t.get("name")),
                     tuple(by_theme.get(_text(t.get("id")), ())))
                    for t in _records(meta.get("themes"))]

    # names are not patterns: a participant's or the facilitator's name is never counted
    leave_out = set(STOP_WORDS)
    for person in [*found.participants, {"name": found.facilitator}]:
        leave_out.update(_WORD.findall(_text(person.get("name")).casefold()))
    per_note = [set(_WORD.findall(text)) - leave_out for text in texts]
    words: dict[str, list[int]] = {}
    for index, note_words in enumerate(per_note):
        for word in note_words:
            words.setdefault(word, []).append(index)
    found.words, found.forms = _folded(words)
    question_set = set(questions)
    found.question_words = {word: kept for word, notes_of in found.words.items()
                            if (kept := tuple(i for i in notes_of if i in question_set))}
    return found


def _folded(words: dict[str, list[int]]) -> tuple[dict[str, tuple[int, ...]], dict[str, str]]:
    """Words under their folded form ("beïnvloeden" and "beinvloeden" are one word)."""
    folded: dict[str, tuple[int, ...]] = {}
    forms: dict[str, str] = {}
    for word in sorted(words):
        key = fold(word) if not word.isascii() else word
        if key in folded:
            folded[key] = tuple(sorted(set(folded[key]) | set(words[word])))
        else:
            folded[key] = tuple(words[word])
        if key != word:
            forms.setdefault(key, word)
    return folded, forms


# ----------------------------------------------------------------- the folder, cached


def digests(sessions_dir: Path) -> tuple[list[Digest], list[Problem]]:
    """Every session file's digest (oldest first) and every file left out, with why."""
    cache_path = _cache_file(sessions_dir)
    seal = _sealer(sessions_dir)
    cached: dict[str, tuple[int, int, Digest | str]] = {}
    try:
        raw = cache_path.read_bytes() if seal is not False else b""
        loaded = pickle.loads(seal.open(raw) if seal else raw)  # noqa: S301 - our own file
        if isinstance(loaded, tuple) and loaded[0] == DIGEST_FORMAT:
            cached = loaded[1]
    except Exception:  # noqa: BLE001 - an unreadable cache only costs time
        pass
    fresh: dict[str, tuple[int, int, Digest | str]] = {}
    found: list[Digest] = []
    problems: list[Problem] = []
    for path in session_files(sessions_dir):
        try:
            stat = path.stat()
            stamp = (stat.st_size, stat.st_mtime_ns)
        except OSError:
            stamp = (-1, -1)
        entry = cached.get(str(path))
        if entry is not None and entry[:2] == stamp:
            result = entry[2]
        else:
            try:
                result = digest(path)
            except DigestProblem as problem:
                result = str(problem)
        fresh[str(path)] = (*stamp, result)
        if isinstance(result, str):
            problems.append(Problem(path, result))
        else:
            found.append(result)
    changed = fresh.keys() != cached.keys() or any(
        cached[key][:2] != value[:2] for key, value in fresh.items())
    if changed and seal is not False:
        with contextlib.suppress(OSError):
            cache_path.parent.mkdir(parents=True, exist_ok=True)
            data = pickle.dumps((DIGEST_FORMAT, fresh), protocol=pickle.HIGHEST_PROTOCOL)
            write_atomic(cache_path, seal.seal(data) if seal else data)
    found.sort(key=lambda d: d.order)
    problems.sort(key=lambda p: p.path.name)
    return found, problems


def _sealer(sessions_dir: Path):  # type: ignore[no-untyped-def]
    from .session_list import _cache_sealer

    return _cache_sealer(sessions_dir)


def _cache_file(sessions_dir: Path) -> Path:
    from .library_cache import cache_file

    return cache_file(sessions_dir, "patterns")
