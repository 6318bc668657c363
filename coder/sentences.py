"""Sentence and paragraph boundaries, for moving through a document by sentence or paragraph.

Uses a blank spaCy pipeline with the rule-based sentencizer (no trained model is needed), one
cached pipeline per language. Spans are (start, end) code-point offsets, end-exclusive, trimmed
of surrounding whitespace.
"""

from __future__ import annotations

import bisect
import re
import threading
from functools import lru_cache

# Languages spaCy has no tokenizer rules for are read with the closest one it has.
_SPACY_LANGUAGE = {"bs": "hr", "me": "sr", "mk": "xx", "cnr": "sr"}
_lock = threading.Lock()
_PARAGRAPH_BREAK = re.compile(r"\n\s*\n")


@lru_cache(maxsize=None)
def _pipeline(lang: str):
    import spacy

    name = _SPACY_LANGUAGE.get(lang, lang or "xx")
    try:
        nlp = spacy.blank(name)
    except (ImportError, KeyError, ValueError):
        nlp = spacy.blank("xx")
    nlp.add_pipe("sentencizer")
    return nlp


def pipeline(lang: str | None):
    """The cached blank pipeline with a sentencizer for `lang` (thread-safe first load)."""
    with _lock:
        return _pipeline((lang or "xx").lower())


def _trimmed(text: str, start: int, end: int) -> tuple[int, int] | None:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return (start, end) if start < end else None


def paragraph_spans(text: str) -> list[tuple[int, int]]:
    """Paragraphs: runs of text separated by blank lines (a single line break stays inside)."""
    spans = []
    last = 0
    for m in _PARAGRAPH_BREAK.finditer(text):
        span = _trimmed(text, last, m.start())
        if span:
            spans.append(span)
        last = m.end()
    span = _trimmed(text, last, len(text))
    if span:
        spans.append(span)
    return spans


def sentence_spans(text: str, lang: str | None = None) -> list[tuple[int, int]]:
    """Sentences, never crossing a paragraph or a line break (notes often list points per line)."""
    nlp = pipeline(lang)
    spans: list[tuple[int, int]] = []
    for p_start, p_end in paragraph_spans(text):
        doc = nlp(text[p_start:p_end])
        for sent in doc.sents:
            s, e = p_start + sent.start_char, p_start + sent.end_char
            # A line break inside a paragraph also ends a sentence.
            line_start = s
            for i in range(s, e):
                if text[i] == "\n":
                    span = _trimmed(text, line_start, i)
                    if span:
                        spans.append(span)
                    line_start = i + 1
            span = _trimmed(text, line_start, e)
            if span:
                spans.append(span)
    return spans


def next_start(spans: list[tuple[int, int]], offset: int) -> int | None:
    """Start of the first span that starts after `offset`."""
    starts = [s for s, _ in spans]
    i = bisect.bisect_right(starts, offset)
    return starts[i] if i < len(starts) else None


def previous_start(spans: list[tuple[int, int]], offset: int) -> int | None:
    """Start of the last span that starts before `offset`."""
    starts = [s for s, _ in spans]
    i = bisect.bisect_left(starts, offset) - 1
    return starts[i] if i >= 0 else None
