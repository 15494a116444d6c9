"""The harvest: all notes of the session, filtered; stars, dot votes, themes,
take-aways and action agreements. Every change goes to the store at once."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.message import Message
from textual.screen import Screen
from textual.widgets import DataTable, Label, OptionList, Select, Static, TextArea
from textual.widgets.option_list import Option

from ...core.model import LENSES, NOTE_KINDS
from ...core.note_input import letter
from ...core.text import one_line, pasted
from ..safe import line, plain
from ..typed_app import AppAware
from ..widgets import harvest_columns as columns
from ..widgets.footer import QuickFooter
from ..widgets.safe_text_area import SafeTextArea

if TYPE_CHECKING:
    from ...core.session_store import SessionStore
    from ..session import OpenSession, Outcome

ALL = "*"


class NotesTable(DataTable):
    @dataclass
    class Resized(Message):
        """The table's width changed: its columns may need other widths."""

    def on_resize(self) -> None:
        self.post_message(self.Resized())

    BINDINGS = [
        Binding("s", "screen.star", "Star", id="harvest.star", tooltip="Star the note, or not"),
        Binding("plus,equals_sign", "screen.vote(1)", "+1", id="harvest.vote_up",
                tooltip="One more dot vote"),
        Binding("minus", "screen.vote(-1)", "−1", id="harvest.vote_down",
                tooltip="One dot vote less"),
        Binding("t", "screen.theme", "Theme", id="harvest.theme",
                tooltip="Put the note in a theme"),
    ]


class ActionList(OptionList):
    BINDINGS = [
        Binding("delete,d", "screen.delete_action", "Delete", id="harvest.delete_action",
                tooltip="Delete the action agreement"),
        Binding("enter", "screen.edit_action", "Edit", show=False, id="harvest.edit_action"),
    ]


class ThemeList(OptionList):
    BINDINGS = [
        Binding("delete,d", "screen.delete_theme", "Delete", id="harvest.delete_theme",
                tooltip="Delete the theme (its notes stay)"),
        Binding("enter", "screen.rename_theme", "Rename", show=False, id="harvest.rename_theme"),
    ]


