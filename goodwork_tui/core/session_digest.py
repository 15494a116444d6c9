"""What the views across sessions need from each session file, read once and kept.

Patterns (core/patterns.py) and series (core/series.py) look at every session of a
workspace. Reading a thousand files of a few hundred notes each takes seconds; a
`Digest` holds only what those views count (lenses, situations, themes, agreements,
look backs, with each note as an index into the session's note ids, so the views can
lead back to the notes; and in how many notes each content word is: which notes those
are is read again from the file when asked, `word_notes`). Digests of unchanged files
(size, mtime) come from one pickle in the user cache folder, with the folder's `Sums` of
the words, encrypted when the sessions are (like session_list.py's summaries), and
neither read nor written while an encrypted folder is locked. Many files with no cached
digest are read on every core (`_digest_all`).

Room-only notes are left out here, at the source: nothing across sessions counts them.
Reflections are one person's own words: only their session record (and what they sent to
the library) is kept, never their notes' words or lenses.
"""

from __future__ import annotations

import contextlib
import os
import pickle
import sys
from array import array
from collections import Counter
from collections.abc import Collection, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from itertools import chain, compress, count, repeat
from operator import attrgetter, eq, itemgetter, not_
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple

from . import word_counts
from .atomic import write_atomic
from .note_words import NoteWords, Words
from .session_list import MAX_READ_BYTES, META_TABLE, NOTES_TABLE, SCHEMA, session_files

if TYPE_CHECKING:
    from .session_decode import Note

DIGEST_FORMAT = 10  # bump when Digest or Sums change: older caches are then ignored
WORD_KINDS = ("words", "question_words")

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
    notes: int = 0  # the notes that count (not room-only)
    ids: str = ""  # their ids by seq, one per line (see note_ids)
    lens: dict[str, array] = field(default_factory=dict)  # '' = no lens → note indexes
    situation_notes: dict[str, array] = field(default_factory=dict)
    themes: list[tuple[str, str, array]] = field(default_factory=list)
    words: Words = field(default_factory=Words)  # folded word → how many notes
    question_words: Words = field(default_factory=Words)  # the same, of the questions
    forms: dict[str, str] = field(default_factory=dict)  # folded → as written, if not equal

    @property
    def order(self) -> tuple[str, str, str]:
        """Sessions sort by day, then by when they were made, then by id."""
        return (self.date, self.created, self.id)

    def note_ids(self) -> list[str]:
        return self.ids.split("\n") if self.notes else []


class NoteIds(Sequence[str]):
    """The ids of some of a session's notes (a Sequence), made only when someone looks:
    the lens balance of a thousand sessions refers to every note, and is rarely opened."""

    __slots__ = ("_digest", "_indexes")

    def __init__(self, digest: Digest, indexes: Sequence[int] | None = None) -> None:
        self._digest = digest
        self._indexes = indexes

    def __len__(self) -> int:
        return self._digest.notes if self._indexes is None else len(self._indexes)

    def _all(self) -> tuple[str, ...]:
        ids = self._digest.note_ids()
        return tuple(ids) if self._indexes is None else tuple(ids[i] for i in self._indexes)

    def __getitem__(self, index: Any) -> Any:
        return self._all()[index]

    def __iter__(self) -> Iterator[str]:
        return iter(self._all())

    def __contains__(self, value: object) -> bool:
        return value in self._all()

    def __eq__(self, other: object) -> bool:
        if isinstance(other, (tuple, list, NoteIds)):
            return self._all() == tuple(other)
        return NotImplemented

    def __hash__(self) -> int:
        return hash(self._all())

    def __repr__(self) -> str:
        return repr(self._all())

    def __deepcopy__(self, memo: dict) -> tuple[str, ...]:
        return self._all()


Sequence.register(NoteIds)


@dataclass(slots=True)
class Problem:
    path: Path
    reason: str


def read_session(path: Path) -> dict[str, Any]:
    """A session file's tables (decrypted where sealed), or DigestProblem."""
    return _tables(_read_bytes(path))


def _read_bytes(path: Path) -> bytes:
    """A session file's bytes (decrypted where sealed), or DigestProblem."""
    try:
        with path.open("rb") as file:
            if os.fstat(file.fileno()).st_size > MAX_READ_BYTES:
                raise DigestProblem("too large to be a session file")
            raw = file.read()
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
    return raw


