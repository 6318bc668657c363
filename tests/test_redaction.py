"""Redaction: placeholders and their numbering, offsets of codings and flags, and completeness on disk."""

from __future__ import annotations

import hashlib
import re
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings, strategies as st

from coder import coding, review
from coder.memos import add_memo
from coder.redaction import PLACEHOLDER, plan_redaction, scrub
from coder.store import create_project, open_project

NAME = "Wenceslao Ixtlahuac"


def add_document(project, text, title="nota", **fields):
    with project.transaction():
        return project.insert_document(
            {
                "title": title, "sha256": hashlib.sha256(f"{title}\n{text}".encode()).hexdigest(),
                "text": text, "attributes": {}, **fields,
            }
        )


def add_code(project, key="barriers"):
    with project.transaction():
        project.upsert_code({"key": key, "labels": {"en": key}})


def substitute(original: str, start: int, end: int, plan) -> str:
    """Original[start:end], widened over any replacement it cuts into, with placeholders substituted."""
    for r in plan.replacements:
        if r.start < end and start < r.end:
            start, end = min(start, r.start), max(end, r.end)
    out, cursor = [], start
    for r in plan.replacements:
        if start <= r.start and r.end <= end:
            out += [original[cursor:r.start], r.placeholder]
            cursor = r.end
    out.append(original[cursor:end])
    return "".join(out)


# -- planning ------------------------------------------------------------------------------------


def test_same_term_gets_same_number_and_numbers_continue_after_existing_placeholders():
    text = "[PERSON 1] vio a Marta. Luego MARTA y Rosa fueron a la calle Soto; marta lloró."
    marta = text.index("Marta")
    rosa = text.index("Rosa")
    soto = text.index("Soto")
    plan = plan_redaction(text, [(marta, marta + 5, "PERSON"), (rosa, rosa + 4, "PERSON"), (soto, soto + 4, "PLACE")])
    assert plan.text == (
        "[PERSON 1] vio a [PERSON 2]. Luego [PERSON 2] y [PERSON 3] fueron a la calle [PLACE 1]; [PERSON 2] lloró."
    )


def test_occurrences_are_word_bounded():
    text = "Ana habló con Anabel en la ventana de Ana."
    plan = plan_redaction(text, [(0, 3, "PERSON")])
    assert plan.text == "[PERSON 1] habló con Anabel en la ventana de [PERSON 1]."


def test_short_terms_only_match_their_exact_spelling():
    text = "Al dijo al final que Al vino."
    plan = plan_redaction(text, [(0, 2, "PERSON")])
    assert plan.text == "[PERSON 1] dijo al final que [PERSON 1] vino."


def test_overlapping_targets_merge_into_one_placeholder():
    text = "Vive con María López Soto en Lima."
    whole = text.index("María")
    surname = text.index("López")
    plan = plan_redaction(text, [(whole, whole + len("María López Soto"), "PERSON"), (surname, surname + 5, "PERSON")])
    assert plan.text == "Vive con [PERSON 1] en Lima."
    assert scrub("memo: López dijo", plan.placeholders) == "memo: [PERSON 1] dijo"


def test_a_span_cutting_into_a_placeholder_swallows_it():
    text = "Con [PERSON 1] Gómez."
    plan = plan_redaction(text, [(text.index("1]"), len(text) - 1, "PERSON")])
    assert plan.text == "Con [PERSON 2]."
    assert PLACEHOLDER.fullmatch("[PERSON 2]")


def test_whitespace_variants_of_a_term_are_the_same_term():
    text = "Wenceslao  Ixtlahuac llegó; luego wenceslao\nixtlahuac se fue."
    plan = plan_redaction(text, [(0, 20, "PERSON")])
    assert plan.text == "[PERSON 1] llegó; luego [PERSON 1] se fue."


words = st.sampled_from(["Ana", "ana", "Lima", "calle", "Soto", "y", "vio", "[PERSON 1]", "Río", "ANA", "Anabel"])
texts = st.lists(words, min_size=1, max_size=25).map(lambda ws: " ".join(ws))


@st.composite
def text_and_spans(draw):
    text = draw(texts)
    n = len(text)
    spans = st.tuples(st.integers(0, n - 1), st.integers(1, n)).map(lambda t: (min(t), max(t))).filter(
        lambda t: t[0] < t[1]
    )
    targets = draw(st.lists(spans, min_size=1, max_size=4))
    codings = draw(st.lists(spans, max_size=8))
    return text, [(s, e, draw(st.sampled_from(["PERSON", "PLACE"]))) for s, e in targets], codings


