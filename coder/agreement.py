"""Inter-coder agreement: how far two or more coders agree, per code and overall.

Everything is computed from the codings table; nothing is written. Three layers:

1. Plain statistics on counted data (no project): `cohen_kappa`, `nvivo_kappa`, `nominal_alpha`,
   `percent_agreement`, `unitized_alpha`.
2. `agreement(project, coders=…)`: the report behind `coder agreement` — per code and overall
   figures at the chosen unit (character, sentence, paragraph) and the disagreement list.
3. `comparison(project, document_id, coder_a, coder_b)`: one document, two coders, for the
   TUI's compare screen.

Units. A *unit* is a character, a sentence or a paragraph of a counted document. For each code, a
coder's value on a unit is 1 when any of the coder's codings of that code overlaps it, 0 when not,
and missing when the coder has no coding at all in that document (they did not code it). Runs of
characters whose values are the same for every coder are counted together (weighted), which makes
character-level figures cheap even for long documents.
"""

from __future__ import annotations

import bisect
import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import asdict, dataclass, field
from typing import Any

from coder.errors import CoderError
from coder.sentences import paragraph_spans, sentence_spans
from coder.store import Project

UNITS = ("char", "sentence", "paragraph")

# One unit's values, one per coder: 1 coded, 0 not coded, None missing (coder did not code the doc).
State = tuple  # tuple[int | None, ...]


# ---------------------------------------------------------------------------------------------
# Statistics on counted data
# ---------------------------------------------------------------------------------------------


def _present(state: Sequence[Any]) -> list[Any]:
    return [v for v in state if v is not None]


def percent_agreement(states: Mapping[State, float]) -> tuple[float | None, float]:
    """Share of units on which every coder who coded the unit gives the same value.

    `states` maps a unit's per-coder values to how many units have them. Units with fewer than two
    values are not pairable and do not count. Returns (agreement in [0, 1] or None, units counted).
    """
    agree = total = 0.0
    for state, weight in states.items():
        values = _present(state)
        if len(values) < 2:
            continue
        total += weight
        if len(set(values)) == 1:
            agree += weight
    return (agree / total if total else None), total


def cohen_kappa(states: Mapping[State, float]) -> tuple[float | None, float]:
    """Cohen's kappa for two coders over the units both coded.

    kappa = (p_o - p_e) / (1 - p_e), with p_e from each coder's own marginal distribution. When
    p_e = 1 (both coders gave one and the same value to every unit) the coders agree completely
    and kappa is 1, as NVivo reports it. Returns (kappa or None when no unit, units counted).
    """
    joint: Counter = Counter()
    for state, weight in states.items():
        if len(state) != 2:
            raise ValueError("Cohen's kappa compares exactly two coders")
        if state[0] is None or state[1] is None:
            continue
        joint[(state[0], state[1])] += weight
    total = sum(joint.values())
    if not total:
        return None, 0.0
    first: Counter = Counter()
    second: Counter = Counter()
    for (a, b), weight in joint.items():
        first[a] += weight
        second[b] += weight
    observed = sum(w for (a, b), w in joint.items() if a == b) / total
    expected = sum(first[v] * second[v] for v in first) / (total * total)
    if expected >= 1.0 - 1e-12:
        return (1.0 if observed >= 1.0 - 1e-12 else 0.0), total
    return (observed - expected) / (1.0 - expected), total


def nvivo_kappa(length: int, coded_a: int, coded_b: int, coded_both: int) -> float:
    """Kappa for one code in one document as NVivo's coding comparison query computes it.

    Every character is a unit. EF = (A·B + notA·notB) / N; K = (agreed - EF) / (N - EF); when
    N = EF the coders agree completely and K = 1.
    """
    not_a, not_b = length - coded_a, length - coded_b
    agreed = coded_both + (length - coded_a - coded_b + coded_both)
    expected = (coded_a * coded_b + not_a * not_b) / length
    if abs(length - expected) < 1e-9:
        return 1.0
    return (agreed - expected) / (length - expected)


