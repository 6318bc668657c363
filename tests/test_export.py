"""Exports: matrices, tests, quotes and formats, behind the identifier gate."""

from __future__ import annotations

import csv
import json
import re

import pytest
from scipy.stats import chi2_contingency

import coder.identify
from coder import coding as coding_ops
from coder.cli import app
from coder.codebook import Code, Codebook, install_codebook
from coder.errors import CoderError
from coder.export import Filters, build_report, export_project, set_attribution_template
from coder.export.analysis import format_p, participant_number, pearson_chi_square
from coder.export.tables import neutralise
from coder.gate import release_passage
from coder.review import mark
from coder.store import open_project

NAME = "Lupita"


def fake_detect(text, lang, *, model=None):
    """Stands in for the NER pipeline: flags every occurrence of one name."""
    return [coder.identify.Flag(m.start(), m.end(), "PERSON", m.group(), 0.9, "test name")
            for m in re.finditer(NAME, text)]


@pytest.fixture(autouse=True)
def _detector(monkeypatch):
    monkeypatch.setattr(coder.identify, "detect", fake_detect, raising=False)


BOOK = Codebook(
    name="test",
    codes=[
        Code("barriers", {"en": "Barriers"}, codable=False),
        Code("barriers.fear", {"en": "Fear, shame and guilt"}, parent="barriers"),
        Code("barriers.institutions", {"en": "Institutional attitudes"}, parent="barriers"),
        Code("services", {"en": "Support services"}, codable=False),
        Code("services.legal", {"en": "=Legal support"}, parent="services"),
    ],
)

DOCS = [
    # title, kind, country, participant, text, attributes
    ("mx1", "conversation", "Mexico", "P01", "Tenía miedo de hablar con mi mamá.\nLa policía no me creyó.", {}),
    ("mx2", "conversation", "Mexico", "P01", "Otra vez sentí vergüenza.", {}),
    ("mx3", "conversation", "Mexico", "P02", "No quiero que me citen: tenía miedo.", {"consent_quote": "no"}),
    ("pe1", "conversation", "Peru", "P003", "El abogado me explicó todo <b>bien</b>.", {}),
    ("pe2", "survey", "Peru", "", "=SUM(A1) los niños no denuncian por miedo.", {}),
    ("pe3", "survey", "Peru", "", "Faltan servicios legales.", {}),
]


def _add_docs(project):
    ids = {}
    with project.transaction():
        for i, (title, kind, country, participant, text, attrs) in enumerate(DOCS):
            ids[title] = project.insert_document({
                "title": title, "kind": kind, "country": country, "participant": participant or None,
                "language": "es", "sha256": f"{i:064x}", "text": text, "attributes": attrs,
            })
    return ids


@pytest.fixture
def study(project):
    install_codebook(project, BOOK)
    ids = _add_docs(project)
    texts = {t: d[4] for t, d in zip((d[0] for d in DOCS), DOCS)}

    def code(title, phrase, key, coder=None, translation=None):
        start = texts[title].index(phrase)
        return coding_ops.add_coding(project, ids[title], start, start + len(phrase), key,
                                     coder=coder, translation=translation)

    code("mx1", "Tenía miedo de hablar con mi mamá.", "barriers.fear",
         translation="I was afraid to talk to my mum.")
    code("mx1", "Tenía miedo de hablar con mi mamá.", "barriers.fear", coder="other")  # same passage
    code("mx1", "La policía no me creyó.", "barriers.institutions")
    code("mx1", "miedo de hablar con mi mamá.\nLa policía", "services.legal")  # overlaps both
    code("mx2", "sentí vergüenza", "barriers.fear")
    code("mx3", "tenía miedo", "barriers.fear")
    code("pe1", "El abogado me explicó todo <b>bien</b>.", "services.legal")
    code("pe2", "=SUM(A1) los niños no denuncian por miedo.", "barriers.fear")
    code("pe3", "Faltan servicios legales.", "services.legal")
    project.ids = ids
    return project


def test_participant_number_strips_prefix_and_zeros():
    assert [participant_number(p) for p in ("P09", "p3", "12", "P010", "", "Ana")] == ["9", "3", "12", "10", "", "Ana"]


def test_matrix_counts_passages_documents_participants_and_shares(study):
    report = build_report(study)
    assert report.countries == ["Mexico", "Peru"]
    # Mexico: participants P01 (2 documents) and P02; Peru: P003 and two surveys counted per document.
    assert report.country_totals == {"Mexico": {"documents": 3, "participants": 2},
                                     "Peru": {"documents": 3, "participants": 3}}
    barriers = report.matrix["barriers"]
    # The passage coded twice (two coders) counts once; children roll up into the theme.
    assert barriers["Mexico"] == {"passages": 4, "documents": 3, "participants": 2}
    assert barriers["Peru"] == {"passages": 1, "documents": 1, "participants": 1}
    assert report.matrix["barriers.fear"]["Mexico"] == {"passages": 3, "documents": 3, "participants": 2}
    assert report.matrix["services"]["Peru"] == {"passages": 2, "documents": 2, "participants": 2}
    assert report.share("barriers", "Mexico") == "100%"
    assert report.share("services", "Peru") == "67%"
    # Co-occurrence: the legal passage overlaps both barrier passages in mx1.
    assert report.cooccurrence == {("barriers", "services"): 2}