@given(text_and_spans())
@settings(max_examples=200, deadline=None)
def test_every_span_keeps_its_text_with_placeholders_substituted(case):
    text, targets, spans = case
    plan = plan_redaction(text, targets)
    for start, end, _type in targets:
        new_start, new_end = plan.map_span(start, end)
        assert PLACEHOLDER.fullmatch(plan.text[new_start:new_end])
    for start, end in spans:
        new_start, new_end = plan.map_span(start, end)
        assert 0 <= new_start < new_end <= len(plan.text)
        assert plan.text[new_start:new_end] == substitute(text, start, end, plan)
    # Nothing outside the replacements changed.
    assert substitute(text, 0, len(text), plan) == plan.text


# -- in a project --------------------------------------------------------------------------------

codings_strategy = st.lists(
    st.tuples(st.integers(0, 400), st.integers(1, 60), st.sampled_from(["a", "b"])), max_size=10
)


@given(
    st.lists(st.sampled_from(["Ana", "Wenceslao", "Lima", "la", "escuela", "dijo", "Soto", "miedo", "ANA"]), min_size=5, max_size=60),
    codings_strategy,
    st.lists(st.tuples(st.integers(0, 400), st.integers(1, 15)), min_size=1, max_size=3),
)
@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
def test_codings_in_a_project_cover_the_same_text_after_redaction(words_, raw_codings, raw_flags):
    text = " ".join(words_)
    with tempfile.TemporaryDirectory() as folder:
        project = create_project(Path(folder) / "p.coder", country="Peru", language="es")
        try:
            document_id = add_document(project, text)
            add_code(project, "a")
            add_code(project, "b")
            before = {}
            for start, length, key in raw_codings:
                start = start % len(text)
                end = min(len(text), start + length)
                if start < end:
                    before[coding.add_coding(project, document_id, start, end, key)] = (start, end)
            flag_ids = []
            for start, length in raw_flags:
                start = start % len(text)
                end = min(len(text), start + length)
                if start < end:
                    flag_ids.append(review.mark(project, document_id, start, end, "PERSON"))
            targets = [(f["start"], f["end"], f["type"]) for f in review.flags(project)]
            plan = plan_redaction(text, targets)
            review.redact(project, flag_ids, vacuum=False)
            new_text = project.document(document_id)["text"]
            assert new_text == plan.text
            after = {c["id"]: c for c in coding.codings(project, document_id=document_id)}
            expected_texts = {substitute(text, s, e, plan) for s, e in before.values()}
            for coding_id, (start, end) in before.items():
                if coding_id in after:  # codings that collapsed onto one placeholder were merged
                    c = after[coding_id]
                    assert new_text[c["start"]:c["end"]] == substitute(text, start, end, plan)
            assert {new_text[c["start"]:c["end"]] for c in after.values()} == expected_texts
            for f in review.flags(project):
                assert f["status"] == "redacted" and PLACEHOLDER.fullmatch(f["text"])
        finally:
            project.close()


def test_merged_codings_keep_both_memos(project):
    text = "Habló con Wenceslao Ixtlahuac ayer."
    document_id = add_document(project, text)
    add_code(project)
    start = text.index("Wenceslao")
    first = coding.add_coding(project, document_id, start, start + 9, "barriers", memo="nombre")
    coding.add_coding(project, document_id, start + 10, start + 19, "barriers", memo="apellido")
    review.redact(project, [review.mark(project, document_id, start, start + 19, "PERSON")], vacuum=False)
    rows = coding.codings(project, document_id=document_id)
    assert [(c["id"], c["memo"]) for c in rows] == [(first, "nombre\napellido")]
    assert project.document(document_id)["text"][rows[0]["start"]:rows[0]["end"]] == "[PERSON 1]"


# -- completeness on disk ------------------------------------------------------------------------


def forms(term: str) -> list[bytes]:
    variants = {term, term.lower(), term.upper(), term.split()[-1], term.split()[-1].lower()}
    out = []
    for v in variants:
        out += [v.encode("utf-8"), v.encode("utf-16-le"), v.encode("utf-16-be")]
    return out


def assert_absent(path: Path, term: str) -> None:
    for file in (path, Path(f"{path}-wal")):
        if file.exists():
            data = file.read_bytes()
            for form in forms(term):
                assert form not in data, f"{form!r} still in {file.name}"


