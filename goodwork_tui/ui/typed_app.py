"""The app, typed once: `self.gw` for the GoodWorkApp and `self.t` for its catalog.

Textual types `self.app` as a plain `App`; every screen and widget here runs inside a
`GoodWorkApp`, so the cast is made in one place instead of in each file.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, cast

if TYPE_CHECKING:
    from textual.app import App

    from ..core.i18n import Catalog
    from .app import GoodWorkApp


class AppAware:
    """Mixed into a screen or widget (before the Textual class)."""

    if TYPE_CHECKING:
        app: App[Any]  # provided by the Textual class it is mixed into

    @property
    def gw(self) -> GoodWorkApp:
        return cast("GoodWorkApp", self.app)

    @property
    def t(self) -> Catalog:
        return cast("GoodWorkApp", self.app).t
