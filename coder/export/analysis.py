"""What every export shows: theme × country matrices, co-occurrence, chi-square tests and quotes.

Counting rules (also in the README):
- A *theme* is a top-level code; it rolls up the codings of all its descendants. Every code also
  gets its own row, rolling up its own descendants.
- *Passages* are distinct coded spans (document, start, end): the same span coded by two coders,
  or by two codes of one theme, counts once for that theme.
- *Participants* are distinct (country, participant) pairs; a document without a participant id
  (typically a survey answer) counts as a participant of its own.
- A country's *share* is participants coded with the theme ÷ all participants of that country in
  the filtered documents.
- *Co-occurrence* (theme level): the number of pairs of passages of two different themes that
  overlap in the same document.
- *Chi-square*: per theme, participants with / without the theme × country (Pearson, no
  continuity correction), over countries with at least one participant.
"""

from __future__ import annotations

import re
import string
from operator import itemgetter
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from typing import Any, Callable

from coder.errors import CoderError
from coder.gate import quote_consent
from coder.store import KINDS, Project

DEFAULT_ATTRIBUTION = {
    "conversation": "(Conversations’ Participant {participant_number}, {country})",
    "survey": "(Survey Respondent from {country})",
    "memo": "(Memo, {country})",
}
ATTRIBUTION_KINDS = tuple(DEFAULT_ATTRIBUTION)
UNKNOWN_COUNTRY = "(no country)"


# -- filters and loading ------------------------------------------------------------------------


@dataclass
class Filters:
    codes: list[str] | None = None  # code keys; each selects itself and its descendants
    countries: list[str] | None = None
    kind: str | None = None
    lang: str | None = None  # label language


def _check_kind(kind: str) -> None:
    if kind not in ATTRIBUTION_KINDS:
        raise CoderError(f"kind must be one of {', '.join(ATTRIBUTION_KINDS)}, not {kind!r}")


def attribution_template(project: Project, kind: str) -> str:
    """How quotes from documents of this kind are attributed: the project's template or the default."""
    _check_kind(kind)
    return project.meta(f"attribution.{kind}") or DEFAULT_ATTRIBUTION[kind]


def set_attribution_template(project: Project, kind: str, template: str) -> None:
    """Store the attribution template for one document kind, after checking it renders."""
    _check_kind(kind)
    try:
        fields = [f for _, f, _, _ in string.Formatter().parse(template) if f is not None]
    except ValueError as exc:
        raise CoderError(f"attribution template {template!r}: {exc}") from None
    for name in fields:
        if not re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", name):
            raise CoderError(
                f"attribution template field {{{name}}} must be a plain name such as {{country}}"
            )
    try:  # a format spec such as {country:d} only fails when rendered: find out now, not mid-export
        attribute(template, {"id": 0, "country": "Mexico", "participant": "P01", "attributes": {}})
    except (ValueError, TypeError, IndexError, KeyError) as exc:
        raise CoderError(f"attribution template {template!r}: {exc}") from None
    with project.transaction():
        project.set_meta(f"attribution.{kind}", template)
        project.audit("export.attribution", kind)


def participant_number(participant: str | None) -> str:
    """'P09' → '9', 'p3' → '3', '12' → '12'; anything else unchanged."""
    if not participant:
        return ""
    match = re.fullmatch(r"[Pp]?0*(\d+)", participant.strip())
    if match:
        return match.group(1) or "0"
    return participant.strip()


class _Blank(dict):
    def __missing__(self, key: str) -> str:
        return ""


def attribute(template: str, doc: dict[str, Any]) -> str:
    """Render an attribution from a document's fields and attributes."""
    values = _Blank({k: v for k, v in (doc.get("attributes") or {}).items()})
    for name in ("title", "kind", "country", "language", "participant", "facilitator", "date"):
        values[name] = doc.get(name) or ""
    values["participant_number"] = participant_number(doc.get("participant"))
    return template.format_map(values)


