"""Importing notes: formats, encodings, attribute sources and precedence, bad input, duplicates."""

from __future__ import annotations

import codecs
import hashlib
import json
import re
import unicodedata
from pathlib import Path

import pytest

from coder import ingest
from coder.errors import CoderError
from coder.ingest import import_paths
from coder.store import open_project

SHARED = Path(__file__).resolve().parents[1].parent / "shared"

ALBANIAN = "Ajo tha se kishte turp dhe frikë. Çdo ditë ëndërronte të largohej nga shkolla."
ROMANIAN = "Participanta a spus că îi era ruşine şi frică; părinţii nu au ştiut nimic."  # cedillas: cp1250
ROMANIAN_COMMA = "Participanta a spus că îi era rușine și frică; părinții nu au știut nimic."
BOSNIAN = "Rekla je da se plašila. Čula je da će šutjeti, a žena iz centra i Đurđa su pomogle."
SPANISH = "Contó que sentía vergüenza y miedo. ¿Quién le iba a creer? Su mamá no supo nada."


def write(path: Path, content: str | bytes) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(content, str):
        path.write_text(content, encoding="utf-8", newline="")
    else:
        path.write_bytes(content)
    return path


def docs(project) -> list[dict]:
    return project.documents(with_text=True)


def reopen(project):
    """The same project freshly opened from disk (asserting on what was committed)."""
    return open_project(project.path, readonly=True)


def _fts_ids(project, query: str) -> list[int]:
    return [
        r[0]
        for r in project.db.execute(
            "SELECT rowid FROM documents_fts WHERE documents_fts MATCH ? ORDER BY rowid", [query]
        ).fetchall()
    ]


def make_docx(path: Path, paragraphs: list[str], table: list[list[str]] | None = None) -> Path:
    import docx

    document = docx.Document()
    for text in paragraphs:
        document.add_paragraph(text)
    if table:
        grid = document.add_table(rows=len(table), cols=len(table[0]))
        for r, row in enumerate(table):
            for c, value in enumerate(row):
                grid.cell(r, c).text = value
    document.save(str(path))
    return path


def make_odt(path: Path, heading: str, paragraphs: list[str]) -> Path:
    from odf.opendocument import OpenDocumentText
    from odf.text import H, P

    document = OpenDocumentText()
    document.text.addElement(H(outlinelevel=1, text=heading))
    for text in paragraphs:
        document.text.addElement(P(text=text))
    document.save(str(path))
    return path


def make_xlsx(path: Path, rows: list[list[object]]) -> Path:
    import openpyxl

    workbook = openpyxl.Workbook()
    sheet = workbook.active
    for row in rows:
        sheet.append(row)
    workbook.save(str(path))
    return path


# -- formats ---------------------------------------------------------------------------------------


def test_plain_text_is_stored_exactly_with_project_defaults(project, tmp_path):
    text = "Notas de la conversación con P03.\n\nDijo que tenía miedo.\n"
    write(tmp_path / "notes" / "p03.txt", text)
    report = import_paths(project, [tmp_path / "notes"], defaults={})
    assert report.ok and len(report.document_ids) == 1
    with reopen(project) as p:
        (doc,) = docs(p)
    assert doc["text"] == text
    assert doc["title"] == "p03" and doc["source"] == "p03.txt"
    assert (doc["country"], doc["language"], doc["kind"]) == ("Mexico", "es", "conversation")
    assert doc["sha256"] == hashlib.sha256(text.encode("utf-8")).hexdigest()
    assert doc["imported_by"] == "tester"


