"""Optional trained spaCy pipelines: used when installed (or named with --model), never required
and never downloaded. Their PER/LOC/GPE/ORG entities are unioned with the rules."""

from __future__ import annotations

import importlib.util
from functools import lru_cache

from coder.errors import CoderError
from coder.identify.textfold import fold

# Package names tried per language, smallest first; hr serves bs and sr.
CANDIDATES = {
    "es": ("es_core_news_sm", "es_core_news_md", "es_core_news_lg"),
    "en": ("en_core_web_sm", "en_core_web_md", "en_core_web_lg"),
    "ro": ("ro_core_news_sm", "ro_core_news_md"),
    "hr": ("hr_core_news_sm", "hr_core_news_md"),
    "bs": ("hr_core_news_sm", "hr_core_news_md"),
    "sr": ("hr_core_news_sm", "hr_core_news_md"),
    "ru": ("ru_core_news_sm", "ru_core_news_md"),
    "sq": (),
}
LABELS = {"PER": "PERSON", "PERSON": "PERSON", "LOC": "PLACE", "GPE": "PLACE", "FAC": "PLACE", "ORG": "ORG"}


@lru_cache(maxsize=None)
def default_model(lang: str) -> str | None:
    for name in CANDIDATES.get(lang, ()):
        if importlib.util.find_spec(name) is not None:
            return name
    return None


@lru_cache(maxsize=None)
def load(name: str):
    import warnings

    import spacy

    from pathlib import Path

    if not Path(name).is_dir() and not spacy.util.is_package(name) and importlib.util.find_spec(name) is None:
        raise CoderError(f"spaCy model {name!r} is not installed (install it, or leave out --model)")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # version-mismatch warnings of older packaged models
        return spacy.load(name, exclude=["lemmatizer"])


def model_hits(text: str, lang: str, model: str | None, rules) -> list:
    name = model or default_model(lang)
    if not name:
        return []
    nlp = load(name)
    name = name.rstrip("/").rsplit("/", 1)[-1]
    hits = []
    for ent in nlp(text).ents:
        kind = LABELS.get(ent.label_)
        if not kind:
            continue
        words = [fold(w) for w in ent.text.split()]
        if " ".join(words) in rules.decoy_phrases or all(w in rules.decoys or w in rules.common for w in words):
            continue  # "Policía Nacional", "WhatsApp", a capitalised everyday word
        hits.append((ent.start_char, ent.end_char, kind, 0.75, f"model:{name}:{ent.label_}"))
    return hits
