"""Text that came from students (ids, exception names, messages) made inert where an instructor reads it."""
from __future__ import annotations

import unicodedata

FORMULA = ("=", "+", "-", "@", "\t", "\r")  # what a spreadsheet may read as the start of a formula


def terminal(text: str) -> str:
    """``text`` safe to print: control and format characters (escape sequences, carriage returns,
    bidirectional overrides) become ``?``."""
    return "".join("?" if unicodedata.category(c).startswith("C") else c for c in str(text))


def spreadsheet(text: str) -> str:
    """``text`` as a spreadsheet cell shows it, never as a formula (a leading ``'``, as spreadsheet-safe
    exporters do), and printable."""
    return "'" + text if text.startswith(FORMULA) else terminal(text)