def build_sensitive_project(path: Path):
    project = create_project(path, country="Mexico", language="es")
    text = (
        f"P07 contó que {NAME} la contactó por Instagram. Su madre no sabía nada de {NAME.lower()}.\n"
        f"Después {NAME} la amenazó con publicar fotos."
    )
    with project.transaction():
        document_id = project.insert_document({
            "title": f"Conversación sobre {NAME}", "sha256": hashlib.sha256(text.encode()).hexdigest(),
            "text": text, "facilitator": f"{NAME} (suplente)", "attributes": {"contexto": [f"primo de {NAME}"]},
        })
        project.upsert_code({"key": "barriers", "labels": {"en": "Barriers"}, "example": f"“{NAME} me amenazó”"})
    start = text.index(NAME)
    coding_id = coding.add_coding(project, document_id, 0, start + len(NAME) + 10, "barriers", memo=f"{NAME} es el agresor")
    coding.set_translation(project, coding_id, f"P07 said {NAME} contacted her")
    add_memo(project, f"Revisar lo de {NAME}", document_id=document_id)
    add_memo(project, f"Patrón: {NAME} usa Instagram", code_key="barriers")
    flag_id = review.mark(project, document_id, start, start + len(NAME), "PERSON")
    return project, document_id, flag_id, coding_id


def test_redaction_leaves_no_trace_in_the_file_or_its_wal(tmp_path):
    path = tmp_path / "mexico.coder"
    project, document_id, flag_id, coding_id = build_sensitive_project(path)
    assert NAME.encode() in path.read_bytes() + Path(f"{path}-wal").read_bytes()  # the check can fail
    review.redact(project, [flag_id])
    try:
        assert_absent(path, NAME)  # still open
        document = project.document(document_id)
        assert NAME.lower() not in document["text"].lower()
        assert document["text"].count("[PERSON 1]") == 3
        assert document["title"] == "Conversación sobre [PERSON 1]"
        assert document["facilitator"] == "[PERSON 1] (suplente)"
        assert document["attributes"] == {"contexto": ["primo de [PERSON 1]"]}
        assert project.code("barriers")["example"] == "“[PERSON 1] me amenazó”"
        c = coding.coding(project, coding_id)
        assert c["memo"] == "[PERSON 1] es el agresor"
        assert c["translation"] == "P07 said [PERSON 1] contacted her"
        assert document["text"][c["start"]:c["end"]] == "P07 contó que [PERSON 1] la contac"
        memos = [r[0] for r in project.db.execute("SELECT text FROM memos ORDER BY id").fetchall()]
        assert memos == ["Revisar lo de [PERSON 1]", "Patrón: [PERSON 1] usa Instagram"]
        # The search index no longer knows the term, and still knows the rest.
        assert project.db.execute(
            "SELECT count(*) FROM documents_fts WHERE documents_fts MATCH 'ixtlahuac'"
        ).fetchone()[0] == 0
        assert project.db.execute(
            "SELECT count(*) FROM documents_fts WHERE documents_fts MATCH 'amenazó'"
        ).fetchone()[0] == 1
        project.db.execute("CREATE VIRTUAL TABLE temp.vocab USING fts5vocab(main, documents_fts, row)")
        vocab = {r[0] for r in project.db.execute("SELECT term FROM temp.vocab").fetchall()}
        assert "ixtlahuac" not in vocab and "wenceslao" not in vocab and "instagram" in vocab
        audit = " ".join(str(r) for r in project.db.execute("SELECT * FROM audit").fetchall())
        assert "Wenceslao" not in audit and "flag.redact" in audit
    finally:
        project.close()
    assert_absent(path, NAME)
    reopened = open_project(path, readonly=True)
    try:
        assert review.flag(reopened, flag_id)["status"] == "redacted"
        assert review.flag(reopened, flag_id)["text"] == "[PERSON 1]"
    finally:
        reopened.close()


def test_redaction_without_vacuum_still_leaves_no_trace(tmp_path):
    # secure_delete, the FTS rebuild and the WAL checkpoint alone must be enough.
    path = tmp_path / "mexico.coder"
    project, _document_id, flag_id, _coding_id = build_sensitive_project(path)
    review.redact(project, [flag_id], vacuum=False)
    assert_absent(path, NAME)
    project.close()
    assert_absent(path, NAME)