def _tables(raw: bytes) -> dict[str, Any]:
    """A session file's tables from its bytes, or DigestProblem saying why not."""
    import json

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


def digest(path: Path, *, notes: bool = True) -> Digest:
    """The digest of one session file, or DigestProblem; with `notes=False` only its
    session record (what series need: agreements, look back, participants)."""
    try:
        return _digest(path, *_read(path, notes=notes))
    except (AttributeError, KeyError, TypeError, ValueError) as error:
        raise DigestProblem(f"not a readable session file ({type(error).__name__})") from None


def _read(path: Path, *, notes: bool = True) -> tuple[dict[str, Any], _Columns, Any]:
    """A session file's session record, the columns of its notes that count and the
    word counts it carries (word_counts.py; None if none), or DigestProblem: decoded by
    msgspec (session_decode) where the file is as Goed Werk writes it, else read as any
    file is (json, note by note where odd)."""
    raw = _read_bytes(path)
    from .session_decode import decode

    fast = decode(raw)
    if fast is not None:
        return fast[0], _note_columns(fast[1]) if notes else _NO_NOTES, fast[2]
    data = _tables(raw)
    meta = next(iter(data[META_TABLE].values()))
    carried = data.get(word_counts.TABLE)
    return (meta, _dict_columns(data.get(NOTES_TABLE, {})) if notes else _NO_NOTES,
            next(iter(carried.values()), None) if isinstance(carried, dict) else None)


class _Columns(NamedTuple):
    """The notes that count (not room-only), in their order, field by field: ids (no
    line breaks), texts ("" for no text), the indexes of the questions, and each note's
    lens, situation and theme as found (None where missing)."""

    ids: list[str]
    texts: list[str]
    questions: list[int]
    lenses: list[Any]
    situations: list[Any]
    themes: list[Any]


_NO_NOTES = _Columns([], [], [], [], [], [])


def _digest(path: Path, meta: dict[str, Any], columns: _Columns, carried: Any = None
            ) -> Digest:
    found_format = meta.get("format")
    fmt: dict[str, Any] = found_format if isinstance(found_format, dict) else {}
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
    if found.actions:  # the consent rule, once per file rather than per view
        from .series import owner_consents

        for action, (person, named) in zip(found.actions, owner_consents(
                [_text(a.get("owner")) for a in found.actions], found.participants),
                strict=True):
            action["owner_person"], action["owner_named"] = person, named
    found.notes = len(columns.ids)
    found.ids = "\n".join(columns.ids)
    if found.reflection:  # one person's own words: counted only as an image sent on
        return found
    found.lens = _by_lens(columns.lenses)
    found.situation_notes = _by_value(columns.situations)
    by_theme = _by_value(columns.themes)
    found.themes = [(_text(t.get("id")), _text(t.get("name")),
                     by_theme.get(_text(t.get("id")), array("I")))
                    for t in _records(meta.get("themes"))]
    texts, questions, names = columns.texts, columns.questions, _names(found)
    counted = word_counts.carried(carried, texts, questions, names) if carried else None
    found.words, found.question_words, found.forms = counted or word_counts.count(
        texts, questions, names)
    return found


_GET_IDS = itemgetter("id")
_GET_TEXTS = itemgetter("text")


def _columns(notes: list[dict[str, Any]]) -> tuple[list[str], list[str], list[int]]:
    """The notes' ids (no line breaks), texts ("" for no text) and the indexes of the
    questions: by whole columns where every note has them all as strings (as Goed Werk
    writes them), else note by note."""
    try:
        ids = list(map(_GET_IDS, notes))
        texts = list(map(_GET_TEXTS, notes))
        if "\n".join(ids).count("\n") != len(ids) - 1 or not {*map(type, texts)} <= {str}:
            raise TypeError
    except (KeyError, TypeError):
        ids = [_text(n.get("id")).replace("\n", " ") for n in notes]
        texts = [_text(n.get("text")) for n in notes]
    kinds = map(dict.get, notes, repeat("kind"))
    questions = list(compress(count(), map(eq, kinds, repeat("question"))))
    return ids, texts, questions


