"""Inter-coder agreement: statistics against published and hand-computed values, and the report."""

from __future__ import annotations

import math
from collections import Counter

import krippendorff
import numpy as np
import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from coder.agreement import (
    agreement,
    cohen_kappa,
    comparison,
    context_bounds,
    nominal_alpha,
    nvivo_kappa,
    percent_agreement,
    unitized_alpha,
)
from coder.coding import add_coding
from coder.errors import CoderError

# -- published worked examples -----------------------------------------------------------------


def test_krippendorff_2011_nominal_four_observers_with_missing_values():
    # "Computing Krippendorff's Alpha-Reliability" (2011), section C: 4 observers, 12 units.
    a = [1, 2, 3, 3, 2, 1, 4, 1, 2, None, None, None]
    b = [1, 2, 3, 3, 2, 2, 4, 1, 2, 5, None, 3]
    c = [None, 3, 3, 3, 2, 3, 4, 2, 2, 5, 1, None]
    d = [1, 2, 3, 3, 2, 4, 4, 1, 2, 5, 1, None]
    alpha, n = nominal_alpha(zip(a, b, c, d))
    assert n == 40  # pairable values (unit 12 has a single value and drops out)
    assert round(alpha, 3) == 0.743


def test_krippendorff_2011_binary_two_observers():
    # Section A: two observers, ten units, binary data; alpha = 0.095.
    a = [0, 1, 0, 0, 0, 0, 0, 0, 1, 0]
    b = [1, 1, 1, 0, 0, 1, 0, 0, 0, 0]
    alpha, n = nominal_alpha(zip(a, b))
    assert n == 20
    assert round(alpha, 3) == 0.095
    assert alpha == pytest.approx(1 - 19 * 4 / (14 * 6))


def test_cohen_kappa_textbook_example():
    # Two readers of 50 grant proposals: 20 yes/yes, 5 yes/no, 10 no/yes, 15 no/no -> kappa 0.4.
    kappa, n = cohen_kappa(Counter({(1, 1): 20, (1, 0): 5, (0, 1): 10, (0, 0): 15}))
    assert n == 50
    assert kappa == pytest.approx(0.4)


def test_cohen_kappa_complete_and_constant_agreement():
    assert cohen_kappa(Counter({(0, 0): 30}))[0] == 1.0
    assert cohen_kappa(Counter({(1, 0): 30}))[0] == 0.0
    assert cohen_kappa(Counter({(None, 0): 3}))[0] is None


def test_nvivo_kappa_and_percent_as_nvivo_documents_them():
    # NVivo's help: 1000 characters, 50 coded by both, 150 by one only, 800 by neither -> 85 %.
    percent, n = percent_agreement(Counter({(1, 1): 50, (1, 0): 100, (0, 1): 50, (0, 0): 800}))
    assert (percent, n) == (0.85, 1000)
    # EF = (150*100 + 850*900)/1000 = 780; K = (850 - 780) / (1000 - 780)
    assert nvivo_kappa(1000, 150, 100, 50) == pytest.approx(70 / 220)
    assert nvivo_kappa(1000, 0, 0, 0) == 1.0  # neither coded: complete agreement
    assert nvivo_kappa(1000, 1000, 1000, 1000) == 1.0
    assert nvivo_kappa(1000, 100, 0, 0) == 0.0  # one coder only


def _example_2004():
    # Krippendorff (2004) Content Analysis, 2nd ed., p. 254: continuum 150..450, two observers.
    c = [[(225, 295), (370, 400)], [(220, 300), (355, 375), (400, 420)]]
    k = [[(180, 240), (300, 350)], [(180, 240), (300, 350)]]
    shift = lambda coders: [[(s - 150, e - 150) for s, e in spans] for spans in coders]  # noqa: E731
    return shift(c), shift(k)


def test_unitized_alpha_krippendorff_2004_worked_example():
    c, k = _example_2004()
    uc = unitized_alpha(300, c)
    assert round(uc.observed, 4) == 0.0144
    assert round(uc.expected, 4) == 0.0532
    assert round(uc.alpha, 4) == 0.7286
    uk = unitized_alpha(300, k)
    assert uk.observed == 0
    assert round(uk.expected, 4) == 0.0490
    assert uk.alpha == 1.0
    overall = 1 - (uc.observed + uk.observed) / (uc.expected + uk.expected)
    assert overall == pytest.approx(0.8591, abs=0.0005)