def participant_identity(doc: dict[str, Any]) -> tuple:
    if doc.get("participant"):
        return ("p", (doc.get("country") or "").lower(), doc["participant"].strip().lower())
    return ("d", doc["id"])


# -- the report ---------------------------------------------------------------------------------


@dataclass
class Quote:
    document_id: int
    start: int
    end: int
    country: str
    attribution: str
    text: str
    translation: str | None = None


@dataclass
class Report:
    project_name: str
    filters: Filters
    min_cell: int | None
    countries: list[str]
    country_totals: dict[str, dict[str, int]]  # country → {"documents", "participants"}
    themes: list[dict[str, Any]]  # top-level codes: key, label
    codes: list[dict[str, Any]]  # every selected code: key, label, parent, depth, theme
    matrix: dict[str, dict[str, dict[str, int]]]  # code key → country → {passages, documents, participants}
    cooccurrence: dict[tuple[str, str], int]  # (theme a, theme b), a < b in theme order
    tests: dict[str, dict[str, Any]]  # theme key → chi-square result
    quotes: dict[str, dict[str, list[Quote]]] = field(default_factory=dict)  # theme → country → quotes
    withheld: dict[str, int] = field(default_factory=dict)  # theme → passages without consent
    counts_only: bool = True

    def suppressed(self, value: int) -> bool:
        """Whether --min-cell hides this count (0 is never hidden)."""
        return bool(self.min_cell) and 0 < value < self.min_cell

    def cell(self, value: int) -> str:
        """A count as shown in text: '<N' when suppressed."""
        return f"<{self.min_cell}" if self.suppressed(value) else str(value)

    def count(self, value: int) -> int | str:
        """A count as stored in a table or JSON: the number, or the text '<N' when suppressed."""
        return self.cell(value) if self.suppressed(value) else value

    def share(self, code_key: str, country: str) -> str:
        """Share of a country's participants coded with this code, as shown ('' when suppressed)."""
        parts = self._share_parts(code_key, country)
        return "" if parts is None else f"{round(100 * parts[0] / parts[1])}%"

    def share_value(self, code_key: str, country: str) -> float | None:
        """The same share as a fraction (None when suppressed or the country has no participants)."""
        parts = self._share_parts(code_key, country)
        return None if parts is None else parts[0] / parts[1]

    def _share_parts(self, code_key: str, country: str) -> tuple[int, int] | None:
        n = self.matrix[code_key][country]["participants"]
        total = self.country_totals[country]["participants"]
        if not total or self.suppressed(n) or self.suppressed(total):
            return None
        return n, total

    def test_line(self, theme_key: str) -> str:
        test = self.tests.get(theme_key)
        if not test:
            return ""
        return test["text"] + (f" — {test['warning']}" if test.get("warning") else "")


def _selected_codes(project: Project, wanted: list[str] | None) -> list[dict[str, Any]]:
    codes = project.codes()
    if not wanted:
        return codes
    known = {c["key"] for c in codes}
    missing = [k for k in wanted if k not in known]
    if missing:
        raise CoderError(f"no code {', '.join(repr(k) for k in missing)} in the project codebook")
    parents = {c["key"]: c["parent"] for c in codes}
    return [c for c in codes if any(c["key"] == w or _descends(c, w, parents) for w in wanted)]


def _descends(code: dict[str, Any], ancestor: str, parents: dict[str, str | None]) -> bool:
    key = code["parent"]
    while key:
        if key == ancestor:
            return True
        key = parents.get(key)
    return False


def select_documents(project: Project, filters: Filters) -> dict[int, dict[str, Any]]:
    if filters.kind and filters.kind not in KINDS:
        raise CoderError(f"--kind must be one of {', '.join(KINDS)}, not {filters.kind!r}")
    docs = project.documents(kind=filters.kind) if filters.kind else project.documents()
    if filters.countries:
        wanted = {c.strip().lower() for c in filters.countries}
        docs = [d for d in docs if (d.get("country") or "").lower() in wanted]
    return {d["id"]: d for d in docs}


