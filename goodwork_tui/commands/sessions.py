"""`goodwork sessions list` and `goodwork sessions show`."""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING, Any

from .common import inline, plural, sessions_dir, shown_path, tolerant_stdout

if TYPE_CHECKING:
    from ..core.session_store import SessionStore


# ----------------------------------------------------------------- goodwork sessions
# Everything printed from a session file goes through `displayable`: a note cannot send
# escape sequences (colours, clear screen, title changes, bidi overrides) to the terminal.


def list_sessions_command(workspace_option: str | None) -> int:
    from ..core.session_store import list_sessions
    from ..core.text import displayable

    folder = sessions_dir(workspace_option)
    if folder is None:
        return 2
    tolerant_stdout()
    summaries = list_sessions(folder)
    good = [s for s in summaries if s.problem is None]
    id_width = max((len(inline(s.id)) for s in summaries), default=0)
    title_width = min(40, max((len(inline(s.title)) for s in good), default=0))
    for summary in summaries:
        name = inline(summary.id).ljust(id_width)
        if summary.problem is not None:
            print(f"{name}  BROKEN: {summary.problem} ({displayable(shown_path(summary.path))})")
            continue
        mark = "  [archived]" if summary.archived else ""
        print(f"{name}  {inline(summary.date):<10}  {inline(summary.title):<{title_width}}  "
              f"{plural(summary.notes, 'note', 'notes')}, "
              f"{plural(summary.rounds, 'round', 'rounds')}{mark}")
    archived = sum(1 for s in good if s.archived)
    broken = len(summaries) - len(good)
    print(f"{plural(len(good), 'session', 'sessions')} ({archived} archived), "
          f"{plural(broken, 'broken file', 'broken files')} in "
          f"{displayable(shown_path(folder))}")
    return 0


def _note_lines(number: int, note: dict[str, Any], round_title: str = "") -> list[str]:
    from ..core.text import displayable

    text = displayable(str(note.get("text", ""))).split("\n")
    lines = [f"  {number}. {text[0]}"] + [f"     {line}" for line in text[1:]]
    tags = [f"{label}: {inline(note[key])}"
            for key, label in (("kind", "kind"), ("lens", "lens"), ("speaker", "speaker"))
            if note.get(key)]
    if round_title:
        tags.append(f"round: {round_title}")
    if note.get("queued"):
        tags.append("from the room, waiting for approval")
    elif note.get("room_only"):
        tags.append("room only")
    if tags:
        lines.append("     (" + " · ".join(tags) + ")")
    return lines


def _session_lines(store: SessionStore) -> list[str]:
    session = store.session
    rounds = session.rounds
    order = session.round_order
    current = session.current_round
    status = [word for word, flag in (("closed", session.closed),
                                      ("archived", session.archived)) if flag]
    lines = [f"Session:      {inline(store.id)}",
             f"Title:        {inline(session.title)}",
             f"Date:         {inline(session.date)}",
             f"Group:        {inline(session.group)}",
             f"Facilitator:  {inline(session.facilitator)}",
             f"Format:       {inline(session.format_title)}"]
    if status:
        lines.append(f"Status:       {', '.join(status)}")
    participants = session.participants
    lines.append("Participants:" + ("" if participants else " (none)"))
    for person in participants:
        consent = "yes" if person.consent else "no"
        lines.append(f"  - {inline(person.name)} (consent: {consent})")

    notes = store.notes()
    shown: set[str] = set()

    def title_of(index: object) -> str:
        if isinstance(index, int) and 0 <= index < len(rounds):
            return inline(rounds[index].title)
        return ""

    for position, index in enumerate(order):
        here = [note for note in notes if note.get("round") == index]
        mark = "  (current)" if index == current else ""
        lines += ["", f"Round {position + 1} of {len(order)}: {title_of(index)}{mark}"]
        if not here:
            lines.append("  (no notes)")
        for number, note in enumerate(here, 1):
            lines += _note_lines(number, note)
            shown.add(str(note.get("id", "")))
    rest = [note for note in notes if note.get("id") not in shown]
    if rest:
        lines += ["", "Notes outside the session's rounds:" if order else "Notes:"]
        for number, note in enumerate(rest, 1):
            lines += _note_lines(number, note, title_of(note.get("round")))
    lines += ["", f"{plural(len(notes), 'note', 'notes')}, "
                  f"{plural(len(order), 'round', 'rounds')}"]
    return lines


def show(workspace_option: str | None, ref: str) -> int:
    from ..core.session_store import SessionError, SessionStore, find_session
    from ..core.text import displayable

    folder = sessions_dir(workspace_option)
    if folder is None:
        return 2
    tolerant_stdout()
    path = find_session(folder, ref)
    if path is None:
        where = displayable(shown_path(folder))
        what = "no session to show" if ref == "latest" else f"no session {inline(ref)!r}"
        print(f"goodwork: {what} in {where}; see 'goodwork sessions list'", file=sys.stderr)
        return 1
    try:
        store = SessionStore.open(path, read_only=True)
    except SessionError as error:
        print(f"goodwork: {displayable(str(error))}", file=sys.stderr)
        return 1
    try:
        lines = _session_lines(store)
    except (AttributeError, TypeError, ValueError, KeyError, IndexError) as error:
        print(f"goodwork: {displayable(str(path))}: not a readable session file "
              f"({type(error).__name__})", file=sys.stderr)
        return 1
    finally:
        store.close()
    print("\n".join(lines))
    return 0
