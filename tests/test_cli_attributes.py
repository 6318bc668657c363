"""`coder set-attribute`: retitle a document or record an attribute such as consent."""

from coder.cli import app
from coder.store import create_project


def test_set_attribute_retitles_and_records_consent(tmp_path, runner):
    from coder.store import open_project

    path = tmp_path / "p.coder"
    project = create_project(path, country="Peru", language="es")
    with project.transaction():
        doc_id = project.insert_document(
            {"title": "Notas de Wenceslao", "text": "Una nota.", "sha256": "x1", "imported_by": "t"}
        )
    project.close()
    assert runner.invoke(app, ["set-attribute", str(path), str(doc_id), "title", "P09 notas"]).exit_code == 0
    assert runner.invoke(app, ["set-attribute", str(path), str(doc_id), "consent_quote", "no"]).exit_code == 0
    empty = runner.invoke(app, ["set-attribute", str(path), str(doc_id), "title", "--clear"])
    assert empty.exit_code == 1 and empty.output.strip() == "error: a document needs a title"
    with open_project(path) as again:
        doc = again.document(doc_id)
        assert doc["title"] == "P09 notas" and doc["attributes"]["consent_quote"] == "no"
        hits = again.db.execute(
            "SELECT count(*) FROM documents_fts WHERE documents_fts MATCH 'Wenceslao'"
        ).fetchone()[0]
        assert hits == 0