def build_report(
    project: Project,
    filters: Filters | None = None,
    *,
    min_cell: int | None = None,
    quotes: bool = False,
    quotes_per_country: int | None = None,
    release_passage: Callable[[Project, int, int, int], str] | None = None,
    check_translation: Callable[[dict[str, Any], int, str], None] | None = None,
) -> Report:
    """Count everything; with `quotes`, also collect quote texts through `release_passage`
    (the gate), and each translation through `check_translation(document, coding_id, text)`.
    Callers must have run `ensure_releasable` on the quoted documents first."""
    filters = filters or Filters()
    if min_cell is not None and min_cell < 1:
        raise CoderError("--min-cell must be at least 1")
    lang = filters.lang or project.language or "en"
    all_codes = project.codes()
    parent_of = {c["key"]: c["parent"] for c in all_codes}
    selected = _selected_codes(project, filters.codes)
    selected_keys = {c["key"] for c in selected}

    def ancestors(key: str) -> list[str]:
        chain = []
        while key:
            chain.append(key)
            key = parent_of.get(key)
        return chain  # self first, top-level last

    code_rows = []
    for c in selected:
        chain = ancestors(c["key"])
        code_rows.append({
            "key": c["key"], "label": project.label(c, lang), "parent": c["parent"],
            "depth": len(chain) - 1, "theme": chain[-1],
        })
    theme_keys = []
    for row in code_rows:
        if row["theme"] not in theme_keys:
            theme_keys.append(row["theme"])
    by_key = {c["key"]: c for c in all_codes}
    themes = [{"key": k, "label": project.label(by_key[k], lang)} for k in theme_keys]

    docs = select_documents(project, filters)
    countries = sorted({d.get("country") or UNKNOWN_COUNTRY for d in docs.values()})
    country_of = {i: d.get("country") or UNKNOWN_COUNTRY for i, d in docs.items()}
    person_of = {i: participant_identity(d) for i, d in docs.items()}
    country_totals = {c: {"documents": 0, "participants": 0} for c in countries}
    people: dict[str, set] = defaultdict(set)
    for i, d in docs.items():
        country_totals[country_of[i]]["documents"] += 1
        people[country_of[i]].add(person_of[i])
    for c in countries:
        country_totals[c]["participants"] = len(people[c])

    # Distinct spans per code (the SQL does the deduplication), then rolled up into ancestors.
    code_key = {c["id"]: c["key"] for c in all_codes if c["key"] in selected_keys}
    own: dict[str, set] = defaultdict(set)
    for code_id, doc_id, start, end in project.db.execute(
        'SELECT DISTINCT code_id, document_id, start, "end" FROM codings'
    ).fetchall():
        if code_id in code_key and doc_id in docs:
            own[code_key[code_id]].add((doc_id, start, end))
    passages: dict[str, set] = defaultdict(set)  # code → {(doc, start, end)}, rolled up
    for key, spans in own.items():
        for target in ancestors(key):
            if target in selected_keys or target in theme_keys:
                passages[target] |= spans

    matrix: dict[str, dict[str, dict[str, int]]] = {}
    for key in [r["key"] for r in code_rows] + [t for t in theme_keys if t not in selected_keys]:
        cells = {c: {"passages": 0, "documents": 0, "participants": 0} for c in countries}
        persons: dict[str, set] = defaultdict(set)
        for doc_id, n in Counter(map(itemgetter(0), passages.get(key, ()))).items():
            country = country_of[doc_id]
            cells[country]["passages"] += n
            cells[country]["documents"] += 1
            persons[country].add(person_of[doc_id])
        for country in countries:
            cells[country]["participants"] = len(persons[country])
        matrix[key] = cells

    report = Report(
        project_name=project.meta("name") or project.path.stem,
        filters=filters, min_cell=min_cell, countries=countries, country_totals=country_totals,
        themes=themes, codes=code_rows, matrix=matrix,
        cooccurrence=_cooccurrence(passages, theme_keys),
        tests={t: _chi_square(matrix[t], country_totals, min_cell) for t in theme_keys},
    )
    report.tests = {k: v for k, v in report.tests.items() if v}
    if quotes:
        if release_passage is None:
            raise CoderError("quotes need the identifier gate")
        report.counts_only = False
        translations = _translations(project, selected_keys)
        for theme in theme_keys:
            report.quotes[theme], report.withheld[theme] = _quotes(
                project, passages.get(theme, set()), docs, translations,
                release_passage, check_translation,
                quotes_per_country,
            )
    return report


