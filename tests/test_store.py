"""The project file: schema, migrations, pragmas, permissions, FTS kept in sync."""

from __future__ import annotations

import hashlib
import os
import sqlite3
import stat

import pytest
from sqlite_utils import Database

from coder.errors import CoderError, NotFound
from coder.store import SCHEMA_VERSION, create_project, migrate, open_project


def _insert(project, text: str, title: str = "note", **fields) -> int:
    with project.transaction():
        return project.insert_document(
            {
                "title": title,
                "text": text,
                "sha256": hashlib.sha256(text.encode()).hexdigest(),
                "country": "Mexico",
                "language": "es",
                **fields,
            }
        )


def _fts_ids(project, word: str) -> list[int]:
    return [
        r[0]
        for r in project.db.execute(
            "SELECT rowid FROM documents_fts WHERE documents_fts MATCH ? ORDER BY rowid", [word]
        ).fetchall()
    ]


def test_fresh_project_has_current_schema(project):
    assert SCHEMA_VERSION == 2
    assert project.schema_version() == 2
    tables = set(project.db.table_names())
    assert {"project", "documents", "documents_fts", "codes", "codings", "flags", "memos", "audit", "allowlist"} <= tables
    assert "translation" in project.db["codings"].columns_dict
    assert project.country == "Mexico" and project.language == "es"
    actions = [r[0] for r in project.db.execute("SELECT action FROM audit").fetchall()]
    assert actions == ["project.create"]


def test_project_file_is_private(tmp_path):
    path = tmp_path / "private.coder"
    create_project(path, country="Peru", language="es").close()
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600