def test_markdown_front_matter_sets_attributes_and_is_removed(project, tmp_path):
    body = "# Notas\n\nElla contó lo que pasó.\n"
    write(
        tmp_path / "p07.md",
        "---\nparticipant: P07\ncountry: Colombia\nlanguage: es\nfacilitator: F2\ndate: 2024-05-14\n"
        "kind: conversation\ntitle: \"Conversación P07\"\nconsent_quote: no\nAge group: 15-17\n---\n\n" + body,
    )
    assert import_paths(project, [tmp_path / "p07.md"], defaults={}).ok
    with reopen(project) as p:
        (doc,) = docs(p)
    assert doc["text"] == body
    assert doc["participant"] == "P07" and doc["country"] == "Colombia"
    assert doc["facilitator"] == "F2" and doc["date"] == "2024-05-14"
    assert doc["title"] == "Conversación P07"
    assert doc["attributes"] == {"consent_quote": "no", "age_group": "15-17"}


def test_text_that_only_looks_like_front_matter_is_kept(project, tmp_path):
    text = "---\nsin cierre de bloque, es solo una línea\n"
    write(tmp_path / "raya.txt", text)
    assert import_paths(project, [tmp_path / "raya.txt"], defaults={}).ok
    with reopen(project) as p:
        assert docs(p)[0]["text"] == text


def test_docx_paragraphs_and_tables_in_order(project, tmp_path):
    make_docx(
        tmp_path / "p04.docx",
        ["Notas P04", "", "Tenía miedo de su familia."],
        table=[["Tema", "Comentario"], ["Apoyo", "La psicóloga le creyó"]],
    )
    assert import_paths(project, [tmp_path / "p04.docx"], defaults={"participant": "P04"}).ok
    with reopen(project) as p:
        (doc,) = docs(p)
    assert doc["text"] == "Notas P04\n\nTenía miedo de su familia.\nTema\tComentario\nApoyo\tLa psicóloga le creyó"
    assert doc["participant"] == "P04" and doc["source"] == "p04.docx"


def test_docx_text_inside_a_content_control_is_kept(project, tmp_path):
    import docx
    from docx.oxml import OxmlElement

    document = docx.Document()
    document.add_paragraph("antes")
    inner = document.add_paragraph("dentro del formulario")
    control, content = OxmlElement("w:sdt"), OxmlElement("w:sdtContent")
    control.append(content)
    inner._p.addprevious(control)
    content.append(inner._p)
    document.add_paragraph("después")
    document.save(str(tmp_path / "form.docx"))
    assert import_paths(project, [tmp_path / "form.docx"], defaults={}).ok
    with reopen(project) as p:
        assert docs(p)[0]["text"] == "antes\ndentro del formulario\ndespués"


def test_docx_table_nested_in_a_cell_is_read_once(project, tmp_path):
    import docx

    document = docx.Document()
    table = document.add_table(rows=1, cols=2)
    table.cell(0, 0).text = "Tema"
    outer = table.cell(0, 1)
    outer.text = "Comentarios:"
    nested = outer.add_table(rows=2, cols=2)
    nested.cell(0, 0).text, nested.cell(0, 1).text = "madre", "no le creyó"
    nested.cell(1, 0).text, nested.cell(1, 1).text = "psicóloga", "la escuchó"
    document.add_paragraph("fin")
    document.save(str(tmp_path / "nested.docx"))
    assert import_paths(project, [tmp_path / "nested.docx"], defaults={}).ok
    with reopen(project) as p:
        text = docs(p)[0]["text"]
    for phrase in ("Tema", "Comentarios:", "madre", "no le creyó", "psicóloga", "la escuchó", "fin"):
        assert text.count(phrase) == 1, (phrase, text)
    assert text.index("madre") < text.index("psicóloga") < text.index("fin")


def test_odt_heading_and_paragraphs(project, tmp_path):
    make_odt(tmp_path / "p05.odt", "Shënime P05", ["Ajo kishte turp.", "Shoqja e ndihmoi."])
    assert import_paths(project, [tmp_path / "p05.odt"], defaults={"language": "sq"}).ok
    with reopen(project) as p:
        (doc,) = docs(p)
    assert doc["text"] == "Shënime P05\nAjo kishte turp.\nShoqja e ndihmoi."
    assert doc["language"] == "sq"


