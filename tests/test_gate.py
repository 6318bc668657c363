"""The export gate: refusals while flags are open, the last re-scan of outgoing text, consent."""

from __future__ import annotations

import re

import pytest

from coder import review
from coder.errors import CoderError, GateRefused
from coder.identify import Flag
from coder.gate import ensure_releasable, quote_consent, release_document, release_passage
from coder.store import open_project
from test_review import add_document


def fake_detect(text: str, lang: str, *, model: str | None = None) -> list[Flag]:
    """Capitalised words of 4+ letters not at the start of the text, and any all-caps word:
    the placeholders' PERSON included, which the gate must recognise as already reviewed."""
    found = []
    for m in re.finditer(r"(?<=\s)[A-ZÁÉÍÓÚÑ][a-záéíóúñ]{3,}|\b[A-Z]{4,}\b", text):
        found.append(Flag(m.start(), m.end(), "PERSON", m.group(), 0.5, "capitalised"))
    return found


@pytest.fixture(autouse=True)
def fake_detector(monkeypatch):
    monkeypatch.setattr(review, "detector", lambda: fake_detect)


TEXT = "la amenazó su vecino Rodrigo. después habló con la psicóloga."


def test_refuses_while_a_document_has_open_flags_and_says_how_to_review(project):
    document_id = add_document(project, TEXT, title="Conversación P07")
    other = add_document(project, "sin nada aquí", title="P08")
    review.mark(project, document_id, 0, 2, "PERSON")
    review.mark(project, document_id, 3, 10, "PERSON")
    with pytest.raises(GateRefused) as refused:
        release_passage(project, document_id, 37, 61)  # a passage without the flags is refused too
    message = str(refused.value)
    assert f"document {document_id} “Conversación P07” (2 open flags)" in message
    assert f"coder flags {project.path} --open --doc {document_id}" in message
    assert "coder redact" in message and "coder dismiss" in message
    assert "\n" not in message
    ensure_releasable(project, [other])  # an unflagged document is not blocked by its neighbour
    with pytest.raises(GateRefused, match="2 open flags in 1 document"):
        ensure_releasable(project, None)


def test_refusal_names_every_blocking_document(project):
    ids = [add_document(project, f"texto {i}", title=f"doc {i}") for i in range(3)]
    for document_id in ids[:2]:
        review.mark(project, document_id, 0, 5, "PLACE")
    with pytest.raises(GateRefused) as refused:
        ensure_releasable(project, ids)
    message = str(refused.value)
    assert "2 open flags in 2 documents" in message
    assert f"document {ids[0]} “doc 0” (1 open flag)" in message
    assert f"document {ids[1]} “doc 1” (1 open flag)" in message
    assert "doc 2" not in message


def test_last_check_stores_unreviewed_findings_as_open_flags(project):
    document_id = add_document(project, TEXT)
    # Never scanned: nothing open, but the outgoing text itself still holds a name.
    with pytest.raises(GateRefused, match="found 1 possible identifier nobody has reviewed.*now open flags"):
        release_passage(project, document_id, 0, 28)
    flags = review.open_flags(project, document_id)
    assert [(f["start"], f["end"], f["text"], f["origin"]) for f in flags] == [(21, 28, "Rodrigo", "detector")]
    with pytest.raises(GateRefused, match="1 open flag"):
        release_passage(project, document_id, 0, 28)
    review.redact(project, [flags[0]["id"]], vacuum=False)
    # The placeholder's PERSON looks like a name to the detector; it is reviewed text.
    assert release_passage(project, document_id, 0, 31) == "la amenazó su vecino [PERSON 1]"
    assert release_document(project, document_id) == "la amenazó su vecino [PERSON 1]. después habló con la psicóloga."
    assert review.open_flags(project) == []


def test_dismissed_and_allowlisted_findings_do_not_block(project):
    document_id = add_document(project, "fue a la Fiscalía y luego con Rodrigo.")
    with pytest.raises(GateRefused):
        release_document(project, document_id)
    by_text = {f["text"]: f["id"] for f in review.open_flags(project, document_id)}
    assert set(by_text) == {"Fiscalía", "Rodrigo"}
    review.dismiss(project, [by_text["Fiscalía"]], everywhere=True)
    review.dismiss(project, [by_text["Rodrigo"]])
    assert release_document(project, document_id) == "fue a la Fiscalía y luego con Rodrigo."
    other = add_document(project, "otra vez la Fiscalía.", title="b")
    assert release_passage(project, other, 0, 21) == "otra vez la Fiscalía."


def test_a_read_only_project_refuses_without_storing(project):
    document_id = add_document(project, TEXT)
    path = project.path
    project.close()
    readonly = open_project(path, readonly=True)
    try:
        with pytest.raises(GateRefused, match=f"run `coder scan {path}` to store them"):
            release_document(readonly, document_id)
        assert review.open_flags(readonly) == []
    finally:
        readonly.close()


def test_without_a_detector_nothing_leaves(project, monkeypatch):
    document_id = add_document(project, "texto sin nombres")

    def missing():
        raise CoderError("identifier detection is not available: no module")

    monkeypatch.setattr(review, "detector", missing)
    with pytest.raises(GateRefused, match="cannot check outgoing text"):
        release_document(project, document_id)


def test_passages_of_participants_who_did_not_consent_are_refused(project):
    document_id = add_document(project, "texto sin nombres", attributes={"consent_quote": "no"})
    with pytest.raises(GateRefused, match="did not consent to be quoted"):
        release_passage(project, document_id, 0, 5)
    assert release_passage(project, document_id, 0, 5, quote=False) == "texto"
    assert quote_consent({"attributes": {}}) is True
    assert quote_consent({"attributes": {"consent_quote": False}}) is False
    assert quote_consent({"attributes": {"consent_quote": "FALSE"}}) is False
    assert quote_consent({"attributes": {"consent_quote": "yes"}}) is True


def test_passage_span_is_checked(project):
    document_id = add_document(project, "corto")
    with pytest.raises(CoderError, match="outside document"):
        release_passage(project, document_id, 2, 50)