def nominal_alpha(units: Iterable[Sequence[Any]] | Mapping[State, float]) -> tuple[float | None, float]:
    """Krippendorff's alpha, nominal metric, any number of coders, missing values allowed.

    `units` is either an iterable of units (each the sequence of values the coders gave it, None
    where a coder gave none) or a mapping from such a sequence to how many units have it. Built from
    the coincidence matrix as in Krippendorff (2011): alpha = 1 - (n - 1) · Σ_{c≠k} o_ck / Σ_{c≠k} n_c
    n_k. Returns (alpha or None when undefined, number of pairable values n).
    """
    weighted: Mapping[Any, float] = (
        units if isinstance(units, Mapping) else Counter(tuple(u) for u in units)
    )
    disagree = 0.0  # Σ over c≠k of o_ck
    totals: Counter = Counter()  # n_c
    for state, weight in weighted.items():
        values = Counter(_present(state))
        m = sum(values.values())
        if m < 2:
            continue
        for value, count in values.items():
            totals[value] += count * weight
        # ordered pairs of different values within the unit, each pair weighing 1 / (m - 1)
        same = sum(count * (count - 1) for count in values.values())
        disagree += weight * (m * (m - 1) - same) / (m - 1)
    n = sum(totals.values())
    if n <= 1:
        return None, n
    expected = n * n - sum(c * c for c in totals.values())  # Σ_{c≠k} n_c n_k
    if expected == 0:
        # Every pairable value is the same: no variation, alpha is undefined.
        return None, n
    return 1.0 - (n - 1) * disagree / expected, n


@dataclass(frozen=True)
class UnitizedAlpha:
    alpha: float | None
    observed: float  # uD_o
    expected: float  # uD_e
    length: int  # L, characters in the continuum


def _merge(spans: Iterable[tuple[int, int]]) -> list[tuple[int, int]]:
    merged: list[list[int]] = []
    for start, end in sorted(spans):
        if merged and start <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], end)
        else:
            merged.append([start, end])
    return [(s, e) for s, e in merged]


def _sections(units: list[tuple[int, int]], length: int) -> list[tuple[int, int, bool]]:
    """The continuum cut into a coder's units (True) and the gaps between them (False)."""
    out, pos = [], 0
    for start, end in units:
        if start > pos:
            out.append((pos, start, False))
        out.append((start, end, True))
        pos = end
    if pos < length:
        out.append((pos, length, False))
    return out


def _distance(g: tuple[int, int, bool], h: tuple[int, int, bool]) -> int:
    """Krippendorff's (2004) squared distance between two overlapping sections."""
    (bg, eg, ug), (bh, eh, uh) = g, h
    if eg <= bh or eh <= bg:  # no overlap
        return 0
    if ug and uh:
        return (bg - bh) ** 2 + (eg - eh) ** 2
    if ug and not uh and bh <= bg and eg <= eh:
        return (eg - bg) ** 2
    if uh and not ug and bg <= bh and eh <= eg:
        return (eh - bh) ** 2
    return 0


def unitized_alpha(length: int, coders_units: Sequence[Iterable[tuple[int, int]]]) -> UnitizedAlpha:
    """Krippendorff's unitizing alpha for one category on a continuum of `length` characters.

    `coders_units` holds, per coder, the (start, end) spans the coder gave the category (spans that
    overlap or touch are merged: a character is either in the category or not). Implements the
    binary u-alpha of Krippendorff (1995; Content Analysis, 2nd ed., 2004, worked example p. 254),
    the idea behind ATLAS.ti's binary alpha per code: the continuum is cut, per coder, into units and gaps; two
    overlapping units differ by the squared differences of their beginnings and ends, a unit lying
    inside another coder's gap by its squared length, anything else by 0.

        uD_o = Σ_i Σ_{j≠i} Σ_g Σ_h δ²(g, h) / (m (m-1) L²)
        uD_e = (2/L) Σ_units [ (N-1)(2l³ - 3l² + l)/3 + l² Σ_{gaps ≥ l} (gap - l + 1) ]
               / ( mL (mL - 1) - Σ_units l (l - 1) )
        u-alpha = 1 - uD_o / uD_e
    """
    m = len(coders_units)
    if m < 2:
        raise ValueError("unitizing alpha needs at least two coders")
    merged = [_merge(units) for units in coders_units]
    sections = [_sections(units, length) for units in merged]
    observed = 0.0
    for i in range(m):
        for j in range(i + 1, m):
            a, b = sections[i], sections[j]
            x = y = 0
            while x < len(a) and y < len(b):
                observed += _distance(a[x], b[y])
                end_a, end_b = a[x][1], b[y][1]
                if end_a <= end_b:
                    x += 1
                if end_b <= end_a:
                    y += 1
    observed = 2.0 * observed / (m * (m - 1) * length * length) if length else 0.0
    all_units = [e - s for units in merged for s, e in units]
    gaps = sorted(e - s for secs in sections for s, e, is_unit in secs if not is_unit)
    suffix_sums = [0] * (len(gaps) + 1)  # suffix_sums[k] = Σ gaps[k:]
    for k in range(len(gaps) - 1, -1, -1):
        suffix_sums[k] = suffix_sums[k + 1] + gaps[k]
    n_units = len(all_units)
    numerator = 0.0
    for l in all_units:
        k = bisect.bisect_left(gaps, l)  # gaps[k:] are the gaps at least l long
        fits = suffix_sums[k] - (l - 1) * (len(gaps) - k)  # Σ (gap - l + 1)
        numerator += (n_units - 1) * (2 * l**3 - 3 * l**2 + l) / 3 + l * l * fits
    denominator = m * length * (m * length - 1) - sum(l * (l - 1) for l in all_units)
    expected = (2.0 / length) * numerator / denominator if length and denominator else 0.0
    # No unit at all, or no possible disagreement: alpha is undefined.
    alpha = 1.0 - observed / expected if all_units and expected else None
    return UnitizedAlpha(alpha, observed, expected, length)


