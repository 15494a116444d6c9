"""Links in a situation's text: opened only after asking, and only web and mail links."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .app import GoodWorkApp

SAFE_LINK_SCHEMES = ("http://", "https://", "mailto:")


def ask_to_open_link(app: GoodWorkApp, href: str) -> None:
    """A library file may link anywhere (`file:`, `javascript:`): those are refused with
    a message; a web or mail link is opened when the user says yes."""
    if not href.lower().startswith(SAFE_LINK_SCHEMES):
        app.notify(app.t("link.refused", href=href), severity="warning", markup=False)
        return
    app.run_worker(_ask(app, href), exclusive=True, group="dialog")


async def _ask(app: GoodWorkApp, href: str) -> None:
    from .screens.confirm import ConfirmScreen

    t = app.t
    if await app.push_screen_wait(ConfirmScreen(
            t("link.question"), href, t("link.open"), t("common.cancel"))):
        app.open_url(href)