def _dict_columns(table: dict[str, Any]) -> _Columns:
    """The columns of a notes table as json gives it (any file: note by note if odd)."""
    notes = _counted_notes(table)
    ids, texts, questions = _columns(notes)
    return _Columns(ids, texts, questions, *(list(map(dict.get, notes, repeat(key)))
                                             for key in ("lens", "situation", "theme")))


_ROOM_ONLY = attrgetter("room_only")


_NOTE_FIELDS = attrgetter("seq", "id", "text", "kind", "lens", "situation", "theme")
_FIRST = itemgetter(0)


def _note_columns(notes: list[Note]) -> _Columns:
    """The columns of notes as session_decode gives them (every field of its type): what
    `_dict_columns` gives for the same notes as dicts. Each note's fields are read in
    one pass (field by field, pass by pass, was twice the time)."""
    if any(map(_ROOM_ONLY, notes)):
        notes = list(compress(notes, map(not_, map(_ROOM_ONLY, notes))))
    if not notes:
        return _Columns([], [], [], [], [], [])
    rows = sorted(map(_NOTE_FIELDS, notes), key=_FIRST)  # by seq (stable: ties as found)
    _seqs, ids, texts, kinds, lenses, situations, themes = map(list, zip(*rows, strict=True))
    if "\n".join(ids).count("\n") != len(ids) - 1:
        ids = [i.replace("\n", " ") for i in ids]
    questions = list(compress(count(), map(eq, kinds, repeat("question"))))
    return _Columns(ids, texts, questions, lenses, situations, themes)


def _by_lens(values: list[Any]) -> dict[str, array]:
    """Lens → the indexes of its notes ('' for no or an unknown lens)."""
    from .model import LENSES

    found: dict[Any, list[int]] = {}
    get = found.get
    try:
        for index, value in enumerate(values):
            indexes = get(value)
            if indexes is None:
                found[value] = [index]
            else:
                indexes.append(index)
    except TypeError:  # something odd (a list) as a lens: note by note
        lens: dict[str, list[int]] = {}
        for index, value in enumerate(values):
            lens.setdefault(value if value in LENSES else "", []).append(index)
        return {k: array("I", v) for k, v in lens.items()}
    by_lens = {value: array("I", found.pop(value)) for value in LENSES if value in found}
    if found:  # no lens, or one not known
        rest = found.popitem()[1] if len(found) == 1 else sorted(chain.from_iterable(
            found.values()))
        by_lens[""] = array("I", rest)
    return by_lens


def _by_value(values: list[Any]) -> dict[str, array]:
    """Value (a string, not empty) → the indexes of the notes that have it."""
    found: dict[str, list[int]] = {}
    for index in compress(count(), values):
        value = values[index]
        if isinstance(value, str):
            found.setdefault(value, []).append(index)
    return {k: array("I", v) for k, v in found.items()}


_GET_SEQ = itemgetter("seq")


def _counted_notes(table: dict[str, Any]) -> list[dict[str, Any]]:
    """The notes that count (not room-only), in their order: by whole columns where every
    note is a dict with a whole number as its seq (as Goed Werk writes them)."""
    notes = list(table.values())
    if {*map(type, notes)} == {dict}:
        room_only = list(map(dict.get, notes, repeat("room_only")))
        if any(room_only):
            notes = list(compress(notes, map(not_, room_only)))
        try:
            if {*map(type, map(_GET_SEQ, notes))} <= {int}:
                return sorted(notes, key=_GET_SEQ)
        except KeyError:
            pass
    return sorted((n for n in notes if isinstance(n, dict) and not n.get("room_only")),
                  key=_seq)


def _names(found: Digest) -> set[str]:
    """Names are not patterns: a participant's or the facilitator's name is never counted."""
    return word_counts.names_of(found.participants, found.facilitator)


def words_document(data: dict[str, Any]) -> dict[str, Any] | None:
    """The word counts document (word_counts.py) for a session's tables as the store
    holds them; None for a reflection (its words are never counted) or odd tables."""
    try:
        meta = next(iter(data[META_TABLE].values()))
        fmt = meta.get("format")
        if isinstance(fmt, dict) and fmt.get("reflection"):
            return None
        names = word_counts.names_of(_records(meta.get("participants")),
                                     _text(meta.get("facilitator")))
        columns = _dict_columns(data.get(NOTES_TABLE, {}))
    except (AttributeError, KeyError, StopIteration, TypeError, ValueError):
        return None
    return word_counts.document(columns.texts, columns.questions, names)