# ---------------------------------------------------------------------------------------------
# Units of text
# ---------------------------------------------------------------------------------------------

def unit_spans(text: str, unit: str, lang: str | None = None) -> list[tuple[int, int]]:
    """Sentence or paragraph units, cut as the TUI navigates (coder.sentences): paragraphs are
    separated by blank lines; sentences by spaCy's rule-based sentencizer, never crossing a line."""
    if unit == "sentence":
        return sentence_spans(text, lang)
    if unit == "paragraph":
        return paragraph_spans(text)
    raise ValueError(f"unknown unit {unit!r}")


# ---------------------------------------------------------------------------------------------
# Per document, per code: runs of characters with constant coder values
# ---------------------------------------------------------------------------------------------


def _runs(
    length: int, coders_spans: Sequence[list[tuple[int, int]] | None]
) -> list[tuple[int, int, State]]:
    """Cut [0, length) where any coder's coding starts or ends; each run has one State."""
    merged = [None if spans is None else _merge(spans) for spans in coders_spans]
    cuts = {0, length}
    for spans in merged:
        for s, e in spans or ():
            cuts.update((s, e))
    points = sorted(c for c in cuts if 0 <= c <= length)
    runs = []
    for start, end in zip(points, points[1:]):
        state = tuple(
            None if spans is None else int(any(s <= start and end <= e for s, e in spans))
            for spans in merged
        )
        runs.append((start, end, state))
    return runs


def _coded_lengths(runs: list[tuple[int, int, State]]) -> tuple[int, int, int]:
    """Characters coded by the first coder, by the second, and by both (two coders' runs)."""
    a = b = both = 0
    for start, end, (first, second) in runs:
        a += (end - start) if first else 0
        b += (end - start) if second else 0
        both += (end - start) if first and second else 0
    return a, b, both


def _unit_states(
    units: list[tuple[int, int]], coders_spans: Sequence[list[tuple[int, int]] | None]
) -> list[State]:
    """A unit counts as coded by a coder when any of the coder's spans overlaps it."""
    return [
        tuple(
            None if spans is None else int(any(s < u_end and u_start < e for s, e in spans))
            for spans in coders_spans
        )
        for u_start, u_end in units
    ]


# ---------------------------------------------------------------------------------------------
# The project report
# ---------------------------------------------------------------------------------------------


@dataclass
class CodeAgreement:
    """Figures for one code (or, with code None, overall). None where a figure is undefined."""

    code: str | None
    label: str
    units: float  # units the percent agreement, kappa and alpha rest on
    percent: float | None  # share of units all coders agree on, 0..1
    kappa: float | None  # Cohen's kappa at the chosen unit (two coders only)
    nvivo_kappa: float | None  # character-level kappa per document, averaged weighted by length
    alpha: float | None  # Krippendorff's alpha, nominal, at the chosen unit
    alpha_values: float  # pairable values alpha rests on
    u_alpha: float | None  # Krippendorff's binary unitizing alpha on the character continuum
    u_alpha_chars: int  # characters u-alpha rests on
    coded: dict[str, int] = field(default_factory=dict)  # characters coded, per coder


@dataclass
class Disagreement:
    code: str
    document_id: int
    title: str
    start: int
    end: int
    coded_by: list[str]
    not_coded_by: list[str]
    before: str | None = None  # context and passage; None when the text may not leave
    passage: str | None = None
    after: str | None = None
    withheld: str | None = None  # why the text is not shown


