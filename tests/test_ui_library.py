"""The library browser, driven with Pilot: layout, tree, search, language, safety, panels."""

from __future__ import annotations

from pathlib import Path

from textual.command import CommandPalette
from textual.widgets import Input, Markdown, OptionList, Static, Tab, Tabs
from ui_helpers import (
    NARROW,
    WIDE,
    NotifySpy,
    border_titles,
    branches,
    displayed,
    footer_descriptions,
    leaf_ids,
    leaf_labels,
    leaves,
    library_list,
    make_app,
    press_down_to_first_leaf,
    reader_markdown,
    reader_meta,
    reader_title,
    ready,
    results,
    search_input,
    status,
    tree,
    wait_until,
)
from workspace_helpers import COLLECTION, situation_text, write

from goodwork_tui.core.config import Config
from goodwork_tui.ui.screens.confirm import ConfirmScreen
from goodwork_tui.ui.screens.help import HelpScreen
from goodwork_tui.ui.screens.problems import ProblemsScreen

STARTER_COLLECTIONS = [
    "begeleidingskunde", "grenswerk", "jeugdzorg", "leerbegeleiding", "ouderenzorg",
    "procesbegeleiding", "toezicht", "werkend-leren",
]


def _shown_titles(app, lang: str) -> set[str]:
    assert app.library is not None
    return {s.title for s in app.library.shown(lang)}


async def _palette_run(app, pilot, command: str, *, type_it: bool = False) -> None:
    """Open the command palette, enter `command`, wait for it to be offered, run it.

    Typing key by key costs about 0.1 s a key in the palette; only one test does it.
    """
    await pilot.press("ctrl+p")
    await wait_until(pilot, lambda: isinstance(app.screen, CommandPalette), "the palette")
    if type_it:
        await pilot.press(*command)
    else:
        app.screen.query_one(Input).value = command
    options = app.screen.query_one(OptionList)
    await wait_until(
        pilot,
        lambda: options.option_count and str(options.get_option_at_index(0).prompt)
        .startswith(command),
        f"palette entry {command!r}",
    )
    await pilot.press("enter")
    await wait_until(pilot, lambda: not isinstance(app.screen, CommandPalette),
                     "the palette to close")
    await pilot.pause()


# ---------------------------------------------------------------- 1. start-up


async def test_start_up_wide_shows_three_panes_the_tree_and_focuses_search(workspace_dir):
    app = make_app(workspace_dir)
    async with app.run_test(size=WIDE) as pilot:
        await ready(app, pilot)
        assert displayed(app) == {"library": True, "reader": True, "session": True}
        assert not [tabs for tabs in app.main.query(Tabs) if tabs.display]  # none, or hidden
        regions = [app.main.query_one(f"#{pane}").region for pane in ("library", "reader",
                                                                     "session")]
        # side by side: same row, left to right, not overlapping
        assert len({r.y for r in regions}) == 1
        assert regions[0].right <= regions[1].x and regions[1].right <= regions[2].x

        assert [b.data for b in branches(app)] == STARTER_COLLECTIONS
        assert len(leaves(app)) == 74
        for branch in branches(app):
            assert len(branch.children) >= 8
            # the count in front of the title
            assert str(branch.label).split()[0] == str(len(branch.children))
            assert all(leaf.data.startswith(branch.data) for leaf in branch.children)
        assert set(leaf_labels(app)) == _shown_titles(app, "en")
        assert all(app.library.situation(i).lang == "en" for i in leaf_ids(app))
        assert status(app) == "74 situations"
        assert app.focused is search_input(app)


async def test_start_up_in_dutch_has_dutch_labels(workspace_dir):
    app = make_app(workspace_dir, lang="nl")
    async with app.run_test(size=WIDE) as pilot:
        await ready(app, pilot)
        assert border_titles(app) == ["Bibliotheek", "Situatie", "Sessie"]
        keys = footer_descriptions(app)
        assert keys["f1"] == "Hulp" and keys["f6"] == "Taal" and keys["f2"] == "Bibliotheek"
        assert search_input(app).placeholder.startswith("Zoek situaties")
        # the pane tabs of a narrow screen, mounted when it becomes narrow
        await pilot.resize_terminal(*NARROW)
        await pilot.pause()
        assert [str(tab.label) for tab in app.main.query(Tab)] == [
            "Bibliotheek", "Situatie", "Sessie"]
        assert status(app) == "74 situaties"
        assert reader_title(app) == "Kies links een situatie om haar hier te lezen."
        assert set(leaf_labels(app)) == _shown_titles(app, "nl")
        assert all(app.library.situation(i).lang == "nl" for i in leaf_ids(app))


# ---------------------------------------------------------------- 2. keyboard navigation


