"""Merging the country teams' codebooks into one, with a crosswalk the lead reviews.

Codebooks are merged in the order given: the first one is the base; each following codebook is
matched against everything merged so far (so a local code two teams both added merges too).
Matching, per source codebook:

1. same key;
2. fuzzy, level by level from the top of the hierarchy: a code whose parent was matched is first
   compared with the children of its parent's match (the hierarchy bonus raises their score), then
   whatever is left is compared with every unmatched merged code. Each pass is a one-to-one
   assignment (Hungarian, scipy) over scores at or above the threshold, so nothing below the
   threshold is ever merged;
3. anything left is a new code (its parent is wherever its source parent went).

A score (0–100) is the best, over the languages both codes have a label in, of the mean of
rapidfuzz's token_sort_ratio and WRatio on the labels (lowercased, accents and punctuation
removed), blended 3:1 with the words the two descriptions share when both have one, plus the
hierarchy bonus.
"""

from __future__ import annotations

import unicodedata
from functools import lru_cache
from dataclasses import dataclass, field, replace

import numpy as np
from rapidfuzz import fuzz, process, utils
from scipy import sparse
from scipy.optimize import linear_sum_assignment

from coder.codebook.model import Code, Codebook
from coder.errors import CoderError
from coder.merge import DEFAULT_THRESHOLD, UNCERTAIN_ABOVE, UNCERTAIN_BELOW
from coder.merge.mapping import MappingRow

HIERARCHY_BONUS = 10.0  # added when a code's parent was matched to the candidate's parent
DESCRIPTION_WEIGHT = 0.25


@dataclass
class Uncertain:
    source_codebook: str
    source_key: str
    source_label: str
    candidate_key: str
    candidate_label: str
    score: float
    method: str  # what was decided: fuzzy (merged) or new (kept apart)


@dataclass
class LabelConflict:
    """Two codes merged into one disagree on a label: the first codebook's label is kept."""

    merged_key: str
    lang: str
    kept: str
    kept_from: str  # codebook:key
    dropped: str
    dropped_from: str


@dataclass
class CodebookMerge:
    codebook: Codebook
    rows: list[MappingRow]
    uncertain: list[Uncertain] = field(default_factory=list)
    conflicts: list[LabelConflict] = field(default_factory=list)


@lru_cache(maxsize=65536)
def _fold(text: str | None) -> str:
    """Lowercase, accents and punctuation away: 'Represálias!' and 'represalias' compare equal."""
    if not text:
        return ""
    decomposed = unicodedata.normalize("NFKD", text)
    bare = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return utils.default_process(bare)


def _ordered(codes: list[Code]) -> list[tuple[Code, int]]:
    """Codes parents-first with their depth; codes whose parent is missing count as top level."""
    keys = {c.key for c in codes}
    children: dict[str | None, list[Code]] = {}
    for c in codes:
        children.setdefault(c.parent if c.parent in keys else None, []).append(c)
    out: list[tuple[Code, int]] = []

    def walk(parent: str | None, depth: int) -> None:
        for c in children.get(parent, []):
            out.append((c, depth))
            walk(c.key, depth + 1)

    walk(None, 0)
    return out


@lru_cache(maxsize=65536)
def _words(text: str) -> tuple[str, ...]:
    return tuple(sorted(set(text.split())))


def _word_overlap(left: list[str], right: list[str]) -> np.ndarray:
    """Shared words (0–100): the mean of the Dice coefficient and the overlap coefficient."""
    left_words = [_words(t) for t in left]
    right_words = [_words(t) for t in right]
    vocabulary = {w: n for n, w in enumerate(sorted({w for ws in (*left_words, *right_words) for w in ws}))}

    def matrix(texts: list[tuple[str, ...]]) -> sparse.csr_matrix:
        lengths = [len(ws) for ws in texts]
        columns = np.fromiter((vocabulary[w] for ws in texts for w in ws), dtype=np.int64, count=sum(lengths))
        pointers = np.concatenate([[0], np.cumsum(lengths)])
        return sparse.csr_matrix(
            (np.ones(len(columns)), columns, pointers), shape=(len(texts), max(len(vocabulary), 1))
        )

    shared = (matrix(left_words) @ matrix(right_words).T).toarray()
    sizes_a = np.array([len(ws) for ws in left_words], dtype=np.float64).reshape(-1, 1)
    sizes_b = np.array([len(ws) for ws in right_words], dtype=np.float64).reshape(1, -1)
    with np.errstate(divide="ignore", invalid="ignore"):
        dice = np.nan_to_num(2 * shared / (sizes_a + sizes_b))
        overlap = np.nan_to_num(shared / np.minimum(sizes_a, sizes_b))
    return 50.0 * (dice + overlap)


