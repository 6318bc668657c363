"""REFI-QDA projects: export (.qdpx valid against the schema, behind the gate) and import."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest
import xmlschema

import coder.identify
from coder import coding as coding_ops
from coder.cli import app
from coder.codebook import install_codebook
from coder.errors import GateRefused
from coder.export import export_project
from coder.qdpx import import_qdpx, normalise_with_offsets
from coder.review import mark
from coder.store import create_project, open_project
from coder.textnorm import normalise
from test_export import BOOK, NAME, _add_docs, fake_detect

SHARED = Path(__file__).resolve().parents[1].parent / "shared" / "benchmarks" / "refi-qda"
PACKAGED_XSD = Path(__file__).resolve().parents[1] / "coder" / "data" / "refi" / "Project-mrt2019.xsd"


@pytest.fixture(autouse=True)
def _detector(monkeypatch):
    monkeypatch.setattr(coder.identify, "detect", fake_detect, raising=False)


@pytest.fixture(scope="module")
def schema():
    xsd = PACKAGED_XSD if PACKAGED_XSD.exists() else SHARED / "Project-mrt2019.xsd"
    return xmlschema.XMLSchema(str(xsd))


@pytest.fixture
def coded(project):
    install_codebook(project, BOOK)
    ids = _add_docs(project)
    project.set_document_attribute(ids["mx1"], "consent_quote", "no")  # .qdpx is not quoting
    coding_ops.add_coding(project, ids["mx1"], 0, 5, "barriers.fear")
    coding_ops.add_coding(project, ids["mx1"], 0, 5, "services.legal", coder="ana")
    coding_ops.add_coding(project, ids["mx1"], 35, 45, "barriers.institutions", coder="ana")
    coding_ops.add_coding(project, ids["pe1"], 3, 10, "services.legal")
    project.ids = ids
    return project


def _codings_with_text(project):
    out = set()
    for c in coding_ops.codings(project):
        doc = project.document(c["document_id"])
        out.add((doc["title"], c["code"], c["coder"], doc["text"][c["start"]:c["end"]]))
    return out


def test_export_is_valid_stable_and_carries_every_source(coded, schema, tmp_path):
    first, second = tmp_path / "a.qdpx", tmp_path / "b.qdpx"
    export_project(coded, fmt="qdpx", output=first)
    export_project(coded, fmt="qdpx", output=second)
    with zipfile.ZipFile(first) as a, zipfile.ZipFile(second) as b:
        qde = a.read("project.qde")
        schema.validate(io.BytesIO(qde))
        assert qde == b.read("project.qde")  # GUIDs are stable across exports
        sources = [n for n in a.namelist() if n.startswith("sources/")]
        assert len(sources) == 6
        texts = {a.read(n).decode("utf-8") for n in sources}
    assert "El abogado me explicó todo <b>bien</b>." in texts
    assert b'name="ana"' in qde and b"internal://" in qde
    assert first.stat().st_mode & 0o777 == 0o600


def test_export_goes_through_the_gate(coded, tmp_path):
    mark(coded, coded.ids["pe3"], 0, 6, "ORG")
    with pytest.raises(GateRefused, match="pe3"):
        export_project(coded, fmt="qdpx", output=tmp_path / "x.qdpx")
    assert not (tmp_path / "x.qdpx").exists()


def test_round_trip_keeps_every_coding_text_coder_and_attribute(coded, runner, tmp_path):
    out = tmp_path / "out.qdpx"
    export_project(coded, fmt="qdpx", output=out)
    before = _codings_with_text(coded)
    target = tmp_path / "again.coder"
    result = runner.invoke(app, ["new", str(target), "--from", str(out)])
    assert result.exit_code == 0, result.output
    with open_project(target) as again:
        assert _codings_with_text(again) == before
        pe1 = again.document("pe1")
        assert (pe1["country"], pe1["participant"], pe1["kind"]) == ("Peru", "P003", "conversation")
        assert again.document("pe2")["kind"] == "survey"
        assert [c["key"] for c in again.codes()] == [c.key for c in BOOK.codes]
        assert again.code("services.legal")["labels"]["en"] == "=Legal support"
        # Whose words may not be quoted travels with the project and comes back.
        assert again.document("mx1")["attributes"]["consent_quote"] == "no"
        assert again.document("pe1")["attributes"]["consent_quote"] == "yes"


def test_qc_demo_sample_imports(tmp_path):
    project = create_project(tmp_path / "qc.coder", country="Mexico", language="en")
    try:
        result = import_qdpx(project, SHARED / "qc-demo.qdpx")
        assert (result.documents, result.codes, result.codings) == (2, 262, 205)
        board = project.document("board_2017")
        raw = zipfile.ZipFile(SHARED / "qc-demo.qdpx").read("sources/board_2017.txt").decode("utf-8")
        first = min(coding_ops.codings(project, document_id=board["id"]), key=lambda c: c["start"])
        assert (first["start"], first["end"]) == (320, 400)
        assert board["text"][320:400] == normalise(raw)[320:400]
        assert {c["coder"] for c in coding_ops.codings(project)} == {"cp"}
    finally:
        project.close()


def test_nvivo_sample_imports_codebook_and_reports_empty_sources(tmp_path):
    project = create_project(tmp_path / "nv.coder", country="Mexico", language="en")
    try:
        result = import_qdpx(project, SHARED / "nvivo-mac-15.qdpx")
        assert result.codes == 262 and len(project.codes()) == 262
        # NVivo wrote empty .txt files and an empty .docx: nothing to import, and it says so.
        assert result.documents == 0 and len(result.skipped) == 2
        assert all("no text" in s for s in result.skipped)
    finally:
        project.close()


def test_offsets_map_through_normalisation():
    text, offsets = normalise_with_offsets("\ufeffab\r\ncd")
    assert text == "ab\ncd" and text[offsets[4]:offsets[6]] == "cd"
    text, offsets = normalise_with_offsets("ab\r\ncd", crlf_is_one=True)  # ATLAS.ti counting
    assert text[offsets[3]:offsets[5]] == "cd"
    text, offsets = normalise_with_offsets("Jose\u0301 dijo")  # decomposed é becomes one character
    assert text == "José dijo" and text[offsets[6]:offsets[10]] == "dijo"


QDE = """<?xml version="1.0" encoding="utf-8"?>
<Project xmlns="urn:QDA-XML:project:1.0" name="handmade" origin="ATLAS.ti 23">
 <Users><User guid="11111111-1111-1111-1111-111111111111" name="marta"/></Users>
 <CodeBook><Codes>
  <Code guid="22222222-2222-2222-2222-222222222222" name="Fear" isCodable="true">
   <NoteRef targetGUID="99999999-0000-0000-0000-000000000003"/>
  </Code>
 </Codes></CodeBook>
 <Sources>
  <TextSource guid="33333333-3333-3333-3333-333333333333" name="inline">
   <PlainTextContent>Tenía miedo.</PlainTextContent>
   <PlainTextSelection guid="44444444-4444-4444-4444-444444444444" startPosition="0" endPosition="11">
    <Coding guid="55555555-5555-5555-5555-555555555555" creatingUser="11111111-1111-1111-1111-111111111111">
     <CodeRef targetGUID="22222222-2222-2222-2222-222222222222"/>
     <NoteRef targetGUID="99999999-0000-0000-0000-000000000001"/>
    </Coding>
   </PlainTextSelection>
  </TextSource>
  <TextSource guid="66666666-6666-6666-6666-666666666666" name="relative" plainTextPath="relative://notes/b.txt">
   <PlainTextSelection guid="77777777-7777-7777-7777-777777777777" startPosition="6" endPosition="10">
    <Coding guid="88888888-8888-8888-8888-888888888888" creatingUser="11111111-1111-1111-1111-111111111111">
     <CodeRef targetGUID="22222222-2222-2222-2222-222222222222"/>
    </Coding>
   </PlainTextSelection>
   <NoteRef targetGUID="99999999-0000-0000-0000-000000000002"/>
  </TextSource>
  <TextSource guid="aaaaaaaa-aaaa-aaaa-aaaa-aaaaaaaaaaaa" name="rich" richTextPath="internal://aaaaaaaa-aaaa-aaaa-aaaa-aaaaaaaaaaaa.docx"/>
 </Sources>
 <Notes>
  <Note guid="99999999-0000-0000-0000-000000000001" name="n1"><PlainTextContent>coding note</PlainTextContent></Note>
  <Note guid="99999999-0000-0000-0000-000000000002" name="n2"><PlainTextContent>source note</PlainTextContent></Note>
  <Note guid="99999999-0000-0000-0000-000000000003" name="n3"><PlainTextContent>code note</PlainTextContent></Note>
 </Notes>