async def test_keyboard_navigation_opens_a_situation_in_the_reader(workspace_dir):
    app = make_app(workspace_dir)
    async with app.run_test(size=WIDE) as pilot:
        await ready(app, pilot)
        first_branch = branches(app)[0]
        leaf = await press_down_to_first_leaf(app, pilot)
        assert leaf is first_branch.children[0]
        assert app.focused is tree(app)
        await pilot.press("enter")
        await pilot.pause()
        situation = app.library.situation(leaf.data)
        assert situation is not None and situation.lang == "en"
        assert app.current_id == situation.id
        assert reader_title(app) == situation.title
        assert reader_markdown(app).source == situation.body
        assert app.focused is app.main.query_one("#reader")

        # back to the tree and one further down: the reader follows the highlight
        await pilot.press("f2", "down")
        await pilot.pause()
        second = app.library.situation(first_branch.children[1].data)
        assert tree(app).cursor_node is first_branch.children[1]
        assert reader_title(app) == second.title
        assert reader_markdown(app).source == second.body


# ---------------------------------------------------------------- 3. search


async def test_search_as_you_type_narrows_and_clearing_restores(workspace_dir):
    app = make_app(workspace_dir, lang="nl")
    async with app.run_test(size=WIDE) as pilot:
        await ready(app, pilot)
        counts = []
        for letter in "molens":
            await pilot.press(letter)
            counts.append(len(leaves(app)))
        assert search_input(app).value == "molens"
        assert counts == sorted(counts, reverse=True) and counts[-1] < counts[0]
        # `grep -il molens library/*/*-nl.md`: exactly these two stories
        assert leaf_ids(app) == {"procesbegeleiding-buurdorp-nl", "procesbegeleiding-tempo-nl"}
        assert [b.data for b in branches(app)] == ["procesbegeleiding"]  # empty ones hidden
        assert status(app) == "2 situaties"

        await pilot.press(*"xyzzy")
        assert leaves(app) == [] and branches(app) == []
        assert status(app) == "Geen situatie past bij deze zoekvraag."

        await pilot.press("backspace")
        assert len(leaves(app)) == 0
        await pilot.press("ctrl+u")  # clear the field
        assert search_input(app).value == ""
        assert len(leaves(app)) == 74 and len(branches(app)) == 8
        assert status(app) == "74 situaties"


async def test_search_in_english_enter_goes_to_the_first_match_and_no_match(workspace_dir):
    app = make_app(workspace_dir)
    async with app.run_test(size=WIDE) as pilot:
        await ready(app, pilot)
        await pilot.press(*"listeria")
        assert leaf_ids(app) == {"ouderenzorg-aardappels-schillen-en",
                                 "toezicht-partner-in-de-keten-en"}
        assert app.current_id is None  # typing alone opens nothing

        await pilot.press("enter")
        await pilot.pause()
        assert app.focused is library_list(app) is results(app)
        first = leaves(app)[0]
        assert results(app).situation_id == first.data
        assert app.current_id == first.data
        assert reader_title(app) == app.library.situation(first.data).title

        await pilot.press("ctrl+f", *" zzz")
        assert search_input(app).value == "listeria zzz"
        assert leaves(app) == []
        assert status(app) == "No situation matches this search."
        search_input(app).clear()
        await pilot.pause()
        assert len(leaves(app)) == 74 and status(app) == "74 situations"


async def test_search_is_accent_insensitive(small_library):
    lib = small_library / "library"
    write(lib / "c" / "c-accent-nl.md", situation_text(
        id="c-accent-nl", title="Invloed", story="Je wilt het besluit beïnvloeden."))
    write(lib / "c" / "c-plain-nl.md", situation_text(
        id="c-plain-nl", title="Zonder", story="Hier staat niets bijzonders."))
    app = make_app(small_library)
    async with app.run_test(size=WIDE) as pilot:
        await ready(app, pilot)
        assert leaf_ids(app) == {"c-one-en", "c-accent-nl", "c-plain-nl"}
        await pilot.press(*"beinvloeden")
        assert leaf_ids(app) == {"c-accent-nl"}
        search_input(app).value = "BEÏNVLOEDEN"
        await pilot.pause()
        assert leaf_ids(app) == {"c-accent-nl"}
        search_input(app).value = ""
        await pilot.pause()
        assert leaf_ids(app) == {"c-one-en", "c-accent-nl", "c-plain-nl"}


# ---------------------------------------------------------------- 4. language


async def test_f6_switches_language_translates_labels_reader_tree_and_saves(workspace_dir):
    app = make_app(workspace_dir)
    async with app.run_test(size=WIDE) as pilot:
        await ready(app, pilot)
        assert border_titles(app) == ["Library", "Situation", "Session"]
        assert footer_descriptions(app)["f6"] == "Language"
        leaf = await press_down_to_first_leaf(app, pilot)  # the reader follows the cursor
        await pilot.pause()
        assert app.current_id == leaf.data
        english = app.library.situation(app.current_id)
        assert english.lang == "en"

        await pilot.press("f6")
        await pilot.pause()
        assert app.lang == "nl"
        assert border_titles(app) == ["Bibliotheek", "Situatie", "Sessie"]
        # the footer is built again once the app is idle: waited for
        await wait_until(pilot, lambda: footer_descriptions(app).get("f6") == "Taal",
                         "the footer in Dutch")
        keys = footer_descriptions(app)
        assert keys["f6"] == "Taal" and keys["f1"] == "Hulp" and keys["ctrl+f"] == "Zoeken"
        dutch = app.library.situation(english.translations["nl"])
        assert app.current_id == dutch.id
        assert reader_title(app) == dutch.title != english.title
        assert reader_markdown(app).source == dutch.body
        assert set(leaf_labels(app)) == _shown_titles(app, "nl")
        assert english.title not in leaf_labels(app)
        assert status(app) == "74 situaties"
        assert Config.load().lang == "nl"

        await pilot.press("f6")
        await pilot.pause()
        assert app.lang == "en"
        assert border_titles(app) == ["Library", "Situation", "Session"]
        assert reader_title(app) == english.title
        assert Config.load().lang == "en"