def test_csv_survey_one_document_per_answer(project, tmp_path):
    write(
        tmp_path / "encuesta.csv",
        "id;rol;respuesta\r\nS1;psicóloga;\"Las jóvenes no denuncian por miedo; nadie les cree\"\r\n"
        "S2;abogada;\r\nS3;trabajadora social;Falta formación en las escuelas y en la policía\r\n",
    )
    report = import_paths(
        project, [tmp_path / "encuesta.csv"], defaults={}, text_column="respuesta", id_column="id"
    )
    assert report.ok and len(report.document_ids) == 2
    with reopen(project) as p:
        first, second = docs(p)
    assert first["text"] == "Las jóvenes no denuncian por miedo; nadie les cree"
    assert first["kind"] == "survey" and first["participant"] == "S1"
    assert first["attributes"] == {"rol": "psicóloga", "question": "respuesta"}
    assert first["title"] == "encuesta S1" and first["source"] == "encuesta.csv#2"
    assert second["participant"] == "S3" and second["source"] == "encuesta.csv#4"


def test_csv_text_column_is_guessed_when_only_one_holds_free_text(project, tmp_path):
    write(tmp_path / "s.csv", "edad,respuesta\n16,Nadie me creyó cuando lo conté\n17,No sé a quién acudir\n")
    report = import_paths(project, [tmp_path / "s.csv"], defaults={})
    assert report.ok and len(report.document_ids) == 2
    with reopen(project) as p:
        assert [d["attributes"]["edad"] for d in docs(p)] == ["16", "17"]


def test_identical_short_answers_of_different_respondents_are_both_kept(project, tmp_path):
    write(tmp_path / "s.csv", "id,answer\nR1,No\nR2,No\n")
    report = import_paths(project, [tmp_path / "s.csv"], defaults={}, text_column="answer", id_column="id")
    assert len(report.document_ids) == 2
    again = import_paths(project, [tmp_path / "s.csv"], defaults={}, text_column="answer", id_column="id")
    assert again.document_ids == [] and again.skipped_documents == 2


def test_xlsx_survey_with_several_questions(project, tmp_path):
    make_xlsx(
        tmp_path / "survey.xlsx",
        [
            ["respondent", "country", "Q1 barriers", "Q2 recommendations"],
            ["R1", "Peru", "Fear of not being believed by the police", "Training for teachers"],
            ["R2", "Peru", None, "A chat line for young people"],
            [None, None, None, None],
        ],
    )
    report = import_paths(
        project, [tmp_path / "survey.xlsx"], defaults={},
        text_column=["Q1 barriers", "Q2 recommendations"], id_column="respondent",
    )
    assert report.ok and len(report.document_ids) == 3
    with reopen(project) as p:
        rows = docs(p)
    assert [(d["participant"], d["attributes"]["question"]) for d in rows] == [
        ("R1", "Q1 barriers"), ("R1", "Q2 recommendations"), ("R2", "Q2 recommendations")
    ]
    assert all(d["country"] == "Peru" and d["kind"] == "survey" for d in rows)
    assert rows[2]["text"] == "A chat line for young people"


def test_survey_needs_text_column_when_ambiguous(project, tmp_path):
    write(tmp_path / "s.csv", "a,b\nuna respuesta larga aquí,otra respuesta larga allá\n")
    report = import_paths(project, [tmp_path / "s.csv"], defaults={})
    assert [m for _, m in report.failed] == [f"{tmp_path / 's.csv'}: say which column holds the answers with --text-column (a, b)"]
    report = import_paths(project, [tmp_path / "s.csv"], defaults={}, text_column="nope")
    assert "no column 'nope' for --text-column (columns: a, b)" in report.failed[0][1]
    with reopen(project) as p:
        assert docs(p) == []


