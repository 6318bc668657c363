"""Planning a redaction: which characters become which placeholder, and where every offset goes.

Pure functions on strings, so the rules can be tested exhaustively; `coder.review.redact` applies a
plan to a project. A plan never records which term became which number: once applied, the mapping
from identifier to placeholder exists nowhere.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field

from coder.store import FLAG_TYPES

PLACEHOLDER = re.compile(r"\[(" + "|".join(FLAG_TYPES) + r") (\d+)\]")

# Terms this short ("Al", "J.") are matched case-sensitively when looking for other occurrences:
# case-insensitively they would also wipe common words ("al", "a") from the notes, irreversibly.
SHORT_TERM = 2


def placeholder_spans(text: str) -> list[tuple[int, int]]:
    """Spans of `[TYPE n]` placeholders already in the text."""
    return [(m.start(), m.end()) for m in PLACEHOLDER.finditer(text)]


def mask_placeholders(text: str) -> str:
    """The text with placeholders blanked (same length): a detector must not take "PERSON" for a name."""
    return PLACEHOLDER.sub(lambda m: " " * len(m.group()), text)


def term_key(term: str) -> str:
    """How terms compare: case-insensitive, whitespace runs equal."""
    return " ".join(term.split()).lower()


def term_pattern(term: str) -> re.Pattern[str] | None:
    """Word-bounded pattern for every occurrence of `term` (None for a term with no letters or digits)."""
    parts = term.split()
    if not parts or not any(ch.isalnum() for ch in term):
        return None
    core = r"\s+".join(re.escape(part) for part in parts)
    flags = 0 if len(term.strip()) <= SHORT_TERM else re.IGNORECASE
    return re.compile(rf"(?<!\w){core}(?!\w)", flags)


@dataclass(frozen=True)
class Replacement:
    """Old text[start:end] became `placeholder`, which starts at `new_start` in the new text."""

    start: int
    end: int
    placeholder: str
    new_start: int

    @property
    def new_end(self) -> int:
        return self.new_start + len(self.placeholder)


@dataclass
class Plan:
    text: str
    replacements: list[Replacement]
    # Placeholder for each term key redacted, used to scrub memos and other free text in the same
    # run. Lives only in memory for the duration of one redaction.
    placeholders: dict[str, str] = field(default_factory=dict)

    def map_start(self, pos: int) -> int:
        """Where an old start offset goes; a start inside a replaced span moves to its placeholder's start."""
        i = bisect.bisect_right(self._ends, pos)  # replacements ending at or before pos are behind it
        delta = self._deltas[i]
        if i < len(self.replacements) and self.replacements[i].start <= pos:
            return self.replacements[i].new_start
        return pos + delta

    def map_end(self, pos: int) -> int:
        """Where an old end offset goes; an end inside a replaced span moves to its placeholder's end."""
        i = bisect.bisect_left(self._ends, pos)  # replacements ending before pos are behind it
        delta = self._deltas[i]
        if i < len(self.replacements) and self.replacements[i].start < pos:
            return self.replacements[i].new_end
        return pos + delta

    def map_span(self, start: int, end: int) -> tuple[int, int]:
        return self.map_start(start), self.map_end(end)

    def replaced_within(self, start: int, end: int) -> Replacement | None:
        """The replacement that swallowed old span start..end entirely, if any."""
        i = bisect.bisect_right(self._starts, start) - 1
        if i >= 0:
            r = self.replacements[i]
            if r.start <= start and end <= r.end:
                return r
        return None

    def __post_init__(self) -> None:
        self._starts = [r.start for r in self.replacements]
        self._ends = [r.end for r in self.replacements]
        deltas = [0]
        for r in self.replacements:
            deltas.append(deltas[-1] + len(r.placeholder) - (r.end - r.start))
        self._deltas = deltas


def _overlaps(a: tuple[int, int], b: tuple[int, int]) -> bool:
    return a[0] < b[1] and b[0] < a[1]