async def test_command_palette_switches_language(workspace_dir):
    app = make_app(workspace_dir)
    async with app.run_test(size=WIDE) as pilot:
        await ready(app, pilot)
        await _palette_run(app, pilot, "Switch language")
        assert app.lang == "nl"
        assert border_titles(app) == ["Bibliotheek", "Situatie", "Sessie"]
        await wait_until(pilot, lambda: footer_descriptions(app).get("f6") == "Taal",
                         "the footer in Dutch")  # built again once the app is idle
        assert set(leaf_labels(app)) == _shown_titles(app, "nl")
        assert Config.load().lang == "nl"
        # the palette now speaks Dutch too
        await _palette_run(app, pilot, "Taal wisselen")
        assert app.lang == "en" and Config.load().lang == "en"


async def test_language_switch_keeps_the_tree_cursor_on_the_translation(workspace_dir):
    app = make_app(workspace_dir)
    async with app.run_test(size=WIDE) as pilot:
        await ready(app, pilot)
        leaf = await press_down_to_first_leaf(app, pilot)
        english = app.library.situation(leaf.data)
        dutch_id = english.translations["nl"]
        await pilot.press("f6")
        await pilot.pause()
        assert app.current_id == dutch_id  # the reader does switch to the translation
        await pilot.press("enter")  # Enter on the tree opens what the cursor is on
        await pilot.pause()
        assert app.current_id == dutch_id
        node = tree(app).cursor_node
        assert node is not None and node.data == dutch_id


# ---------------------------------------------------------------- 5. narrow layout


async def test_narrow_layout_shows_one_pane_at_a_time(workspace_dir):
    app = make_app(workspace_dir)
    async with app.run_test(size=NARROW) as pilot:
        await ready(app, pilot)
        tabs = app.main.query_one("#pane-tabs", Tabs)
        assert tabs.display and tabs.region.height > 0
        assert displayed(app) == {"library": True, "reader": False, "session": False}
        assert app.main.query_one("#library").region.width == NARROW[0]
        assert [str(tab.label) for tab in tabs.query(Tab)] == ["Library", "Situation", "Session"]

        for key, pane in (("f3", "reader"), ("f4", "session"), ("f2", "library")):
            await pilot.press(key)
            await pilot.pause()
            assert displayed(app) == {p: p == pane for p in ("library", "reader", "session")}
            assert tabs.active == f"tab-{pane}"
            assert app.focused is not None
            assert app.main.query_one(f"#{pane}") in (app.focused, *app.focused.ancestors)

        leaf = await press_down_to_first_leaf(app, pilot)
        await pilot.press("enter")
        await pilot.pause()
        assert displayed(app) == {"library": False, "reader": True, "session": False}
        assert reader_title(app) == app.library.situation(leaf.data).title

        await pilot.press("escape")
        await pilot.pause()
        assert displayed(app) == {"library": True, "reader": False, "session": False}
        assert app.focused is tree(app)

        # the tabs switch panes too
        await pilot.click("#tab-session")
        await pilot.pause()
        assert displayed(app) == {"library": False, "reader": False, "session": True}
        await pilot.click("#tab-library")
        await pilot.pause()
        assert displayed(app) == {"library": True, "reader": False, "session": False}

        # ctrl+f from another pane brings the library back with the search focused
        await pilot.press("f4", "ctrl+f")
        await pilot.pause()
        assert displayed(app)["library"] and not displayed(app)["session"]
        assert app.focused is search_input(app)


async def test_resizing_switches_between_wide_and_narrow(workspace_dir):
    app = make_app(workspace_dir)
    async with app.run_test(size=WIDE) as pilot:
        await ready(app, pilot)
        assert all(displayed(app).values())
        await pilot.resize_terminal(*NARROW)
        await pilot.pause()
        assert displayed(app) == {"library": True, "reader": False, "session": False}
        assert app.main.query_one("#pane-tabs", Tabs).display
        # the tree's lines are drawn again at the new width
        library_tree = tree(app)
        first = library_tree.render_line(0)
        assert first.cell_length == library_tree.size.width > 60
        assert str(branches(app)[0].label).split(maxsplit=1)[1] in first.text
        await pilot.resize_terminal(*WIDE)
        await pilot.pause()
        assert all(displayed(app).values())
        assert not app.main.query_one("#pane-tabs", Tabs).display
        # the pane chosen while wide is the one shown, and its tab marked, when narrow
        await pilot.press("f4")
        await pilot.resize_terminal(*NARROW)
        await pilot.pause()
        assert displayed(app) == {"library": False, "reader": False, "session": True}
        assert app.main.query_one("#pane-tabs", Tabs).active == "tab-session"
        await pilot.click("#tab-reader")
        await pilot.pause()
        assert displayed(app) == {"library": False, "reader": True, "session": False}


