"""Importing matplotlib for drawing charts, without its one start-up cost a build never
uses. When matplotlib defines each artist class (lines, text, patches …) it writes a
table of every settable property into the docstring of that class's ``set`` method:
some 30 % of the instructions of importing ``matplotlib.figure``, spent on help text
for interactive users. A factsheet build reads no docstrings, so the table is left
empty; signatures and behaviour are untouched. This must run before matplotlib's
artist classes are defined: :func:`prepare` is called where a build first needs
matplotlib, and does nothing once they are."""

from __future__ import annotations

import sys


def prepare() -> None:
    """Import matplotlib's base artist module with its property tables turned off,
    unless matplotlib's artist classes are already defined (then it changes nothing)."""
    if "matplotlib.lines" in sys.modules:
        return
    import matplotlib.artist

    kwdoc = getattr(matplotlib.artist, "kwdoc", None)
    if callable(kwdoc):  # a later matplotlib without it: nothing to turn off
        matplotlib.artist.kwdoc = _no_table


def _no_table(artist: object) -> str:
    return ""