class _Scores:
    """Similarity (0–100) of every source code to every target code.

    Per language, a label pair scores the mean of token_sort_ratio and WRatio; the codes' label
    score is their best language (a team that rewrote the label in its own language still matches
    on the English one). token_sort_ratio is cheap and computed for every pair; WRatio is not, so it
    is computed for each source's shortlist (its best targets by token_sort_ratio and by shared
    words), again within each hierarchy pass's candidates; elsewhere token_sort_ratio stands in for
    it. Descriptions compare by shared words.
    """

    SHORTLIST = 8

    def __init__(self, sources: list[Code], targets: list[Code]):
        shape = (len(sources), len(targets))
        self.source_labels = [{l: _fold(v) for l, v in c.labels.items() if _fold(v)} for c in sources]
        self.target_labels = [{l: _fold(v) for l, v in c.labels.items() if _fold(v)} for c in targets]
        self.exact = np.zeros(shape, dtype=bool)
        self.by_language: dict[str, np.ndarray] = {}  # mean of the two ratios; -1 where not shared
        words = np.zeros(shape)
        languages = sorted({lang for labels in (*self.source_labels, *self.target_labels) for lang in labels})
        for lang in languages:
            rows = [i for i, labels in enumerate(self.source_labels) if lang in labels]
            cols = [j for j, labels in enumerate(self.target_labels) if lang in labels]
            if not rows or not cols:
                continue
            queries = [self.source_labels[i][lang] for i in rows]
            choices = [self.target_labels[j][lang] for j in cols]
            block = np.ix_(rows, cols)
            scores = np.full(shape, -1.0)
            scores[block] = process.cdist(queries, choices, scorer=fuzz.token_sort_ratio, dtype=np.float64)
            self.by_language[lang] = scores
            words[block] = np.maximum(words[block], _word_overlap(queries, choices))
        self.described = np.zeros(shape, dtype=bool)
        self.description = np.zeros(shape)
        rows = [i for i, c in enumerate(sources) if _fold(c.description)]
        cols = [j for j, c in enumerate(targets) if _fold(c.description)]
        if rows and cols:
            block = np.ix_(rows, cols)
            self.description[block] = _word_overlap(
                [_fold(sources[i].description) for i in rows], [_fold(targets[j].description) for j in cols]
            )
            self.described[block] = True
        self.matrix = np.zeros(shape)
        self._combine()
        self.words = words
        self.shortlist(np.arange(shape[0]), np.arange(shape[1]))

    def shortlist(self, rows: np.ndarray, columns: np.ndarray) -> None:
        """Refine each row's best columns (by current score and by shared words) among `columns`."""
        if not len(rows) or not len(columns):
            return
        k = min(self.SHORTLIST, len(columns))
        block = np.ix_(rows, columns)
        by_score = np.argsort(-self.matrix[block], axis=1, kind="stable")[:, :k]
        by_words = np.argsort(-self.words[block], axis=1, kind="stable")[:, :k]
        picked = np.asarray(columns)[np.hstack([by_score, by_words])]
        self.refine(np.repeat(np.asarray(rows), picked.shape[1]), picked.ravel())

    def _combine(self, rows: np.ndarray | None = None, cols: np.ndarray | None = None) -> None:
        """Recompute the combined score, everywhere or at the (rows[k], cols[k]) pairs."""
        where = (slice(None), slice(None)) if rows is None else (rows, cols)
        labels = np.zeros(self.matrix[where].shape)
        for scores in self.by_language.values():
            labels = np.maximum(labels, scores[where])
        self.matrix[where] = np.where(
            self.described[where],
            (1 - DESCRIPTION_WEIGHT) * labels + DESCRIPTION_WEIGHT * self.description[where],
            labels,
        )

    def refine(self, rows: list[int] | np.ndarray, cols: list[int] | np.ndarray) -> None:
        """Bring WRatio into the (rows[k], cols[k]) pairs where it is not in yet."""
        if len(rows) == 0:
            return
        pairs = np.unique(np.stack([np.asarray(rows, dtype=np.int64), np.asarray(cols, dtype=np.int64)], 1), axis=0)
        pairs = pairs[~self.exact[pairs[:, 0], pairs[:, 1]]]
        if not len(pairs):
            return
        rows, cols = pairs[:, 0], pairs[:, 1]
        self.exact[rows, cols] = True
        for lang, scores in self.by_language.items():
            current = scores[rows, cols]
            shared = current >= 0
            if not shared.any():
                continue
            r, c = rows[shared], cols[shared]
            weighted = np.fromiter(
                (
                    fuzz.WRatio(self.source_labels[i][lang], self.target_labels[j][lang], processor=None)
                    for i, j in zip(r.tolist(), c.tolist())
                ),
                dtype=np.float64,
                count=len(r),
            )
            scores[r, c] = (current[shared] + weighted) / 2
        self._combine(rows, cols)