def test_unitized_alpha_krippendorff_1995_observed_disagreement():
    # Krippendorff (1995) p. 57 examples A and C (24 characters, two coders).
    a = unitized_alpha(24, [[(2, 10), (14, 20)], [(4, 8), (15, 17)]])
    assert a.observed == pytest.approx(0.03125)
    c = unitized_alpha(
        24, [[(2, 8), (10, 12), (14, 18), (20, 22)], [(0, 2), (4, 8), (10, 14), (16, 18), (20, 22)]]
    )
    assert c.observed == pytest.approx(0.02777, abs=1e-5)
    # Expected disagreement and alpha for A, published for a finely divided continuum.
    s = 50_000
    fine = unitized_alpha(24 * s, [[(2 * s, 10 * s), (14 * s, 20 * s)], [(4 * s, 8 * s), (15 * s, 17 * s)]])
    assert fine.expected == pytest.approx(0.06990, abs=5e-5)
    assert round(fine.alpha, 3) == 0.553


def test_unitized_alpha_hand_cases():
    # Identical units agree perfectly; a unit one coder saw inside the other's gap counts l².
    assert unitized_alpha(100, [[(10, 20)], [(10, 20)]]).alpha == 1.0
    apart = unitized_alpha(100, [[(10, 20)], [(50, 60)]])
    assert apart.observed == pytest.approx(2 * (100 + 100) / (2 * 1 * 100 * 100))
    assert apart.alpha < 0
    assert unitized_alpha(100, [[], []]).alpha is None
    # Overlapping codings by one coder are one stretch of coded characters.
    assert unitized_alpha(50, [[(0, 10), (5, 20)], [(0, 20)]]).alpha == 1.0


# -- against the krippendorff package, on random data ------------------------------------------

values = st.one_of(st.none(), st.integers(min_value=0, max_value=3))


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.integers(min_value=2, max_value=5).flatmap(
        lambda m: st.lists(st.lists(values, min_size=m, max_size=m), min_size=1, max_size=25)
    )
)
def test_nominal_alpha_matches_krippendorff_package(units):
    pairable = [u for u in units if sum(v is not None for v in u) >= 2]
    assume(len({v for u in pairable for v in u if v is not None}) >= 2)
    matrix = np.array([[np.nan if v is None else v for v in u] for u in units], dtype=float).T
    expected = krippendorff.alpha(reliability_data=matrix, level_of_measurement="nominal")
    ours, _ = nominal_alpha(units)
    assert ours == pytest.approx(expected, abs=1e-9)
    # The weighted form (what character units use) gives the same value.
    assert nominal_alpha(Counter(tuple(u) for u in units))[0] == pytest.approx(expected, abs=1e-9)


@settings(max_examples=100, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 1), st.integers(0, 1)), min_size=2, max_size=40))
def test_cohen_kappa_matches_nvivo_formula_on_binary_data(pairs):
    kappa, n = cohen_kappa(Counter(pairs))
    a = sum(x for x, _ in pairs)
    b = sum(y for _, y in pairs)
    both = sum(1 for x, y in pairs if x and y)
    assert kappa == pytest.approx(nvivo_kappa(len(pairs), a, b, both))


# -- the project report ------------------------------------------------------------------------

SENTENCES_1 = " ".join(f"Sentence number 0{i}." for i in range(1, 6)) + " "  # 100 characters
SENTENCES_2 = "Sentence number 06. Sentence number 07. Final bit."  # 50 characters


def build(project) -> tuple[int, int]:
    with project.transaction():
        ids = [
            project.insert_document(
                {"title": title, "text": text, "sha256": title, "language": "en", "attributes": attrs}
            )
            for title, text, attrs in (
                ("one", SENTENCES_1, {}),
                ("two", SENTENCES_2, {}),
            )
        ]
        project.upsert_code({"key": "fear", "labels": {"en": "Fear"}})
        project.upsert_code({"key": "legal", "labels": {"en": "Legal help"}})
    one, two = ids
    add_coding(project, one, 0, 40, "fear", coder="ana")
    add_coding(project, one, 20, 60, "fear", coder="ben")
    add_coding(project, two, 0, 10, "fear", coder="ana")
    add_coding(project, two, 0, 10, "fear", coder="ben")
    return one, two


