"""English strings. Keys must match nl.py exactly (a test checks)."""

STRINGS: dict[str, str] = {
    "app.subtitle": "images of good work",
    "common.cancel": "Cancel",
    # panes
    "pane.library": "Library",
    "pane.reader": "Situation",
    "pane.session": "Session",
    "library.title": "Library",
    "library.search_placeholder": "Search situations… (ctrl+f)",
    "library.no_match": "No situation matches this search.",
    "library.count": "{count} situations",
    "library.problems_hint": "{count} library problems (F7)",
    "library.problems_notice": "The library has {count} problems; F7 shows them.",
    "library.reloading": "Reading the library again…",
    "library.loading": "Reading the library…",
    "reader.title": "Situation",
    "reader.empty": "Choose a situation in the library to read it here.",
    "reader.not_translated": "no translation: shown in '{lang}'",
    "session.title": "Session",
    "session.none": (
        "No session is running.\n\n"
        "This pane is where a facilitator runs a session round by round: the current "
        "round and its prompt, a timer, and quick notes tagged by kind and lens.\n\n"
        "Running sessions is not part of this version yet. Meanwhile, use the library: "
        "pick a situation, read it with the group and ask:\n\n"
        "• Do you recognise this? Where did you meet it this year?\n"
        "• What did you do, or what would you do, and why?\n"
        "• Was it good work, did it do right by others, did it feel meaningful?"
    ),
    # problems panel
    "problems.title": "Library problems",
    "problems.close": "Esc closes",
    "problems.intro": (
        "{count} problems. Files with a problem that leaves them unusable are left out; "
        "the rest of the library works. Run 'goodwork library check' for the same list."
    ),
    "problems.none": "The library has no problems.",
    # help
    "help.title": "Goed Werk — keys",
    "help.key": "Key",
    "help.action": "Action",
    "help.intro": (
        "Browse the situations of the library on the left, read one in the middle, run a "
        "session on the right. On a narrow screen F2, F3 and F4 switch between the panes."
    ),
    "help.more": (
        "Keys can be changed in the [keymap] table of the settings file "
        "(binding id = \"key\"), e.g. `search = \"ctrl+k\"`."
    ),
    "help.palette": "Command palette: every action by name",
    # links
    "link.refused": "This link is not opened: {href}",
    "link.question": "Open this link in your browser?",
    "link.open": "Open",
    # language and settings
    "language.switched": "Language: English",
    "config.unreadable": "The settings file could not be read and is left as it is: {problem}",
    "config.unsaved": "Settings could not be saved: {problem}",
    # command palette
    "cmd.search": "Search library",
    "cmd.search.help": "Type to filter the situations by title, tags and text",
    "cmd.language": "Switch language",
    "cmd.language.help": "Switch the interface between Dutch and English",
    "cmd.problems": "Show library problems",
    "cmd.problems.help": "Every problem found in the library files, with file and line",
    "cmd.help": "Show help",
    "cmd.help.help": "Keys and how to work with Goed Werk",
    "cmd.reload": "Reload library",
    "cmd.reload.help": "Read the library files again from disk",
    "cmd.pane.library": "Show library",
    "cmd.pane.library.help": "Go to the library pane",
    "cmd.pane.reader": "Show situation",
    "cmd.pane.reader.help": "Go to the situation being read",
    "cmd.pane.session": "Show session",
    "cmd.pane.session.help": "Go to the session pane",
    # footer labels (key.<binding id>) and tooltips (tip.<binding id>)
    "key.help": "Help",
    "tip.help": "Keys and how to work",
    "key.search": "Search",
    "tip.search": "Search the library",
    "key.language": "Language",
    "tip.language": "Switch between Dutch and English",
    "key.problems": "Problems",
    "tip.problems": "Show library problems",
    "key.reload": "Reload",
    "tip.reload": "Read the library again from disk",
    "key.quit": "Quit",
    "tip.quit": "Quit Goed Werk",
    "key.pane.library": "Library",
    "tip.pane.library": "Show the library",
    "key.pane.reader": "Situation",
    "tip.pane.reader": "Show the situation being read",
    "key.pane.session": "Session",
    "tip.pane.session": "Show the session",
    "key.pane.back": "Back",
    "tip.pane.back": "Back to the library",
}