class _Merged:
    """The merged codebook as it grows, absorbing source codes one at a time."""

    def __init__(self) -> None:
        self.codes: dict[str, Code] = {}
        self.first_source: dict[tuple[str, str], str] = {}  # (merged key, lang) → codebook:key
        self.conflicts: list[LabelConflict] = []

    def absorb(self, codebook: str, code: Code, merged_key: str, parent: str | None) -> None:
        origin = f"{codebook}:{code.key}"
        lineage = [origin, *(p for p in code.provenance if p != origin)]
        target = self.codes.get(merged_key)
        if target is None:
            target = replace(
                code,
                key=merged_key,
                parent=parent if parent != merged_key else None,
                labels=dict(code.labels),
                provenance=[],
            )
            self.codes[merged_key] = target
            for lang in code.labels:
                self.first_source[(merged_key, lang)] = origin
        else:
            for lang, label in code.labels.items():
                kept = target.labels.get(lang)
                if kept is None or not kept.strip():
                    target.labels[lang] = label
                    self.first_source[(merged_key, lang)] = origin
                elif kept.strip() != label.strip():
                    self.conflicts.append(
                        LabelConflict(
                            merged_key, lang, kept, self.first_source.get((merged_key, lang), ""), label, origin
                        )
                    )
            for name in ("description", "inclusion", "exclusion", "example", "color", "guid"):
                if not getattr(target, name) and getattr(code, name):
                    setattr(target, name, getattr(code, name))
        for entry in lineage:
            if entry not in target.provenance:
                target.provenance.append(entry)

    def codebook(self, name: str, sources: list[Codebook], assignment: dict[tuple[str, str], str]) -> Codebook:
        languages: list[str] = []
        for book in sources:
            for lang in [*book.languages, *(l for c in book.codes for l in c.labels)]:
                if lang not in languages:
                    languages.append(lang)
        sets: dict[str, list[str]] = {}
        for book in sources:
            for set_name, members in book.sets.items():
                merged_members = sets.setdefault(set_name, [])
                for key in members:
                    mapped = assignment.get((book.name, key))
                    if mapped and mapped not in merged_members:
                        merged_members.append(mapped)
        ordered = [c for c, _ in _ordered(list(self.codes.values()))]
        return Codebook(
            name=name,
            version=None,
            languages=languages,
            codes=ordered,
            sets=sets,
            description="Merged from " + ", ".join(book.name for book in sources),
        )