def plan_redaction(text: str, targets: list[tuple[int, int, str]]) -> Plan:
    """Replace each target span (start, end, TYPE) and every other occurrence of its term.

    Each distinct term (case-insensitive) gets one number per type, continuing after the
    placeholders already in the text; overlapping spans merge into one placeholder.
    """
    existing = placeholder_spans(text)
    next_number = {t: 1 for t in FLAG_TYPES}
    for m in PLACEHOLDER.finditer(text):
        next_number[m.group(1)] = max(next_number[m.group(1)], int(m.group(2)) + 1)

    term_type: dict[str, str] = {}
    candidates: list[tuple[int, int, str]] = []  # (start, end, term key)
    for start, end, type_ in sorted(targets):
        if not (0 <= start < end <= len(text)):
            raise ValueError(f"span {start}-{end} outside a text of {len(text)} characters")
        term = text[start:end]
        key = term_key(term) or f"\x00{start}"  # a whitespace-only span stands for itself
        term_type.setdefault(key, type_ if type_ in FLAG_TYPES else "PERSON")
        candidates.append((start, end, key))
    # Long terms are searched case-insensitively by key; short ones only in their exact spellings.
    spellings_of = {
        key: ([key] if len(key) > SHORT_TERM else sorted({text[s:e] for s, e, k in candidates if k == key}))
        for key in term_type
        if not key.startswith("\x00")
    }
    for key, spellings in spellings_of.items():
        for spelling in spellings:
            pattern = term_pattern(spelling)
            if pattern is None:
                continue
            for m in pattern.finditer(text):
                span = (m.start(), m.end())
                if not any(_overlaps(span, ph) for ph in existing):
                    candidates.append((span[0], span[1], key))

    # A span that cuts into an existing placeholder swallows the whole placeholder.
    widened = []
    for start, end, key in candidates:
        for ph in existing:
            if _overlaps((start, end), ph):
                start, end = min(start, ph[0]), max(end, ph[1])
        widened.append((start, end, key))
    widened.sort(key=lambda c: (c[0], -c[1]))

    clusters: list[list] = []  # [start, end, owning key]
    for start, end, key in widened:
        if clusters and start < clusters[-1][1]:
            clusters[-1][1] = max(clusters[-1][1], end)
        else:
            clusters.append([start, end, key])

    placeholders: dict[str, str] = {}
    for _start, _end, key in clusters:
        if key not in placeholders:
            type_ = term_type[key]
            placeholders[key] = f"[{type_} {next_number[type_]}]"
            next_number[type_] += 1

    pieces, replacements, cursor, delta = [], [], 0, 0
    for start, end, key in clusters:
        placeholder = placeholders[key]
        pieces.append(text[cursor:start])
        pieces.append(placeholder)
        replacements.append(Replacement(start, end, placeholder, start + delta))
        delta += len(placeholder) - (end - start)
        cursor = end
    pieces.append(text[cursor:])
    # Terms swallowed by a merge are still scrubbed from memos, under their cluster's placeholder.
    owner_of: dict[str, str] = {}
    for start, end, key in widened:
        if key not in owner_of:
            owner_of[key] = placeholders.get(key) or placeholders[
                next(c for c in clusters if c[0] <= start and end <= c[1])[2]
            ]
    scrub_terms = {
        spelling: owner_of[key] for key, spellings in spellings_of.items() for spelling in spellings
    }
    return Plan("".join(pieces), replacements, scrub_terms)


def any_term_pattern(terms) -> re.Pattern[str] | None:
    """One pattern matching any of the terms (each with its own case rule)."""
    parts = []
    for term in terms:
        pattern = term_pattern(term)
        if pattern is not None:
            parts.append(f"(?{'i' if pattern.flags & re.IGNORECASE else ''}:{pattern.pattern})")
    return re.compile("|".join(parts)) if parts else None


def scrub(text: str | None, placeholders: dict[str, str]) -> str | None:
    """Replace every occurrence of each term in free text (memos, titles, audit) by its placeholder."""
    if not text:
        return text
    combined = any_term_pattern(placeholders)
    if combined is None or not combined.search(text):
        return text
    for key in sorted(placeholders, key=len, reverse=True):
        pattern = term_pattern(key)
        if pattern is not None:
            text = pattern.sub(placeholders[key], text)
    return text