def test_chi_square_matches_scipy_and_is_written_as_in_the_report(study):
    report = build_report(study)
    test = report.tests["services"]
    expected = chi2_contingency([[1, 2], [1, 1]], correction=False)
    assert test["df"] == 1
    assert test["statistic"] == pytest.approx(expected.statistic)
    assert test["p"] == pytest.approx(expected.pvalue)
    assert test["text"] == f"χ²(1) = {expected.statistic:.3f}, p = {expected.pvalue:.3f}"
    assert "expected counts below 5" in test["warning"]  # 5 participants cannot carry the test
    # A theme every participant has cannot be tested.
    assert "barriers" not in report.tests or report.matrix["barriers"]["Peru"]["participants"] < 3


@pytest.mark.parametrize("table", [[[25, 10, 3], [5, 30, 12]], [[1, 0, 4, 7, 2, 9], [8, 6, 1, 2, 9, 3]]])
def test_pearson_chi_square_agrees_with_scipy_stats(table):
    statistic, df, p, expected = pearson_chi_square(table)
    reference = chi2_contingency(table, correction=False)
    assert (statistic, df, p) == (pytest.approx(reference.statistic), reference.dof, pytest.approx(reference.pvalue))
    assert [e for row in expected for e in row] == pytest.approx(reference.expected_freq.ravel().tolist())
    assert format_p(0.0004) == "p < 0.001" and format_p(0.0042) == "p = 0.004"


def test_min_cell_suppresses_small_counts_shares_and_tests(study, tmp_path):
    out = tmp_path / "r.md"
    export_project(study, fmt="md", output=out, min_cell=3, counts_only=True)
    text = out.read_text()
    services_section = text.split("## Support services")[1].split("##")[0]
    assert "| Peru | \\<3 | \\<3 | \\<3 | – |" in services_section.replace("<3", "\\<3").replace("\\\\", "\\")
    assert "67%" not in text and "χ²" not in text
    report = build_report(study, min_cell=3)
    assert report.cell(2) == "<3" and report.cell(0) == "0" and report.cell(3) == "3"


def test_markdown_has_themes_quotes_attribution_translation_and_respects_consent(study, tmp_path):
    out = tmp_path / "report.md"
    result = export_project(study, fmt="md", output=out)
    text = out.read_text()
    barriers = text.split("## Barriers")[1].split("\n## ")[0]
    assert "### Mexico" in barriers and "### Peru" in barriers
    assert "> “Tenía miedo de hablar con mi mamá.”\n> (Conversations’ Participant 1, Mexico)" in barriers
    assert "I was afraid to talk to my mum." in barriers
    assert "(Survey Respondent from Peru)" in barriers
    # mx3's participant did not consent: counted, never quoted.
    assert "No quiero" not in text and "tenía miedo" not in text
    assert "1 further passages are counted but not quoted" in barriers
    # Markup in notes stays text.
    assert "\\<b\\>bien\\</b\\>" in text
    assert result.quotes == 7 and result.documents == 5 and not result.counts_only
    audit = study.db.execute("SELECT details FROM audit WHERE action = 'export'").fetchone()[0]
    assert json.loads(audit)["quotes"] == 7 and "miedo" not in audit


def test_quotes_per_country_pick_different_participants_first(study):
    study.db.execute("UPDATE documents SET participant = NULL WHERE title = 'mx2'")
    report = build_report(study, quotes=True, quotes_per_country=2, release_passage=release_passage)
    mexico = report.quotes["barriers"]["Mexico"]
    assert len(mexico) == 2
    # P01's two passages in mx1 come after one from the other participant (mx2, its own document).
    assert [q.document_id for q in mexico] == [study.ids["mx1"], study.ids["mx2"]]
    again = build_report(study, quotes=True, quotes_per_country=2, release_passage=release_passage)
    assert [(q.document_id, q.start) for q in again.quotes["barriers"]["Mexico"]] == \
        [(q.document_id, q.start) for q in mexico]


