"""The shipped word lists, loaded lazily once per process: given names, surnames, places, and each
language's common-word vocabulary (for telling a capitalised name from a capitalised word)."""

from __future__ import annotations

import gzip
from functools import lru_cache
from importlib import resources
from pathlib import Path

from coder.identify import vocab
from coder.identify.textfold import fold

DATA = Path(str(resources.files("coder"))) / "data" / "gazetteers"
NAME_LANGS = ("es", "en", "sq", "ro", "sh", "ru")

# A place from GeoNames (not the curated list) starting a sentence is flagged only below this.
RARE_PLACE_ZIPF = 4.0


def _words(path: Path) -> list[str]:
    out = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.startswith("#"):
            out.extend(line.split())
    return out


@lru_cache(maxsize=None)
def names(kind: str, lang: str) -> frozenset[str]:
    """Folded given names (kind="given") or surnames (kind="surname") of one name language."""
    return frozenset(fold(w).replace("-", " ") for w in _words(DATA / "names" / f"{kind}-{lang}.txt"))


@lru_cache(maxsize=None)
def all_names() -> frozenset[str]:
    return frozenset().union(*(names(k, lang) for k in ("given", "surname") for lang in NAME_LANGS))


@lru_cache(maxsize=None)
def given_names() -> frozenset[str]:
    return frozenset().union(*(names("given", lang) for lang in NAME_LANGS))


@lru_cache(maxsize=None)
def own_names(lang: str) -> frozenset[str]:
    name_lang = vocab.NAME_LANG[lang]
    return names("given", name_lang) | names("surname", name_lang)


@lru_cache(maxsize=None)
def ambiguous(lang: str) -> frozenset[str]:
    name_lang = vocab.NAME_LANG[lang]
    words = {fold(w) for w in vocab.AMBIGUOUS.get(name_lang, "").split()}
    if name_lang == "sq":
        # the Albanian vocabulary is hand-written: a name in it is an everyday word too (drita, shpresa)
        words |= own_names(lang) & _albanian_vocab()
    return frozenset(words)


@lru_cache(maxsize=None)
def _albanian_vocab() -> frozenset[str]:
    words = {fold(w) for raw in _words(DATA / "vocab" / "sq.txt") for w in raw.split("-")}
    return frozenset(words | {fold(w) for w in _spacy_stop_words("sq")})


def _spacy_stop_words(lang: str) -> set[str]:
    """spaCy's stop-word list for a language, read from its source file without importing spaCy
    (which would add a second to every `coder identify` start)."""
    import importlib.util

    spec = importlib.util.find_spec("spacy")
    if spec is None or not spec.origin:
        return set()
    path = Path(spec.origin).parent / "lang" / lang / "stop_words.py"
    if not path.exists():
        return set()
    import re

    # the file is `STOP_WORDS = set("""…words…""".split())`
    match = re.search(r'"""(.*?)"""', path.read_text(encoding="utf-8"), re.DOTALL)
    return set(match.group(1).split()) if match else set()


@lru_cache(maxsize=None)
def _frequencies(lang: str) -> dict[str, float]:
    """Folded word → Zipf frequency (wordfreq; the hand list for Albanian)."""
    if lang == "sq":
        return {w: 4.0 for w in _albanian_vocab()}
    # built from wordfreq by scripts/build_gazetteers.py (already folded, Zipf × 100)
    wf_lang = vocab.WORDFREQ_LANG[lang]
    out: dict[str, float] = {}
    with gzip.open(DATA / "vocab" / f"wordfreq-{wf_lang}.txt.gz", "rt", encoding="utf-8") as fh:
        for line in fh:
            word, _, z = line.rstrip("\n").partition("\t")
            out[word] = int(z) / 100
    return out


def zipf(word_folded: str, lang: str) -> float:
    return _frequencies(lang).get(word_folded, 0.0)


@lru_cache(maxsize=None)
def common_words(lang: str) -> frozenset[str]:
    """Everyday words of the language: frequent words that are not (unambiguous) names of its own."""
    freq = _frequencies(lang)
    words = set(freq) - (own_names(lang) - ambiguous(lang))
    words |= {fold(w) for w in vocab.WEEKDAYS.split()}
    words |= {fold(w) for w in vocab.ROLE_WORDS} | institution_words()
    for month_lang in vocab.MONTHS.values():
        words |= {fold(w) for w in month_lang.split()}
    return frozenset(words)


@lru_cache(maxsize=None)
def curated_places() -> frozenset[str]:
    return frozenset(fold(w.strip()) for w in (DATA / "places" / "regions.txt").read_text(encoding="utf-8").splitlines()
                     if w.strip() and not w.startswith("#"))


@lru_cache(maxsize=None)
def geo_places() -> frozenset[str]:
    with gzip.open(DATA / "places" / "places.txt.gz", "rt", encoding="utf-8") as fh:
        return frozenset(line.rstrip("\n") for line in fh if line.strip())


@lru_cache(maxsize=None)
def place_phrases() -> tuple[frozenset[str], dict[str, int]]:
    """Multi-word place names (folded, space-joined), and for each first word the longest length."""
    phrases = {p for p in curated_places() | geo_places() if " " in p}
    longest: dict[str, int] = {}
    for p in phrases:
        words = p.split(" ")
        longest[words[0]] = max(longest.get(words[0], 0), len(words))
    return frozenset(phrases), longest


@lru_cache(maxsize=None)
def months(lang: str) -> frozenset[str]:
    name_lang = vocab.NAME_LANG.get(lang, lang)
    return frozenset(fold(w) for w in vocab.MONTHS.get(name_lang, "").split())


@lru_cache(maxsize=None)
def all_months() -> frozenset[str]:
    return frozenset(fold(w) for text in vocab.MONTHS.values() for w in text.split())


@lru_cache(maxsize=None)
def decoy_words() -> frozenset[str]:
    return (frozenset(fold(w) for w in vocab.DECOY_WORDS) | {fold(w) for w in vocab.WEEKDAYS.split()}
            | {fold(w) for w in vocab.RUSSIAN_COUNTRIES})


@lru_cache(maxsize=None)
def decoy_phrases() -> frozenset[str]:
    return frozenset(fold(p) for p in vocab.DECOY_PHRASES if p)


@lru_cache(maxsize=None)
def cue_set(name: str) -> frozenset[str]:
    return frozenset(fold(w) for w in getattr(vocab, name))


@lru_cache(maxsize=None)
def institution_words() -> frozenset[str]:
    return frozenset(fold(w) for raw in vocab.INSTITUTION_WORDS for w in raw.split("-"))