# -- encodings -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text, encoding",
    [
        (ALBANIAN, "cp1250"),
        (ALBANIAN, "iso-8859-2"),
        (ALBANIAN, "cp1252"),
        (ROMANIAN, "cp1250"),
        (ROMANIAN, "iso-8859-2"),
        (BOSNIAN, "cp1250"),
        (BOSNIAN, "iso-8859-2"),
        (SPANISH, "cp1252"),
        (ROMANIAN_COMMA, "utf-16-le"),
        (BOSNIAN, "utf-16-be"),
        (SPANISH, "utf-8-sig"),
        (ROMANIAN_COMMA, "utf-8"),
    ],
)
def test_encodings_are_detected(project, tmp_path, text, encoding):
    data = text.encode(encoding)
    if encoding == "utf-16-le":
        data = codecs.BOM_UTF16_LE + data
    elif encoding == "utf-16-be":
        data = codecs.BOM_UTF16_BE + data
    write(tmp_path / "note.txt", data)
    report = import_paths(project, [tmp_path / "note.txt"], defaults={})
    assert report.ok, report.failed
    with reopen(project) as p:
        assert docs(p)[0]["text"] == text


def test_line_ends_and_unicode_are_normalised(project, tmp_path):
    decomposed = unicodedata.normalize("NFD", "Ella sintió vergüenza.")
    write(tmp_path / "crlf.txt", ("uno\r\ndos\r\n" + decomposed).encode("utf-8"))
    write(tmp_path / "cr.txt", "tres\rcuatro\r".encode("cp1252"))
    assert import_paths(project, [tmp_path], defaults={}).ok
    with reopen(project) as p:
        texts = {d["source"]: d["text"] for d in docs(p)}
    assert texts["crlf.txt"] == "uno\ndos\nElla sintió vergüenza."
    assert texts["crlf.txt"] == unicodedata.normalize("NFC", texts["crlf.txt"])
    assert texts["cr.txt"] == "tres\ncuatro\n"


# -- bad input -------------------------------------------------------------------------------------


def test_bad_files_are_reported_one_line_each_and_good_ones_imported(project, tmp_path, monkeypatch):
    folder = tmp_path / "in"
    write(folder / "a-good.txt", "Una nota buena.")
    write(folder / "binary.txt", b"\x00\x01\x02\x03PK\x00\x00" * 50)
    write(folder / "empty.md", b"")
    write(folder / "blank.txt", "  \n\t\n ")
    write(folder / "garbled.txt", bytes(range(0x80, 0xA0)) * 8)
    write(folder / "broken.docx", b"PK\x03\x04 this is not really a zip")
    write(folder / "broken.xlsx", b"garbage" * 10)
    write(folder / "broken.odt", b"PK\x05\x06" + b"\x00" * 18)
    write(folder / "big.txt", "x" * 2048)
    write(folder / "z-good.md", "---\nparticipant: P09\n---\nOtra nota buena.")
    write(folder / "photo.jpg", b"\xff\xd8\xff")
    monkeypatch.setattr(ingest, "MAX_FILE_BYTES", 1024)

    report = import_paths(project, [folder, tmp_path / "missing.txt"], defaults={})
    reasons = dict(report.failed)
    assert set(reasons) == {
        str(folder / n) for n in ("binary.txt", "empty.md", "blank.txt", "garbled.txt", "broken.docx",
                                  "broken.xlsx", "broken.odt", "big.txt")
    } | {str(tmp_path / "missing.txt")}
    for name, message in reasons.items():
        assert message.startswith(name + ": ") and "\n" not in message
    assert "binary" in reasons[str(folder / "binary.txt")]
    assert "empty" in reasons[str(folder / "empty.md")] and "empty" in reasons[str(folder / "blank.txt")]
    assert "encoding" in reasons[str(folder / "garbled.txt")]
    assert "not a readable .docx" in reasons[str(folder / "broken.docx")]
    assert "not a readable .xlsx" in reasons[str(folder / "broken.xlsx")]
    assert "not a readable .odt" in reasons[str(folder / "broken.odt")]
    assert "MB limit" in reasons[str(folder / "big.txt")]
    assert "no such file" in reasons[str(tmp_path / "missing.txt")]
    assert report.ignored == [str(folder / "photo.jpg")]
    with reopen(project) as p:
        assert [d["source"] for d in docs(p)] == ["a-good.txt", "z-good.md"]