def test_pragmas_are_set(project):
    q = project.db.execute
    assert q("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert q("PRAGMA foreign_keys").fetchone()[0] == 1
    assert q("PRAGMA secure_delete").fetchone()[0] == 1
    assert q("PRAGMA busy_timeout").fetchone()[0] >= 1000
    assert q("PRAGMA page_size").fetchone()[0] == 16384  # notes of a few KB fit a page


def test_existing_project_keeps_its_page_size(tmp_path):
    path = tmp_path / "old.coder"  # a project from before 16 KB pages
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA page_size = 4096")
    conn.execute("CREATE TABLE t (x)")
    conn.close()
    migrate(Database(path))
    reopened = open_project(path)
    assert reopened.db.execute("PRAGMA page_size").fetchone()[0] == 4096
    assert reopened.db.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
    reopened.close()


def test_upgrade_from_version_1_keeps_data(tmp_path):
    path = tmp_path / "old.coder"
    fd = os.open(path, os.O_WRONLY | os.O_CREAT, 0o600)
    os.close(fd)
    db = Database(sqlite3.connect(str(path)))
    migrate(db, stop_before="m002_translations_and_allowlist")
    assert db.execute("PRAGMA user_version").fetchone()[0] == 1
    assert "allowlist" not in db.table_names()
    db.execute("INSERT INTO project (key, value) VALUES ('country', 'Albania')")
    db.execute(
        "INSERT INTO documents (title, text, sha256, imported_at) VALUES ('old note', 'Ajo kishte frikë.', 'abc', 'now')"
    )
    db.execute("INSERT INTO codes (key, labels, created) VALUES ('barriers', '{}', 'now')")
    db.execute(
        "INSERT INTO codings (document_id, start, \"end\", code_id, coder, created, updated) "
        "VALUES (1, 0, 3, 1, 'ana', 'now', 'now')"
    )
    db.conn.commit()
    db.conn.close()

    with open_project(path) as project:
        assert project.schema_version() == 2
        assert "allowlist" in project.db.table_names()
        assert "translation" in project.db["codings"].columns_dict
        assert project.country == "Albania"
        assert project.document(1)["text"] == "Ajo kishte frikë."
        row = project.db.execute('SELECT start, "end", coder, translation FROM codings').fetchone()
        assert row == (0, 3, "ana", None)
        assert _fts_ids(project, "frike") == [1]  # diacritics folded by the tokenizer


def test_readonly_refuses_a_project_needing_upgrade(tmp_path):
    path = tmp_path / "old.coder"
    db = Database(sqlite3.connect(str(path)))
    migrate(db, stop_before="m002_translations_and_allowlist")
    db.conn.close()
    with pytest.raises(CoderError, match="needs upgrading"):
        open_project(path, readonly=True)


def test_open_refuses_what_is_not_a_project(tmp_path):
    not_sqlite = tmp_path / "notes.coder"
    not_sqlite.write_text("hello")
    with pytest.raises(CoderError, match="not a coder project"):
        open_project(not_sqlite)
    with pytest.raises(CoderError, match="no project"):
        open_project(tmp_path / "missing.coder")
    other = tmp_path / "other.coder"
    Database(other)["t"].insert({"a": 1})
    with pytest.raises(CoderError, match="not a coder project"):
        open_project(other)


def test_create_refuses_existing_file_and_wrong_suffix(tmp_path):
    create_project(tmp_path / "a.coder").close()
    with pytest.raises(CoderError, match="already exists"):
        create_project(tmp_path / "a.coder")
    with pytest.raises(CoderError, match="end in .coder"):
        create_project(tmp_path / "a.sqlite")


def test_fts_follows_insert_update_delete(project):
    first = _insert(project, "Tenía miedo de contarle a su mamá.", title="uno")
    second = _insert(project, "La escuela no hizo nada.", title="dos")
    assert _fts_ids(project, "miedo") == [first]
    assert _fts_ids(project, "escuela") == [second]
    assert _fts_ids(project, "uno") == [first]  # titles are indexed too

    with project.transaction():
        project.set_document_text(first, "Tenía vergüenza.")
    assert _fts_ids(project, "miedo") == []
    assert _fts_ids(project, "verguenza") == [first]

    with project.transaction():
        project.db.execute("DELETE FROM documents WHERE id = ?", [second])
    assert _fts_ids(project, "escuela") == []
    assert project.db.execute("SELECT count(*) FROM documents_fts").fetchone()[0] == 1


def test_document_lookup_by_id_title_and_source(project):
    doc_id = _insert(project, "texto", title="Notas P03", source="p03.txt")
    assert project.document(doc_id)["title"] == "Notas P03"
    assert project.document(str(doc_id))["id"] == doc_id
    assert project.document("p03.txt")["id"] == doc_id
    assert project.document("Notas P03")["id"] == doc_id
    with pytest.raises(NotFound):
        project.document("nope.txt")


def test_identical_text_cannot_be_stored_twice(project):
    _insert(project, "mismo texto")
    with pytest.raises(sqlite3.IntegrityError):
        _insert(project, "mismo texto", title="otra")


def test_failed_transaction_leaves_nothing(project):
    with pytest.raises(RuntimeError):
        with project.transaction():
            project.insert_document(
                {"title": "a", "text": "a", "sha256": "1"}
            )
            raise RuntimeError("boom")
    assert project.db.execute("SELECT count(*) FROM documents").fetchone()[0] == 0
    assert project.db.execute("SELECT count(*) FROM documents_fts").fetchone()[0] == 0


def test_deleting_a_document_removes_its_codings_and_flags(project):
    doc_id = _insert(project, "Le dijo que mandaría las fotos.")
    with project.transaction():
        project.upsert_code({"key": "control", "labels": {"en": "Control"}})
        project.upsert_code({"key": "control.threats", "parent": "control", "labels": {"en": "Threats"}})
    from coder.coding import add_coding

    add_coding(project, doc_id, 0, 7, "control.threats")
    with project.transaction():
        project.db.execute(
            "INSERT INTO flags (document_id, start, \"end\", type, created) VALUES (?, 0, 2, 'PERSON', 'now')",
            [doc_id],
        )
        project.db.execute("DELETE FROM documents WHERE id = ?", [doc_id])
    assert project.db.execute("SELECT count(*) FROM codings").fetchone()[0] == 0
    assert project.db.execute("SELECT count(*) FROM flags").fetchone()[0] == 0


def test_audit_never_holds_document_text(project):
    doc_id = _insert(project, "Secreto único 123")
    project.set_document_attribute(doc_id, "consent_quote", "no")
    details = " ".join(r[0] for r in project.db.execute("SELECT details FROM audit").fetchall())
    assert "Secreto" not in details
    assert project.document(doc_id)["attributes"] == {"consent_quote": "no"}
