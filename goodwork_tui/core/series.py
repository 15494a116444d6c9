"""Series: sessions that belong together (a team's monthly intervision, a programme).

A session's series is the name in its record (`meta["series"]`, as typed). Names that
differ only in case, spacing or accents are one series (`series_key`). Everything here
reads the sessions through their digests (core/session_digest.py), so it is quick on a
thousand sessions and works in an encrypted workspace once it is unlocked.

Agreements come back: the action agreements (`meta["actions"]`) of earlier sessions of a
series are open until a later session's look back (`meta["lookback"]`, written with
`SessionStore.set_lookback`) answers them done or dropped; "carried" (carried on) keeps
one open for the session after that.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .session_digest import Digest
from .text import fold

STATUSES = ("done", "carried", "dropped")
CLOSING = ("done", "dropped")


def series_key(name: str) -> str:
    """What makes two series names the same series: case, spacing and accents do not."""
    return " ".join(fold(name).split())


@dataclass(slots=True)
class SeriesInfo:
    name: str  # as written in its latest session
    key: str
    sessions: int
    first: str  # date of the first session
    last: str  # date of the latest


def list_series(sessions_dir: Path) -> list[SeriesInfo]:
    """The series in a sessions folder, by name (for the New session field). From the
    session list's summaries: quick, and already warm when the app has shown its list."""
    from .session_list import list_sessions

    grouped: dict[str, list[tuple[str, str, str, str]]] = {}
    for summary in list_sessions(sessions_dir):
        key = series_key(summary.series)
        if key and summary.problem is None and not summary.reflection:
            grouped.setdefault(key, []).append(
                (summary.date, summary.created, summary.id, summary.series))
    infos = []
    for key, group in grouped.items():
        group.sort()
        infos.append(SeriesInfo(name=group[-1][3], key=key, sessions=len(group),
                                first=group[0][0], last=group[-1][0]))
    return sorted(infos, key=lambda s: (s.key, s.name))


def series_of(found: list[Digest]) -> list[SeriesInfo]:
    """The series among digests (oldest first), as `list_series` gives them."""
    grouped: dict[str, list[Digest]] = {}
    for one in found:
        key = series_key(one.series)
        if key and not one.reflection:
            grouped.setdefault(key, []).append(one)
    infos = [SeriesInfo(name=group[-1].series, key=key, sessions=len(group),
                        first=group[0].date, last=group[-1].date)
             for key, group in grouped.items()]
    return sorted(infos, key=lambda s: (s.key, s.name))


def sessions_in(found: list[Digest], name: str) -> list[Digest]:
    key = series_key(name)
    return [d for d in found if key and series_key(d.series) == key and not d.reflection]


def sessions_of(sessions_dir: Path, name: str) -> list[Digest]:
    """The sessions of one series, oldest first (by date, then by when they were made),
    as digests of their session records (no notes): found through the session list's
    summaries, so only the series' own files are read."""
    from .session_digest import DigestProblem, digest
    from .session_list import list_sessions

    key = series_key(name)
    if not key:
        return []
    found = []
    for summary in list_sessions(sessions_dir):
        if summary.problem is None and series_key(summary.series) == key:
            try:
                one = digest(summary.path, notes=False)
            except DigestProblem:
                continue  # changed since it was listed; the list names it next time
            if not one.reflection:
                found.append(one)
    return sorted(found, key=lambda d: d.order)


def next_session_defaults(sessions_dir: Path, name: str) -> dict[str, Any] | None:
    """What "New session in this series" fills in, from the series' latest session:
    series, group, facilitator, format, lang and the participants with their consent
    reset to False (consent is asked again, every session). None for no such series.
    The keys match `SessionStore.create`'s arguments."""
    sessions = sessions_of(sessions_dir, name)
    if not sessions:
        return None
    last = sessions[-1]
    return {
        "series": last.series,
        "group": last.group,
        "facilitator": last.facilitator,
        "format": copy.deepcopy(last.format),
        "lang": last.lang,
        "participants": [{"id": str(p.get("id", "")), "name": str(p.get("name", "")),
                          "consent": False} for p in last.participants],
    }


# ----------------------------------------------------------------- agreements


@dataclass(slots=True)
class Answer:
    """One later session's word on an agreement."""

    session: str
    title: str
    date: str
    status: str  # done / carried / dropped
    learned: str