@dataclass
class AgreementReport:
    coders: list[str]
    unit: str
    documents: list[dict[str, Any]]  # id, title, length, missing (coders who did not code it)
    codes: list[CodeAgreement]
    overall: CodeAgreement
    disagreements: list[Disagreement]
    disagreements_total: int

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def coders_in(project: Project) -> list[str]:
    return [r[0] for r in project.db.execute("SELECT DISTINCT coder FROM codings ORDER BY coder")]


def _coded_documents(project: Project, coder: str) -> set[int]:
    rows = project.db.execute("SELECT DISTINCT document_id FROM codings WHERE coder = ?", [coder])
    return {r[0] for r in rows}


def _spans_by(
    project: Project, document_ids: Sequence[int], coders: Sequence[str]
) -> dict[tuple[int, str, str], list[tuple[int, int]]]:
    """(document, code, coder) -> spans, for the given documents and coders."""
    out: dict[tuple[int, str, str], list[tuple[int, int]]] = defaultdict(list)
    if not document_ids:
        return out
    marks = ", ".join("?" for _ in document_ids)
    coder_marks = ", ".join("?" for _ in coders)
    rows = project.db.execute(
        f'SELECT c.document_id, k.key, c.coder, c.start, c."end" FROM codings c '
        f"JOIN codes k ON k.id = c.code_id WHERE c.document_id IN ({marks}) "
        f"AND c.coder IN ({coder_marks}) ORDER BY c.start",
        [*document_ids, *coders],
    )
    for doc_id, key, coder, start, end in rows:
        out[(doc_id, key, coder)].append((start, end))
    return out


def _check_coders(project: Project, coders: Sequence[str]) -> list[str]:
    coders = list(dict.fromkeys(c.strip() for c in coders if c.strip()))
    if len(coders) < 2:
        raise CoderError("agreement needs at least two coders: --coders A,B")
    known = coders_in(project)
    unknown = [c for c in coders if c not in known]
    if unknown:
        raise CoderError(
            f"no codings by {', '.join(unknown)} in this project; coders here: "
            f"{', '.join(known) or 'none'}"
        )
    return coders