def _check_names(codebooks: list[Codebook]) -> None:
    if not codebooks:
        raise CoderError("give at least one codebook to merge")
    seen: set[str] = set()
    for book in codebooks:
        if book.name in seen:
            raise CoderError(
                f"two codebooks are named {book.name!r}; give each its own `name:` — the mapping and "
                "`coder merge` tell the countries' codebooks apart by name"
            )
        seen.add(book.name)


def _assign(scores: np.ndarray, threshold: float) -> list[tuple[int, int]]:
    """One-to-one pairs maximising the total score, using only scores at or above the threshold."""
    if scores.size == 0:
        return []
    usable = np.where(scores >= threshold, scores, 0.0)
    if not usable.any():
        return []
    rows, cols = linear_sum_assignment(usable, maximize=True)
    return [(int(r), int(c)) for r, c in zip(rows, cols) if usable[r, c] > 0]


def _match(
    book: Codebook, merged: _Merged, threshold: float
) -> tuple[dict[str, tuple[str, float, str]], list[Uncertain]]:
    """Source key → (merged key, score, method) for one codebook against the merged codes so far."""
    ordered = _ordered(book.codes)
    targets = list(merged.codes.values())
    target_index = {c.key: j for j, c in enumerate(targets)}
    result: dict[str, tuple[str, float, str]] = {}
    taken: set[str] = set()
    for code, _ in ordered:
        if code.key in target_index:
            result[code.key] = (code.key, 100.0, "key")
            taken.add(code.key)
    pending = [(c, d) for c, d in ordered if c.key not in result]
    sources = [c for c, _ in pending]
    source_index = {c.key: i for i, c in enumerate(sources)}
    scores = _Scores(sources, targets)

    target_parents = np.array([t.parent or "" for t in targets], dtype=object)

    def scored(code: Code, columns: list[int]) -> np.ndarray:
        """Scores of one source code against the targets at `columns`, hierarchy bonus included."""
        row = scores.matrix[source_index[code.key], columns]
        if code.parent is not None and code.parent in result:
            row = row + np.where(target_parents[columns] == result[code.parent][0], HIERARCHY_BONUS, 0.0)
        return np.minimum(row, 100.0)

    def assign(group: list[Code], candidates: list[Code]) -> None:
        candidates = [t for t in candidates if t.key not in taken]
        if not group or not candidates:
            return
        columns = [target_index[t.key] for t in candidates]
        if len(columns) < len(targets):  # a hierarchy pass: few pairs, compare them fully
            scores.shortlist(np.array([source_index[c.key] for c in group]), np.array(columns))
        matrix = np.vstack([scored(c, columns) for c in group])
        for i, j in _assign(matrix, threshold):
            result[group[i].key] = (candidates[j].key, float(matrix[i, j]), "fuzzy")
            taken.add(candidates[j].key)

    every = list(range(len(targets)))
    best_candidate: dict[str, int] = {}
    depths = sorted({d for _, d in pending})
    for depth in depths:
        level = [c for c, d in pending if d == depth and c.key not in result]
        # Children of a matched parent are compared with that parent's children first.
        by_parent: dict[str, list[Code]] = {}
        for c in level:
            if c.parent in result and result[c.parent][0] in target_index:
                by_parent.setdefault(result[c.parent][0], []).append(c)
        for parent_key in sorted(by_parent):
            assign(by_parent[parent_key], [t for t in targets if t.parent == parent_key])
        assign([c for c in level if c.key not in result], targets)
        # What is still unmatched becomes new, placed under wherever its parent went.
        for c in level:
            if c.key in result:
                continue
            best = 0.0
            if targets:
                row = scored(c, every)
                best_candidate[c.key] = int(np.argmax(row))  # first of equals: deterministic
                best = float(row[best_candidate[c.key]])
            result[c.key] = (c.key, best, "new")
    uncertain: list[Uncertain] = []
    for code, _ in ordered:
        merged_key, score, method = result[code.key]
        if method == "fuzzy" and score < threshold + UNCERTAIN_ABOVE:
            candidate = merged.codes[merged_key]
        elif method == "new" and targets and score >= threshold - UNCERTAIN_BELOW:
            candidate = targets[best_candidate[code.key]]
        else:
            continue
        uncertain.append(
            Uncertain(book.name, code.key, code.label(), candidate.key, candidate.label(), score, method)
        )
    return result, uncertain