class HarvestScreen(AppAware, Screen[None]):
    BINDINGS = [
        Binding("escape", "app.pop_screen", "Back", id="harvest.back"),
        Binding("n", "new_theme", "New theme", id="harvest.new_theme",
                tooltip="Make a new theme"),
        Binding("a", "new_action", "Action", id="harvest.new_action",
                tooltip="Add an action agreement"),
        # priority: the take-aways field (a TextArea) would take ctrl+e as "end of line"
        Binding("ctrl+e", "export", "Export", id="harvest.export", priority=True,
                tooltip="Preview and write the harvest"),
        Binding("f11", "room_view", "Room view", id="harvest.room",
                tooltip="Show the harvest on the projector"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.filters = {"kind": ALL, "lens": ALL, "round": ALL, "situation": ALL}
        self._rows: list[columns.Row] | None = None
        self._layout: columns.Layout | None = None

    @property
    def session(self) -> OpenSession:
        return self.gw.sessions

    @property
    def store(self) -> SessionStore:
        store = self.session.store
        assert store is not None  # the harvest is shown only for an open session
        return store

    def write(self, change, *args, **kwargs) -> Outcome:
        """Every change goes through the open session's one write path."""
        return self.session.write(change, *args, published="harvest", **kwargs)

    def _session_changed(self, what: str) -> None:
        # notes written elsewhere (the palette's undo, another view): shown here too
        if what in ("notes", "note-added", "round", "meta") and self.session.store is not None:
            self.refresh_all()

    def action_room_view(self) -> None:
        self.gw.main.action_room_view()

    def compose(self) -> ComposeResult:
        t = self.t
        meta = self.store.meta
        yield Static(plain(t("harvest.view_title", title=one_line(meta.get("title", ""), 120))),
                     id="harvest-title")
        with Horizontal(id="harvest-filters"):
            yield Select(self._options("kind"), value=ALL, allow_blank=False, id="filter-kind")
            yield Select(self._options("lens"), value=ALL, allow_blank=False, id="filter-lens")
            yield Select(self._options("round"), value=ALL, allow_blank=False, id="filter-round")
            yield Select(self._options("situation"), value=ALL, allow_blank=False,
                         id="filter-situation")
        with Horizontal(id="harvest-body"):
            table = NotesTable(id="harvest-notes", cursor_type="row", zebra_stripes=True)
            table.border_title = t("harvest.notes")
            yield table
            with Vertical(id="harvest-side"):
                yield Label(t("harvest.themes"))
                yield ThemeList(id="harvest-themes")
                yield Label(t("harvest.takeaways"))
                yield SafeTextArea(pasted(meta.get("takeaways", "")), id="harvest-takeaways",
                               soft_wrap=True, show_line_numbers=False)
                yield Label(t("harvest.actions"))
                yield ActionList(id="harvest-actions")
        yield QuickFooter(compact=self.app.size.width < 120)  # keys that fit

    def on_mount(self) -> None:
        from ..bindings import translate_bindings

        for node in (self, *self.query("NotesTable, ActionList, ThemeList")):
            translate_bindings(node, self.t)
        t = self.t
        table = self.query_one(NotesTable)
        self._headers = {"star": "★", "votes": t("harvest.col_votes"),
                         "kind": t("harvest.col_kind"), "lens": t("harvest.col_lens"),
                         "round": t("harvest.col_round"), "theme": t("harvest.col_theme"),
                         "text": t("harvest.col_note")}
        self.refresh_all()
        self.session.changed.subscribe(self, self._session_changed)
        table.focus()
        if self.store.read_only:
            self.query_one("#harvest-takeaways", TextArea).read_only = True

    # ----------------------------------------------------------------- filters

    def _options(self, what: str) -> list[tuple[Text, str]]:
        t = self.t
        options = [(Text(t(f"harvest.all_{what}")), ALL)]
        meta = self.store.meta
        if what == "kind":
            options += [(Text(t(f"kind.{k}")), k) for k in NOTE_KINDS]
        elif what == "lens":
            options += [(Text(t(f"lens.{k}")), k) for k in LENSES]
        elif what == "round":
            rounds = meta.get("format", {}).get("rounds", [])
            options += [(line(f"{n + 1}. {rounds[i]['title']}", 60), str(i))
                        for n, i in enumerate(meta.get("round_order", [])) if i < len(rounds)]
        else:
            used = {str(n["situation"]) for n in self.store.notes() if n.get("situation")}
            titles = meta.get("situation_titles", {})
            library = self.gw.library
            for situation_id in sorted(used | set(meta.get("situations", []))):
                title = titles.get(situation_id, {}).get("title")
                found = library.situation(situation_id) if library else None
                if not title and found is not None:
                    title = found.title
                options.append((line(title or situation_id, 60), situation_id))
        return options

    @on(Select.Changed)
    def _filter(self, event: Select.Changed) -> None:
        what = (event.select.id or "").removeprefix("filter-")
        if what in self.filters:
            self.filters[what] = str(event.value)
            self._fill_notes()

    def _visible(self, note: dict[str, Any]) -> bool:
        f = self.filters
        if note.get("queued"):  # from the room, waiting for approval in the session pane
            return False
        return ((f["kind"] == ALL or note.get("kind") == f["kind"])
                and (f["lens"] == ALL or note.get("lens") == f["lens"])
                and (f["round"] == ALL or str(note.get("round")) == f["round"])
                and (f["situation"] == ALL or note.get("situation") == f["situation"]))

    # ----------------------------------------------------------------- showing

    def refresh_all(self) -> None:
        self._fill_notes()
        self._fill_themes()
        self._fill_actions()

    def _fill_notes(self) -> None:
        t = self.t
        meta = self.store.meta
        rounds = meta.get("format", {}).get("rounds", [])
        order = meta.get("round_order", [])
        themes = {th["id"]: th.get("name", "") for th in meta.get("themes", [])}
        participants = meta.get("participants", [])
        names = {p["id"]: (p.get("name") or t("participant.anonymous", letter=letter(i)))
                 for i, p in enumerate(participants)}
        rows = []
        for note in self.store.notes():
            if not self._visible(note):
                continue
            index = note.get("round", -1)
            number = str(order.index(index) + 1) if index in order else ""
            round_title = rounds[index]["title"] if 0 <= index < len(rounds) else ""
            if round_title and number:
                round_title = f"{number}. {round_title}"
            text = note.get("text", "")
            speaker = names.get(note.get("speaker", ""))
            if speaker:
                text = f"{text} — {one_line(speaker, 40)}"
            if note.get("room_only"):
                text = f"⌂ {text}"
            rows.append(columns.Row(
                key=note["id"], star="★" if note.get("starred") else "",
                votes=str(note.get("votes", 0) or ""), text=text,
                tags={"kind": t(f"kind.{note['kind']}") if note.get("kind") else "",
                      "lens": t(f"lens.{note['lens']}") if note.get("lens") else "",
                      "round": number,
                      "theme": themes.get(note.get("theme", ""), "")},
                round_title=round_title))
        self._rows = rows
        self._show_rows()

    def _table_width(self) -> int:
        table = self.query_one(NotesTable)
        width = table.content_region.width or (self.app.size.width * 2 // 3 - 2)
        return width - table.styles.scrollbar_size_vertical

    def _show_rows(self) -> None:
        table = self.query_one(NotesTable)
        rows = self._rows or []
        shape = columns.layout(rows, self._headers, self._table_width())
        row = table.cursor_row
        if shape != self._layout:
            table.clear(columns=True)
            for key, width in shape.widths.items():
                table.add_column(Text(self._headers[key]), key=key, width=width)
            self._layout = shape
        else:
            table.clear()
        for item in rows:
            cells = [Text(item.star), Text(item.votes), columns.text_cell(item, shape.folded)]
            if not shape.folded:
                cells += [columns.tag_cell(item, key) for key in columns.TAGS]
            table.add_row(*cells, key=item.key, height=None)
        if table.row_count:
            table.move_cursor(row=min(row, table.row_count - 1))

    @on(NotesTable.Resized)
    def _table_resized(self) -> None:
        if self._rows is not None and columns.layout(
                self._rows, self._headers, self._table_width()) != self._layout:
            self._show_rows()

    def _fill_themes(self) -> None:
        themes = self.query_one(ThemeList)
        highlighted = themes.highlighted
        themes.clear_options()
        notes = self.store.notes()
        for theme in self.store.meta.get("themes", []):
            count = sum(1 for n in notes if n.get("theme") == theme["id"])
            themes.add_option(Option(line(f"{theme.get('name', '')} ({count})"), id=theme["id"]))
        if themes.option_count:
            themes.highlighted = min(highlighted or 0, themes.option_count - 1)

    def _fill_actions(self) -> None:
        t = self.t
        actions = self.query_one(ActionList)
        highlighted = actions.highlighted
        actions.clear_options()
        for action in self.store.meta.get("actions", []):
            label = Text(one_line(action.get("text", ""), 300))
            if action.get("owner") or action.get("review"):
                details = t("harvest.action_details", owner=action.get("owner") or "—",
                            review=action.get("review") or "—")
                label.append("\n" + one_line(details, 200), style="dim")
            actions.add_option(Option(label, id=action["id"]))
        if actions.option_count:
            actions.highlighted = min(highlighted or 0, actions.option_count - 1)

    def _current_note(self) -> str | None:
        table = self.query_one(NotesTable)
        if not table.row_count:
            return None
        row_key, _ = table.coordinate_to_cell_key(table.cursor_coordinate)
        return row_key.value

    # ----------------------------------------------------------------- notes

    def action_star(self) -> None:
        note_id = self._current_note()
        note = self.store.note(note_id) if note_id else None
        if note and self.write(self.store.star_note, note_id, not note.get("starred")):
            self._fill_notes()

    def action_vote(self, delta: int) -> None:
        note_id = self._current_note()
        if note_id and self.write(self.store.vote, note_id, delta):
            self._fill_notes()

    def action_theme(self) -> None:
        from .pick import PickScreen

        note_id = self._current_note()
        if not note_id:
            return
        t = self.t
        options = [Option(line(th.get("name", "")), id=th["id"])
                   for th in self.store.meta.get("themes", [])]
        options.append(Option(Text(t("harvest.no_theme")), id="-"))
        options.append(Option(Text(t("harvest.new_theme")), id="+"))

        def chosen(theme_id: str | None) -> None:
            if theme_id == "+":
                # after the picker has closed, or the new form would close with it
                self.call_after_refresh(self.action_new_theme, note_id)
            elif theme_id is not None:
                theme = "" if theme_id == "-" else theme_id
                if self.write(self.store.set_note_theme, note_id, theme):
                    self.refresh_all()

        self.app.push_screen(PickScreen(t("harvest.pick_theme"), t("open.hint"), options), chosen)

    def action_new_theme(self, note_id: str | None = None) -> None:
        from .prompt import FieldsScreen

        t = self.t

        def named(values: list[str] | None) -> None:
            if not values:
                return
            added = self.write(self.store.add_theme, values[0])
            if added and note_id:
                self.write(self.store.set_note_theme, note_id, added.value)
            self.refresh_all()

        self.app.push_screen(FieldsScreen(t("harvest.new_theme"), t("fields.hint"),
                                          [t("harvest.theme_name")], need=t("fields.need")),
                             named)

    def action_rename_theme(self) -> None:
        from .prompt import FieldsScreen

        themes = self.query_one(ThemeList)
        if themes.highlighted is None:
            return
        theme_id = themes.get_option_at_index(themes.highlighted).id
        current = next((th.get("name", "") for th in self.store.meta.get("themes", [])
                        if th["id"] == theme_id), "")
        t = self.t

        def renamed(values: list[str] | None) -> None:
            if values and self.write(self.store.rename_theme, theme_id, values[0]):
                self.refresh_all()

        self.app.push_screen(
            FieldsScreen(t("harvest.rename_theme"), t("fields.hint"), [t("harvest.theme_name")],
                         [current], need=t("fields.need")),
            renamed,
        )

    def action_delete_theme(self) -> None:
        themes = self.query_one(ThemeList)
        if themes.highlighted is not None:
            theme_id = themes.get_option_at_index(themes.highlighted).id
            if self.write(self.store.delete_theme, theme_id):
                self.refresh_all()

    # ----------------------------------------------------------------- take-aways, actions

    @on(TextArea.Changed, "#harvest-takeaways")
    def _takeaways_changed(self) -> None:
        # save shortly after typing pauses, and always when leaving the field
        self._takeaways_timer = getattr(self, "_takeaways_timer", None)
        if self._takeaways_timer is not None:
            self._takeaways_timer.stop()
        self._takeaways_timer = self.set_timer(0.4, self._save_takeaways)

    def _save_takeaways(self) -> None:
        text = self.query_one("#harvest-takeaways", TextArea).text
        # the field holds the stored text as typed (controls, if any, made visible)
        if not self.store.read_only and text != pasted(self.store.meta.get("takeaways", "")):
            self.write(self.store.set_takeaways, text)

    def action_export(self) -> None:
        self._save_takeaways()  # what was typed a moment ago is in the export
        self.gw.main.action_export_harvest()

    def on_screen_suspend(self) -> None:
        self._save_takeaways()

    def flush(self) -> None:
        """Write what is typed but not yet saved (the app is about to close)."""
        if self.is_mounted and self.store is not None:
            self._save_takeaways()

    def action_new_action(self) -> None:
        self._action_form(None)

    def action_edit_action(self) -> None:
        actions = self.query_one(ActionList)
        if actions.highlighted is not None:
            self._action_form(actions.get_option_at_index(actions.highlighted).id)

    def _action_form(self, action_id: str | None) -> None:
        from .prompt import FieldsScreen

        t = self.t
        current: dict[str, Any] = next(
            (a for a in self.store.meta.get("actions", []) if a["id"] == action_id), {})
        values = [current.get(k, "") for k in ("text", "owner", "review")]  # drawn safe

        def done(result: list[str] | None) -> None:
            if not result:
                return
            text, owner, review = result
            if action_id:
                ok = self.write(self.store.update_action, action_id, text=text, owner=owner,
                                review=review)
            else:
                ok = self.write(self.store.add_action, text, owner, review)
            if ok:
                self._fill_actions()

        self.app.push_screen(FieldsScreen(
            t("harvest.action_title"), t("fields.hint"),
            [t("harvest.action_text"), t("harvest.action_owner"), t("harvest.action_review")],
            values, need=t("fields.need")), done)

    def action_delete_action(self) -> None:
        actions = self.query_one(ActionList)
        if actions.highlighted is not None:
            action_id = actions.get_option_at_index(actions.highlighted).id
            if self.write(self.store.delete_action, action_id):
                self._fill_actions()
