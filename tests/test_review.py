"""Scanning documents into flags and reviewing them: dismiss, allowlist, adjust, mark; the CLI."""

from __future__ import annotations

import hashlib
import json
import re
import socket

import pytest

from coder import coding, review
from coder.cli import app
from coder.errors import CoderError
from coder.identify import Flag
from coder.store import open_project

NAMES = ("Wenceslao Ixtlahuac", "Marta", "Lima", "Pedro")


def fake_detect(text: str, lang: str, *, model: str | None = None) -> list[Flag]:
    """Flags the fixed NAMES (any case); its reason quotes the text, as a careless detector might."""
    found = []
    for name in NAMES:
        for m in re.finditer(re.escape(name), text, re.IGNORECASE):
            type_ = "PLACE" if name == "Lima" else "PERSON"
            found.append(Flag(m.start(), m.end(), type_, m.group(), 0.8, f"name list: {m.group()}"))
    fake_detect.languages.append(lang)
    return found


fake_detect.languages = []


@pytest.fixture
def fake_detector(monkeypatch):
    fake_detect.languages.clear()
    monkeypatch.setattr(review, "detector", lambda: fake_detect)
    return fake_detect


def add_document(project, text, title="nota", **fields):
    with project.transaction():
        return project.insert_document(
            {
                "title": title, "sha256": hashlib.sha256(f"{title}\n{text}".encode()).hexdigest(),
                "text": text, "attributes": {}, **fields,
            }
        )


TEXT = "Marta vive en Lima. Su primo Pedro y marta fueron a Lima con Wenceslao Ixtlahuac."


def test_scan_stores_positions_never_text(project, fake_detector):
    document_id = add_document(project, TEXT)
    assert review.scan_documents(project) == 6
    rows = review.flags(project)
    assert [(f["start"], f["end"], f["type"], f["text"]) for f in rows][:3] == [
        (0, 5, "PERSON", "Marta"), (14, 18, "PLACE", "Lima"), (29, 34, "PERSON", "Pedro")
    ]
    assert all(f["status"] == "open" and f["origin"] == "detector" for f in rows)
    # The reason the detector gave must not smuggle a copy of the flagged text into the flags table.
    stored = project.db.execute("SELECT * FROM flags").fetchall()
    assert not any(name.lower() in str(stored).lower() for name in NAMES)
    assert fake_detector.languages == ["es"]


def test_rescan_adds_nothing_and_skips_reviewed_spans(project, fake_detector):
    document_id = add_document(project, TEXT)
    review.scan_documents(project)
    assert review.scan_documents(project) == 0
    pedro = next(f for f in review.flags(project) if f["text"] == "Pedro")
    review.dismiss(project, [pedro["id"]])
    assert review.scan_documents(project, [document_id]) == 0
    assert len(review.flags(project)) == 6


def test_scan_language_comes_from_the_document_then_the_project(project, fake_detector):
    add_document(project, "Marta", title="a", language="Romanian")
    add_document(project, "Marta", title="b", language="sq-AL")
    add_document(project, "Marta", title="c")
    review.scan_documents(project)
    assert fake_detector.languages == ["ro", "sq", "es"]


def test_scan_reports_progress(project, fake_detector):
    for i in range(3):
        add_document(project, f"Marta {i}", title=str(i))
    seen = []
    review.scan_documents(project, progress=lambda done, total: seen.append((done, total)))
    assert seen == [(1, 3), (2, 3), (3, 3)]


def test_dismiss_everywhere_allowlists_the_term_in_every_document(project, fake_detector):
    first = add_document(project, TEXT, title="a")
    second = add_document(project, "LIMA es grande; Marta no.", title="b")
    review.scan_documents(project)
    lima = next(f for f in review.open_flags(project, first) if f["text"] == "Lima")
    assert review.dismiss(project, [lima["id"]], everywhere=True) == 3
    assert [r["term"] for r in review.allowlist(project)] == ["lima"]
    assert {f["text"] for f in review.open_flags(project)} == {"Marta", "marta", "Pedro", "Wenceslao Ixtlahuac"}
    third = add_document(project, "Lima, otra vez.", title="c")
    assert review.scan_documents(project, [third]) == 0
    dismissed = [f for f in review.flags(project) if f["status"] == "dismissed"]
    assert all(f["reviewed_by"] == "tester" and f["reviewed_at"] for f in dismissed)
    assert second in {f["document_id"] for f in dismissed}


