"""Patterns across sessions: what a series (or all sessions in a period) keeps meeting.

`collect(sessions_dir, series=..., since=..., until=...)` gives a `Patterns`: the sessions
held, the situations (with their collections and tags, when the library is passed in)
and how often they were discussed, the lens balance of the notes, recurring themes,
words and questions, the agreements per owner (open and finished), and the images of
good work that went into the library. Every item carries `refs`: the notes behind it as
`(session id, (note id, ...))` pairs, so a view can lead to them; `flat(refs)` lists
them one by one.

Rules:
- Room-only notes are never counted, in the app or in a report: the digests leave them
  out when they read a file (session_digest.py).
- Reflections are one person's own words: their notes are never counted; a reflection
  only shows as an image that went into the library (`meta["to_library"]`).
- People: agreements are grouped per owner as the harvest shows owners. A participant
  is named only with `names=True` AND their consent in the session that made the
  agreement; otherwise their agreements are under "participants (not named)". An owner
  who is no participant (a role, a team) is shown as typed, as in the harvest. Names of
  participants and facilitators are never counted as recurring words.
- Recurring words: the content words of each session's notes — words of three letters
  or more, casefolded, accents folded, after a Dutch + English stop-word list
  (note_words.STOP_WORDS) — counted once per session they occur in. A word is kept
  when it occurs in at least max(3, 20% of the sessions) sessions; the 40 most frequent
  are listed (ties alphabetical). Recurring questions: the same, over notes of the kind
  "question" only.
- Themes: the groups' own theme names, one theme when names differ only in case,
  spacing or accents; shown in their most used spelling.
A damaged or foreign file is left out and named in `problems`; it never hides the rest.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

from .series import CLOSING, Agreement, agreements, series_key
from .session_digest import Digest, NoteIds, Problem, Sums, gc_paused, load

if TYPE_CHECKING:
    from .model import Library

# (session id, note ids) per session; the ids are a Sequence made only when read
Refs = list[tuple[str, Sequence[str]]]

MAX_WORDS = 40
WORD_MIN_SESSIONS = 3
WORD_MIN_SHARE = 0.2
LENS_ORDER = ("excellent", "ethical", "engaging", "")


def flat(refs: Refs) -> list[tuple[str, str]]:
    """Every (session id, note id) behind an item."""
    return [(session, note) for session, notes in refs for note in notes]


@dataclass(slots=True)
class SessionItem:
    id: str
    title: str
    date: str
    series: str
    notes: int
    archived: bool


@dataclass(slots=True)
class Item:
    """A counted thing: a situation, collection, tag, lens, theme or word."""

    key: str
    label: str
    sessions: int = 0
    notes: int = 0
    refs: Refs = field(default_factory=list)
    detail: str = ""  # a situation's collection title


@dataclass(slots=True)
class AgreementItem:
    text: str
    owner: str  # as shown (consent applied)
    source: str  # the session that made it
    source_title: str
    source_date: str
    action: str
    review: str
    status: str  # open / carried / done / dropped
    learned: str  # the last line on what was learned
    overdue: bool  # still open and its review date is before the period's end (or last session)
    refs: Refs = field(default_factory=list)  # the sessions that made and answered it


@dataclass(slots=True)
class OwnerItem:
    owner: str  # as shown; "" for no owner, ANONYMOUS for participants not named
    open: list[AgreementItem] = field(default_factory=list)
    finished: list[AgreementItem] = field(default_factory=list)


ANONYMOUS = "\x00participants"  # the owner key of agreements of participants not named


@dataclass(slots=True)
class ImageItem:
    situation: str
    title: str
    file: str
    date: str
    session: str  # the reflection it came from
    refs: Refs = field(default_factory=list)


@dataclass(slots=True)
class Patterns:
    series: str  # the series' name as written, "" for all sessions
    since: str  # the period asked for ("" = open)
    until: str
    first: str  # the first and last session's dates
    last: str
    lang: str  # the sessions' language: the most used one
    names: bool
    sessions: list[SessionItem] = field(default_factory=list)
    notes: int = 0
    situations: list[Item] = field(default_factory=list)
    collections: list[Item] = field(default_factory=list)
    tags: list[Item] = field(default_factory=list)
    lenses: list[Item] = field(default_factory=list)  # always four, '' = no lens last
    themes: list[Item] = field(default_factory=list)  # the recurring ones: in >= 2 sessions
    words: list[Item] = field(default_factory=list)
    questions: list[Item] = field(default_factory=list)
    word_threshold: int = WORD_MIN_SESSIONS
    owners: list[OwnerItem] = field(default_factory=list)
    images: list[ImageItem] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)

    @property
    def agreements_open(self) -> int:
        return sum(len(o.open) for o in self.owners)

    @property
    def agreements_finished(self) -> int:
        return sum(len(o.finished) for o in self.owners)


def _day(value: date | str | None) -> str:
    if value is None or value == "":
        return ""
    return value.isoformat() if isinstance(value, date) else date.fromisoformat(value).isoformat()


def collect(sessions_dir: Path, *, series: str | None = None,
            since: date | str | None = None, until: date | str | None = None,
            names: bool = False, library: Library | None = None,
            lang: str | None = None) -> Patterns:
    """The patterns of one series (`series`, any spelling of its name) or of all
    sessions, in the period `since`..`until` (ISO dates, both included, either open).
    `library` maps situations to collections and tags; `lang` picks the language of
    library titles (default: the sessions' language)."""
    with gc_paused():
        return _collect(sessions_dir, series=series, since=since, until=until, names=names,
                        library=library, lang=lang)


def _collect(sessions_dir: Path, *, series: str | None, since: date | str | None,
             until: date | str | None, names: bool, library: Library | None,
             lang: str | None) -> Patterns:
    folder = load(sessions_dir)
    found, problems = folder.digests, folder.problems
    start, end = _day(since), _day(until)
    key = series_key(series or "")

    def in_period(one: Digest) -> bool:
        if (start or end) and len(one.date) != 10:
            return False
        return (not start or one.date >= start) and (not end or one.date <= end)

    chosen = [d for d in found if not d.reflection and in_period(d)
              and (not key or series_key(d.series) == key)]
    languages = Counter(d.lang for d in chosen)
    language = lang or (max(sorted(languages), key=languages.__getitem__) if languages else "en")
    patterns = Patterns(
        series=chosen[-1].series if key and chosen else (series or ""), since=start, until=end,
        first=chosen[0].date if chosen else "", last=chosen[-1].date if chosen else "",
        lang=language, names=names, problems=problems)
    patterns.sessions = [SessionItem(d.id, d.title, d.date, d.series, d.notes, d.archived)
                         for d in chosen]
    patterns.notes = sum(d.notes for d in chosen)
    _situations(patterns, chosen, library, language)
    patterns.lenses = _lenses(chosen)
    patterns.themes = _themes(chosen)
    patterns.word_threshold = max(WORD_MIN_SESSIONS, math.ceil(WORD_MIN_SHARE * len(chosen)))
    # every group session chosen: the folder's own counts hold (no counting again)
    everything = len(chosen) == sum(1 for d in found if not d.reflection)
    sums = folder.sums if everything else None
    patterns.words = _words(chosen, "words", patterns.word_threshold, sums)
    patterns.questions = _words(chosen, "question_words", patterns.word_threshold, sums)
    # an agreement's status counts every answer given up to the period's end
    answered_by = [d for d in found if not d.reflection and (not end or d.date <= end)]
    # overdue as of the period's end, else its last session (never "today": the same
    # sessions give the same report on any day)
    patterns.owners = _owners(chosen, answered_by, names, end or patterns.last)
    patterns.images = [
        ImageItem(situation=str(r.get("situation", "")), title=str(r.get("title", "")),
                  file=str(r.get("file", "")), date=str(r.get("date", "")), session=d.id,
                  refs=[(d.id, NoteIds(d))])
        for d in found if d.reflection and in_period(d)
        and (not key or series_key(d.series) == key) for r in d.to_library]
    return patterns


def _refs(one: Digest, indexes: Sequence[int]) -> tuple[str, Sequence[str]]:
    return one.id, NoteIds(one, indexes)


def _situations(patterns: Patterns, chosen: list[Digest], library: Library | None,
                lang: str) -> None:
    items: dict[str, Item] = {}
    for one in chosen:
        for situation in dict.fromkeys([*one.situations, *one.situation_notes]):
            item = items.get(situation)
            if item is None:
                item = items[situation] = Item(situation, situation)
            title = one.situation_titles.get(situation, {}).get("title")
            if title:
                item.label = str(title)  # the latest session's title wins
            indexes = one.situation_notes.get(situation, ())
            item.sessions += 1
            item.notes += len(indexes)
            item.refs.append(_refs(one, indexes))
    collections: dict[str, Item] = {}
    tags: dict[str, Item] = {}
    for item in items.values():
        known = library.situation(item.key) if library is not None else None
        if known is None:
            continue
        if item.label == item.key:
            item.label = known.title
        owner = library.collections.get(known.collection) if library is not None else None
        item.detail = owner.title_in(lang) if owner is not None else known.collection
        groups = [(collections, known.collection, item.detail)]
        groups += [(tags, tag, library.tag_label(tag, lang)) for tag in known.tags
                   if library is not None]
        for table, group_key, label in groups:
            group = table.get(group_key)
            if group is None:
                group = table[group_key] = Item(group_key, label)
            group.notes += item.notes
            group.refs += item.refs
    for group in (*collections.values(), *tags.values()):
        merged: dict[str, list[str]] = {}
        for session, notes in group.refs:
            merged.setdefault(session, []).extend(notes)
        group.refs = [(s, tuple(dict.fromkeys(n))) for s, n in merged.items()]
        group.sessions = len(group.refs)
        group.notes = sum(len(n) for _s, n in group.refs)

    def ranked(table: dict[str, Item]) -> list[Item]:
        return sorted(table.values(),
                      key=lambda i: (-i.sessions, -i.notes, series_key(i.label), i.key))

    patterns.situations = ranked(items)
    patterns.collections = ranked(collections)
    patterns.tags = ranked(tags)


def _lenses(chosen: list[Digest]) -> list[Item]:
    items = {lens: Item(lens, lens) for lens in LENS_ORDER}
    for one in chosen:
        for lens, indexes in one.lens.items():
            item = items[lens if lens in items else ""]
            item.sessions += 1
            item.notes += len(indexes)
            item.refs.append(_refs(one, indexes))
    return list(items.values())


def _themes(chosen: list[Digest]) -> list[Item]:
    items: dict[str, Item] = {}
    spellings: dict[str, Counter[str]] = {}
    for one in chosen:
        seen: set[str] = set()
        for _theme_id, name, indexes in one.themes:
            key = series_key(name)
            if not key:
                continue
            item = items.get(key)
            if item is None:
                item = items[key] = Item(key, name)
            spellings.setdefault(key, Counter())[" ".join(name.split())] += 1
            if key not in seen:
                item.sessions += 1
                seen.add(key)
            item.notes += len(indexes)
            item.refs.append(_refs(one, indexes))
    for key, item in items.items():
        forms = spellings[key]
        item.label = max(forms, key=forms.__getitem__)  # the most used; a tie: the first
    recurring = [i for i in items.values() if i.sessions >= 2]
    return sorted(recurring, key=lambda i: (-i.sessions, -i.notes, i.key))


def _words(chosen: list[Digest], kind: str, threshold: int,
           sums: Sums | None = None) -> list[Item]:
    """The recurring words of `chosen`; `sums` are the folder's, when `chosen` are all
    its group sessions: then nothing needs counting here."""
    counts: Counter[str] = Counter() if sums is None else sums.counts[kind]
    for one in chosen if sums is None else ():  # lists dropped as counted (memory)
        counts.update(getattr(one, kind).words())
    kept = sorted((w for w, c in counts.items() if c >= threshold),
                  key=lambda w: (-counts[w], w))[:MAX_WORDS]
    if sums is not None:
        notes = {word: sums.notes_of(kind, word) for word in kept}
        forms = {word: Counter(sums.spellings[kind].get(word, {})) for word in kept}
        for word, spelled in forms.items():  # the sessions that write it as folded
            as_folded = sums.formed_of(kind, word) - sum(spelled.values())
            if as_folded > 0:
                spelled[word] = as_folded
        behind = _WordNotes(kind, chosen, kept)
    else:
        hits: dict[str, list[Digest]] = {word: [] for word in kept}
        notes = dict.fromkeys(kept, 0)
        forms = {word: Counter() for word in kept}
        for one in chosen:
            for word, count in getattr(one, kind).find(kept):
                hits[word].append(one)
                notes[word] += count
                if one.forms:
                    forms[word][one.forms.get(word, word)] += 1
        behind = _WordNotes(kind, chosen, kept, hits)
    items = []
    for word in kept:
        spelled = forms[word]
        label = min(spelled, key=lambda f: (-spelled[f], f)) if spelled else word
        items.append(Item(word, label, sessions=counts[word], notes=notes[word],
                          refs=cast(Refs, _LazyRefs(behind, word, counts[word]))))
    return items


class _WordNotes:
    """The notes behind the recurring words of one list, found when first asked for:
    digests keep only how many notes hold a word, so each session file that holds one
    is read again, once for all the list's words (the notes behind a word are read
    from it anyway)."""

    __slots__ = ("_kind", "_chosen", "_kept", "_hits", "_made")

    def __init__(self, kind: str, chosen: list[Digest], kept: list[str],
                 hits: dict[str, list[Digest]] | None = None) -> None:
        self._kind, self._chosen, self._kept, self._hits = kind, chosen, kept, hits
        self._made: dict[str, list[tuple[str, Sequence[str]]]] | None = None

    def refs(self, word: str) -> list[tuple[str, Sequence[str]]]:
        if self._made is None:
            from .session_digest import word_notes

            hits = self._hits
            if hits is None:
                hits = {each: [] for each in self._kept}
                for one in self._chosen:
                    for each, _count in getattr(one, self._kind).find(self._kept):
                        hits[each].append(one)
            wanted: dict[str, tuple[Digest, list[str]]] = {}
            for each, sessions in hits.items():
                for one in sessions:
                    wanted.setdefault(one.id, (one, []))[1].append(each)
            found = {key: word_notes(one, self._kind, words)
                     for key, (one, words) in wanted.items()}
            # a file changed since it was counted may no longer hold the word: left out
            self._made = {each: [(one.id, ids) for one in sessions
                                 if (ids := found[one.id].get(each))]
                          for each, sessions in hits.items()}
        return self._made[word]


class _LazyRefs(Sequence[tuple[str, Sequence[str]]]):
    """The refs of a recurring word, made when first read (a Sequence): a thousand
    sessions' worth for each of forty words would cost more than the whole overview."""

    __slots__ = ("_behind", "_word", "_sessions")

    def __init__(self, behind: _WordNotes, word: str, sessions: int) -> None:
        self._behind, self._word, self._sessions = behind, word, sessions

    def _all(self) -> list[tuple[str, Sequence[str]]]:
        return self._behind.refs(self._word)

    def __len__(self) -> int:
        return self._sessions

    def __getitem__(self, index: Any) -> Any:
        return self._all()[index]

    def __iter__(self) -> Iterator[tuple[str, Sequence[str]]]:
        return iter(self._all())

    def __eq__(self, other: object) -> bool:
        return list(self) == list(other) if isinstance(other, Sequence) else NotImplemented

    def __repr__(self) -> str:
        return repr(self._all())

    def __deepcopy__(self, memo: dict) -> list:
        from copy import deepcopy

        return deepcopy(self._all(), memo)


Sequence.register(_LazyRefs)


def _owner_shown(agreement: Agreement, names: bool) -> str:
    if agreement.owner_person:
        return agreement.owner if names and agreement.owner_named else ANONYMOUS
    return " ".join(agreement.owner.split())


def _owners(chosen: list[Digest], answered_by: list[Digest], names: bool,
            as_of: str) -> list[OwnerItem]:
    wanted = {d.id for d in chosen}
    owners: dict[str, OwnerItem] = {}
    for agreement in agreements(answered_by):
        if agreement.source not in wanted:
            continue
        shown = _owner_shown(agreement, names)
        status = agreement.status
        last = agreement.history[-1] if agreement.history else None
        review = agreement.review
        closed = status in CLOSING
        item = AgreementItem(
            text=agreement.text, owner=shown, source=agreement.source,
            source_title=agreement.source_title, source_date=agreement.source_date,
            action=agreement.action, review=review,
            status=status if agreement.history else "open",
            learned=last.learned if last else "",
            overdue=not closed and len(review) == 10 and review < as_of,
            refs=cast(Refs, [(agreement.source, ())]
                      + [(a.session, ()) for a in agreement.history]))
        group_key = series_key(shown) if shown != ANONYMOUS else ANONYMOUS
        group = owners.get(group_key)
        if group is None:
            group = owners[group_key] = OwnerItem(shown)
        (group.finished if closed else group.open).append(item)

    def order(group: OwnerItem) -> tuple[int, str]:
        return (1 if group.owner in ("", ANONYMOUS) else 0, series_key(group.owner))

    return sorted(owners.values(), key=order)


def as_dict(patterns: Patterns) -> dict[str, Any]:
    """Plain data (for tests and for tools)."""
    from dataclasses import asdict

    data = asdict(patterns)
    data["problems"] = [{"path": str(p.path), "reason": p.reason} for p in patterns.problems]
    return data
