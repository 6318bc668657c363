"""`coder agreement` through the CLI, on a project built with the core API."""

from __future__ import annotations

import csv
import io
import json

import pytest

from coder.cli import app
from coder.coding import add_coding
from coder.store import open_project

TEXT = "Tenía miedo de contarlo. Su familia no le creyó. La policía se burló de ella. Después buscó ayuda."


@pytest.fixture
def path(project):
    with project.transaction():
        doc = project.insert_document(
            {"title": "Entrevista 1", "text": TEXT, "sha256": "e1", "language": "es"}
        )
        project.upsert_code({"key": "fear", "labels": {"en": "Fear", "es": "Miedo"}})
        project.upsert_code({"key": "police", "labels": {"en": "Police", "es": "Policía"}})
    add_coding(project, doc, 0, 24, "fear", coder="ana")
    add_coding(project, doc, 0, 24, "fear", coder="ben")
    add_coding(project, doc, 49, 77, "police", coder="ana")
    add_coding(project, doc, 49, 60, "police", coder="ben")
    project.close()
    return project.path


def test_json_report(runner, path):
    result = runner.invoke(app, ["agreement", str(path), "--coders", "ana,ben", "--format", "json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["coders"] == ["ana", "ben"] and data["unit"] == "char"
    fear, police = data["codes"]
    assert fear["code"] == "fear" and fear["percent"] == 1.0 and fear["kappa"] == 1.0
    assert fear["u_alpha"] == 1.0
    assert police["units"] == len(TEXT)
    assert police["percent"] == pytest.approx((len(TEXT) - 17) / len(TEXT))
    assert police["coded"] == {"ana": 28, "ben": 11}
    assert data["disagreements_total"] == 1
    (item,) = data["disagreements"]
    assert (item["code"], item["start"], item["end"], item["coded_by"]) == ("police", 60, 77, ["ana"])
    assert "title" not in item and all("title" not in d for d in data["documents"])
    # The project is unchanged by the query.
    with open_project(path, readonly=True) as project:
        assert project.db.execute("SELECT count(*) FROM codings").fetchone()[0] == 4


def test_table_output_with_sentence_units(runner, path):
    result = runner.invoke(
        app, ["agreement", str(path), "--coders", "ana,ben", "--unit", "sentence", "--max", "5"]
    )
    assert result.exit_code == 0, result.output
    assert "overall" in result.output and "police" in result.output, result.output
    assert "unit: sentence" in result.output
    # Sentence units: both coders coded sentence 1 (fear) and sentence 3 (police) -> agreement 100 %.
    assert "100.0%" in result.output
    assert "no disagreements" in result.output


def test_markdown_for_the_team_meeting(runner, path):
    result = runner.invoke(
        app, ["agreement", str(path), "--coders", "ana,ben", "--format", "md", "--codes", "police"]
    )
    assert result.exit_code == 0, result.output
    out = result.output
    assert out.startswith("# Inter-coder agreement")
    assert "| police | Policía |" in out
    assert "### police — Policía" in out
    assert "document 1, 60–77: coded by ana, not by ben" in out
    assert "fear" not in out


def test_csv_figures(runner, path):
    result = runner.invoke(app, ["agreement", str(path), "--coders", "ana,ben", "--format", "csv"])
    assert result.exit_code == 0, result.output
    rows = list(csv.DictReader(io.StringIO(result.output)))
    assert [r["code"] for r in rows] == ["fear", "police", "overall"]
    assert float(rows[0]["kappa"]) == 1.0
    assert rows[1]["coded_chars:ana"] == "28"


def test_markdown_quotes_pass_the_gate(runner, path, monkeypatch):
    monkeypatch.setattr("coder.review.detector", lambda: (lambda text, lang, model=None: []))
    result = runner.invoke(app, ["agreement", str(path), "--coders", "ana,ben", "--format", "md"])
    assert result.exit_code == 0, result.output
    assert "…familia no le creyó. La policía **se burló de ella.** Después buscó ayuda.…" in " ".join(result.output.split())


def test_user_errors_are_one_line(runner, path):
    result = runner.invoke(app, ["agreement", str(path), "--coders", "ana"])
    assert result.exit_code == 1
    assert "error: agreement needs at least two coders" in result.output
    result = runner.invoke(app, ["agreement", str(path), "--coders", "ana,zoe"])
    assert result.exit_code == 1 and "no codings by zoe" in result.output
    result = runner.invoke(app, ["agreement", str(path), "--coders", "ana,ben", "--docs", "x"])
    assert result.exit_code == 1 and "document ids" in result.output
    assert "Traceback" not in result.output
