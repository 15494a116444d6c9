"""The Textual interface of Goed Werk (only `goodwork` without a subcommand loads it)."""

from . import collector

collector.pause()  # until the first screen is complete: see collector.py
