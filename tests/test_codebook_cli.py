"""`coder codebook ...` and `coder new --codebook` through the CLI, checked by reopening the project."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml

from coder import coding as coding_ops
from coder.cli import app
from coder.codebook import code_counts, install_codebook, load_codebook, starter_codebook_path
from coder.store import open_project

DATA = Path(__file__).parent / "data" / "codebooks"


@pytest.fixture
def coded(project):
    """The small codebook with two documents and codings on barriers.fear."""
    install_codebook(project, DATA / "small.yaml")
    with project.transaction():
        first = project.insert_document(
            {"title": "one", "participant": "P1", "sha256": "a", "text": "Tenía miedo de hablar."}
        )
        second = project.insert_document(
            {"title": "two", "participant": "P2", "sha256": "b", "text": "Nadie me creyó en la policía."}
        )
    coding_ops.add_coding(project, first, 0, 5, "barriers.fear", memo="first")
    coding_ops.add_coding(project, second, 0, 5, "barriers.fear")
    coding_ops.add_coding(project, second, 0, 5, "services.legal")
    coding_ops.add_coding(project, first, 6, 11, "barriers")
    project.close()
    return project.path


def audit_actions(path: Path) -> list[str]:
    with open_project(path) as p:
        return [r[0] for r in p.db.execute("SELECT action FROM audit ORDER BY id").fetchall()]


def test_new_with_starter_codebook_copies_it_with_its_version(tmp_path, runner):
    path = tmp_path / "mexico.coder"
    result = runner.invoke(
        app, ["new", str(path), "--country", "Mexico", "--language", "es", "--codebook", str(starter_codebook_path())]
    )
    assert result.exit_code == 0, result.output
    with open_project(path) as p:
        assert p.meta("codebook_name") == "survivor-perspectives"
        assert p.meta("codebook_version") == "1.0"
        assert p.db.execute("SELECT count(*) FROM codes").fetchone()[0] == len(load_codebook(starter_codebook_path()).codes)
        assert p.code("control.threats")["parent"] == "control"


def test_show_project_counts_codings_documents_participants_with_rollup(coded, runner):
    result = runner.invoke(app, ["codebook", "show", str(coded), "--lang", "es"])
    assert result.exit_code == 0, result.output
    output = result.output
    assert "Miedo" in output and "Barreras" in output and "(category)" in output
    assert "3 · 2 · 2" in output  # barriers with barriers.fear under it
    assert "1 · 1 · 1" in output  # the services category, through services.legal
    with open_project(coded) as p:
        counts = code_counts(p)
    assert {k: counts["barriers.fear"][k] for k in ("codings", "documents", "participants")} == {
        "codings": 2, "documents": 2, "participants": 2
    }
    assert [counts["barriers"][k] for k in ("codings", "documents", "participants")] == [1, 1, 1]
    assert [counts["barriers"][k] for k in ("all_codings", "all_documents", "all_participants")] == [3, 2, 2]
    assert [counts["services"][k] for k in ("codings", "all_codings", "all_participants")] == [0, 1, 1]


def test_show_file(runner):
    result = runner.invoke(app, ["codebook", "show", str(DATA / "small.yaml")])
    assert result.exit_code == 0, result.output
    assert "Legal support" in result.output and "set Core: barriers.fear, services.legal" in result.output


def test_add_rename_move(coded, runner):
    result = runner.invoke(app, [
        "codebook", "add", str(coded), "barriers.police", "--label", "La policía", "--lang", "es",
        "--parent", "barriers", "--description", "Police attitudes", "--color", "#AA0000",
    ])
    assert result.exit_code == 0, result.output
    assert runner.invoke(app, ["codebook", "rename", str(coded), "barriers.police", "--label", "Police"]).exit_code == 0
    assert runner.invoke(app, ["codebook", "move", str(coded), "barriers.police", "--parent", "services"]).exit_code == 0
    with open_project(coded) as p:
        code = p.code("barriers.police")
        assert code["labels"] == {"es": "La policía", "en": "Police"}
        assert code["parent"] == "services" and code["color"] == "#aa0000"
        assert code["description"] == "Police attitudes"
    assert runner.invoke(app, ["codebook", "move", str(coded), "barriers.police", "--root"]).exit_code == 0
    with open_project(coded) as p:
        assert p.code("barriers.police")["parent"] is None
    assert audit_actions(coded)[-4:] == ["codebook.add", "codebook.rename", "codebook.move", "codebook.move"]


def test_user_errors_are_one_line(coded, runner):
    cases = [
        (["codebook", "add", str(coded), "barriers", "--label", "Again"], "already exists"),
        (["codebook", "add", str(coded), "Bad Key", "--label", "X"], "must be lowercase"),
        (["codebook", "add", str(coded), "x", "--label", "X", "--parent", "ghost"], "no code 'ghost'"),
        (["codebook", "add", str(coded), "x", "--label", "X", "--color", "red"], "bad colour"),
        (["codebook", "move", str(coded), "barriers", "--parent", "barriers.fear"], "sub-codes"),
        (["codebook", "move", str(coded), "barriers"], "exactly one of --parent KEY or --root"),
        (["codebook", "rename", str(coded), "ghost", "--label", "X"], "no code 'ghost'"),
        (["codebook", "export", str(coded), "-o", str(coded.parent / "out.txt")], ".yaml or .qdc"),
    ]
    for args, message in cases:
        result = runner.invoke(app, args)
        assert result.exit_code == 1, (args, result.output)
        assert message in result.output and "Traceback" not in result.output


def test_delete_with_codings_needs_reassign(coded, runner):
    result = runner.invoke(app, ["codebook", "delete", str(coded), "barriers.fear"])
    assert result.exit_code == 1 and "2 codings" in result.output and "--reassign" in result.output
    with open_project(coded) as p:
        assert p.code("barriers.fear")


def test_delete_with_reassign_moves_codings_and_merges_duplicates(coded, runner):
    with open_project(coded) as p:  # the same passage already carries services.legal: it merges
        doc_two = p.document("two")["id"]
    result = runner.invoke(app, ["codebook", "delete", str(coded), "barriers.fear", "--reassign", "services.legal"])
    assert result.exit_code == 0, result.output
    with open_project(coded) as p:
        assert p.db.execute("SELECT count(*) FROM codes WHERE key = 'barriers.fear'").fetchone()[0] == 0
        rows = p.db.execute(
            "SELECT c.document_id, c.memo FROM codings c JOIN codes k ON k.id = c.code_id "
            "WHERE k.key = 'services.legal' ORDER BY c.document_id"
        ).fetchall()
        assert [r[0] for r in rows] == sorted([p.document("one")["id"], doc_two])
        assert rows[0][1] == "first"
        assert json.loads(p.meta("codebook_sets")) == {"Core": ["services.legal"]}
        details = json.loads(p.db.execute("SELECT details FROM audit WHERE action = 'codebook.delete'").fetchone()[0])
        assert details["codings"] == 2 and details["reassign"] == "services.legal"


def test_delete_moves_children_up(coded, runner):
    runner.invoke(app, ["codebook", "add", str(coded), "services.legal.aid", "--label", "Aid", "--parent", "services.legal"])
    runner.invoke(app, ["codebook", "add", str(coded), "services.empty", "--label", "Empty", "--parent", "services"])
    runner.invoke(app, ["codebook", "add", str(coded), "services.empty.child", "--label", "Child", "--parent", "services.empty"])
    result = runner.invoke(app, ["codebook", "delete", str(coded), "services.empty"])
    assert result.exit_code == 0, result.output
    assert "services.empty.child" in result.output
    with open_project(coded) as p:
        assert p.code("services.empty.child")["parent"] == "services"


def test_export_yaml_and_qdc_then_import_reports_changes(coded, runner, tmp_path):
    yaml_out, qdc_out = tmp_path / "book.yaml", tmp_path / "book.qdc"
    assert runner.invoke(app, ["codebook", "export", str(coded), "-o", str(yaml_out)]).exit_code == 0
    assert runner.invoke(app, ["codebook", "export", str(coded), "-o", str(qdc_out)]).exit_code == 0
    assert [c.key for c in load_codebook(yaml_out).codes] == [c.key for c in load_codebook(qdc_out).codes]

    data = yaml.safe_load(yaml_out.read_text(encoding="utf-8"))
    data["codes"][0]["label"]["en"] = "Obstacles"
    data["codes"].append({"key": "prevention", "label": {"en": "Prevention"}})
    yaml_out.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    result = runner.invoke(app, ["codebook", "import", str(coded), str(yaml_out)])
    assert result.exit_code == 0, result.output
    assert "1 added, 1 changed, 3 unchanged" in result.output
    with open_project(coded) as p:
        assert p.code("barriers")["labels"] == {"en": "Obstacles", "es": "Barreras"}
        assert p.code("prevention")["guid"]
        actions = audit_actions(coded)
    assert actions.count("codebook.export") == 2 and actions[-1] == "codebook.import"

    result = runner.invoke(app, ["codebook", "import", str(coded), str(qdc_out)])
    assert result.exit_code == 0, result.output
    assert "0 added, 1 changed" in result.output  # the .qdc still says "Barriers"


def test_import_other_tools_qdc_adds_codes_and_sets(coded, runner):
    result = runner.invoke(app, ["codebook", "import", str(coded), str(DATA / "other-tool.qdc")])
    assert result.exit_code == 0, result.output
    assert "4 added" in result.output
    with open_project(coded) as p:
        assert p.code("emotions")["codable"] is False
        assert json.loads(p.meta("codebook_sets"))["Negative"] == ["emotions.fear-worry", "emotions.shame"]


def test_import_restructures_the_tree_as_the_file_says(coded, runner, tmp_path):
    path = tmp_path / "turned.yaml"
    path.write_text("name: c\ncodes:\n  - {key: barriers, parent: barriers.fear, label: {en: B}}\n"
                    "  - {key: barriers.fear, label: {en: F}}\n")
    result = runner.invoke(app, ["codebook", "import", str(coded), str(path)])
    assert result.exit_code == 0, result.output
    assert "barriers: labels, parent" in result.output
    with open_project(coded) as p:
        assert p.code("barriers.fear")["parent"] is None
        assert p.code("barriers")["parent"] == "barriers.fear"
        assert p.code("barriers")["labels"] == {"en": "B", "es": "Barreras"}


def test_delete_refuses_a_code_with_memos_unless_reassigned(coded, runner):
    with open_project(coded) as p:
        code_id = p.code("services.legal")["id"]
        with p.transaction():
            p.db.execute(
                "INSERT INTO memos (code_id, text, author, created, updated) VALUES (?, 'about legal aid', 't', 'x', 'x')",
                [code_id],
            )
        p.db.execute("DELETE FROM codings WHERE code_id = ?", [code_id])
    result = runner.invoke(app, ["codebook", "delete", str(coded), "services.legal"])
    assert result.exit_code == 1 and "1 memos" in result.output
    result = runner.invoke(app, ["codebook", "delete", str(coded), "services.legal", "--reassign", "barriers"])
    assert result.exit_code == 0, result.output
    with open_project(coded) as p:
        assert p.db.execute("SELECT code_id FROM memos").fetchone()[0] == p.code("barriers")["id"]


def test_a_label_in_a_new_language_is_exported(coded, runner, tmp_path):
    result = runner.invoke(app, ["codebook", "rename", str(coded), "barriers.fear", "--label", "Страх", "--lang", "ru"])
    assert result.exit_code == 0, result.output
    out = tmp_path / "ru.yaml"
    assert runner.invoke(app, ["codebook", "export", str(coded), "-o", str(out)]).exit_code == 0
    book = load_codebook(out)
    assert book.languages == ["en", "es", "ru"]
    assert book.by_key()["barriers.fear"].labels == {"en": "Fear", "es": "Miedo", "ru": "Страх"}


def test_an_example_holding_a_name_does_not_leave_until_reviewed(coded, runner, tmp_path, monkeypatch):
    from coder import review
    from coder.codebook import update_code
    from coder.identify import Flag

    def detect(text, lang, *, model=None):
        at = text.find("Lupita")
        return [Flag(at, at + 6, "PERSON", "Lupita", 0.9, "name")] if at >= 0 else []

    monkeypatch.setattr(review, "detector", lambda: detect)
    with open_project(coded) as p:
        update_code(p, "barriers.fear", example="Lupita tenía miedo de hablar.")
    out = tmp_path / "book.yaml"
    result = runner.invoke(app, ["codebook", "export", str(coded), "-o", str(out)])
    assert result.exit_code == 1 and "barriers.fear" in result.output and "example" in result.output
    assert not out.exists()
    assert runner.invoke(app, ["allowlist", str(coded), "--add", "Lupita"]).exit_code == 0
    result = runner.invoke(app, ["codebook", "export", str(coded), "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert "Lupita tenía miedo" in out.read_text(encoding="utf-8")
    assert audit_actions(coded)[-1] == "codebook.export"
