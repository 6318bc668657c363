"""Identifier detection: `detect(text, lang)` flags names, places, schools, organisations,
contacts, ID numbers and dates, with no trained model needed (rules, patterns, gazetteers), and
unions a trained spaCy pipeline's entities when one is installed or named.

Nothing here touches the network; the word lists ship in `coder/data/gazetteers/`.
"""

from __future__ import annotations

from coder.identify.language import detect_language
from coder.identify.pipeline import Flag

__all__ = ["detect", "detect_language", "Flag", "LANGS", "available_model"]

LANGS = ("es", "en", "sq", "ro", "bs", "hr", "sr", "ru")


def detect(text: str, lang: str, *, model: str | None = None) -> list[Flag]:
    """Flags for every suspected identifier in `text`, sorted, overlapping ones merged (a union:
    every character any layer suspects stays covered). `lang` is one of LANGS; `model` names an
    installed spaCy pipeline to union with the rules (default: one found for the language)."""
    from coder.errors import CoderError
    from coder.identify import patterns, phrases
    from coder.identify.model import model_hits
    from coder.identify.pipeline import merge, rules_for

    if lang not in LANGS:
        raise CoderError(f"unknown language {lang!r}: use one of {', '.join(LANGS)}")
    rules = rules_for(lang)
    hits = patterns.find(text, lang) + rules.scan(text)
    hits += phrases.find(text, lang)
    hits += model_hits(text, lang, model, rules)
    return merge(text, hits)


def available_model(lang: str) -> str | None:
    from coder.identify.model import default_model

    return default_model(lang)
