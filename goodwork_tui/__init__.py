"""Goed Werk: a terminal workshop companion for the 'beelden van goed werk' method."""

__version__ = "0.1.0"
