"""The speed-ups of identifier detection change no match: patterns run only inside the
whitespace-delimited chunks around a hint find exactly what a scan of the whole text finds, and a
first-character lookahead in front of a pattern changes none of its matches."""

from __future__ import annotations

import re

from hypothesis import given, settings
from hypothesis import strategies as st

from coder.identify import patterns, pipeline
from coder.identify.textfold import _fold, fold

# characters that make e-mails, URLs, handles, dates and names likely, and the separators around them
PIECES = ["a", "b", "Z", "x1", "_", ".", "-", "+", "@", "/", "://", "www.", ".com", ".com/", ".md", "http",
          "gmail", "ana.m", "12", "2019", "7", " ", "  ", "\n", "\t", "\u00a0", "«", "»", "\"", "'", "ș", "Ж", "é",
          "(", ")", "#", "ñ", "P. ", "I.E. ", "Calle ", "Mz. ", "Av. "]
texts = st.lists(st.sampled_from(PIECES), max_size=40).map("".join)


def spans(matches) -> list[tuple[int, int]]:
    return [m.span() for m in matches]


@settings(max_examples=400, deadline=None)
@given(texts)
def test_chunked_contact_patterns_find_what_a_full_scan_finds(text):
    at = patterns._chunks(text, patterns._positions(text, "@"))
    assert spans(patterns._finditer_in(patterns.EMAIL, text, at)) == spans(patterns.EMAIL.finditer(text))
    url_chunks = patterns._chunks(text, (m.start() for m in patterns.URL_HINT.finditer(text)))
    assert spans(patterns._finditer_in(patterns.URL, text, url_chunks)) == spans(patterns.URL.finditer(text))
    dotted = patterns._chunks(text, (m.start() for m in patterns.DOTTED_HINT.finditer(text)))
    assert spans(patterns._finditer_in(patterns.DOTTED_HANDLE, text, dotted)) == \
        spans(patterns.DOTTED_HANDLE.finditer(text))
    parts = patterns._chunks(text, sorted([*patterns._positions(text, "@"), *patterns._positions(text, ".com/")]))
    assert spans(patterns._finditer_in(pipeline.CONTACT_PARTS, text, parts)) == \
        spans(pipeline.CONTACT_PARTS.finditer(text))


PREFIXED = [patterns.CODE_RUN, patterns.DIGIT_RUN, patterns.YEAR, patterns.NUMERIC_DATE,
            patterns.DAY_MONTH_NUMERIC, pipeline.CAP_WORD, pipeline.INITIALS, pipeline.STREET_ABBREVIATION,
            pipeline.GRID_ADDRESS, pipeline.BLOCK_LOT, pipeline.PERU_SCHOOL,
            *(patterns._month_regexes(lang)[3] for lang in ("es", "en", "sq", "ro", "bs", "ru"))]


@settings(max_examples=300, deadline=None)
@given(texts)
def test_first_character_lookaheads_change_no_match(text):
    for rx in PREFIXED:
        bare = re.compile(re.sub(r"^\(\?=\[(?:\\.|[^\]])*\]\)|^\(\?=\\d\)|^\(\?=M\)|^\(\?=I\)", "", rx.pattern, count=1),
                          rx.flags)
        assert bare.pattern != rx.pattern
        assert spans(rx.finditer(text)) == spans(bare.finditer(text)), rx.pattern[:40]
        assert [m.span() for m in (rx.search(text[k:]) for k in range(0, len(text), 7)) if m] == \
            [m.span() for m in (bare.search(text[k:]) for k in range(0, len(text), 7)) if m]


@given(st.text(max_size=12))
def test_cached_fold_is_the_plain_fold(word):
    expected = word.lower() if word.isascii() else _fold(word)
    assert fold(word) == expected
    assert fold(word) == expected  # a second time, from the cache