async def test_a_start_on_a_wide_screen_gets_its_pane_tabs_when_it_narrows(workspace_dir):
    app = make_app(workspace_dir)
    async with app.run_test(size=WIDE) as pilot:
        await ready(app, pilot)
        assert not app.main.query(Tabs)  # not built while not needed
        await pilot.press("f3")
        await pilot.resize_terminal(*NARROW)
        await pilot.pause()
        tabs = app.main.query_one("#pane-tabs", Tabs)
        assert tabs.display and tabs.region.height > 0 and tabs.active == "tab-reader"
        assert [str(tab.label) for tab in tabs.query(Tab)] == ["Library", "Situation", "Session"]
        assert displayed(app) == {"library": False, "reader": True, "session": False}


# ---------------------------------------------------------------- 6. markup safety

HOSTILE_BODY = """## Situation

Text with [b] and [/] and [link=file:///etc/passwd]x[/link] and a[/b] c.

## Dimensions

### [b]odd[/]
Text.
"""


def _hostile_workspace(root: Path) -> Path:
    lib = root / "library"
    write(lib / "tags.yaml", 'odd: {nl: "[b]", en: "[/] [link=file:///etc/passwd]x[/link]"}\n'
                             "trust: {nl: vertrouwen, en: trust}\n")
    write(lib / "c" / "_collection.md", COLLECTION.format(id="c", title='"[/]"'))
    write(lib / "c" / "c-bold-en.md", '---\nid: c-bold-en\ntitle: "[bold]x[/]"\ncollection: c\n'
                                      'lang: en\ntags: [odd, "[/]"]\n---\n\n' + HOSTILE_BODY)
    write(lib / "c" / "c-click-en.md", '---\nid: c-click-en\ntitle: "[@click=app.quit]q[/]"\n'
                                       "collection: c\nlang: en\ntags: [trust]\n---\n\n"
                                       "## Situation\n\nClick the title.\n")
    write(lib / "c" / "c-slash-en.md", '---\nid: c-slash-en\ntitle: "a[/b] c"\ncollection: c\n'
                                       "lang: en\n---\n\n## Situation\n\nText.\n")
    (root / "sessions").mkdir(parents=True, exist_ok=True)
    return root


async def test_markup_in_library_text_is_shown_literally_and_never_acts(tmp_path):
    root = _hostile_workspace(tmp_path / "ws")
    app = make_app(root)
    async with app.run_test(size=WIDE) as pilot:
        await ready(app, pilot)
        assert app.is_running
        [branch] = branches(app)
        assert str(branch.label) == " 3 [/]"
        assert set(leaf_labels(app)) == {"[bold]x[/]", "[@click=app.quit]q[/]", "a[/b] c"}
        assert "2 library problems" in status(app)

        for situation_id in ("c-bold-en", "c-slash-en", "c-click-en"):
            app.open_situation(situation_id)
            await pilot.pause()
            assert reader_title(app) == app.library.situation(situation_id).title
        # the click title is open now; click exactly where its first character is drawn
        title = app.main.query_one("#situation-title")
        assert title.region.width > 0
        await pilot.click("#situation-title", offset=(0, 1))
        await pilot.pause()
        assert app.is_running and app.return_code is None

        app.open_situation("c-bold-en")
        await pilot.pause()
        assert reader_title(app) == "[bold]x[/]"
        meta = reader_meta(app)
        assert meta.startswith("[/]  ·  ")
        assert "[/] [link=file:///etc/passwd]x[/link]" in meta
        assert "[link=file:///etc/passwd]x[/link]" in reader_markdown(app).source

        await pilot.press("f7")
        await pilot.pause()
        assert isinstance(app.screen, ProblemsScreen)
        prompts = [str(o.prompt) for o in app.screen.query_one(OptionList).options]
        assert "library/c/c-bold-en.md:6: unknown tag '[/]' (see tags.yaml)" in prompts
        assert any("'[b]odd[/]'" in p for p in prompts)
        await pilot.press("escape")
        await pilot.pause()
        assert app.is_running and app.return_code is None


# ---------------------------------------------------------------- 7. problems panel

BROKEN = "library/toezicht/toezicht-kapot-nl.md"


async def test_problems_are_counted_listed_and_the_rest_of_the_library_works(workspace_dir,
                                                                            monkeypatch):
    write(workspace_dir / BROKEN, situation_text(id="Bad Id!", collection="toezicht"))
    app = make_app(workspace_dir)
    spy = NotifySpy(app)
    monkeypatch.setattr(app, "notify", spy)
    async with app.run_test(size=WIDE) as pilot:
        await ready(app, pilot)
        assert status(app) == "74 situations  ·  1 library problem (F7)"
        assert "The library has 1 problem; F7 shows it." in spy.messages
        assert len(leaves(app)) == 74 and len(branches(app)) == 8
        expected = f"{BROKEN}:2: field 'id' is not valid: 'Bad Id!' (use a-z, 0-9 and -)"

        await pilot.press("f7")
        await pilot.pause()
        assert isinstance(app.screen, ProblemsScreen)
        prompts = [str(o.prompt) for o in app.screen.query_one(OptionList).options]
        assert prompts == [expected]
        await pilot.press("escape")
        await pilot.pause()
        assert not isinstance(app.screen, ProblemsScreen)

        await _palette_run(app, pilot, "Show library problems")
        assert isinstance(app.screen, ProblemsScreen)
        assert [str(o.prompt) for o in app.screen.query_one(OptionList).options] == [expected]
        await pilot.press("escape")
        await pilot.pause()
        assert app.screen is app.main
        assert len(leaves(app)) == 74