def test_redaction_removes_the_term_from_the_allowlist_and_flag_reasons(tmp_path):
    path = tmp_path / "p.coder"
    project = create_project(path, language="es")
    text = f"Habló {NAME} y otra vez {NAME}."
    document_id = add_document(project, text)
    first = review.mark(project, document_id, 6, 6 + len(NAME), "PERSON")
    review.dismiss(project, [first], everywhere=True)
    assert [r["term"] for r in review.allowlist(project)] == [NAME.lower()]
    project.db.execute("UPDATE flags SET reason = ? WHERE id = ?", [f"looks like {NAME}", first])
    project.db.conn.commit()
    second = review.mark(project, document_id, text.rindex(NAME), len(text) - 1, "PERSON")
    review.redact(project, [second])
    assert review.allowlist(project) == []
    assert "Wenceslao" not in (review.flag(project, first)["reason"] or "")
    assert project.document(document_id)["text"] == "Habló [PERSON 1] y otra vez [PERSON 1]."
    project.close()
    assert_absent(path, NAME)


def test_other_documents_with_the_term_get_open_flags(project):
    first = add_document(project, f"Conoció a {NAME}.", title="a")
    second = add_document(project, f"{NAME} y {NAME.upper()} otra vez.", title="b")
    flag_id = review.mark(project, first, 10, 10 + len(NAME), "PERSON")
    result = review.redact(project, [flag_id], vacuum=False)
    assert result["flagged_elsewhere"] == 2
    spans = [(f["start"], f["end"], f["type"], f["text"]) for f in review.open_flags(project, second)]
    assert spans == [(0, 19, "PERSON", NAME), (22, 41, "PERSON", NAME.upper())]
    assert all("Wenceslao" not in (f["reason"] or "") for f in review.flags(project))


def test_redact_keeps_other_flags_in_place(project):
    text = "Ana vive en Lima con Ana y su tío Pedro Soto."
    document_id = add_document(project, text)
    ana = review.mark(project, document_id, 0, 3, "PERSON")
    lima = review.mark(project, document_id, 12, 16, "PLACE")
    pedro = review.mark(project, document_id, text.index("Pedro"), text.index("Pedro") + 10, "PERSON")
    soto_dismissed = review.mark(project, document_id, text.index("Soto"), text.index("Soto") + 4, "PERSON")
    review.dismiss(project, [soto_dismissed])
    review.redact(project, [ana], vacuum=False)
    new = project.document(document_id)["text"]
    assert new == "[PERSON 1] vive en Lima con [PERSON 1] y su tío Pedro Soto."
    by_id = {f["id"]: f for f in review.flags(project)}
    assert (by_id[lima]["text"], by_id[lima]["status"]) == ("Lima", "open")
    assert (by_id[pedro]["text"], by_id[pedro]["status"]) == ("Pedro Soto", "open")
    assert (by_id[soto_dismissed]["text"], by_id[soto_dismissed]["status"]) == ("Soto", "dismissed")
    review.redact(project, [pedro, lima], vacuum=False)
    assert project.document(document_id)["text"] == (
        "[PERSON 1] vive en [PLACE 1] con [PERSON 1] y su tío [PERSON 2]."
    )
    by_id = {f["id"]: f for f in review.flags(project)}
    # The dismissed surname was inside the redacted name: it is gone, so its flag is redacted too.
    assert by_id[soto_dismissed]["status"] == "redacted"
    assert re.fullmatch(r"\[PERSON 2\]", by_id[soto_dismissed]["text"])


def test_terms_redacted_together_are_flagged_in_each_others_documents(project):
    first = add_document(project, "Ana vio a Pedro.", title="a")
    second = add_document(project, "Pedro habló con Ana.", title="b")
    review.dismiss(project, [review.mark(project, second, 16, 19, "PERSON")], everywhere=True)
    ana = review.mark(project, first, 0, 3, "PERSON")
    pedro = review.mark(project, second, 0, 5, "PERSON")
    result = review.redact(project, [ana, pedro], vacuum=False)
    assert project.document(first)["text"] == "[PERSON 1] vio a Pedro."
    assert project.document(second)["text"] == "[PERSON 1] habló con Ana."
    # Redacting "Ana" overrides its allowlisting: it is an identifier after all.
    assert review.allowlist(project) == []
    assert result["flagged_elsewhere"] == 2
    assert sorted((f["document_id"], f["text"]) for f in review.open_flags(project)) == [
        (first, "Pedro"), (second, "Ana")
    ]
