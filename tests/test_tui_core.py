"""Core helpers behind the TUI: sentence/paragraph boundaries and the browsing views."""

from __future__ import annotations

from hypothesis import given, settings, strategies as st

from coder import views
from coder.coding import add_coding
from coder.review import mark
from coder.sentences import next_start, paragraph_spans, previous_start, sentence_spans
from coder.tui.dialogs.code_picker import rank_codes
from coder.tui.widgets.coded_text import _overlaps

NOTE = (
    "La facilitadora explicó el proceso. P09 contó que no sabía a quién acudir: «no había información».\n"
    "¿Qué delito viene a denunciar?\n\n"
    "  Después encontró apoyo.  "
)


def test_sentences_split_inside_paragraphs_and_lines():
    spans = sentence_spans(NOTE, "es")
    assert [NOTE[s:e] for s, e in spans] == [
        "La facilitadora explicó el proceso.",
        "P09 contó que no sabía a quién acudir: «no había información».",
        "¿Qué delito viene a denunciar?",
        "Después encontró apoyo.",
    ]


def test_paragraphs_are_separated_by_blank_lines():
    assert [NOTE[s:e] for s, e in paragraph_spans(NOTE)] == [NOTE.split("\n\n")[0], "Después encontró apoyo."]


def test_every_project_language_has_a_sentencizer():
    for lang in ("es", "en", "sq", "ro", "bs", "hr", "sr", "ru", None, "zz"):
        assert len(sentence_spans("Prva rečenica. Druga rečenica.", lang)) == 2


@settings(max_examples=60, deadline=None)
@given(st.text(alphabet=st.sampled_from("ab .\n?¡é"), max_size=80))
def test_sentence_spans_are_ordered_trimmed_and_inside_the_text(text):
    spans = sentence_spans(text, "es")
    last_end = 0
    for s, e in spans:
        assert last_end <= s < e <= len(text)
        assert not text[s].isspace() and not text[e - 1].isspace()
        last_end = e
    starts = [s for s, _ in spans]
    for s in starts:
        assert next_start(spans, s - 1) == s if s else True
        assert previous_start(spans, s + 1) == s


def test_overlaps_of_codings():
    assert _overlaps([(0, 10), (5, 15), (12, 20)]) == [(5, 10), (12, 15)]
    assert _overlaps([(0, 10), (10, 20)]) == []


def _doc(project, text, title):
    with project.transaction():
        return project.insert_document({"title": title, "sha256": title, "text": text, "participant": "P1"})


def test_document_rows_share_coded_and_open_flags(project):
    with project.transaction():
        project.upsert_code({"key": "a", "labels": {"en": "A"}})
        project.upsert_code({"key": "b", "labels": {"en": "B", "es": "Be"}, "color": "#123456"})
    one = _doc(project, "x" * 100, "one")
    two = _doc(project, "y" * 50, "two")
    add_coding(project, one, 0, 40, "a")
    add_coding(project, one, 20, 60, "b")  # overlaps: 60 characters covered, not 80
    add_coding(project, one, 90, 100, "a")
    mark(project, two, 0, 5, "PERSON")
    rows = {r["id"]: r for r in views.document_rows(project)}
    assert rows[one]["codings"] == 3 and rows[one]["coded_share"] == 0.7
    assert rows[two]["codings"] == 0 and rows[two]["coded_share"] == 0 and rows[two]["open_flags"] == 1
    tree = {c["key"]: c for c in views.code_tree(project)}
    assert tree["a"]["count"] == 2 and tree["b"]["label"] == "Be" and tree["b"]["color"] == "#123456"
    assert [p["start"] for p in views.passages(project, "a")] == [0, 90]
    assert views.passages(project, "b")[0]["excerpt"] == "x" * 40
    assert views.recent_codes(project, "tester") == ["a", "b"]


def test_code_tree_totals_include_descendants(project):
    with project.transaction():
        project.upsert_code({"key": "top", "labels": {"en": "Top"}, "codable": False})
        project.upsert_code({"key": "top.child", "parent": "top", "labels": {"en": "Child"}})
    doc = _doc(project, "z" * 30, "doc")
    add_coding(project, doc, 0, 10, "top.child")
    tree = {c["key"]: c for c in views.code_tree(project)}
    assert (tree["top"]["count"], tree["top"]["total"]) == (0, 1)


def test_picker_ranks_labels_in_any_language_keys_and_descriptions():
    codes = [
        {"key": "barriers.fear", "label": "Miedo", "labels": {"en": "Fear", "es": "Miedo"}, "description": "", "codable": True},
        {"key": "services.legal", "label": "Servicios legales", "labels": {"en": "Legal services"},
         "description": "lawyers and prosecutors", "codable": True},
    ]
    assert rank_codes("miedo", codes)[0]["key"] == "barriers.fear"
    assert rank_codes("fear", codes)[0]["key"] == "barriers.fear"
    assert rank_codes("prosecutors", codes)[0]["key"] == "services.legal"
    assert rank_codes("legal", codes)[0]["key"] == "services.legal"


def test_passages_of_a_category_include_its_descendants(project):
    with project.transaction():
        project.upsert_code({"key": "top", "labels": {"en": "Top"}, "codable": False})
        project.upsert_code({"key": "top.child", "parent": "top", "labels": {"en": "Child"}})
        project.upsert_code({"key": "top.child.leaf", "parent": "top.child", "labels": {"en": "Leaf"}})
    doc = _doc(project, "z" * 30, "doc")
    add_coding(project, doc, 0, 10, "top.child")
    add_coding(project, doc, 5, 12, "top.child.leaf")
    assert views.passages(project, "top") == []
    assert [p["code"] for p in views.passages(project, "top", descendants=True)] == ["top.child", "top.child.leaf"]