# ---------------------------------------------------------------- 8. help and keymap


def _help_source(app) -> str:
    assert isinstance(app.screen, HelpScreen)
    return app.screen.query_one(Markdown).source


def _help_row(source: str, action: str) -> str:
    rows = [row for row in source.splitlines() if row.startswith("|") and action in row]
    assert len(rows) == 1, rows
    return rows[0]


async def test_f1_opens_help_listing_the_keys_and_f7_says_there_are_no_problems(
        workspace_dir):
    app = make_app(workspace_dir)
    async with app.run_test(size=WIDE) as pilot:
        await ready(app, pilot)
        await pilot.press("f1")
        await pilot.pause()
        source = _help_source(app)
        assert "f6" in _help_row(source, "Switch between Dutch and English").lower()
        search_row = _help_row(source, "Search the library")
        assert "^f" in search_row or "ctrl+f" in search_row
        assert "Search" in source and "ctrl+p" in source
        await pilot.press("escape")
        await pilot.pause()
        assert app.screen is app.main

        # the starter library is clean: the problems panel says so
        assert "problems" not in status(app)
        await pilot.press("f7")
        await pilot.pause()
        assert isinstance(app.screen, ProblemsScreen)
        assert not app.screen.query(OptionList)
        assert "The library has no problems." in [
            str(s.render()) for s in app.screen.query("Static")
        ]


async def test_keymap_in_config_remaps_search(workspace_dir, isolated_settings):
    write(isolated_settings / "config.toml", '[keymap]\nsearch = "ctrl+k"\n')
    app = make_app(workspace_dir)
    async with app.run_test(size=WIDE) as pilot:
        await ready(app, pilot)
        await pilot.press("down")
        assert app.focused is tree(app)
        await pilot.press("ctrl+f")  # the old key no longer searches
        await pilot.pause()
        assert app.focused is tree(app)
        await pilot.press("ctrl+k")
        await pilot.pause()
        assert app.focused is search_input(app)
        # the footer (seen from the tree: in the input ctrl+k is also Input's own key)
        await pilot.press("down")
        assert app.focused is tree(app)
        # the footer is built again for the tree's keys once the app is idle: waited for
        await wait_until(pilot, lambda: footer_descriptions(app).get("ctrl+k") == "Search",
                         "the footer to show the tree's keys")
        keys = footer_descriptions(app)
        assert keys.get("ctrl+k") == "Search" and "ctrl+f" not in keys

        await pilot.press("f1")
        await pilot.pause()
        row = _help_row(_help_source(app), "Search the library")
        assert "^k" in row or "ctrl+k" in row
        assert "^f" not in row and "ctrl+f" not in row


async def test_search_placeholder_names_the_remapped_key(workspace_dir, isolated_settings):
    write(isolated_settings / "config.toml", '[keymap]\nsearch = "ctrl+k"\n')
    app = make_app(workspace_dir)
    async with app.run_test(size=WIDE) as pilot:
        await ready(app, pilot)
        assert "ctrl+f" not in search_input(app).placeholder


# ---------------------------------------------------------------- 9. command palette


async def test_command_palette_offers_the_app_commands_and_runs_search(workspace_dir):
    app = make_app(workspace_dir)
    async with app.run_test(size=WIDE) as pilot:
        await ready(app, pilot)
        await press_down_to_first_leaf(app, pilot)
        assert app.focused is tree(app)

        await pilot.press("ctrl+p")
        await wait_until(pilot, lambda: isinstance(app.screen, CommandPalette), "the palette")
        options = app.screen.query_one(OptionList)
        await wait_until(pilot, lambda: options.option_count > 5, "the palette's commands")
        titles = {str(o.prompt).split("\n")[0] for o in options.options}
        assert {"Search library", "Switch language", "Show library problems", "Show help",
                "Reload library"} <= titles
        await pilot.press("escape")
        await pilot.pause()
        assert app.screen is app.main and app.focused is tree(app)

        await _palette_run(app, pilot, "Search library", type_it=True)
        assert app.focused is search_input(app)
        assert isinstance(app.focused, Input)


# ---------------------------------------------------------------- 10. links

LINKS_BODY = """## Situation

[site](https://example.org) is far away.

[rel](../../etc/passwd) is relative.

[x](file:///etc/passwd) is local.
"""