def agreement(
    project: Project,
    *,
    coders: Sequence[str],
    codes: Sequence[str] | None = None,
    documents: Sequence[int | str] | None = None,
    unit: str = "char",
    max_disagreements: int | None = 50,
    context_words: int = 6,
    release: bool = True,
) -> AgreementReport:
    """Agreement between `coders`, per code and overall, with the passages they disagree on.

    Documents counted: those every coder has at least one coding in (of any code), unless
    `documents` names them. Codes: `codes`, else every code a coder applied in those documents.
    With `release`, disagreement text goes through the identifier gate (and consent) first.
    """
    if unit not in UNITS:
        raise CoderError(f"unit must be one of {', '.join(UNITS)}, not {unit!r}")
    coders = _check_coders(project, coders)
    coded_by = {c: _coded_documents(project, c) for c in coders}
    if documents:
        doc_ids = list(dict.fromkeys(project.document(d)["id"] for d in documents))
    else:
        doc_ids = sorted(set.intersection(*coded_by.values()))
        if not doc_ids:
            raise CoderError(
                f"no document has codings by all of {', '.join(coders)}; name documents with --docs"
            )
    docs = [project.document(d) for d in doc_ids]
    spans = _spans_by(project, doc_ids, coders)
    if codes:
        code_rows = [project.code(k) for k in dict.fromkeys(codes)]
    else:
        used = {key for (_, key, _) in spans}
        code_rows = [c for c in project.codes() if c["key"] in used]
        if not code_rows:
            raise CoderError("the selected coders applied no code in these documents")
    lang_default = project.language

    unit_cache: dict[int, list[tuple[int, int]]] = {}

    def units_of(doc: dict[str, Any]) -> list[tuple[int, int]]:
        if doc["id"] not in unit_cache:
            unit_cache[doc["id"]] = unit_spans(doc["text"], unit, doc["language"] or lang_default)
        return unit_cache[doc["id"]]

    per_code: list[CodeAgreement] = []
    pooled_states: Counter = Counter()
    pooled_nvivo: list[float] = []
    pooled_u_observed = pooled_u_expected = 0.0
    pooled_u_chars = 0
    found: list[Disagreement] = []
    for code in code_rows:
        key = code["key"]
        states: Counter = Counter()
        nvivo_weighted = nvivo_length = 0.0
        continuum: list[list[tuple[int, int]]] = [[] for _ in coders]
        offset = 0
        coded_chars = Counter()
        for doc in docs:
            length = len(doc["text"])
            if not length:
                continue
            coders_spans = [
                spans.get((doc["id"], key, c), []) if doc["id"] in coded_by[c] else None
                for c in coders
            ]
            runs = _runs(length, coders_spans)
            for start, end, state in runs:
                for coder, value in zip(coders, state):
                    if value:
                        coded_chars[coder] += end - start
            if unit == "char":
                for start, end, state in runs:
                    states[state] += end - start
            else:
                for state in _unit_states(units_of(doc), coders_spans):
                    states[state] += 1
            if len(coders) == 2 and None not in coders_spans:
                nvivo_weighted += nvivo_kappa(length, *_coded_lengths(runs)) * length
                nvivo_length += length
            if None not in coders_spans:
                for i, coder_spans in enumerate(coders_spans):
                    continuum[i].extend((s + offset, e + offset) for s, e in _merge(coder_spans))
                offset += length
            found.extend(_disagreements(doc, key, coders, coders_spans, runs, units_of, unit))
        percent, n_units = percent_agreement(states)
        kappa = cohen_kappa(states)[0] if len(coders) == 2 else None
        alpha, n_values = nominal_alpha(states)
        nv = nvivo_weighted / nvivo_length if nvivo_length else None
        if offset:
            u = unitized_alpha(offset, continuum)
            pooled_u_observed += u.observed
            pooled_u_expected += u.expected
            u_value = u.alpha
        else:
            u_value = None
        pooled_u_chars += offset
        if nv is not None:
            pooled_nvivo.append(nv)
        pooled_states.update(states)
        per_code.append(
            CodeAgreement(
                code=key, label=project.label(code), units=n_units, percent=percent, kappa=kappa,
                nvivo_kappa=nv, alpha=alpha, alpha_values=n_values, u_alpha=u_value,
                u_alpha_chars=offset, coded={c: coded_chars[c] for c in coders},
            )
        )
    percent, n_units = percent_agreement(pooled_states)
    alpha, n_values = nominal_alpha(pooled_states)
    overall = CodeAgreement(
        code=None, label="overall", units=n_units, percent=percent,
        kappa=cohen_kappa(pooled_states)[0] if len(coders) == 2 else None,
        nvivo_kappa=sum(pooled_nvivo) / len(pooled_nvivo) if pooled_nvivo else None,
        alpha=alpha, alpha_values=n_values,
        u_alpha=(1.0 - pooled_u_observed / pooled_u_expected) if pooled_u_expected else None,
        u_alpha_chars=pooled_u_chars,
        coded={c: sum(row.coded.get(c, 0) for row in per_code) for c in coders},
    )
    total = len(found)
    shown = found if max_disagreements is None else found[: max(0, max_disagreements)]
    if shown:
        by_id = {d["id"]: d for d in docs}
        for item in shown:
            _fill_text(project, by_id[item.document_id], item, context_words, release)
    documents_out = [
        {
            "id": d["id"], "title": d["title"], "length": len(d["text"]),
            "missing": [c for c in coders if d["id"] not in coded_by[c]],
        }
        for d in docs
    ]
    return AgreementReport(
        coders=coders, unit=unit, documents=documents_out, codes=per_code, overall=overall,
        disagreements=shown, disagreements_total=total,
    )


def _disagreements(
    doc: dict[str, Any],
    key: str,
    coders: Sequence[str],
    coders_spans: Sequence[list[tuple[int, int]] | None],
    runs: list[tuple[int, int, State]],
    units_of: Any,
    unit: str,
) -> list[Disagreement]:
    """Stretches where the coders who coded the document do not all agree on `key`."""
    if unit == "char":
        pieces = runs
    else:
        units = units_of(doc)
        states = _unit_states(units, coders_spans)
        pieces = [(start, end, state) for (start, end), state in zip(units, states)]
    out: list[Disagreement] = []
    for start, end, state in pieces:
        present = [(c, v) for c, v in zip(coders, state) if v is not None]
        if len(present) < 2 or len({v for _, v in present}) == 1:
            continue
        yes = [c for c, v in present if v]
        no = [c for c, v in present if not v]
        last = out[-1] if out else None
        if last and last.end == start and last.coded_by == yes and last.not_coded_by == no:
            last.end = end
            continue
        out.append(Disagreement(key, doc["id"], doc["title"], start, end, yes, no))
    return out


