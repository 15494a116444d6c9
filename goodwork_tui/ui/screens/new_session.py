"""The form to start a session: title, date, group, facilitator, format, situations,
participants with consent."""

from __future__ import annotations

from dataclasses import asdict
from datetime import date
from typing import Any

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.suggester import SuggestFromList
from textual.widgets import Button, Input, Label, Select, SelectionList, Static, TextArea

from ...core.model import Format, Library, one_line_summary
from ...core.note_input import letter
from ..focus import focus_now
from ..safe import DRAW_SAFE, line, plain
from ..widgets.safe_text_area import SafeTextArea


def format_snapshot(chosen: Format | None) -> dict[str, Any]:
    """The format as stored in the session: later edits of the file do not change it."""
    if chosen is None:
        return {"id": "", "title": "", "kind": "group", "rounds": []}
    return {
        "id": chosen.id, "title": chosen.title, "kind": chosen.kind, "minutes": chosen.minutes,
        "rounds": [
            {k: (list(v) if isinstance(v, tuple) else v) for k, v in asdict(r).items()}
            for r in chosen.rounds
        ],
    }


def participants_from(lines: str, consenting: set[int]) -> list[dict[str, Any]]:
    """One participant per line; '-' or '?' is someone who stays anonymous."""
    result: list[dict[str, Any]] = []
    for text in lines.splitlines():
        name = text.strip()
        if not name:
            continue
        if name in ("-", "?"):
            name = ""
        index = len(result)
        result.append({"id": f"p{index + 1}", "name": name, "consent": index in consenting})
    return result


class ConsentList(SelectionList[int]):
    """The consent ticks, one row per participant. A freshly focused list shows its first
    row as current, so Space ticks what the facilitator sees; rebuilding the rows while
    the participants box is edited keeps the ticks and the current row."""

    def on_focus(self) -> None:
        if self.highlighted is None and self.option_count:
            self.highlighted = 0

    def show_people(self, names: list[str], named: list[bool]) -> None:
        """One row per name; a tick stays on its row while that row has a name."""
        ticked = set(self.selected)
        current = self.highlighted
        self.clear_options()
        self.add_options([(line(name), index, index in ticked and named[index])
                          for index, name in enumerate(names)])
        if names and (current is not None or self.has_focus):
            self.highlighted = min(current or 0, len(names) - 1)