async def test_links_are_refused_or_confirmed_before_opening(small_library, monkeypatch):
    write(small_library / "library" / "c" / "c-links-nl.md",
          situation_text(id="c-links-nl", title="Links").split("## Situatie")[0] + LINKS_BODY)
    app = make_app(small_library)
    opened: list[str] = []
    monkeypatch.setattr(app, "open_url", lambda url, **_: opened.append(url))
    spy = NotifySpy(app)
    monkeypatch.setattr(app, "notify", spy)
    async with app.run_test(size=WIDE) as pilot:
        await ready(app, pilot)
        app.open_situation("c-links-nl")
        await pilot.pause()
        markdown = reader_markdown(app)
        assert markdown.source == app.library.situation("c-links-nl").body
        assert LINKS_BODY.strip() in markdown.source

        # a file: link, as if clicked: refused with a notice, never opened, no question
        markdown.post_message(Markdown.LinkClicked(markdown, "file:///etc/passwd"))
        await pilot.pause()
        assert spy.messages[-1] == "This link is not opened: file:///etc/passwd"
        assert spy.calls[-1][1].get("severity") == "warning"
        assert app.screen is app.main and opened == []

        paragraphs = list(markdown.query("MarkdownParagraph"))
        assert len(paragraphs) == 3
        # a real click on the relative link: refused the same way
        await pilot.click(paragraphs[1], offset=(0, 0))
        await pilot.pause()
        assert spy.messages[-1] == "This link is not opened: ../../etc/passwd"
        assert app.screen is app.main and opened == []
        # markdown-it does not even make a link of file:, so clicking it does nothing
        notices = len(spy.calls)
        await pilot.click(paragraphs[2], offset=(0, 0))
        await pilot.pause()
        assert app.screen is app.main and opened == [] and len(spy.calls) == notices
        # markup in a refused link target is shown as it is
        markdown.post_message(Markdown.LinkClicked(markdown, "[/][@click=app.quit]x[/]"))
        await pilot.pause()
        assert app.is_running and app.return_code is None
        assert spy.messages[-1] == "This link is not opened: [/][@click=app.quit]x[/]"
        assert spy.calls[-1][1].get("markup") is False

        # https: a question first; Cancel (and Escape) open nothing
        await pilot.click(paragraphs[0], offset=(0, 0))
        await pilot.pause()
        assert isinstance(app.screen, ConfirmScreen)
        assert app.screen.query_one("#confirm-detail").render().plain == "https://example.org"
        assert opened == []
        await pilot.click("#no")
        await pilot.pause()
        assert app.screen is app.main and opened == []

        await pilot.click(paragraphs[0], offset=(0, 0))
        await pilot.pause()
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.press("escape")
        await pilot.pause()
        assert app.screen is app.main and opened == []

        await pilot.click(paragraphs[0], offset=(0, 0))
        await pilot.pause()
        await pilot.click("#yes")
        await pilot.pause()
        assert app.screen is app.main
        assert opened == ["https://example.org"]


# ---------------------------------------------------------------- 11. theme


async def test_theme_change_is_saved_and_used_at_the_next_start(workspace_dir):
    app = make_app(workspace_dir)
    async with app.run_test(size=WIDE) as pilot:
        await ready(app, pilot)
        other = next(name for name in ("nord", "gruvbox", "dracula")
                     if name in app.available_themes and name != app.theme)
        assert Config.load().theme != other
        app.theme = other
        await pilot.pause()
        assert Config.load().theme == other

    again = make_app(workspace_dir)
    async with again.run_test(size=WIDE) as pilot:
        await ready(again, pilot)
        assert again.theme == other


# ---------------------------------------------------------------- search results list


def _result_lines(app) -> list[str]:
    """The lines the results list draws now, as text."""
    listing = results(app)
    return [listing.render_line(y).text.rstrip() for y in range(listing.size.height)]


async def test_results_are_walked_with_the_keys_and_up_returns_to_the_search(workspace_dir):
    app = make_app(workspace_dir)
    async with app.run_test(size=WIDE) as pilot:
        await ready(app, pilot)
        await pilot.press(*"daughter")
        await pilot.pause()
        matches = [leaf.data for leaf in leaves(app)]
        assert len(matches) > 5 and library_list(app) is results(app)
        assert not tree(app).display
        assert app.current_id is None  # typing alone opens nothing

        await pilot.press("down")
        await pilot.pause()
        assert app.focused is results(app)
        assert results(app).situation_id == matches[0] == app.current_id
        await pilot.press("down", "down")
        await pilot.pause()
        assert app.current_id == matches[2]  # the reader follows the cursor
        await pilot.press("end")
        await pilot.pause()
        assert app.current_id == matches[-1]
        await pilot.press("home")
        await pilot.pause()
        assert app.current_id == matches[0]
        await pilot.press("pagedown")  # every match fits on the screen: the last one
        await pilot.pause()
        assert app.current_id == matches[-1]
        await pilot.press("pageup")
        await pilot.pause()
        assert app.current_id == matches[0]
        await pilot.press("up")  # above the first match: back to typing
        await pilot.pause()
        assert app.focused is search_input(app)
        await pilot.press("s")
        assert search_input(app).value == "daughters"