def test_unsupported_file_named_explicitly_fails(project, tmp_path):
    write(tmp_path / "notes.pdf", b"%PDF-1.4")
    report = import_paths(project, [tmp_path / "notes.pdf"], defaults={})
    assert "not a supported file type" in report.failed[0][1]


def test_bad_front_matter_is_refused(project, tmp_path):
    write(tmp_path / "p.md", "---\nparticipant: P01\nthis line is wrong\n---\ntexto")
    report = import_paths(project, [tmp_path / "p.md"], defaults={})
    assert report.failed == [(str(tmp_path / "p.md"), f"{tmp_path / 'p.md'}: front matter line 3 is not `key: value`")]


def test_unknown_kind_is_refused(project, tmp_path):
    write(tmp_path / "p.md", "---\nkind: interview\n---\ntexto")
    report = import_paths(project, [tmp_path / "p.md"], defaults={})
    assert "kind must be one of conversation, survey, memo" in report.failed[0][1]


def test_a_file_is_stored_all_or_nothing(project, tmp_path):
    write(tmp_path / "a.csv", "id,answer\nR1,primera respuesta larga\nR2,segunda respuesta larga\n")
    write(tmp_path / "b.txt", "una nota que sí entra")
    # The store itself refuses the survey's second answer, after its first went in.
    project.db.execute(
        "CREATE TRIGGER refuse_r2 BEFORE INSERT ON documents WHEN new.participant = 'R2' "
        "BEGIN SELECT RAISE(ABORT, 'disk trouble'); END"
    )
    report = import_paths(project, [tmp_path], defaults={}, text_column="answer", id_column="id")
    assert [name for name, _ in report.failed] == [str(tmp_path / "a.csv")]
    assert "disk trouble" in report.failed[0][1]
    with reopen(project) as p:
        assert [d["source"] for d in docs(p)] == ["b.txt"]
        assert p.db.execute("SELECT count(*) FROM documents_fts").fetchone()[0] == 1
        assert p.db.execute("SELECT count(*) FROM audit WHERE action = 'document.import'").fetchone()[0] == 1
        assert _fts_ids(p, "entra") == [docs(p)[0]["id"]]
        assert _fts_ids(p, "respuesta") == []


# -- duplicates ------------------------------------------------------------------------------------


def test_reimport_is_a_reported_no_op(project, tmp_path):
    write(tmp_path / "n" / "a.txt", "nota a")
    write(tmp_path / "n" / "b.txt", "nota b")
    first = import_paths(project, [tmp_path / "n"], defaults={})
    assert len(first.document_ids) == 2
    write(tmp_path / "copy-of-a.txt", "nota a")
    again = import_paths(project, [tmp_path / "n", tmp_path / "copy-of-a.txt"], defaults={})
    assert again.ok and again.document_ids == [] and again.skipped_documents == 3
    assert again.summary() == "imported 0, skipped 3 (duplicates), failed 0"
    assert "same text as document" in again.skipped[0][1]
    with reopen(project) as p:
        assert len(docs(p)) == 2


def test_duplicates_within_one_call_are_skipped(project, tmp_path):
    write(tmp_path / "a.txt", "misma nota")
    write(tmp_path / "b.txt", "misma nota")
    report = import_paths(project, [tmp_path], defaults={})
    assert len(report.document_ids) == 1 and report.skipped == [
        (str(tmp_path / "b.txt"), f"same text as document {report.document_ids[0]} already in the project")
    ]


# -- attribute sources and precedence --------------------------------------------------------------