def test_allowlist_add_and_remove(project, fake_detector):
    add_document(project, TEXT)
    review.scan_documents(project)
    assert review.allow_term(project, "  PEDRO ") == 1
    assert review.scan_documents(project) == 0
    review.disallow_term(project, "pedro")
    with pytest.raises(CoderError):
        review.disallow_term(project, "pedro")


def test_mark_and_adjust(project):
    document_id = add_document(project, "La escuela Benito Juárez de la colonia.")
    flag_id = review.mark(project, document_id, 11, 16, "school")
    assert review.flag(project, flag_id)["text"] == "Benit"
    assert review.flag(project, flag_id)["origin"] == "manual"
    assert review.mark(project, document_id, 11, 16, "SCHOOL") == flag_id  # no duplicate
    review.adjust_flag(project, flag_id, 3, 24)  # widen
    assert review.flag(project, flag_id)["text"] == "escuela Benito Juárez"
    review.adjust_flag(project, flag_id, 11, 24)  # narrow
    assert review.flag(project, flag_id)["text"] == "Benito Juárez"
    with pytest.raises(CoderError, match="outside document"):
        review.adjust_flag(project, flag_id, 11, 400)
    with pytest.raises(CoderError, match="type must be one of"):
        review.mark(project, document_id, 0, 2, "NAME")
    review.redact(project, [flag_id], vacuum=False)
    with pytest.raises(CoderError, match="only open flags"):
        review.adjust_flag(project, flag_id, 0, 3)
    assert project.document(document_id)["text"] == "La escuela [SCHOOL 1] de la colonia."
    with pytest.raises(CoderError, match="already redacted"):
        review.mark(project, document_id, 12, 18, "PERSON")


def test_every_review_action_is_audited_without_identifier_text(project, fake_detector):
    document_id = add_document(project, TEXT)
    review.scan_documents(project)
    ids = [f["id"] for f in review.open_flags(project)]
    review.dismiss(project, [ids[0]], everywhere=True)
    review.adjust_flag(project, ids[2], 29, 35)
    review.mark(project, document_id, 9, 13, "PLACE")
    review.redact(project, [ids[3]], vacuum=False)
    audit = project.db.execute("SELECT who, action, target, details FROM audit").fetchall()
    actions = [a[1] for a in audit]
    for action in ("flags.scan", "flag.dismiss", "flag.adjust", "flag.mark", "flag.redact"):
        assert action in actions
    assert all(a[0] == "tester" for a in audit if a[1].startswith("flag"))
    assert not any(name.lower() in str(audit).lower() for name in NAMES)


def test_scan_runs_with_sockets_blocked(project, monkeypatch):
    """The whole scan, with the real detector, opens no socket."""
    def no_network(*args, **kwargs):
        raise AssertionError("a socket was opened")

    monkeypatch.setattr(socket, "socket", no_network)
    monkeypatch.setattr(socket, "create_connection", no_network)
    document_id = add_document(
        project, "Ayer hablé con María González en la calle Hidalgo 23, su teléfono es 55 1234 5678."
    )
    found = review.scan_documents(project)
    assert found >= 1
    flagged = [f["text"] for f in review.open_flags(project, document_id)]
    assert any("María" in t or "González" in t for t in flagged)
    # And everything the real detector flagged is gone from the file once redacted.
    review.redact(project, [f["id"] for f in review.open_flags(project)])
    data = project.path.read_bytes() + (project.path.parent / f"{project.path.name}-wal").read_bytes()
    for term in flagged:
        assert term.encode() not in data


# -- command line ---------------------------------------------------------------------------------


@pytest.fixture
def project_file(project, fake_detector):
    add_document(project, TEXT)
    path = project.path
    project.close()
    return path