def word_notes(one: Digest, kind: str, words: Collection[str]) -> dict[str, tuple[str, ...]]:
    """The ids of the notes (of the questions, for kind "question_words") that hold each
    of `words`, read again from the session file: digests keep only how many notes hold a
    word, and the notes behind a word are read from the files anyway. {} when the file
    cannot be read (any more)."""
    try:
        meta, columns, _carried = _read(Path(one.path))
        again = _digest(Path(one.path), meta, _NO_NOTES)  # the session record: the names
        found = NoteWords(columns.texts, _names(again))
        chosen = None if kind == "words" else columns.questions
        return {word: tuple(columns.ids[i] for i in indexes)
                for word, indexes in found.notes_with_each(words, chosen).items()}
    except (DigestProblem, AttributeError, KeyError, TypeError, ValueError):
        return {}


def _seq(note: dict[str, Any]) -> int:
    seq = note.get("seq", 0)
    return seq if isinstance(seq, int) else 0


@contextlib.contextmanager
def gc_paused() -> Iterator[None]:
    """Loading a thousand digests makes some hundred thousand objects that all stay:
    garbage collections meanwhile only rescan them (half the time of a warm load)."""
    import gc

    collecting = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if collecting:
            gc.enable()


class Sums:
    """For each kind of words, over the group sessions (not reflections): how many
    sessions hold each word (`counts`), in how many notes in all (`notes_of`), how many
    of the sessions that fold some word's accents hold it (`formed_of`) and, per folded
    word, how often each other spelling is the one written (`spellings`). The overview of
    all sessions takes its recurring words from these: no looking through every session.

    Kept so that adding a session is mostly counting at C speed (`Counter.update`): most
    words of a session are in one of its notes, so the notes are the sessions plus
    `extra` (the notes beyond the first, of words in more than one note of a session);
    and most sessions fold some accents, so `unformed` counts the sessions that do not."""

    __slots__ = ("counts", "extra", "unformed", "spellings")

    def __init__(self) -> None:
        self.counts: dict[str, Counter[str]] = {kind: Counter() for kind in WORD_KINDS}
        self.extra: dict[str, dict[str, int]] = {kind: {} for kind in WORD_KINDS}
        self.unformed: dict[str, Counter[str]] = {kind: Counter() for kind in WORD_KINDS}
        self.spellings: dict[str, dict[str, Counter[str]]] = {kind: {} for kind in WORD_KINDS}

    def __getstate__(self) -> tuple:
        return (self.counts, self.extra, self.unformed, self.spellings)

    def __setstate__(self, state: tuple) -> None:
        self.counts, self.extra, self.unformed, self.spellings = state

    def notes_of(self, kind: str, word: str) -> int:
        """In how many notes of the sessions `word` is, in all."""
        return self.counts[kind].get(word, 0) + self.extra[kind].get(word, 0)

    def formed_of(self, kind: str, word: str) -> int:
        """How many of the sessions that fold some word's accents hold `word`."""
        return self.counts[kind].get(word, 0) - self.unformed[kind].get(word, 0)

    def add(self, found: Iterable[Digest | str]) -> None:
        for one in found:
            if isinstance(one, str) or one.reflection:
                continue
            for kind in WORD_KINDS:
                words = getattr(one, kind)
                listed = words.words()
                if not listed:
                    continue
                self.counts[kind].update(listed)
                many = words.counts
                if sum(many) != len(many):  # some word in more than one note
                    extra = self.extra[kind]
                    get = extra.get
                    for word, notes in zip(listed, many, strict=True):
                        if notes > 1:
                            extra[word] = get(word, 0) + notes - 1
                if not one.forms:
                    self.unformed[kind].update(listed)
                    continue
                spellings = self.spellings[kind]
                for word, written in one.forms.items():
                    if words.count_of(word):
                        spellings.setdefault(word, Counter())[written] += 1

    def remove(self, found: Iterable[Digest | str]) -> bool:
        """Take out what `add` put in for `found`; False if these sums never held it
        (then they are no use: make them again)."""
        for one in found:
            if isinstance(one, str) or one.reflection:
                continue
            for kind in WORD_KINDS:
                words = getattr(one, kind)
                listed = words.words()
                if not listed:
                    continue
                many = words.counts
                more = list(map(_MORE_THAN_ONE, many))
                held = _less(self.counts[kind], listed, repeat(1)) and _less(
                    self.extra[kind], compress(listed, more),
                    map(_LESS_ONE, compress(many, more)))
                if held and not one.forms:
                    held = _less(self.unformed[kind], listed, repeat(1))
                elif held:
                    spellings = self.spellings[kind]
                    for word, written in one.forms.items():
                        if held and words.count_of(word):
                            spelled: dict[str, int] = spellings.get(word, {})
                            held = _less(spelled, [written], repeat(1))
                            if not spelled:
                                spellings.pop(word, None)
                if not held:
                    return False
        return True


