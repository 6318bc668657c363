"""How identifier tests judge a flag set: as `score_identify.py` counts a caught identifier."""

from __future__ import annotations

from coder.identify import Flag


def covered(flags: list[Flag], text: str, needle: str) -> bool:
    """Every word character of `needle` (first occurrence) lies inside some flag."""
    start = text.index(needle)
    return all(any(f.start <= i < f.end for f in flags)
               for i in range(start, start + len(needle)) if text[i].isalnum())


def touched(flags: list[Flag], text: str, needle: str) -> bool:
    """Some flag overlaps `needle` (first occurrence): a decoy must not be touched."""
    start = text.index(needle)
    end = start + len(needle)
    return any(f.start < end and start < f.end for f in flags)
