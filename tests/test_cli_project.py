"""The project commands through typer's CliRunner: run the command, reopen the file, assert."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from coder.cli import app
from coder.codebook import starter_codebook_path
from coder.store import open_project


def invoke(runner, *args: str):
    return runner.invoke(app, [str(a) for a in args])


def count(path: Path, sql: str, params=()) -> int:
    with open_project(path, readonly=True) as p:
        return p.db.execute(sql, list(params)).fetchone()[0]


@pytest.fixture
def coded_project(runner, tmp_path):
    """A project with the starter codebook and two imported notes."""
    path = tmp_path / "mexico.coder"
    result = invoke(runner, "new", path, "--country", "Mexico", "--language", "es",
                    "--codebook", starter_codebook_path(), "--coder", "ana")
    assert result.exit_code == 0, result.output
    notes = tmp_path / "notes"
    notes.mkdir()
    (notes / "p01.md").write_text(
        "---\nparticipant: P01\n---\nElla tenía miedo de contarle a su mamá. La escuela no hizo nada.\n",
        encoding="utf-8",
    )
    (notes / "p02.txt").write_text("Él la amenazó con publicar las fotos.\n", encoding="utf-8")
    result = invoke(runner, "import", path, notes, "--no-scan")
    assert result.exit_code == 0, result.output
    return path


def test_every_command_has_help(runner):
    for command in ("new", "import", "info", "docs", "show", "search", "code", "uncode", "memo", "whoami", "demo"):
        result = invoke(runner, command, "--help")
        assert result.exit_code == 0, (command, result.output)
        assert "Usage" in result.output


def test_new_creates_a_private_project_with_codebook(runner, tmp_path):
    path = tmp_path / "albania.coder"
    result = invoke(runner, "new", path, "--country", "Albania", "--language", "sq",
                    "--codebook", starter_codebook_path())
    assert result.exit_code == 0, result.output
    assert (os.stat(path).st_mode & 0o777) == 0o600
    with open_project(path, readonly=True) as p:
        assert (p.country, p.language) == ("Albania", "sq")
        assert p.meta("codebook_name") == "survivor-perspectives"
        assert p.code("barriers.fear-shame-guilt")["parent"] == "barriers"


def test_new_refuses_an_existing_file_in_one_line(runner, tmp_path):
    path = tmp_path / "a.coder"
    assert invoke(runner, "new", path).exit_code == 0
    result = invoke(runner, "new", path)
    assert result.exit_code == 1
    assert result.output.strip() == f"error: {path} already exists"


def test_info_docs_show_search(runner, coded_project):
    info = invoke(runner, "info", coded_project)
    assert info.exit_code == 0 and "2 documents" in info.output and "Mexico" in info.output

    listing = invoke(runner, "docs", coded_project, "--participant", "P01")
    assert listing.exit_code == 0 and "1 documents" in listing.output and "p01" in listing.output

    shown = invoke(runner, "show", coded_project, "p02.txt")
    assert shown.exit_code == 0 and "amenazó" in shown.output

    found = invoke(runner, "search", coded_project, "miedo")
    assert found.exit_code == 0 and "1 documents match" in found.output

    missing = invoke(runner, "show", coded_project, "nope.txt")
    assert missing.exit_code == 1 and missing.output.startswith("error: no document 'nope.txt'")


def test_code_uncode_and_memo(runner, coded_project):
    with open_project(coded_project, readonly=True) as p:
        doc = p.document("p01.md")
    start = doc["text"].index("tenía miedo")
    end = start + len("tenía miedo")
    result = invoke(runner, "code", coded_project, doc["id"], start, end, "barriers.fear-shame-guilt",
                    "--memo", "miedo a la madre")
    assert result.exit_code == 0, result.output
    with open_project(coded_project, readonly=True) as p:
        row = p.db.execute(
            'SELECT c.id, c.start, c."end", k.key, c.coder, c.memo FROM codings c JOIN codes k ON k.id = c.code_id'
        ).fetchone()
    coding_id = row[0]
    assert row[1:] == (start, end, "barriers.fear-shame-guilt", "ana", "miedo a la madre")

    assert invoke(runner, "memo", coded_project, "--coding", coding_id, "otra nota").exit_code == 0
    assert count(coded_project, "SELECT count(*) FROM codings WHERE memo = 'otra nota'") == 1
    assert invoke(runner, "memo", coded_project, "--doc", "p01.md", "memo del documento").exit_code == 0
    assert count(coded_project, "SELECT count(*) FROM memos WHERE text = 'memo del documento'") == 1

    outside = invoke(runner, "code", coded_project, doc["id"], 0, 100000, "barriers.fear-shame-guilt")
    assert outside.exit_code == 1 and outside.output.startswith("error: span 0-100000 is outside")
    unknown = invoke(runner, "code", coded_project, doc["id"], 0, 3, "no.such.code")
    assert unknown.exit_code == 1 and "no code 'no.such.code'" in unknown.output

    removed = invoke(runner, "uncode", coded_project, doc["id"], start, end, "barriers.fear-shame-guilt")
    assert removed.exit_code == 0 and "removed 1 coding" in removed.output
    assert count(coded_project, "SELECT count(*) FROM codings") == 0

    again = invoke(runner, "code", coded_project, doc["id"], start, end, "barriers.fear-shame-guilt")
    new_id = count(coded_project, "SELECT max(id) FROM codings")
    assert invoke(runner, "uncode", coded_project, "--id", new_id).exit_code == 0, again.output
    assert count(coded_project, "SELECT count(*) FROM codings") == 0


def test_whoami(runner, tmp_path):
    assert invoke(runner, "whoami").output.strip() == "tester"
    path = tmp_path / "p.coder"
    invoke(runner, "new", path)
    assert invoke(runner, "whoami", "--project", path, "--set", "beto").exit_code == 0
    with open_project(path, readonly=True) as p:
        assert p.coder == "beto"


def test_import_reports_bad_files_one_line_each_and_exits_1(runner, tmp_path):
    path = tmp_path / "peru.coder"
    invoke(runner, "new", path, "--country", "Peru", "--language", "es")
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "good.txt").write_text("Una nota completa sobre la conversación.", encoding="utf-8")
    (folder / "binary.txt").write_bytes(b"\x00\x01\x02" * 40)
    (folder / "empty.md").write_bytes(b"")
    (folder / "broken.docx").write_bytes(b"not a zip at all")
    result = invoke(runner, "import", path, folder, "--no-scan", "--participant", "P04", "--facilitator", "F1",
                    "--date", "2024-02-01", "--kind", "conversation")
    assert result.exit_code == 1
    lines = result.output.splitlines()
    assert f"error: {folder / 'binary.txt'}: binary file, not text" in lines
    assert f"error: {folder / 'empty.md'}: empty file" in lines
    assert any(line.startswith(f"error: {folder / 'broken.docx'}: not a readable .docx file") for line in lines)
    assert "imported 1, skipped 0 (duplicates), failed 3" in lines
    assert "Traceback" not in result.output
    with open_project(path, readonly=True) as p:
        (doc,) = p.documents(with_text=True)
    assert (doc["participant"], doc["facilitator"], doc["date"], doc["country"]) == ("P04", "F1", "2024-02-01", "Peru")

    again = invoke(runner, "import", path, folder / "good.txt", "--no-scan")
    assert again.exit_code == 0
    assert f"skipped {folder / 'good.txt'}: same text as document {doc['id']} already in the project" in again.output
    assert "imported 0, skipped 1 (duplicates), failed 0" in again.output
    assert count(path, "SELECT count(*) FROM documents") == 1


def test_import_survey_and_manifest_options(runner, tmp_path):
    path = tmp_path / "s.coder"
    invoke(runner, "new", path, "--country", "Colombia", "--language", "es")
    (tmp_path / "survey.csv").write_text(
        "who,role,q1,q2\nW1,psicóloga,Falta confianza en la policía,Más formación\nW2,abogada,,Leyes claras sobre esto\n",
        encoding="utf-8",
    )
    (tmp_path / "manifest.csv").write_text("file,country,team\nsurvey.csv,Peru,lima\n", encoding="utf-8")
    result = invoke(runner, "import", path, tmp_path / "survey.csv", "--no-scan", "--text-column", "q1",
                    "--text-column", "q2", "--id-column", "who", "--manifest", tmp_path / "manifest.csv")
    assert result.exit_code == 0, result.output
    with open_project(path, readonly=True) as p:
        rows = p.documents()
    assert [(d["participant"], d["attributes"]["question"]) for d in rows] == [("W1", "q1"), ("W1", "q2"), ("W2", "q2")]
    assert {d["country"] for d in rows} == {"Peru"} and {d["kind"] for d in rows} == {"survey"}
    assert rows[0]["attributes"] == {"role": "psicóloga", "question": "q1", "team": "lima"}

    bad = invoke(runner, "import", path, tmp_path / "survey.csv", "--no-scan", "--text-column", "nope")
    assert bad.exit_code == 1 and "no column 'nope' for --text-column" in bad.output


def test_import_scans_for_identifiers_by_default(runner, tmp_path):
    path = tmp_path / "scan.coder"
    invoke(runner, "new", path, "--country", "Mexico", "--language", "es")
    note = tmp_path / "p01.txt"
    note.write_text("Su prima Yesenia Ramírez le dio su número: +52 55 4321 8765.\n", encoding="utf-8")
    result = invoke(runner, "import", path, note)
    assert result.exit_code == 0, result.output
    flagged = count(path, "SELECT count(*) FROM flags WHERE status = 'open'")
    assert flagged >= 1 and f"{flagged} possible identifiers flagged" in result.output


def test_demo_builds_rebuilds_and_protects_other_files(runner, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = invoke(runner, "demo")
    assert result.exit_code == 0, result.output
    path = tmp_path / "projects" / "demo.coder"
    with open_project(path, readonly=True) as p:
        documents = p.documents(with_text=True)
        assert len(documents) == 8
        assert {d["language"] for d in documents} == {"es", "en", "sq", "ro"}
        codings = p.db.execute(
            'SELECT c.document_id, c.start, c."end", k.key FROM codings c JOIN codes k ON k.id = c.code_id'
        ).fetchall()
        flagged_sources = {
            r[0] for r in p.db.execute(
                "SELECT DISTINCT d.source FROM flags f JOIN documents d ON d.id = f.document_id WHERE f.status = 'open'"
            )
        }
    assert len(codings) >= 10
    texts = {d["id"]: d["text"] for d in documents}
    keys = {key for *_, key in codings}
    assert {"barriers.fear-shame-guilt", "services.legal", "disclosure.peers", "control.threats"} <= keys
    assert all(0 <= s < e <= len(texts[doc]) for doc, s, e, _ in codings)
    assert {"mx-p03.md", "md-p02.md"} <= flagged_sources  # the two deliberate identifier slips
    assert "8 documents" in result.output

    rebuilt = invoke(runner, "demo")
    assert rebuilt.exit_code == 0
    assert count(path, "SELECT count(*) FROM documents") == 8

    other = tmp_path / "mine.coder"
    invoke(runner, "new", other)
    refused = invoke(runner, "demo", "--path", other)
    assert refused.exit_code == 1 and "is not a demo project; use --force" in refused.output
    assert count(other, "SELECT count(*) FROM documents") == 0
    forced = invoke(runner, "demo", "--path", other, "--force")
    assert forced.exit_code == 0
    assert count(other, "SELECT count(*) FROM documents") == 8


def test_demo_opens_the_tui_in_a_terminal(runner, tmp_path, monkeypatch):
    import types

    import coder.cli.ingest as ingest_cli
    import coder.tui

    terminal = types.SimpleNamespace(isatty=lambda: True)
    monkeypatch.setattr(ingest_cli, "sys", types.SimpleNamespace(stdin=terminal, stdout=terminal))
    opened = []
    monkeypatch.setattr(coder.tui, "run", lambda path: opened.append(Path(path)))
    path = tmp_path / "demo.coder"
    result = invoke(runner, "demo", "--path", path)
    assert result.exit_code == 0, result.output
    assert opened == [path]
    assert "documents" not in result.output  # the TUI replaced the printed summary
    assert count(path, "SELECT count(*) FROM documents") == 8