def merge_codebooks(
    codebooks: list[Codebook],
    *,
    threshold: float = DEFAULT_THRESHOLD,
    name: str = "merged",
    edited: list[MappingRow] | None = None,
    key_only: bool = False,
) -> CodebookMerge:
    """Merge codebooks (first = base). With `edited` rows, the lead's mapping decides instead.

    `key_only` unites codebooks by key alone (what `coder merge` does without a merged codebook).
    """
    _check_names(codebooks)
    if not 0 <= threshold <= 100:
        raise CoderError(f"the threshold is a score from 0 to 100, not {threshold:g}")
    merged = _Merged()
    rows: list[MappingRow] = []
    uncertain: list[Uncertain] = []
    assignment: dict[tuple[str, str], str] = {}
    automatic: dict[tuple[str, str], tuple[str, float, str]] = {}
    for position, book in enumerate(codebooks):
        if position == 0:
            matches = {c.key: (c.key, 100.0, "key") for c in book.codes}
        elif key_only:
            matches = {
                c.key: (c.key, 100.0, "key") if c.key in merged.codes else (c.key, 0.0, "new")
                for c in book.codes
            }
        else:
            matches, unsure = _match(book, merged, threshold)
            uncertain += unsure
        for code, _ in _ordered(book.codes):
            merged_key = matches[code.key][0]
            parent = assignment.get((book.name, code.parent)) if code.parent else None
            merged.absorb(book.name, code, merged_key, parent)
            assignment[(book.name, code.key)] = merged_key
            automatic[(book.name, code.key)] = matches[code.key]
            rows.append(MappingRow(book.name, code.key, code.label(), *matches[code.key]))
    if edited is None:
        return CodebookMerge(merged.codebook(name, codebooks, assignment), rows, uncertain, merged.conflicts)
    return _apply_edited(codebooks, edited, automatic, name, uncertain)


def _apply_edited(
    codebooks: list[Codebook],
    edited: list[MappingRow],
    automatic: dict[tuple[str, str], tuple[str, float, str]],
    name: str,
    uncertain: list[Uncertain],
) -> CodebookMerge:
    """Build the merged codebook from the lead's mapping; changed rows become `manual`."""
    given = {(r.source_codebook, r.source_key): r for r in edited}
    problems = [
        f"{book}:{key} is in the mapping but in none of the codebooks given"
        for (book, key) in given
        if (book, key) not in automatic
    ]
    problems += [
        f"{book}:{key} has no row in the mapping" for (book, key) in automatic if (book, key) not in given
    ]
    if problems:
        raise CoderError(
            f"the mapping does not fit these codebooks ({len(problems)} problems):\n  " + "\n  ".join(problems)
        )
    merged = _Merged()
    rows: list[MappingRow] = []
    assignment: dict[tuple[str, str], str] = {}
    for book in codebooks:
        for code, _ in _ordered(book.codes):
            row = given[(book.name, code.key)]
            auto_key, auto_score, auto_method = automatic[(book.name, code.key)]
            if row.method == "manual" or row.merged_key != auto_key:
                method, score = "manual", row.score
            else:
                method, score = auto_method, auto_score
            parent = assignment.get((book.name, code.parent)) if code.parent else None
            merged.absorb(book.name, code, row.merged_key, parent)
            assignment[(book.name, code.key)] = row.merged_key
            rows.append(MappingRow(book.name, code.key, code.label(), row.merged_key, score, method))
    decided = {(r.source_codebook, r.source_key) for r in rows if r.method == "manual"}
    still_uncertain = [u for u in uncertain if (u.source_codebook, u.source_key) not in decided]
    return CodebookMerge(merged.codebook(name, codebooks, assignment), rows, still_uncertain, merged.conflicts)