def test_cli_scan_flags_redact(runner, project_file):
    result = runner.invoke(app, ["scan", str(project_file)])
    assert result.exit_code == 0, result.output
    assert "6 new flags" in result.output
    result = runner.invoke(app, ["flags", str(project_file), "--open", "--format", "jsonl"])
    assert result.exit_code == 0, result.output
    records = [json.loads(line) for line in result.output.splitlines()]
    assert [r["text"] for r in records][:2] == ["Marta", "Lima"]
    assert set(records[0]) >= {"id", "document", "start", "end", "type", "status", "text"}
    table = runner.invoke(app, ["flags", str(project_file), "--doc", "1"])
    assert table.exit_code == 0 and "Wenceslao" in table.output and "6 flags" in table.output

    result = runner.invoke(app, ["redact", str(project_file), str(records[0]["id"])])
    assert result.exit_code == 0, result.output
    assert "redacted 1 flag: 2 passages replaced in 1 document" in result.output
    with open_project(project_file, readonly=True) as project:
        assert project.document(1)["text"].startswith("[PERSON 1] vive en Lima. Su primo Pedro y [PERSON 1]")
        statuses = {f["id"]: f["status"] for f in review.flags(project)}
    assert statuses[records[0]["id"]] == "redacted"

    result = runner.invoke(app, ["flags", str(project_file), "--format", "jsonl"])
    redacted = [json.loads(line) for line in result.output.splitlines() if '"redacted"' in line]
    assert redacted and all(r["text"] is None and r["placeholder"] == "[PERSON 1]" for r in redacted)

    result = runner.invoke(app, ["redact", str(project_file), "--all-open"])
    assert result.exit_code == 0, result.output
    with open_project(project_file, readonly=True) as project:
        assert project.document(1)["text"] == (
            "[PERSON 1] vive en [PLACE 1]. Su primo [PERSON 2] y [PERSON 1] fueron a [PLACE 1] con [PERSON 3]."
        )
        assert review.open_flags(project) == []
    assert b"Wenceslao" not in project_file.read_bytes()


def test_cli_dismiss_mark_adjust_allowlist(runner, project_file):
    runner.invoke(app, ["scan", str(project_file)])
    with open_project(project_file, readonly=True) as project:
        lima = next(f["id"] for f in review.flags(project) if f["text"] == "Lima")
    result = runner.invoke(app, ["dismiss", str(project_file), str(lima), "--everywhere"])
    assert result.exit_code == 0, result.output
    assert "dismissed 2 flags" in result.output
    result = runner.invoke(app, ["mark", str(project_file), "1", "6", "10", "person"])
    assert result.exit_code == 0, result.output
    flag_id = int(result.output.split()[1].rstrip(":"))
    result = runner.invoke(app, ["adjust", str(project_file), str(flag_id), "6", "13"])
    assert result.exit_code == 0, result.output
    result = runner.invoke(app, ["allowlist", str(project_file), "--add", "Pedro"])
    assert result.exit_code == 0 and "1 open flag dismissed" in result.output
    result = runner.invoke(app, ["allowlist", str(project_file)])
    assert "lima" in result.output and "pedro" in result.output and "2 terms" in result.output
    with open_project(project_file, readonly=True) as project:
        marked = review.flag(project, flag_id)
        assert (marked["text"], marked["type"], marked["origin"]) == ("vive en", "PERSON", "manual")
        assert {f["text"] for f in review.flags(project, status="dismissed")} == {"Lima", "Pedro"}


def test_cli_errors_are_one_line(runner, project_file):
    result = runner.invoke(app, ["redact", str(project_file)])
    assert result.exit_code == 1 and "name the flags to redact" in result.output
    result = runner.invoke(app, ["dismiss", str(project_file), "99"])
    assert result.exit_code == 1 and "no flag 99" in result.output
    result = runner.invoke(app, ["mark", str(project_file), "1", "0", "5", "FOO"])
    assert result.exit_code == 1 and "Traceback" not in result.output
    result = runner.invoke(app, ["flags", str(project_file), "--format", "xml"])
    assert result.exit_code == 1


def test_codings_follow_redaction_through_the_cli(runner, project_file):
    with open_project(project_file) as project:
        with project.transaction():
            project.upsert_code({"key": "barriers", "labels": {"en": "Barriers"}})
        coding_id = coding.add_coding(project, 1, 20, 81, "barriers")
        before = project.document(1)["text"][20:81]
    runner.invoke(app, ["scan", str(project_file)])
    result = runner.invoke(app, ["redact", str(project_file), "--all-open"])
    assert result.exit_code == 0, result.output
    with open_project(project_file, readonly=True) as project:
        c = coding.coding(project, coding_id)
        after = project.document(1)["text"][c["start"]:c["end"]]
    assert before == "Su primo Pedro y marta fueron a Lima con Wenceslao Ixtlahuac."
    assert after == "Su primo [PERSON 2] y [PERSON 1] fueron a [PLACE 1] con [PERSON 3]."
