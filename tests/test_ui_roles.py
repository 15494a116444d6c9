"""The roles a format names per round are shown under the round's prompt (issue 16.3),
in the session's language; an old session's `case-giver` reads as the case presenter."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from textual.widgets import Static
from ui_helpers import make_app, open_session, text_of

from goodwork_tui.core.session_store import SessionStore

ROUNDS = [
    {"title": "Inbreng", "prompt": "Vertel", "roles": ["case-giver", "facilitator"]},
    {"title": "Stilte", "prompt": "Denk na", "roles": []},
    {"title": "Oogst", "prompt": "Wat neem je mee",
     "roles": ["case-presenter", "facilitator", "harvester", "timekeeper"]},
]


def session(root: Path, lang: str) -> Path:
    with SessionStore.create(root / "sessions", title=f"Rollen {lang}", lang=lang,
                             on=date(2026, 11, 3),
                             format={"title": "f", "rounds": ROUNDS}) as store:
        return store.path


async def test_the_rounds_roles_under_the_prompt(small_library) -> None:
    root = small_library
    dutch, english = session(root, "nl"), session(root, "en")
    app = make_app(root)  # the interface in English; the roles in the session's language
    async with app.run_test(size=(120, 40)) as pilot:
        await open_session(app, pilot, dutch)
        roles = app.main.query_one("#round-roles", Static)
        assert roles.display and text_of(roles) == "Rollen: inbrenger · gespreksleider"
        await pilot.press("f10")
        assert not roles.display  # a round without roles shows no line
        await pilot.press("f10")
        assert text_of(roles) == "Rollen: inbrenger · gespreksleider · oogster · tijdbewaker"
        await open_session(app, pilot, english)
        assert text_of(roles) == "Roles: case presenter · chair"
        await pilot.press("f10", "f10")
        assert text_of(roles) == "Roles: case presenter · chair · harvester · timekeeper"
        region = roles.region
        prompt = app.main.query_one("#round-prompt", Static).region
        assert region.height >= 1 and region.y > prompt.y  # under the prompt, on screen