def test_character_level_figures_by_hand(project):
    assert len(SENTENCES_1) == 100 and len(SENTENCES_2) == 50
    build(project)
    report = agreement(project, coders=["ana", "ben"], unit="char", release=False)
    assert [d["id"] for d in report.documents] == [1, 2]
    (fear,) = report.codes
    assert fear.code == "fear" and fear.label == "Fear"
    assert fear.units == 150
    assert fear.percent == pytest.approx(110 / 150)
    # NVivo: doc 1 K = (60-52)/(100-52); doc 2 K = 1; averaged weighted by length.
    assert fear.nvivo_kappa == pytest.approx((8 / 48 * 100 + 1 * 50) / 150)
    # Pooled over all 150 characters: EF = (50*50 + 100*100)/150.
    ef = (50 * 50 + 100 * 100) / 150
    assert fear.kappa == pytest.approx((110 - ef) / (150 - ef))
    # alpha: n = 300 values, n1 = 100, n0 = 200, 40 disagreeing units -> Σ o_01 + o_10 = 80.
    assert fear.alpha == pytest.approx(1 - 299 * 80 / (2 * 100 * 200))
    assert fear.alpha_values == 300
    assert fear.coded == {"ana": 50, "ben": 50}
    # u-alpha runs on the two documents laid end to end (150 characters).
    assert fear.u_alpha_chars == 150
    expected = unitized_alpha(150, [[(0, 40), (100, 110)], [(20, 60), (100, 110)]])
    assert fear.u_alpha == pytest.approx(expected.alpha)
    assert report.overall.kappa == pytest.approx(fear.kappa)


def test_sentence_units_by_hand(project):
    build(project)
    report = agreement(project, coders=["ana", "ben"], unit="sentence", release=False)
    (fear,) = report.codes
    # 8 sentences: ana 1,1,0,0,0 | 1,0,0 ; ben 0,1,1,0,0 | 1,0,0
    assert fear.units == 8
    assert fear.percent == pytest.approx(6 / 8)
    assert fear.alpha == pytest.approx(0.5)  # n=16, n1=6, n0=10: 1 - 15*4/(2*6*10)
    p_e = (3 / 8) ** 2 + (5 / 8) ** 2
    assert fear.kappa == pytest.approx((6 / 8 - p_e) / (1 - p_e))
    # Disagreements are whole sentences at this unit.
    spans = [(d.start, d.end, d.coded_by) for d in report.disagreements]
    assert spans == [(0, 19, ["ana"]), (40, 59, ["ben"])]


def test_paragraph_units(project):
    with project.transaction():
        doc = project.insert_document(
            {"title": "p", "text": "First para.\n\nSecond para.\n\nThird.", "sha256": "p"}
        )
        project.upsert_code({"key": "fear", "labels": {"en": "Fear"}})
    add_coding(project, doc, 0, 3, "fear", coder="ana")
    add_coding(project, doc, 5, 8, "fear", coder="ben")
    add_coding(project, doc, 13, 15, "fear", coder="ben")
    (fear,) = agreement(project, coders=["ana", "ben"], unit="paragraph", release=False).codes
    assert fear.units == 3
    assert fear.percent == pytest.approx(2 / 3)


def test_disagreement_list_at_character_level_with_context(project):
    build(project)
    report = agreement(project, coders=["ana", "ben"], release=False, context_words=2)
    assert report.disagreements_total == 2
    first, second = report.disagreements
    assert (first.start, first.end, first.coded_by, first.not_coded_by) == (0, 20, ["ana"], ["ben"])
    assert (second.start, second.end, second.coded_by) == (40, 60, ["ben"])
    assert first.passage == SENTENCES_1[0:20]
    assert second.before == "number 02. " and second.passage == SENTENCES_1[40:60]
    assert second.after.startswith("Sentence number")
    limited = agreement(project, coders=["ana", "ben"], release=False, max_disagreements=1)
    assert len(limited.disagreements) == 1 and limited.disagreements_total == 2


def test_context_bounds():
    text = "one two three four five six seven"
    start = text.index("four")
    assert context_bounds(text, start, start + 4, 2) == (text.index("two"), text.index(" six") + 4)
    assert context_bounds(text, 0, 3, 2) == (0, text.index("three") + 5)


def test_disagreement_text_withheld_without_consent_or_with_open_flags(project):
    one, two = build(project)
    project.set_document_attribute(one, "consent_quote", "no")
    report = agreement(project, coders=["ana", "ben"])
    assert report.disagreements
    for item in report.disagreements:
        assert item.passage is None and item.before is None
        assert item.withheld == "no consent to quote"
    project.set_document_attribute(one, "consent_quote", None)
    with project.transaction():
        project.db.execute(
            "INSERT INTO flags (document_id, start, \"end\", type, status, created) "
            "VALUES (?, 0, 8, 'PERSON', 'open', 'now')",
            [one],
        )
    for item in agreement(project, coders=["ana", "ben"]).disagreements:
        assert item.passage is None and item.withheld