_MORE_THAN_ONE = (1).__lt__
_LESS_ONE = (-1).__add__


def _less(table: dict[str, int], keys: Iterable[str], amounts: Iterable[int]) -> bool:
    """Take `amounts` off `keys` in `table`, dropping what reaches 0; False if one was
    not there to take."""
    for key, amount in zip(keys, amounts, strict=False):
        left = table.get(key, 0) - amount
        if left > 0:
            table[key] = left
        elif left == 0:
            del table[key]
        else:
            return False
    return True


@dataclass(slots=True)
class Folder:
    """A sessions folder's digests (oldest first), the files left out, and the sums of
    the words of its group sessions."""

    digests: list[Digest]
    problems: list[Problem]
    sums: Sums

    @property
    def counts(self) -> dict[str, Counter[str]]:
        """For each kind of words, how many group sessions hold each word."""
        return self.sums.counts


def digests(sessions_dir: Path) -> tuple[list[Digest], list[Problem]]:
    """Every session file's digest (oldest first) and every file left out, with why."""
    folder = load(sessions_dir)
    return folder.digests, folder.problems


def load(sessions_dir: Path) -> Folder:
    with gc_paused():
        return _load(sessions_dir)


def _load(sessions_dir: Path) -> Folder:
    cache_path = _cache_file(sessions_dir)
    seal = _sealer(sessions_dir)
    cached: dict[str, tuple[int, int, Digest | str]] = {}
    sums: Sums | None = None
    try:
        raw = cache_path.read_bytes() if seal is not False else b""
        cached, sums = _from_cache(seal.open(raw) if seal else raw)
    except Exception:  # noqa: BLE001 - an unreadable cache only costs time
        pass
    fresh: dict[str, tuple[int, int, Digest | str]] = {}
    todo: list[tuple[Path, tuple[int, int]]] = []  # files with no (fitting) digest cached
    for path in session_files(sessions_dir):
        try:
            stat = path.stat()
            stamp = (stat.st_size, stat.st_mtime_ns)
        except OSError:
            stamp = (-1, -1)
        entry = cached.get(str(path))
        if entry is not None and entry[:2] == stamp:
            fresh[str(path)] = entry
        else:
            todo.append((path, stamp))
    made_sums = None if fresh else Sums()  # every file read now: summed as read
    packed: list[bytes] = []  # and pickled as read, by chunks (when read on every core)
    made = _digest_all([path for path, _stamp in todo], made_sums, packed)
    for (path, stamp), result in zip(todo, made, strict=True):
        fresh[str(path)] = (*stamp, result)
    found: list[Digest] = []
    problems: list[Problem] = []
    for key, (_size, _mtime, result) in fresh.items():
        if isinstance(result, str):
            problems.append(Problem(Path(key), result))
        else:
            found.append(result)
    changed = fresh.keys() != cached.keys() or any(
        cached[key][:2] != value[:2] for key, value in fresh.items())
    if changed or not isinstance(sums, Sums):
        gone = [entry[2] for key, entry in cached.items()
                if key not in fresh or fresh[key][:2] != entry[:2]]
        if made_sums is not None:
            sums = made_sums
        elif not (isinstance(sums, Sums) and len(gone) + len(made) <= len(fresh) // 4
                  and sums.remove(gone)):
            sums = Sums()  # a new cache, many files changed, or sums that do not add up
            sums.add(found)
        else:  # a few files changed (a session saved in the app): only theirs redone
            sums.add(made)
        if seal is not False:
            with contextlib.suppress(OSError):
                cache_path.parent.mkdir(parents=True, exist_ok=True)
                parts = [([str(path) for path, _stamp in todo[i * CHUNK:(i + 1) * CHUNK]],
                          [stamp for _path, stamp in todo[i * CHUNK:(i + 1) * CHUNK]], blob)
                         for i, blob in enumerate(packed)] if made_sums is not None and packed \
                    else [(list(fresh), [v[:2] for v in fresh.values()],
                           _pickled([v[2] for v in fresh.values()]))]
                data = _to_cache(parts, sums)
                write_atomic(cache_path, seal.seal(data) if seal else data, durable=False)
    found.sort(key=lambda d: d.order)
    problems.sort(key=lambda p: p.path.name)
    return Folder(found, problems, sums)


