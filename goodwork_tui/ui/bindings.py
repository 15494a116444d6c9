"""Footer and help text for bindings, in the interface language.

Bindings are declared in English in BINDINGS (with an id each, so a keymap can remap
them); these helpers swap their description and tooltip for the catalog's text.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from textual.app import App
from textual.binding import Binding
from textual.dom import DOMNode

from ..core.i18n import Catalog
from .textual_private import bindings_of


def translate_bindings(node: DOMNode, t: Catalog) -> None:
    bindings_map = bindings_of(node)  # Textual has no public setter for binding texts
    for key, bindings in bindings_map.key_to_bindings.items():
        bindings_map.key_to_bindings[key] = [translated(b, t) for b in bindings]


def translated(binding: Binding, t: Catalog) -> Binding:
    if not binding.id:
        return binding
    description = t(f"key.{binding.id}")
    tooltip = t(f"tip.{binding.id}")
    return replace(
        binding,
        description=binding.description if description == f"key.{binding.id}" else description,
        tooltip=binding.tooltip if tooltip == f"tip.{binding.id}" else tooltip,
    )


def translate_all(app: App[Any]) -> None:
    """The language changed: every binding's text, the subtitle and the main screen."""
    t: Catalog = app.t  # type: ignore[attr-defined]
    app.sub_title = t("app.subtitle")
    translate_bindings(app, t)
    for screen in app.screen_stack:
        translate_bindings(screen, t)
        for widget in screen.walk_children():
            if bindings_of(widget).key_to_bindings:
                translate_bindings(widget, t)
    main = app.main  # type: ignore[attr-defined]
    if main.is_mounted:
        main.relabel()
    app.refresh_bindings()