class NewSessionScreen(ModalScreen[dict[str, Any] | None]):
    BINDINGS = [
        Binding("escape", "cancel", "Cancel", id="new.cancel"),
        Binding("ctrl+s", "create", "Create", id="new.create"),
    ]

    def __init__(self, library: Library | None, lang: str, situation_id: str | None,
                 kind: str = "group", *, series: list[str] | None = None,
                 defaults: dict[str, Any] | None = None) -> None:
        super().__init__()
        self.library = library
        self.lang = lang
        self.situation_id = situation_id
        self.kind = kind
        self.series_names = series or []  # the series there are, for suggestions
        # "New session in this series": core.series.next_session_defaults
        self.defaults = defaults or {}

    @property
    def t(self):
        return self.app.t  # type: ignore[attr-defined]

    def _formats(self) -> list[Format]:
        if self.library is None:
            return []
        formats = [f for f in self.library.formats if f.lang == self.lang] or list(
            self.library.formats)
        return sorted(formats, key=lambda f: (f.kind != self.kind, f.order, f.title.casefold()))

    def compose(self) -> ComposeResult:
        t = self.t
        with VerticalScroll(id="new-session-box") as box:
            box.border_title = t("new.title")
            box.border_subtitle = t("new.keys")
            yield Label(t("new.session_title"))
            yield Input(id="new-title", max_length=300, highlighter=DRAW_SAFE)
            with Horizontal(classes="form-row"):
                with Vertical(classes="form-cell"):
                    yield Label(t("new.date"))
                    yield Input(date.today().isoformat(), id="new-date", max_length=10)
                with Vertical(classes="form-cell"):
                    yield Label(t("new.facilitator"))
                    yield Input(id="new-facilitator", max_length=200, highlighter=DRAW_SAFE)
            yield Label(t("new.group"))
            yield Input(self.defaults.get("group", ""), id="new-group", max_length=300,
                        highlighter=DRAW_SAFE)
            yield Label(t("series.field"))
            series = Input(self.defaults.get("series", ""), id="new-series", max_length=300,
                           highlighter=DRAW_SAFE, suggester=SuggestFromList(
                               self.series_names, case_sensitive=False))
            series.tooltip = t("series.field.help")
            yield series
            yield Label(t("new.format"))
            options, value = self._format_options()
            yield Select(options, value=value, allow_blank=not options, id="new-format")
            yield Label(t("new.situations"))
            shown = self.library.shown(self.lang) if self.library else []
            yield SelectionList[str](
                *((line(s.title), s.id, s.id == self.situation_id) for s in shown),
                id="new-situations",
            )
            yield Label(t("new.participants"))
            yield SafeTextArea(id="new-participants", soft_wrap=True, show_line_numbers=False)
            yield Label(t("new.consent"))
            yield ConsentList(id="new-consent")
            yield Static(id="new-error")
            with Horizontal(id="new-buttons"):
                yield Button(t("new.create"), id="create", variant="primary")
                yield Button(t("common.cancel"), id="cancel")

    def _format_options(self) -> tuple[list[tuple[Any, str]], Any]:
        """The library's formats; a series' format that is no longer in the library is
        offered as it was stored (and chosen first)."""
        formats = self._formats()
        options: list[tuple[Any, str]] = [(line(f"{f.title} ({f.minutes} min)"), f.id)
                                          for f in formats]
        stored = self.defaults.get("format") or {}
        stored_id = str(stored.get("id", ""))
        if stored_id and all(f.id != stored_id for f in formats):
            options.insert(0, (line(str(stored.get("title") or stored_id)), stored_id))
        if stored_id:
            return options, stored_id
        return options, (formats[0].id if formats else Select.BLANK)

    def on_mount(self) -> None:
        self.query_one("#new-title", Input).focus()
        if self.defaults.get("facilitator"):
            self.query_one("#new-facilitator", Input).value = self.defaults["facilitator"]
        people = self.defaults.get("participants") or []
        if people:  # consent is asked again: every tick starts empty
            self.query_one("#new-participants", TextArea).load_text(
                "\n".join(str(p.get("name") or "-") for p in people))

    @on(TextArea.Changed, "#new-participants")
    def _participants_changed(self) -> None:
        people = participants_from(self.query_one("#new-participants", TextArea).text, set())
        self.query_one("#new-consent", ConsentList).show_people(
            [person["name"] or self.t("participant.anonymous", letter=letter(index))
             for index, person in enumerate(people)],
            [bool(person["name"]) for person in people])

    @on(Button.Pressed, "#create")
    def action_create(self) -> None:
        t = self.t
        title = self.query_one("#new-title", Input).value.strip()
        error = self.query_one("#new-error", Static)
        if not title:
            error.update(plain(t("new.need_title")))
            focus_now(self.query_one("#new-title", Input))
            return
        try:
            on_date = date.fromisoformat(self.query_one("#new-date", Input).value.strip())
        except ValueError:
            error.update(plain(t("new.bad_date")))
            focus_now(self.query_one("#new-date", Input))
            return
        format_id = self.query_one("#new-format", Select).value
        chosen = next((f for f in self._formats() if f.id == format_id), None)
        stored = self.defaults.get("format") or {}
        # the series' own format as it was stored, unless another one is chosen
        snapshot = stored if stored and stored.get("id") == format_id \
            else format_snapshot(chosen)
        consenting = set(self.query_one("#new-consent", SelectionList).selected)
        participants = participants_from(self.query_one("#new-participants", TextArea).text,
                                         consenting)
        for person in participants:  # no name, nothing to consent to
            person["consent"] = person["consent"] and bool(person["name"])
        chosen_situations = list(self.query_one("#new-situations", SelectionList).selected)
        titles = {}
        for situation_id in chosen_situations:
            situation = self.library.situation(situation_id) if self.library else None
            if situation is not None:
                body = self.library.body(situation) if self.library else ""
                titles[situation_id] = {"title": situation.title,
                                        "summary": one_line_summary(situation, body=body)}
        self.dismiss({
            "title": title,
            "on": on_date,
            "group": self.query_one("#new-group", Input).value.strip(),
            "facilitator": self.query_one("#new-facilitator", Input).value.strip(),
            "format": snapshot,
            "situations": chosen_situations,
            "situation_titles": titles,
            "participants": participants,
            "series": self.query_one("#new-series", Input).value.strip(),
        })

    @on(Button.Pressed, "#cancel")
    def action_cancel(self) -> None:
        self.dismiss(None)
