"""The command palette (ctrl+p): every action by its name in the interface language.

Each entry is a catalog key (`cmd.<name>`, with `cmd.<name>.help`) and what it does.
The actions live where their keys are: the app (help, language, problems, reload),
the main screen (sessions, rounds, harvest, panes), and the reflection and authoring
controllers (no keys; reached from here).
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import TYPE_CHECKING, cast

from textual.binding import Binding, BindingsMap
from textual.command import DiscoveryHit, Hit, Hits, Provider

from .bindings import translated
from .textual_private import bindings_of, keymap_of

if TYPE_CHECKING:
    from .app import GoodWorkApp


def entries(app: GoodWorkApp) -> list[tuple[str, Callable[[], object]]]:
    """(catalog key, action) of every palette entry, in the order shown."""
    main = app.main
    found: list[tuple[str, Callable[[], object]]] = [
        ("search", app.action_search),
        ("language", app.action_switch_language),
        ("problems", app.action_problems),
        ("help", app.action_help),
        ("reload", app.action_reload),
        ("new_session", main.action_new_session),
        ("open_session", main.action_open_session),
        ("next_round", main.action_next_round),
        ("previous_round", main.action_previous_round),
        ("toggle_timer", main.action_toggle_timer),
        ("add_minute", main.action_add_minute),
        ("reorder_rounds", main.action_reorder_rounds),
        ("undo", main.action_undo),
        ("write_note", main.action_write_note),
        ("close_session", main.action_close_session),
        ("harvest", main.action_harvest),
        ("export_harvest", main.action_export_harvest),
        ("copy_harvest", main.action_copy_harvest),
        ("room_view", main.action_room_view),
        ("start_reflection", lambda: app.reflections.start()),
        ("my_reflections", lambda: app.reflections.choose()),
        ("new_situation", lambda: app.authoring.new_situation()),
        ("edit_situation", lambda: app.authoring.edit_situation()),
        ("new_collection", lambda: app.authoring.new_collection()),
        ("portraits_inbox", lambda: app.authoring.inbox()),
        ("archive_session", main.action_archive_session),
        ("next_situation", main.action_next_situation),
        ("sync", app.action_sync),
        # roomwire: the room (issue 17)
        ("room_open", partial(room_action, app, "open")),
        ("room_close", partial(room_action, app, "close")),
        ("room_moderation", partial(room_action, app, "moderation")),
        ("room_voting", partial(room_action, app, "voting")),
        ("room_dots", partial(room_action, app, "dots")),
        ("room_approve", partial(room_action, app, "approve")),
        ("room_edit", partial(room_action, app, "edit")),
        ("room_keep", partial(room_action, app, "room_only")),
        ("room_discard", partial(room_action, app, "discard")),
    ]
    found += [(f"pane.{pane}", partial(main.action_show_pane, pane))
              for pane in ("library", "reader", "session")]
    found += [
        ("reveal_next", partial(main.action_reveal, 1)),
        ("hide_last", partial(main.action_reveal, -1)),
        ("print_card", main.action_print_card),
    ]
    # seriesui: series, looking back, patterns across sessions
    found += [
        ("new_in_series", main.action_new_in_series),
        ("change_series", main.action_change_series),
        ("look_back", main.action_look_back),
        ("patterns", main.action_patterns),
        ("export_patterns", main.action_export_patterns),
    ]
    return found


def room_action(app: GoodWorkApp, what: str) -> None:
    """The room's palette entries: open, close, the session's room settings, the queue."""
    from .room_actions import run

    run(app, what)


class GoodWorkCommands(Provider):
    """The app's own entries, beside Textual's (theme, keys, quit ...)."""

    def _commands(self) -> list[tuple[str, str, Callable[[], object]]]:
        app = cast("GoodWorkApp", self.app)
        t = app.t
        return [(t(f"cmd.{key}"), t(f"cmd.{key}.help"), action)
                for key, action in entries(app)]

    async def discover(self) -> Hits:
        for name, help_text, action in sorted(self._commands(), key=lambda c: c[0]):
            yield DiscoveryHit(name, action, help=help_text)

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for name, help_text, action in self._commands():
            score = matcher.match(name)
            if score > 0:
                yield Hit(score, matcher.highlight(name), action, help=help_text)


def key_table(app: GoodWorkApp) -> list[tuple[str, str]]:
    """(keys, description) of every binding with an id, as remapped by the keymap."""
    from .widgets.note_input import NoteInput, NoteList  # (with the first session)

    rows: dict[str, str] = {}
    # the note keys from their classes: those widgets exist once a session is open
    maps = (bindings_of(app), bindings_of(app.main),
            BindingsMap(NoteInput.BINDINGS), BindingsMap(NoteList.BINDINGS))
    for bindings_map in maps:
        for bindings in bindings_map.key_to_bindings.values():
            for binding in (translated(b, app.t) for b in bindings):
                if not binding.id or binding.id in rows:
                    continue
                keys = keymap_of(app).get(binding.id, binding.key)
                shown = ", ".join(
                    app.get_key_display(Binding(k.strip(), "")) for k in keys.split(",")
                )
                rows[binding.id] = f"{shown}\t{binding.tooltip or binding.description}"
    table = [tuple(row.split("\t", 1)) for row in rows.values()]
    table.append(("ctrl+p", app.t("help.palette")))
    return table  # type: ignore[return-value]


def key_for(app: GoodWorkApp, binding_id: str, default: str = "ctrl+f") -> str:
    """How the key bound to `binding_id` is shown, after the user's keymap."""
    keys = keymap_of(app).get(binding_id)
    if keys is None:
        keys = next((b.key for b in app.BINDINGS if isinstance(b, Binding)
                     and b.id == binding_id), default)
    return app.get_key_display(Binding(keys.split(",")[0].strip(), ""))