_WORD = re.compile(r"\S+")


def context_bounds(text: str, start: int, end: int, words: int) -> tuple[int, int]:
    """Offsets `words` words before `start` and after `end` (within the same paragraph-ish line)."""
    before = [m.start() for m in _WORD.finditer(text, max(0, start - 40 * words), start)]
    ctx_start = before[-words] if len(before) >= words else (before[0] if before else start)
    after = [m.end() for m in _WORD.finditer(text, end, min(len(text), end + 40 * words))]
    ctx_end = after[words - 1] if len(after) >= words else (after[-1] if after else end)
    return min(ctx_start, start), max(ctx_end, end)


def _fill_text(
    project: Project, doc: dict[str, Any], item: Disagreement, words: int, release: bool
) -> None:
    """Put the passage and its context on `item`, or say why they are withheld.

    With `release`, the text goes through the identifier gate like any export: refused while the
    document has open flags, when the last re-scan finds something unreviewed, or without consent.
    """
    ctx_start, ctx_end = context_bounds(doc["text"], item.start, item.end, words)
    if release:
        from coder.gate import quote_consent, release_passage

        if not quote_consent(doc):
            item.withheld = "no consent to quote"
            return
        try:
            window = release_passage(project, doc["id"], ctx_start, ctx_end)
        except CoderError:
            item.withheld = "identifiers not reviewed; see `coder flags`"
            return
    else:
        window = doc["text"][ctx_start:ctx_end]
    a, b = item.start - ctx_start, item.end - ctx_start
    item.before, item.passage, item.after = window[:a], window[a:b], window[b:]


# ---------------------------------------------------------------------------------------------
# One document, two coders (the TUI's compare screen)
# ---------------------------------------------------------------------------------------------


@dataclass
class Comparison:
    document_id: int
    title: str
    text: str
    coder_a: str
    coder_b: str
    codings_a: list[dict[str, Any]]  # code, start, end, label
    codings_b: list[dict[str, Any]]
    codes: list[CodeAgreement]  # per code figures on this document (characters)
    disagreements: list[Disagreement]
    colors: dict[str, str]  # code key -> colour (codebook colour or "")


def comparison(project: Project, document_id: int, coder_a: str, coder_b: str) -> Comparison:
    """Both coders' codings of one document, per-code figures and where they differ.

    Text stays inside the tool (the screen shows the document), so no gate applies here.
    """
    doc = project.document(document_id)
    coders = [coder_a, coder_b]
    spans = _spans_by(project, [doc["id"]], coders)
    code_rows = {c["key"]: c for c in project.codes()}
    used = [k for k in code_rows if any((doc["id"], k, c) in spans for c in coders)]
    length = len(doc["text"])
    figures: list[CodeAgreement] = []
    found: list[Disagreement] = []
    for key in used:
        coders_spans = [spans.get((doc["id"], key, c), []) for c in coders]
        runs = _runs(length, coders_spans) if length else []
        states: Counter = Counter()
        for start, end, state in runs:
            states[state] += end - start
        a, b, both = _coded_lengths(runs)
        percent, n = percent_agreement(states)
        alpha, n_values = nominal_alpha(states)
        figures.append(
            CodeAgreement(
                code=key, label=project.label(code_rows[key]), units=n, percent=percent,
                kappa=cohen_kappa(states)[0], nvivo_kappa=nvivo_kappa(length, a, b, both) if length else None,
                alpha=alpha, alpha_values=n_values,
                u_alpha=unitized_alpha(length, coders_spans).alpha if length else None,
                u_alpha_chars=length, coded={coder_a: a, coder_b: b},
            )
        )
        found.extend(_disagreements(doc, key, coders, coders_spans, runs, None, "char"))
    found.sort(key=lambda d: (d.start, d.end, d.code))
    for item in found:
        _fill_text(project, doc, item, 4, release=False)

    def listing(coder: str) -> list[dict[str, Any]]:
        return sorted(
            (
                {"code": k, "label": project.label(code_rows[k]), "start": s, "end": e}
                for (d, k, c), ss in spans.items() if c == coder
                for s, e in ss
            ),
            key=lambda x: (x["start"], x["end"], x["code"]),
        )

    return Comparison(
        document_id=doc["id"], title=doc["title"], text=doc["text"], coder_a=coder_a,
        coder_b=coder_b, codings_a=listing(coder_a), codings_b=listing(coder_b), codes=figures,
        disagreements=found, colors={k: code_rows[k].get("color") or "" for k in used},
    )