def _translations(project: Project, keys: set[str]) -> dict[tuple, tuple[int, str]]:
    """The first translation given for each coded span (of the selected codes), with its coding id."""
    out: dict[tuple, tuple[int, str]] = {}
    for coding_id, doc_id, start, end, key, translation in project.db.execute(
        'SELECT c.id, c.document_id, c.start, c."end", k.key, c.translation FROM codings c '
        "JOIN codes k ON k.id = c.code_id WHERE c.translation IS NOT NULL AND c.translation != '' "
        "ORDER BY c.id"
    ).fetchall():
        if key in keys:
            out.setdefault((doc_id, start, end), (coding_id, translation))
    return out


def _cooccurrence(passages: dict[str, set], theme_keys: list[str]) -> dict[tuple[str, str], int]:
    import numpy as np

    by_doc: dict[int, list[tuple[int, int, int]]] = defaultdict(list)
    for index, theme in enumerate(theme_keys):
        for doc_id, start, end in passages.get(theme, ()):
            by_doc[doc_id].append((start, end, index))
    size = len(theme_keys)
    counts = np.zeros((size, size), dtype=np.int64)
    for spans in by_doc.values():
        if len(spans) < 2:
            continue
        if len(spans) > 2000:  # keep memory bounded: sweep instead of an n × n matrix
            _sweep(spans, counts)
            continue
        a = np.array(spans, dtype=np.int64)
        starts, ends, themes = a[:, 0], a[:, 1], a[:, 2]
        overlap = (starts[:, None] < ends[None, :]) & (starts[None, :] < ends[:, None])
        overlap &= themes[:, None] != themes[None, :]
        i, j = np.nonzero(np.triu(overlap, k=1))
        lo, hi = np.minimum(themes[i], themes[j]), np.maximum(themes[i], themes[j])
        np.add.at(counts, (lo, hi), 1)
    return {
        (theme_keys[a], theme_keys[b]): int(counts[a, b])
        for a in range(size) for b in range(a + 1, size) if counts[a, b]
    }


def _sweep(spans: list[tuple[int, int, int]], counts: Any) -> None:
    spans.sort()
    active: list[tuple[int, int, int]] = []
    for start, end, theme in spans:
        active = [a for a in active if a[1] > start]
        for _, _, other in active:
            if other != theme:
                counts[min(theme, other), max(theme, other)] += 1
        active.append((start, end, theme))


def format_p(p: float) -> str:
    return "p < 0.001" if p < 0.001 else f"p = {p:.3f}"


def pearson_chi_square(table: list[list[int]]) -> tuple[float, int, float, list[list[float]]]:
    """Pearson's chi-square test of independence, as scipy.stats.chi2_contingency with
    correction=False (tests check they agree); scipy.special is a far lighter import."""
    from scipy.special import chdtrc

    rows = [sum(r) for r in table]
    cols = [sum(c) for c in zip(*table)]
    total = sum(rows)
    expected = [[r * c / total for c in cols] for r in rows]
    statistic = sum(
        (o - e) ** 2 / e for orow, erow in zip(table, expected) for o, e in zip(orow, erow) if e
    )
    df = (len(rows) - 1) * (len(cols) - 1)
    return float(statistic), df, float(chdtrc(df, statistic)), expected