def _pickled(made: list[Digest | str]) -> bytes:
    return pickle.dumps(made, protocol=pickle.HIGHEST_PROTOCOL)


Part = tuple[list[str], list[tuple[int, int]], bytes]  # files, their stamps, digests pickled


def _to_cache(parts: list[Part], sums: Sums) -> bytes:
    """The cache file: its digests in parts, each (files, their stamps, their digests
    pickled), so that what helper processes pickled to send is kept as is; the pickled
    digests after the rest (DIGEST_FORMAT, the parts without them, the sums), read
    where they lie (`_from_cache`), never copied out."""
    head = pickle.dumps((DIGEST_FORMAT, [(keys, stamps, len(blob)) for keys, stamps, blob
                                         in parts], sums), protocol=pickle.HIGHEST_PROTOCOL)
    return b"".join([head, *(blob for _keys, _stamps, blob in parts)])


def _from_cache(data: bytes) -> tuple[dict[str, tuple[int, int, Digest | str]], Sums | None]:
    """The digests by file and the sums of a cache file (`_to_cache`); none of a cache
    of another DIGEST_FORMAT; an exception for a damaged one."""
    import io

    stream = io.BytesIO(data)
    loaded = pickle.load(stream)  # noqa: S301 - our own file
    if not (isinstance(loaded, tuple) and loaded[0] == DIGEST_FORMAT):
        return {}, None
    cached: dict[str, tuple[int, int, Digest | str]] = {}
    at, view = stream.tell(), memoryview(data)
    for keys, stamps, length in loaded[1]:
        made = pickle.loads(view[at:at + length])  # noqa: S301 - our own file
        at += length
        if not len(keys) == len(stamps) == len(made):
            raise ValueError("a damaged cache")
        for key, (size, mtime), result in zip(keys, stamps, made, strict=True):
            cached[key] = (size, mtime, result)
    if at != len(data):
        raise ValueError("a damaged cache")
    return cached, loaded[2]


def _digest_or_problem(path: Path) -> Digest | str:
    try:
        return digest(path)
    except DigestProblem as problem:
        return str(problem)


def _digest_many(paths: list[Path]) -> list[Digest | str]:
    return [_digest_or_problem(path) for path in paths]


def _digest_packed(paths: list[Path]) -> bytes:
    """A helper's task: the digests of `paths`, pickled (sent so, and kept so in the
    cache)."""
    return _pickled(_digest_many(paths))


def _digest_many_summed(paths: list[Path], sums: Sums | None) -> list[Digest | str]:
    made = _digest_many(paths)
    if sums is not None:
        sums.add(made)
    return made


PARALLEL_FROM = 64  # uncached files; fewer are read at once in this process
CHUNK = 16  # files per task: small, so the processes finish close together
SWITCH_INTERVAL = 0.001  # seconds, while helpers read (see _digest_all)
PIPE_SIZE = 1 << 20  # bytes, of the pipe that brings the helpers' digests (Linux's most)