def test_three_coders_and_missing_documents(project):
    one, two = build(project)
    add_coding(project, one, 0, 40, "fear", coder="cruz")
    # Default: only documents every coder coded -> document one.
    report = agreement(project, coders=["ana", "ben", "cruz"], release=False)
    assert [d["id"] for d in report.documents] == [one]
    (fear,) = report.codes
    assert fear.kappa is None and fear.nvivo_kappa is None  # kappa is for two coders
    # ana and cruz agree everywhere; ben differs on 0-20 and 40-60: 60 of 100 unanimous.
    assert fear.percent == pytest.approx(0.6)
    states = Counter({(1, 0, 1): 20, (1, 1, 1): 20, (0, 1, 0): 20, (0, 0, 0): 40})
    assert fear.alpha == pytest.approx(nominal_alpha(states)[0])
    # --docs overrides: cruz did not code document two, so his values there are missing.
    report = agreement(project, coders=["ana", "ben", "cruz"], documents=[one, two], release=False)
    assert report.documents[1]["missing"] == ["cruz"]
    (fear,) = report.codes
    assert fear.units == 150  # document two's characters are still pairable by ana and ben
    states[(1, 1, None)] += 10
    states[(0, 0, None)] += 40
    assert fear.alpha == pytest.approx(nominal_alpha(states)[0])
    assert fear.u_alpha_chars == 100  # unitizing alpha needs every coder: document one only


def test_codes_filter_and_errors(project):
    one, _ = build(project)
    add_coding(project, one, 70, 79, "legal", coder="ana")
    report = agreement(project, coders=["ana", "ben"], release=False)
    assert [c.code for c in report.codes] == ["fear", "legal"]
    legal = report.codes[1]
    assert legal.coded == {"ana": 9, "ben": 0}
    assert legal.nvivo_kappa == pytest.approx((0 + 50) / 150)  # K = 0 on doc 1, 1 on doc 2
    only = agreement(project, coders=["ana", "ben"], codes=["legal"], release=False)
    assert [c.code for c in only.codes] == ["legal"]
    with pytest.raises(CoderError, match="at least two coders"):
        agreement(project, coders=["ana"])
    with pytest.raises(CoderError, match="no codings by zoe"):
        agreement(project, coders=["ana", "zoe"])
    with pytest.raises(CoderError, match="unit must be"):
        agreement(project, coders=["ana", "ben"], unit="word")
    with pytest.raises(CoderError, match="no code 'nope'"):
        agreement(project, coders=["ana", "ben"], codes=["nope"])


def test_no_shared_document_is_a_clear_error(project):
    with project.transaction():
        a = project.insert_document({"title": "a", "text": "Alpha text.", "sha256": "a"})
        b = project.insert_document({"title": "b", "text": "Beta text.", "sha256": "b"})
        project.upsert_code({"key": "fear", "labels": {"en": "Fear"}})
    add_coding(project, a, 0, 5, "fear", coder="ana")
    add_coding(project, b, 0, 4, "fear", coder="ben")
    with pytest.raises(CoderError, match="--docs"):
        agreement(project, coders=["ana", "ben"])
    report = agreement(project, coders=["ana", "ben"], documents=[a, b], release=False)
    (fear,) = report.codes
    assert fear.units == 0 and fear.percent is None and fear.alpha is None
    assert math.isclose(fear.coded["ana"], 5)


def test_comparison_for_one_document(project):
    one, _ = build(project)
    add_coding(project, one, 70, 79, "legal", coder="ben")
    data = comparison(project, one, "ana", "ben")
    assert data.text == SENTENCES_1
    assert [(c["code"], c["start"], c["end"]) for c in data.codings_a] == [("fear", 0, 40)]
    assert [(c["code"], c["start"]) for c in data.codings_b] == [("fear", 20), ("legal", 70)]
    assert [row.code for row in data.codes] == ["fear", "legal"]
    fear = data.codes[0]
    assert fear.nvivo_kappa == pytest.approx(8 / 48)
    assert [(d.code, d.start, d.end) for d in data.disagreements] == [
        ("fear", 0, 20), ("fear", 40, 60), ("legal", 70, 79)
    ]


def test_disagreement_text_passes_the_identifier_gate(project, monkeypatch):
    one, _ = build(project)
    seen: list[str] = []

    def nothing_found(text, lang, model=None):
        seen.append(text)
        return []

    monkeypatch.setattr("coder.review.detector", lambda: nothing_found)
    report = agreement(project, coders=["ana", "ben"], context_words=2)
    first = report.disagreements[0]
    assert first.withheld is None and first.passage == SENTENCES_1[0:20]
    # The gate re-scanned exactly the outgoing windows (passage and its context).
    assert seen[0] == SENTENCES_1[0:35]

    class Found:
        start, end, type, text, score, reason = 0, 8, "PERSON", "Sentence", 0.9, "test"

    monkeypatch.setattr("coder.review.detector", lambda: (lambda text, lang, model=None: [Found()]))
    for item in agreement(project, coders=["ana", "ben"]).disagreements:
        assert item.passage is None and item.withheld
