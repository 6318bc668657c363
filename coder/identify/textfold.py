"""Folding for gazetteer look-ups: lowercase, no diacritics, so "Chisinau" finds "Chișinău"."""

from __future__ import annotations

import unicodedata

_EXTRA = str.maketrans({"đ": "d", "ł": "l", "ø": "o", "ß": "ss", "ё": "е", "’": "'", "ı": "i"})


class _FoldCache(dict):
    """Folded forms by word; a hit is a plain dict look-up, with no Python frame per call."""

    def __missing__(self, text: str) -> str:
        result = text.lower() if text.isascii() else _fold(text)
        if len(self) < 500_000:
            self[text] = result
        return result


_CACHE = _FoldCache()
fold = _CACHE.__getitem__


def _fold(text: str) -> str:
    text = unicodedata.normalize("NFD", text.lower().translate(_EXTRA))
    # keep the Cyrillic short i (й = и + breve) distinct from и
    text = text.replace("и\u0306", "й")
    return "".join(c for c in text if not unicodedata.combining(c))