def _digest_all(paths: list[Path], sums: Sums | None = None,
                packed: list[bytes] | None = None) -> list[Digest | str]:
    """The digests of `paths` (a problem as its reason), in their order. Many files with
    no cached digest (a first look, or a report with no cache at all) are read by this
    process and helpers on the other cores: reading is ~1 ms of CPU per session file.
    `sums`, if given, gets the words of them all (of this process's share meanwhile);
    `packed`, if given, gets them pickled by CHUNK files when read on every core (as
    helpers send them: not pickled again for the cache), else stays empty."""
    helpers = _helpers() if len(paths) >= PARALLEL_FROM else 0
    if not helpers:
        made = _digest_many(paths)
        if sums is not None:
            sums.add(made)
        return made
    chunks = [paths[i:i + CHUNK] for i in range(0, len(paths), CHUNK)]
    try:
        import multiprocessing
        from concurrent.futures import ProcessPoolExecutor

        # what reading a session imports, imported before the helpers fork: once, not
        # again in each of them
        from . import harvest, session_decode  # noqa: F401

        pool = ProcessPoolExecutor(helpers, mp_context=multiprocessing.get_context("fork"))
    except (ImportError, OSError, NotImplementedError, ValueError, RuntimeError):
        return _digest_many_summed(paths, sums)
    # the pool's threads here hand the helpers their next chunk and take in what they
    # made; while this process reads files they wait for the interpreter lock up to the
    # switch interval (5 ms), and a helper waits with them: they get it sooner meanwhile
    interval = sys.getswitchinterval()
    sys.setswitchinterval(min(interval, SWITCH_INTERVAL))
    _roomy_results(pool)
    try:
        return _digest_pooled(pool, chunks, sums, packed)
    finally:
        sys.setswitchinterval(interval)


def _roomy_results(pool: Any) -> None:
    """Let the pipe that brings the helpers' digests hold 1 MB (Linux), not 64 kB: a
    chunk's digests are ~270 kB, and a helper waited to write each piece until the pool's
    thread here got the interpreter lock to read the last (a third of its idle time).
    Where the pool is built otherwise, or the system says no: only slower."""
    try:
        import fcntl

        fcntl.fcntl(pool._result_queue._reader.fileno(), fcntl.F_SETPIPE_SZ, PIPE_SIZE)
    except (ImportError, AttributeError, OSError, ValueError):
        pass


def _digest_pooled(pool: Any, chunks: list[list[Path]], sums: Sums | None,
                   packed: list[bytes] | None) -> list[Digest | str]:
    """`_digest_all` with helpers: `chunks` read by them (from the start) and here (from
    the end), until they meet."""
    done: list[list[Digest | str] | None] = [None] * len(chunks)
    blobs: list[bytes] = [b""] * len(chunks)
    with pool:
        try:
            futures = [pool.submit(_digest_packed, chunk) for chunk in chunks]
        except (OSError, RuntimeError):  # helpers could not start: all here
            futures = []
        def take(index: int) -> None:
            """A helper's chunk (waited for), summed here."""
            if done[index] is None:
                try:
                    blobs[index] = futures[index].result()
                    done[index] = pickle.loads(blobs[index])  # noqa: S301 - our helper's
                except Exception:  # noqa: BLE001 - a helper died, or could not send: here
                    here = done[index] = _digest_many(chunks[index])
                    blobs[index] = _pickled(here) if packed is not None else b""
                if sums is not None:
                    sums.add(done[index] or ())

        # this process takes chunks from the end, the helpers from the start
        taken = 0
        for index in range(len(chunks) - 1, -1, -1):
            if index < len(futures) and not futures[index].cancel():
                break
            here = done[index] = _digest_many_summed(chunks[index], sums)
            if packed is not None:
                blobs[index] = _pickled(here)
            while taken < index and taken < len(futures) and futures[taken].done():
                take(taken)  # summed meanwhile, not all at the end
                taken += 1
        for index in range(len(futures)):
            take(index)
        pool.shutdown(wait=True, cancel_futures=True)
    if packed is not None:
        packed[:] = blobs
    return [result for chunk in done if chunk is not None for result in chunk]


def _helpers() -> int:
    """How many helper processes may read session files: started by fork (cheap: they
    share what is imported), so only from a process with no other threads (the command
    line; the app has its workers and reads from its cache), and not on macOS, where
    system libraries are not safe to fork."""
    import multiprocessing
    import sys
    import threading

    if sys.platform == "darwin":
        return 0

    try:
        cores = len(os.sched_getaffinity(0))
    except (AttributeError, OSError):
        cores = os.cpu_count() or 1
    if cores < 2 or threading.active_count() > 1 or \
            "fork" not in multiprocessing.get_all_start_methods():
        return 0
    return min(cores - 1, 3)


def _sealer(sessions_dir: Path) -> Any:
    from .session_list import _cache_sealer

    return _cache_sealer(sessions_dir)


def _cache_file(sessions_dir: Path) -> Path:
    from .library_cache import cache_file

    return cache_file(sessions_dir, "patterns")
