"""The session pane. Until a session is running it explains how to start one."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.widgets import Static


class SessionPane(VerticalScroll, can_focus=True):
    def compose(self) -> ComposeResult:
        yield Static(id="session-intro")

    def relabel(self) -> None:
        t = self.app.t  # type: ignore[attr-defined]
        self.border_title = t("session.title")
        self.query_one("#session-intro", Static).update(t("session.none"))
