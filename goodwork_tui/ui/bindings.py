"""Footer and help text for bindings, in the interface language.

Bindings are declared in English in BINDINGS (with an id each, so a keymap can remap
them); these helpers swap their description and tooltip for the catalog's text.
"""

from __future__ import annotations

from dataclasses import replace

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