def test_gate_refuses_text_exports_while_flags_are_open(study, runner, tmp_path):
    mark(study, study.ids["pe1"], 3, 10, "PERSON")
    study.close()
    out = tmp_path / "r.md"
    result = runner.invoke(app, ["export", str(study.path), "--format", "md", "-o", str(out)])
    assert result.exit_code == 1
    assert "pe1" in result.output and "open flag" in result.output and "coder" in result.output
    assert len(result.output.strip().splitlines()) == 1
    assert not out.exists()
    # Counts only need no review, and carry no text.
    result = runner.invoke(app, ["export", str(study.path), "-f", "md", "-o", str(out), "--counts-only"])
    assert result.exit_code == 0, result.output
    assert "abogado" not in out.read_text() and "## Support services" in out.read_text()


def test_last_check_stores_an_unreviewed_name_and_refuses(study, tmp_path):
    doc = study.ids["mx2"]
    # Same length as before, so the coded passage "sentí vergüenza" now holds the name.
    study.set_document_text(doc, f"Otra vez {NAME} llorando.")
    from coder.errors import GateRefused

    with pytest.raises(GateRefused, match="mx2"):
        export_project(study, fmt="json", output=tmp_path / "r.json")
    assert not (tmp_path / "r.json").exists()
    stored = study.db.execute("SELECT start, \"end\", status FROM flags WHERE document_id = ?", [doc]).fetchall()
    assert stored == [(9, 15, "open")]


def test_csv_neutralises_formulas_one_file_per_table(study, tmp_path):
    folder = tmp_path / "csv"
    export_project(study, fmt="csv", output=folder)
    assert sorted(p.name for p in folder.iterdir()) == [
        "cooccurrence.csv", "countries.csv", "matrix.csv", "quotes.csv", "tests.csv"]
    with open(folder / "quotes.csv", encoding="utf-8") as fh:
        quotes = list(csv.DictReader(fh))
    assert "'=SUM(A1) los niños no denuncian por miedo." in [q["text"] for q in quotes]
    with open(folder / "matrix.csv", encoding="utf-8") as fh:
        labels = {r["label"] for r in csv.DictReader(fh)}
    assert "'=Legal support" in labels
    assert [neutralise(v) for v in ("+1", "-x", "@a", "\tx", "\rx", "ok", 5)] == \
        ["'+1", "'-x", "'@a", "'\tx", "'\rx", "ok", 5]


def test_xlsx_has_a_sheet_per_table_with_neutralised_cells(study, tmp_path):
    from openpyxl import load_workbook

    out = tmp_path / "r.xlsx"
    export_project(study, fmt="xlsx", output=out, min_cell=2)
    book = load_workbook(out)
    assert book.sheetnames == ["countries", "matrix", "cooccurrence", "tests", "quotes"]
    texts = [row[3] for row in book["quotes"].iter_rows(min_row=2, values_only=True)]
    assert "'=SUM(A1) los niños no denuncian por miedo." in texts
    assert all(not (isinstance(c.value, str) and c.value.startswith("=")) for row in book["quotes"].iter_rows() for c in row)
    matrix = list(book["matrix"].iter_rows(min_row=2, values_only=True))
    peru_legal = next(r for r in matrix if r[1] == "services.legal" and r[3] == "Peru")
    assert peru_legal[4:] == (2, 2, 2, round(2 / 3, 4))
    mexico_inst = next(r for r in matrix if r[1] == "barriers.institutions" and r[3] == "Mexico")
    assert mexico_inst[4:] == ("<2", "<2", "<2", None)


def test_json_follows_the_documented_schema(study, tmp_path):
    out = tmp_path / "r.json"
    export_project(study, fmt="json", output=out, filters=Filters(countries=["peru"]))
    data = json.loads(out.read_text())
    assert data["schema"] == "coder-export/1"
    assert [c["name"] for c in data["countries"]] == ["Peru"]
    services = next(t for t in data["themes"] if t["key"] == "services")
    assert services["counts"]["Peru"] == {"passages": 2, "documents": 2, "participants": 2, "share": 0.6667}
    legal = data["quotes"]["services"]["Peru"]
    assert {q["attribution"] for q in legal} == {"(Conversations’ Participant 3, Peru)", "(Survey Respondent from Peru)"}
    assert all(set(q) == {"text", "translation", "attribution", "document_id", "start", "end"} for q in legal)
    assert "Mexico" not in out.read_text()


def test_html_is_self_contained_escaped_heatmap(study, tmp_path):
    out = tmp_path / "r.html"
    export_project(study, fmt="html", output=out)
    html = out.read_text()
    assert "<script" not in html.lower() and "src=" not in html
    assert not re.search(r"https?:|//|url\(|@import", html)
    assert "&lt;b&gt;bien&lt;/b&gt;" in html and "<b>bien" not in html
    assert "Content-Security-Policy" in html and "background:#" in html
    assert "(Conversations’ Participant 1, Mexico)" in html