def test_precedence_manifest_over_front_matter_over_options_over_project(project, tmp_path):
    write(tmp_path / "fm.md", "---\nparticipant: P-front\nfacilitator: F-front\n---\nnota con bloque")
    write(tmp_path / "plain.txt", "nota sin bloque")
    write(tmp_path / "listed.md", "---\nparticipant: P-front\ncountry: Peru\n---\nnota listada")
    write(
        tmp_path / "manifest.csv",
        "file,participant,consent_quote,language\nlisted.md,P-manifest,no,\n",
    )
    options = {"participant": "P-option", "facilitator": "F-option", "date": "2024-01-01"}
    report = import_paths(project, [tmp_path / "fm.md", tmp_path / "plain.txt", tmp_path / "listed.md"],
                          defaults=options, manifest=tmp_path / "manifest.csv")
    assert report.ok and report.unmatched_manifest == []
    with reopen(project) as p:
        by_source = {d["source"]: d for d in docs(p)}
    fm, plain, listed = by_source["fm.md"], by_source["plain.txt"], by_source["listed.md"]
    assert (fm["participant"], fm["facilitator"], fm["date"], fm["country"]) == ("P-front", "F-front", "2024-01-01", "Mexico")
    assert (plain["participant"], plain["facilitator"], plain["country"]) == ("P-option", "F-option", "Mexico")
    assert (listed["participant"], listed["country"], listed["language"]) == ("P-manifest", "Peru", "es")
    assert listed["attributes"] == {"consent_quote": "no"}  # empty manifest cells change nothing


def test_manifest_matches_by_path_then_base_name_and_reports_leftovers(project, tmp_path):
    write(tmp_path / "notes" / "mx" / "p01.txt", "nota uno")
    write(tmp_path / "notes" / "co" / "p01.txt", "nota uno de colombia")
    write(tmp_path / "notes" / "p02.txt", "nota dos")
    write(
        tmp_path / "manifest.csv",
        "file;country\nnotes/mx/p01.txt;Mexico\nnotes/co/p01.txt;Colombia\np02.txt;Peru\nmissing.txt;Peru\n",
    )
    report = import_paths(project, [tmp_path / "notes"], defaults={}, manifest=tmp_path / "manifest.csv")
    assert report.ok and report.unmatched_manifest == ["missing.txt"]
    with reopen(project) as p:
        countries = {d["text"]: d["country"] for d in docs(p)}
    assert countries == {"nota uno": "Mexico", "nota uno de colombia": "Colombia", "nota dos": "Peru"}


def test_manifest_without_file_column_is_refused(project, tmp_path):
    write(tmp_path / "manifest.csv", "name,country\na.txt,Peru\n")
    with pytest.raises(CoderError, match="no `file` column"):
        import_paths(project, [tmp_path], defaults={}, manifest=tmp_path / "manifest.csv")


def test_folders_are_walked_recursively_in_order_skipping_hidden(project, tmp_path):
    write(tmp_path / "n" / "b" / "2.txt", "dos")
    write(tmp_path / "n" / "a.txt", "uno")
    write(tmp_path / "n" / "b" / "1.md", "uno b")
    write(tmp_path / "n" / ".hidden.txt", "oculto")
    write(tmp_path / "n" / ".git" / "x.txt", "git")
    report = import_paths(project, [tmp_path / "n"], defaults={})
    assert [name for name, _ in report.imported] == [
        str(tmp_path / "n" / "a.txt"), str(tmp_path / "n" / "b" / "1.md"), str(tmp_path / "n" / "b" / "2.txt")
    ]


def test_imports_are_audited_without_text(project, tmp_path):
    write(tmp_path / "a.txt", "Texto privado de la nota")
    report = import_paths(project, [tmp_path], defaults={})
    with reopen(project) as p:
        rows = p.db.execute("SELECT who, action, target, details FROM audit WHERE action = 'document.import'").fetchall()
    assert rows == [("tester", "document.import", f"document:{report.document_ids[0]}",
                     json.dumps({"kind": "conversation", "format": ".txt"}))]


def test_progress_is_reported_per_file(project, tmp_path):
    for i in range(3):
        write(tmp_path / f"{i}.txt", f"nota {i}")
    seen = []
    import_paths(project, [tmp_path], defaults={}, progress=lambda done, total, name: seen.append((done, total)))
    assert seen == [(1, 3), (2, 3), (3, 3)]


# -- acceptance ------------------------------------------------------------------------------------