async def test_a_chosen_result_stays_chosen_when_the_search_is_cleared(workspace_dir):
    app = make_app(workspace_dir)
    async with app.run_test(size=WIDE) as pilot:
        await ready(app, pilot)
        await pilot.press(*"potato")
        await pilot.pause()
        [found] = [leaf.data for leaf in leaves(app)]
        await pilot.press("enter")  # the first match, then Enter opens it to read
        await pilot.pause()
        await pilot.press("enter")
        await pilot.pause()
        assert app.current_id == found
        assert app.focused is app.main.query_one("#reader")
        # heading lines are not situations: the list shows one heading and the match
        assert _result_lines(app)[1].strip() == app.library.situation(found).title

        await pilot.press("ctrl+f")
        search_input(app).clear()
        await pilot.pause()
        await pilot.pause()
        assert tree(app).display and not results(app).display
        assert len(leaves(app)) == 74
        assert tree(app).cursor_node is not None and tree(app).cursor_node.data == found
        assert app.current_id == found


async def test_a_click_on_a_result_opens_it(workspace_dir):
    app = make_app(workspace_dir)
    async with app.run_test(size=WIDE) as pilot:
        await ready(app, pilot)
        await pilot.press(*"daughter")
        await pilot.pause()
        second = leaves(app)[1].data
        # line 0 is the collection heading, 1 the first match, 2 the second
        await pilot.click(results(app), offset=(4, 2))
        await pilot.pause()
        assert app.current_id == second
        assert reader_title(app) == app.library.situation(second).title
        await pilot.click(results(app), offset=(4, 0))  # a heading: nothing happens
        await pilot.pause()
        assert app.current_id == second


async def test_a_big_library_is_searched_through_its_word_index(workspace_dir, monkeypatch):
    from goodwork_tui.ui.widgets import library_pane

    monkeypatch.setattr(library_pane, "WORD_INDEX_FROM", 1)
    app = make_app(workspace_dir, lang="nl")
    async with app.run_test(size=WIDE) as pilot:
        await ready(app, pilot)
        pane = app.main.query_one(library_pane.LibraryPane)
        await wait_until(pilot, lambda: pane._words is not None, "the word index")
        for query in ("dochter", "ver", "zeggen hier", "e-mail", "beïnvloeden", "xyzzy"):
            search_input(app).value = query
            await pilot.pause()
            expected = app.index.matches(query, pane._all)  # a plain scan
            assert [leaf.data for leaf in leaves(app)] == [s.id for s in expected], query


async def test_markup_in_titles_is_shown_literally_in_the_results(tmp_path):
    root = _hostile_workspace(tmp_path / "ws")
    app = make_app(root)
    async with app.run_test(size=WIDE) as pilot:
        await ready(app, pilot)
        await pilot.press(*"[")
        await pilot.pause()
        lines = _result_lines(app)
        assert lines[0].split() == ["3", "[/]"]
        assert {line.strip() for line in lines[1:4]} == {
            "[bold]x[/]", "[@click=app.quit]q[/]", "a[/b] c"}
        await pilot.click(results(app), offset=(4, 1))
        await pilot.click(results(app), offset=(4, 2))
        await pilot.click(results(app), offset=(4, 3))
        await pilot.pause()
        assert app.is_running


# ---------------------------------------------------------------- a big library's outline


async def test_a_big_library_shows_its_outline_first_and_a_search_waits_for_it(
        workspace_dir, monkeypatch):
    import threading

    from goodwork_tui.core import library_cache
    from goodwork_tui.ui import startup as app_module

    first = make_app(workspace_dir)
    async with first.run_test(size=WIDE) as pilot:  # reads the library: writes the outline
        await ready(first, pilot)
    monkeypatch.setattr(app_module, "OUTLINE_FROM", 1)  # the starter library counts as big
    release = threading.Event()
    load = library_cache.load

    def slow_load(root, progress=None):
        release.wait(10)
        return load(root, progress=progress)

    monkeypatch.setattr(app_module.library_cache, "load", slow_load)
    app = make_app(workspace_dir)
    async with app.run_test(size=WIDE) as pilot:
        await pilot.pause()
        assert app.library is None
        assert [b.data for b in branches(app)] == STARTER_COLLECTIONS
        assert [str(b.label) for b in branches(app)][0].split()[0] == "8"
        assert status(app) == "74 situations"
        await pilot.press(*"listeria")  # typed before the library is in: kept
        await pilot.press("enter", "down")
        assert search_input(app).value == "listeria"
        release.set()
        await ready(app, pilot)
        await pilot.pause()
        assert app.library is not None
        assert leaf_ids(app) == {"ouderenzorg-aardappels-schillen-en",
                                 "toezicht-partner-in-de-keten-en"}
        assert app.focused is not tree(app)  # never a hidden widget


async def test_switching_language_or_reloading_while_searching_keeps_the_search(
        workspace_dir):
    app = make_app(workspace_dir)
    async with app.run_test(size=WIDE) as pilot:
        await ready(app, pilot)
        await pilot.press(*"daughter", "down")
        await pilot.pause()
        chosen = app.current_id
        assert chosen == leaves(app)[0].data and app.focused is results(app)

        await pilot.press("f6")  # Dutch: the same query, matched in the Dutch texts
        await ready(app, pilot)
        assert search_input(app).value == "daughter"
        assert results(app).display and all(
            app.library.situation(leaf.data).lang == "nl" for leaf in leaves(app))

        search_input(app).value = "dochter"
        await pilot.pause()
        assert {leaf.data for leaf in leaves(app)} >= {"ouderenzorg-klagende-dochter-nl"}

        await pilot.press("f5")  # read the library again, still searching
        await ready(app, pilot)
        await pilot.pause()
        assert app.is_running and results(app).display
        assert {leaf.data for leaf in leaves(app)} >= {"ouderenzorg-klagende-dochter-nl"}
        search_input(app).clear()
        await pilot.pause()
        assert tree(app).display and len(leaves(app)) == 74
        assert app.focused is not results(app)  # never a hidden widget


