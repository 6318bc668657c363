"""Folding for gazetteer look-ups: lowercase, no diacritics, so "Chisinau" finds "Chișinău"."""

from __future__ import annotations

import unicodedata

_EXTRA = str.maketrans({"đ": "d", "ł": "l", "ø": "o", "ß": "ss", "ё": "е", "’": "'", "ı": "i"})


_CACHE: dict[str, str] = {}


def fold(text: str) -> str:
    cached = _CACHE.get(text)
    if cached is not None:
        return cached
    if text.isascii():
        result = text.lower()
    else:
        result = _fold(text)
    if len(_CACHE) < 500_000:
        _CACHE[text] = result
    return result


def _fold(text: str) -> str:
    text = unicodedata.normalize("NFD", text.lower().translate(_EXTRA))
    # keep the Cyrillic short i (й = и + breve) distinct from и
    text = text.replace("и\u0306", "й")
    return "".join(c for c in text if not unicodedata.combining(c))