def test_acceptance_deid_dev_notes_with_manifest_from_gold(project, tmp_path):
    corpus = SHARED / "corpus" / "deid-dev"
    assert corpus.is_dir(), f"shared corpus missing at {corpus}"
    gold = [json.loads(line) for line in (corpus / "gold.jsonl").read_text(encoding="utf-8").splitlines() if line]
    manifest = tmp_path / "manifest.csv"
    import csv

    with open(manifest, "w", newline="", encoding="utf-8") as fh:
        writer = csv.writer(fh)
        writer.writerow(["file", "country", "language", "participant"])
        for entry in gold:
            writer.writerow([Path(entry["file"]).name, entry["country"], entry["lang"], entry["participant"]])

    report = import_paths(project, [corpus / "notes"], defaults={}, manifest=manifest)
    assert report.ok and report.unmatched_manifest == []
    assert len(report.document_ids) == len(gold) == 30
    with reopen(project) as p:
        stored = {d["source"]: d for d in docs(p)}
    for entry in gold:
        doc = stored[Path(entry["file"]).name]
        assert doc["text"] == (corpus / entry["file"]).read_text(encoding="utf-8")
        assert (doc["country"], doc["language"], doc["participant"]) == (
            entry["country"], entry["lang"], entry["participant"]
        )
        # The gold offsets refer to the stored text.
        for span in entry["spans"]:
            assert doc["text"][span["start"]:span["end"]] == span["text"]


def test_qdpx_projects_go_through_the_refi_importer(project, tmp_path):
    sample = SHARED / "benchmarks" / "refi-qda" / "qc-demo.qdpx"
    assert sample.is_file(), f"shared REFI-QDA sample missing at {sample}"
    write(tmp_path / "note.txt", "una nota suelta")
    report = import_paths(project, [sample, tmp_path / "note.txt"], defaults={})
    assert report.ok
    assert [name for name, _ in report.imported] == [str(sample), str(tmp_path / "note.txt")]
    assert len(report.imported[0][1]) == 2
    with reopen(project) as p:
        assert len(docs(p)) == 3
        assert p.db.execute("SELECT count(*) FROM codings").fetchone()[0] == 205
        assert p.db.execute("SELECT count(*) FROM flags").fetchone()[0] == 0  # the caller scans


def test_a_damaged_qdpx_is_one_line_and_leaves_nothing(project, tmp_path):
    write(tmp_path / "broken.qdpx", b"PK\x03\x04 not really")
    report = import_paths(project, [tmp_path / "broken.qdpx"], defaults={})
    assert len(report.failed) == 1 and report.failed[0][1].count("\n") == 0
    with reopen(project) as p:
        assert docs(p) == [] and p.db.execute("SELECT count(*) FROM codes").fetchone()[0] == 0


def test_legacy_encoded_excel_csv_export(project, tmp_path):
    write(tmp_path / "anketa.csv", "id;odgovor\r\nR1;Žena iz centra je pomogla, čula sam da će šutjeti\r\n".encode("cp1250"))
    report = import_paths(project, [tmp_path / "anketa.csv"], defaults={"language": "bs"}, text_column="odgovor")
    assert report.ok
    with reopen(project) as p:
        (doc,) = docs(p)
    assert doc["text"] == "Žena iz centra je pomogla, čula sam da će šutjeti"
    assert doc["language"] == "bs" and doc["title"] == "anketa row 2"


# -- full-text index kept in step through batched imports ----------------------------------------


def _schema(project) -> list[tuple]:
    return project.db.execute("SELECT type, name, sql FROM sqlite_master ORDER BY name").fetchall()


def _check_index(project) -> None:
    # FTS5 compares its index with the documents table and raises if they differ.
    project.db.execute("INSERT INTO documents_fts (documents_fts, rank) VALUES ('integrity-check', 1)")