async def test_paging_through_more_matches_than_fit_keeps_the_cursor_in_view(workspace_dir):
    app = make_app(workspace_dir)
    async with app.run_test(size=NARROW) as pilot:
        await ready(app, pilot)
        await pilot.press("e", "down")  # nearly every situation holds an "e"
        await pilot.pause()
        listing = results(app)
        assert len(listing.rows) > listing.size.height  # more lines than fit

        def cursor_in_view() -> bool:
            top = round(listing.scroll_offset.y)
            return top <= listing.cursor < top + listing.size.height

        first = listing.cursor
        await pilot.press("pagedown")
        await pilot.pause()
        assert listing.cursor > first + 3 and cursor_in_view()
        assert listing.rows[listing.cursor][0]  # a situation, never a heading
        await pilot.press("end")
        await pilot.pause()
        assert listing.situation_id == leaves(app)[-1].data and cursor_in_view()
        await pilot.press(*["pageup"] * 12)  # more than enough pages back to the top
        await pilot.pause()
        assert listing.cursor == first and cursor_in_view()


async def test_a_huge_situation_is_shown_as_plain_text_and_the_next_as_markdown(workspace_dir):
    story = "\n\n".join(f"Paragraph {n}: **not bold** here, [b]no markup[/b]." for n in range(600))
    write(workspace_dir / "library" / "grenswerk" / "zz-huge-en.md",
          situation_text(id="zz-huge-en", title="Huge", collection="grenswerk", lang="en",
                         story=story))
    app = make_app(workspace_dir)
    async with app.run_test(size=WIDE) as pilot:
        await ready(app, pilot)
        small = next(i for i in leaf_ids(app) if i != "zz-huge-en")
        for situation_id, huge in (("zz-huge-en", True), (small, False), ("zz-huge-en", True)):
            app.open_situation(situation_id)
            await pilot.pause()
            assert reader_title(app) == app.library.situation(situation_id).title
            fallback = app.main.query("#situation-plain")
            markdown = app.main.query("#situation-body")
            if huge:
                shown = fallback.first(Static)
                assert shown.display and "Paragraph 599: **not bold** here, [b]no markup[/b]." \
                    in str(shown.render())
                assert not any(widget.display for widget in markdown)
            else:
                assert reader_markdown(app).display
                assert not any(widget.display for widget in fallback)


async def test_the_pane_holding_the_focus_has_the_accent_border(workspace_dir):
    app = make_app(workspace_dir)
    async with app.run_test(size=WIDE) as pilot:
        await ready(app, pilot)
        accent = app.theme_variables["accent"]

        def accented() -> list[str]:
            return [pane for pane in ("library", "reader", "session")
                    if app.main.query_one(f"#{pane}").styles.border_top[1].hex.upper()
                    == accent.upper()]

        assert app.focused is search_input(app) and accented() == ["library"]
        await pilot.press("down")  # into the tree: still the library pane
        await pilot.pause()
        assert app.focused is tree(app) and accented() == ["library"]
        for key, pane in (("f3", "reader"), ("f4", "session"), ("f2", "library")):
            await pilot.press(key)
            await pilot.pause()
            assert accented() == [pane], key
        await pilot.press("f1")  # a dialog over the main screen leaves its border as it was
        await pilot.pause()
        assert accented() == ["library"]


async def _burst(app, pilot, *keys: str) -> None:  # type: ignore[no-untyped-def]
    """Keys arriving in one read from the terminal, as a fast typist or a paste makes
    them: all queued before the app handles the first."""
    from textual import events

    for key in keys:
        app.post_message(events.Key(key, None))
    await pilot.pause()
    await pilot.pause()


async def test_keys_typed_in_one_burst_go_where_the_focus_moved(workspace_dir):
    app = make_app(workspace_dir)
    async with app.run_test(size=NARROW) as pilot:
        await ready(app, pilot)
        await pilot.press(*"trust")
        await pilot.pause()
        first = results(app).situation_ids()[0]
        await _burst(app, pilot, "down", "enter")  # into the matches, open the first
        assert app.current_id == first
        assert displayed(app) == {"library": False, "reader": True, "session": False}
        await _burst(app, pilot, "f2", "up", "up")  # back to the matches, up to the field
        assert app.focused is search_input(app)
        # clear the field, into the tree, one line down, open it: all in one go
        await _burst(app, pilot, "ctrl+u", "down", "down", "enter")
        node = tree(app).cursor_node
        assert node is not None and node.parent is not tree(app).root  # a situation
        assert app.current_id == node.data
        assert displayed(app) == {"library": False, "reader": True, "session": False}
        await _burst(app, pilot, "f4", "f3", "f2")  # pane keys in one go: the last wins
        assert displayed(app) == {"library": True, "reader": False, "session": False}
        assert app.focused is tree(app)