@dataclass(slots=True)
class Agreement:
    action: str  # the action's id in the session that made it
    source: str  # the id of the session that made it
    source_title: str
    source_date: str
    text: str
    owner: str  # as typed
    review: str  # review date as typed (ISO date when picked)
    owner_person: bool  # the owner is a participant of the session that made it
    owner_named: bool  # ... who consented to be named there
    history: list[Answer] = field(default_factory=list)  # earlier sessions' answers
    answer: dict[str, Any] | None = None  # this session's answer, when given
    overdue: bool = False  # its review date is before this session's date

    @property
    def status(self) -> str:
        """'open', or the last status given (this session's answer first)."""
        if self.answer is not None:
            return str(self.answer.get("status", "open"))
        return self.history[-1].status if self.history else "open"

    @property
    def closed(self) -> bool:
        return self.status in CLOSING

    def answer_fields(self, status: str, learned: str = "") -> dict[str, Any]:
        """The arguments for `SessionStore.set_lookback`:
        `store.set_lookback(**agreement.answer_fields("done", "what we learned"))`."""
        return {"action": self.action, "source": self.source, "status": status,
                "learned": learned, "text": self.text, "owner": self.owner,
                "review": self.review, "owner_person": self.owner_person,
                "owner_named": self.owner_named}


def owner_consent(owner: str, participants: list[dict[str, Any]]) -> tuple[bool, bool]:
    """(is the owner a participant, may they be named): the harvest's `owner_label`
    rule (full name, or a first name that is one person's), as two yes/no answers."""
    return owner_consents([owner], participants)[0]


def owner_consents(owners: list[str], participants: list[dict[str, Any]]
                   ) -> list[tuple[bool, bool]]:
    """`owner_consent` for each of `owners` (of one session: its people read once)."""
    from .harvest import owner_label
    from .i18n import Catalog
    from .session_schema import SessionMeta

    if not owners:
        return []
    t = Catalog("en")
    people = SessionMeta.of({"participants": participants}).participants
    answers = []
    for owner in owners:
        person = owner_label(owner, people, False, t) != owner
        answers.append((person, person and owner_label(owner, people, True, t) == owner))
    return answers


def agreements(found: list[Digest], upto: tuple[str, str, str] | None = None
               ) -> list[Agreement]:
    """Every agreement made in `found` (oldest first) before `upto` (a Digest.order),
    with the answers the sessions after it gave, in order."""
    made: dict[tuple[str, str], Agreement] = {}
    for one in found:
        if upto is not None and one.order >= upto:
            break
        for answer in one.lookback:
            agreement = made.get((str(answer.get("from")), str(answer.get("action"))))
            if agreement is not None:
                agreement.history.append(Answer(
                    session=one.id, title=one.title, date=one.date,
                    status=str(answer.get("status", "")), learned=str(answer.get("learned", ""))))
        for action in one.actions:
            owner = str(action.get("owner", ""))
            made[(one.id, str(action.get("id")))] = Agreement(
                action=str(action.get("id", "")), source=one.id, source_title=one.title,
                source_date=one.date, text=str(action.get("text", "")), owner=owner,
                review=str(action.get("review", "")),
                owner_person=bool(action.get("owner_person")),
                owner_named=bool(action.get("owner_named")))
    return list(made.values())


def open_agreements(sessions_dir: Path, meta: dict[str, Any], session_id: str
                    ) -> list[Agreement]:
    """For the "Looking back" step of a session (its record `meta`, its id): the
    agreements of the EARLIER sessions of its series that were still open when it began,
    oldest first, each with its history, this session's answer (if any) and whether its
    review date has passed. Empty when the session is in no series."""
    name = str(meta.get("series", "") or "")
    if not series_key(name):
        return []
    here = (str(meta.get("date", "")), str(meta.get("created", "")), session_id)
    earlier = [d for d in sessions_of(sessions_dir, name) if d.id != session_id]
    answers = {(str(a.get("from")), str(a.get("action"))): a
               for a in meta.get("lookback", []) if isinstance(a, dict)}
    result = []
    for agreement in agreements(earlier, upto=here):
        if agreement.closed:
            continue
        agreement.answer = answers.get((agreement.source, agreement.action))
        agreement.overdue = _is_date(agreement.review) and agreement.review < here[0]
        result.append(agreement)
    return result


def _is_date(text: str) -> bool:
    from datetime import date

    try:
        date.fromisoformat(text)
    except ValueError:
        return False
    return True