def test_batched_import_indexes_every_document_and_keeps_the_triggers(project, tmp_path, monkeypatch):
    monkeypatch.setattr(ingest, "BATCH_FILES", 3)  # several commits
    schema = _schema(project)
    folder = tmp_path / "in"
    words = ["alfa", "bravo", "charlie", "delta", "echo", "foxtrot", "golf"]
    for i, word in enumerate(words):
        write(folder / f"n{i}.txt", f"Nota {word} número {i}.")
    write(folder / "n3b.txt", "\x00\x01 binary")  # a bad file inside a batch
    write(folder / "n5b.txt", "Nota echo número 4.")  # a duplicate inside a batch
    report = import_paths(project, [folder], defaults={})
    assert [name for name, _ in report.failed] == [str(folder / "n3b.txt")]
    assert report.skipped_documents == 1
    with reopen(project) as p:
        assert _schema(p) == schema  # the insert trigger is back, exactly as it was
        assert [d["source"] for d in docs(p)] == [f"n{i}.txt" for i in range(7)]
        ids = {d["source"]: d["id"] for d in docs(p)}
        for i, word in enumerate(words):
            assert _fts_ids(p, word) == [ids[f"n{i}.txt"]]
        assert len(_fts_ids(p, "nota")) == 7
    _check_index(project)
    # Inserts, updates and deletes after the import still reach the index.
    with project.transaction():
        project.set_document_text(ids["n0.txt"], "Nota hotel.")
        project.db.execute("DELETE FROM documents WHERE id = ?", [ids["n1.txt"]])
    write(tmp_path / "later.txt", "Nota india.")
    assert import_paths(project, [tmp_path / "later.txt"], defaults={}).ok
    with reopen(project) as p:
        assert _fts_ids(p, "alfa") == [] and _fts_ids(p, "hotel") == [ids["n0.txt"]]
        assert _fts_ids(p, "bravo") == []
        assert len(_fts_ids(p, "india")) == 1
    _check_index(project)


def test_qdpx_between_notes_is_indexed_through_its_own_inserts(project, tmp_path):
    sample = SHARED / "benchmarks" / "refi-qda" / "qc-demo.qdpx"
    assert sample.is_file(), f"shared REFI-QDA sample missing at {sample}"
    write(tmp_path / "a.txt", "primera nota kilo")
    write(tmp_path / "c.txt", "tercera nota lima")
    report = import_paths(project, [tmp_path / "a.txt", sample, tmp_path / "c.txt"], defaults={})
    assert report.ok and len(report.document_ids) == 4
    with reopen(project) as p:
        total = p.db.execute("SELECT count(*) FROM documents").fetchone()[0]
        assert total == 4
        assert len(_fts_ids(p, "nota")) == 2 and len(_fts_ids(p, "kilo")) == 1
        indexed = p.db.execute("SELECT count(*) FROM documents_fts_docsize").fetchone()[0]
        assert indexed == 4
    _check_index(project)


@pytest.mark.parametrize(
    "data",
    [
        "ASCII only note.".encode(),
        SPANISH.encode(),
        unicodedata.normalize("NFD", ALBANIAN).encode(),  # needs NFC
        ("Línea uno\r\nLínea dos\rtres").encode(),  # carriage returns
        codecs.BOM_UTF8 + BOSNIAN.encode(),
        codecs.BOM_UTF16_LE + ROMANIAN.encode("utf-16-le"),
        ROMANIAN.encode("cp1250"),
        b"\x00\x01\x02 binary that is valid UTF-8",
        "\ufeff".encode() + b"x",
        bytes(range(0x80, 0xA0)) * 8,
    ],
)
def test_fast_note_decoding_agrees_with_textnorm(data):
    from coder.formats import decode_note, decode_note_exact
    from coder.textnorm import decode

    try:
        expected = decode(data, "n.txt")
    except CoderError as exc:
        with pytest.raises(CoderError, match=re.escape(str(exc))):
            decode_note(data, "n.txt")
    else:
        assert decode_note(data, "n.txt") == expected
        text, exact = decode_note_exact(data, "n.txt")
        assert text == expected and exact == (expected.encode("utf-8") == data)