def test_codes_filter_and_kind_filter(study):
    report = build_report(study, Filters(codes=["barriers.fear"], kind="survey"))
    assert [c["key"] for c in report.codes] == ["barriers.fear"]
    assert [t["key"] for t in report.themes] == ["barriers"]
    assert report.matrix["barriers"]["Peru"]["passages"] == 1
    assert report.countries == ["Peru"]
    with pytest.raises(Exception, match="no code 'nope'"):
        build_report(study, Filters(codes=["nope"]))


def test_attribution_and_translate_commands(study, runner, tmp_path):
    coding_id = coding_ops.codings(study, code_key="services.legal")[0]["id"]
    study.close()
    path = str(study.path)
    result = runner.invoke(app, ["attribution", path, "--kind", "conversation", "[{participant}, {country}]"])
    assert result.exit_code == 0, result.output
    result = runner.invoke(app, ["attribution", path, "--kind", "survey", "(Survey Respondent from {country"])
    assert result.exit_code == 1 and result.output.startswith("error:")
    result = runner.invoke(app, ["translate", path, str(coding_id), "The lawyer explained everything."])
    assert result.exit_code == 0, result.output
    out = tmp_path / "r.md"
    result = runner.invoke(app, ["export", path, "-f", "md", "-o", str(out), "--quotes", "1"])
    assert result.exit_code == 0, result.output
    text = out.read_text()
    assert "\\[P003, Peru\\]" in text and "The lawyer explained everything." in text
    with open_project(study.path) as reopened:
        assert reopened.meta("attribution.conversation") == "[{participant}, {country}]"
        assert coding_ops.coding(reopened, coding_id)["translation"] == "The lawyer explained everything."


def test_output_errors_are_one_line(study, runner, tmp_path):
    study.close()
    result = runner.invoke(app, ["export", str(study.path), "-f", "pdf", "-o", str(tmp_path / "x.pdf")])
    assert result.exit_code == 1 and "format must be one of" in result.output
    result = runner.invoke(app, ["export", str(study.path), "-f", "md", "-o", str(tmp_path / "no" / "x.md")])
    assert result.exit_code == 1 and "does not exist" in result.output


def test_translations_are_checked_for_identifiers_too(study, tmp_path):
    from coder.errors import GateRefused
    from coder.review import dismiss, scan_documents

    coding_id = coding_ops.codings(study, code_key="services.legal", document_id=study.ids["pe1"])[0]["id"]
    coding_ops.set_translation(study, coding_id, f"The lawyer, {NAME}, explained everything.")
    out = tmp_path / "r.md"
    with pytest.raises(GateRefused, match=f"translation of coding {coding_id}"):
        export_project(study, fmt="md", output=out)
    assert not out.exists()
    # The same name, once reviewed (dismissed) in the document itself, may go out.
    # (same length, so the coded span still covers the whole text)
    study.set_document_text(study.ids["pe1"], f"{NAME}: el abogado me explicó.".ljust(39, "!"))
    scan_documents(study, [study.ids["pe1"]])
    dismiss(study, [f[0] for f in study.db.execute("SELECT id FROM flags WHERE status = 'open'").fetchall()])
    export_project(study, fmt="md", output=out, counts_only=False)
    assert f"The lawyer, {NAME}, explained everything." in out.read_text()


def test_labels_follow_the_project_language_unless_lang_is_given(study):
    with study.transaction():
        study.upsert_code({"key": "services", "labels": {"en": "Support services", "es": "Servicios de apoyo"}})
    labels = lambda report: {t["key"]: t["label"] for t in report.themes}  # noqa: E731
    assert labels(build_report(study))["services"] == "Servicios de apoyo"  # the project is Spanish
    assert labels(build_report(study, Filters(lang="en")))["services"] == "Support services"
    assert labels(build_report(study))["barriers"] == "Barriers"  # no Spanish label: English


def test_free_text_an_attribution_quotes_passes_the_gate(study, tmp_path):
    from coder.errors import GateRefused
    from coder.review import allow_term

    study.set_document_attribute(study.ids["pe1"], "title", f"conversación con {NAME}")
    export_project(study, fmt="md", output=tmp_path / "plain.md")  # the default template has no title
    set_attribution_template(study, "conversation", "({title}, {country})")
    out = tmp_path / "r.md"
    with pytest.raises(GateRefused, match="the title quoted in the attribution"):
        export_project(study, fmt="md", output=out)
    assert not out.exists()
    allow_term(study, NAME)
    export_project(study, fmt="md", output=out)
    assert f"conversación con {NAME}, Peru" in out.read_text()


def test_an_attribution_template_that_cannot_render_is_refused_when_set(study):
    with pytest.raises(CoderError, match="attribution template"):
        set_attribution_template(study, "conversation", "({country:d})")
    assert study.meta("attribution.conversation") is None