</Project>"""


def test_handmade_project_paths_notes_and_rich_text(tmp_path):
    import docx

    word = io.BytesIO()
    document = docx.Document()
    document.add_paragraph("Primer párrafo.")
    document.add_paragraph("Segundo.")
    document.save(word)
    path = tmp_path / "hand.qdpx"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("project.qde", QDE)
        # Lowercase/uppercase folder names differ between tools; CRLF line ends from Windows.
        archive.writestr("Sources/notes/b.txt", "Línea\r\nuno dos".encode("utf-8"))
        archive.writestr("Sources/aaaaaaaa-aaaa-aaaa-aaaa-aaaaaaaaaaaa.docx", word.getvalue())
    project = create_project(tmp_path / "hand.coder", country="Peru", language="es")
    try:
        result = import_qdpx(project, path)
        assert (result.documents, result.codings, result.memos) == (3, 2, 3)
        assert project.document("rich")["text"] == "Primer párrafo.\nSegundo."
        relative = project.document("relative")
        assert relative["text"] == "Línea\nuno dos"
        texts = {(project.document(c["document_id"])["title"],
                  project.document(c["document_id"])["text"][c["start"]:c["end"]], c["coder"], c["memo"])
                 for c in coding_ops.codings(project)}
        # ATLAS.ti counted CRLF as one character: 6..10 is "uno " there.
        assert texts == {("inline", "Tenía miedo", "marta", "coding note"), ("relative", "uno ", "marta", None)}
        memos = project.db.execute("SELECT document_id, code_id, text FROM memos ORDER BY text").fetchall()
        assert memos == [(None, project.code("fear")["id"], "code note"), (relative["id"], None, "source note")]
        assert project.document("inline")["country"] == "Peru"
    finally:
        project.close()


def test_import_scans_documents_for_identifiers(tmp_path):
    path = tmp_path / "named.qdpx"
    qde = QDE.replace("Tenía miedo.", "Lupita tenía miedo.")
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("project.qde", qde)
    project = create_project(tmp_path / "named.coder", country="Peru", language="es")
    try:
        import_qdpx(project, path)
        flags = project.db.execute("SELECT start, \"end\", status FROM flags").fetchall()
        assert flags == [(0, 6, "open")]
    finally:
        project.close()


def test_not_a_qdpx_is_one_clear_error(runner, tmp_path):
    bogus = tmp_path / "bogus.qdpx"
    bogus.write_text("hello")
    result = runner.invoke(app, ["new", str(tmp_path / "b.coder"), "--from", str(bogus)])
    assert result.exit_code == 1 and result.output.startswith("error:") and "ZIP" in result.output
    assert not (tmp_path / "b.coder").exists()


def test_titles_pass_the_gate_before_anything_is_written(coded, tmp_path):
    from coder.review import allow_term

    coded.set_document_attribute(coded.ids["pe3"], "title", f"notas de {NAME}")
    out = tmp_path / "x.qdpx"
    with pytest.raises(GateRefused, match=f"the title of the document .*document {coded.ids['pe3']}"):
        export_project(coded, fmt="qdpx", output=out)
    assert not out.exists() and not list(tmp_path.glob("*.part"))
    allow_term(coded, NAME)
    export_project(coded, fmt="qdpx", output=out)
    with zipfile.ZipFile(out) as archive:
        assert f'name="notas de {NAME}"'.encode() in archive.read("project.qde")