def _chi_square(
    cells: dict[str, dict[str, int]], totals: dict[str, dict[str, int]], min_cell: int | None
) -> dict[str, Any] | None:
    countries = [c for c in cells if totals[c]["participants"] > 0]
    if len(countries) < 2:
        return None
    with_theme = [cells[c]["participants"] for c in countries]
    without = [totals[c]["participants"] - cells[c]["participants"] for c in countries]
    if sum(with_theme) == 0 or sum(without) == 0:
        return None  # the theme is everywhere or nowhere: nothing to test
    if min_cell and any(0 < n < min_cell for n in with_theme + without):
        # Statistic plus margins would let a reader work back to the suppressed cells.
        return {"text": "chi-square not shown (small cells suppressed)", "suppressed": True}
    statistic, df, p, expected = pearson_chi_square([with_theme, without])
    small = sum(1 for row in expected for e in row if e < 5) / (2 * len(countries))
    test = {
        "statistic": statistic, "df": df, "p": p, "countries": countries,
        "small_expected_share": small,
        "text": f"χ²({df}) = {statistic:.3f}, {format_p(p)}",
    }
    if small > 0.2:
        test["warning"] = (
            f"expected counts below 5 in {round(100 * small)}% of cells; the test is not reliable"
        )
    return test


def _quotes(
    project: Project,
    spans: set,
    docs: dict[int, dict[str, Any]],
    translations: dict[tuple, tuple[int, str]],
    release_passage: Callable[[Project, int, int, int], str],
    check_translation: Callable[[dict[str, Any], int, str], None] | None,
    per_country: int | None,
) -> tuple[dict[str, list[Quote]], int]:
    """Quotes by country; per country, all or N chosen round-robin over participants so that
    different voices come first (deterministic: document id then position)."""
    templates = {k: attribution_template(project, k) for k in ATTRIBUTION_KINDS}
    withheld = 0
    by_country: dict[str, dict[tuple, list[tuple]]] = defaultdict(lambda: defaultdict(list))
    # A passage nested inside another passage of the same theme in the same document is
    # already quoted by the outer one.
    ordered = sorted(spans, key=lambda s: (s[0], s[1], -s[2]))
    last: tuple | None = None
    for span in ordered:
        doc_id, start, end = span
        if last and last[0] == doc_id and last[1] <= start and end <= last[2]:
            continue
        last = span
        doc = docs[doc_id]
        if not quote_consent(doc):
            withheld += 1
            continue
        country = doc.get("country") or UNKNOWN_COUNTRY
        by_country[country][participant_identity(doc)].append(span)
    out: dict[str, list[Quote]] = {}
    for country in sorted(by_country):
        groups = list(by_country[country].values())  # insertion order: first appearance
        chosen: list[tuple] = []
        depth = 0
        while any(depth < len(g) for g in groups):
            chosen += [g[depth] for g in groups if depth < len(g)]
            depth += 1
        if per_country is not None:
            chosen = sorted(chosen[:per_country])
        else:
            chosen = sorted(chosen)
        quotes = []
        for doc_id, start, end in chosen:
            doc = docs[doc_id]
            template = templates.get(doc.get("kind") or "conversation", "({country})")
            text = release_passage(project, doc_id, start, end)
            coding_id, translation = translations.get((doc_id, start, end), (None, None))
            if translation and check_translation is not None:
                check_translation(doc, coding_id, translation)
            quotes.append(Quote(
                document_id=doc_id, start=start, end=end, country=country,
                attribution=attribute(template, doc), text=text, translation=translation,
            ))
        out[country] = quotes
    return out, withheld


def quoted_document_ids(
    project: Project, filters: Filters | None = None
) -> list[int]:
    """Documents that could contribute quote text under these filters (consenting, coded with a
    selected code): the set the gate must clear before a text export."""
    filters = filters or Filters()
    docs = select_documents(project, filters)
    keys = {c["key"] for c in _selected_codes(project, filters.codes)}
    rows = project.db.execute(
        "SELECT DISTINCT c.document_id, k.key FROM codings c JOIN codes k ON k.id = c.code_id"
    ).fetchall()
    return sorted({d for d, k in rows if d in docs and k in keys and quote_consent(docs[d])})
