"""The coding TUI, driven by Pilot: each workflow is checked in the project file itself."""

from __future__ import annotations

import asyncio
import functools
import json
from pathlib import Path

import pytest

from coder import settings
from coder.review import mark
from coder.store import create_project, open_project
from coder.tui import create_app

TEXT_P09 = (
    "La facilitadora explicó el proceso antes de empezar. P09 contó que no sabía a quién acudir.\n\n"
    "Cuando fue a la fiscalía, Rosa Quispe la acompañó. Le preguntaron qué delito venía a denunciar. "
    "Tenía miedo de que su familia se enterara."
)
TEXT_P10 = (
    "P10 habló de la escuela. Nadie le explicó cómo denunciar.\n\n"
    "Después encontró apoyo psicológico en una organización. Eso le ayudó mucho."
)
TEXT_SURVEY = "Los servicios legales no conocen el problema. Hace falta formación."

CODES = [
    {"key": "barriers", "labels": {"en": "Barriers", "es": "Barreras"}, "codable": False, "color": "#e6194b"},
    {"key": "barriers.fear-shame-guilt", "parent": "barriers", "color": "#f58231",
     "labels": {"en": "Fear, shame, guilt", "es": "Miedo, vergüenza, culpa"},
     "description": "Fear of reactions of family or peers"},
    {"key": "barriers.institutional-attitudes", "parent": "barriers", "color": "#911eb4",
     "labels": {"en": "Institutional attitudes", "es": "Actitudes institucionales"}},
    {"key": "services", "labels": {"en": "Services", "es": "Servicios"}, "codable": False, "color": "#4363d8"},
    {"key": "services.psychological", "parent": "services", "color": "#3cb44b",
     "labels": {"en": "Psychological support", "es": "Apoyo psicológico"}},
    {"key": "services.legal", "parent": "services", "color": "#42d4f4",
     "labels": {"en": "Legal services", "es": "Servicios legales"}},
]


def pilot_test(fn):
    """Run an async Pilot test on a fresh event loop (no asyncio plugin needed)."""

    @functools.wraps(fn)
    def run(*args, **kwargs):
        asyncio.run(fn(*args, **kwargs))

    return run


def build_project(path: Path, *, flag: bool = True) -> Path:
    """A small fixed project: three documents, six codes, two codings, one open identifier."""
    project = create_project(path, country="Mexico", language="es", coder="tester")
    with project.transaction():
        for i, code in enumerate(CODES):
            project.upsert_code({**code, "position": i, "created": "2026-01-01T00:00:00+00:00"})
        for title, kind, participant, text in (
            ("P09 conversation", "conversation", "P09", TEXT_P09),
            ("P10 conversation", "conversation", "P10", TEXT_P10),
            ("Frontline survey 1", "survey", "S01", TEXT_SURVEY),
        ):
            project.insert_document(
                {"title": title, "kind": kind, "country": "Mexico", "language": "es", "participant": participant,
                 "sha256": title, "text": text, "imported_at": "2026-01-01T00:00:00+00:00",
                 "attributes": {"age_group": "15-17" if participant != "S01" else "adult"}}
            )
    from coder.coding import add_coding

    add_coding(project, 2, TEXT_P10.index("Después"), TEXT_P10.index(" Eso"), "services.psychological")
    add_coding(project, 3, 0, TEXT_SURVEY.index(" Hace"), "services.legal", memo="training gap")
    if flag:
        start = TEXT_P09.index("Rosa Quispe")
        mark(project, 1, start, start + len("Rosa Quispe"), "PERSON")
    project.close()
    return path


@pytest.fixture
def project_file(tmp_path):
    return build_project(tmp_path / "test.coder")


def query(path: Path, sql: str, params=()):
    project = open_project(path, readonly=True)
    try:
        return project.db.execute(sql, params).fetchall()
    finally:
        project.close()


async def open_reader(app, pilot, row: int = 0):
    """From the documents screen, open the document on `row` and wait for its sentences."""
    await pilot.pause()
    for _ in range(row):
        await pilot.press("down")
    await pilot.press("enter")
    await sentences_ready(pilot)
    return app.screen


async def sentences_ready(pilot):
    """Wait (up to 10 s) until the reader's sentence split, done in a thread, has arrived."""
    for _ in range(500):
        await pilot.pause()
        if getattr(pilot.app.screen, "sentences_ready", False):
            return
        await pilot.app.workers.wait_for_complete()
        await pilot.pause(0.02)
    raise AssertionError("sentences never arrived")


# -- workflows -------------------------------------------------------------------------------------


@pilot_test
async def test_select_code_memo_undo(project_file):
    app = create_app(project_file)
    async with app.run_test(size=(120, 40)) as pilot:
        reader = await open_reader(app, pilot)
        assert type(reader).__name__ == "ReaderScreen"
        # v starts a selection, j extends it to the end of the first sentence, c opens the picker.
        await pilot.press("v", "j", "c")
        await pilot.pause()
        await pilot.press(*"miedo")
        await pilot.press("enter")
        await pilot.pause()
        rows = query(project_file, 'SELECT c.start, c."end", k.key, c.coder FROM codings c '
                                   "JOIN codes k ON k.id = c.code_id WHERE c.document_id = 1")
        first_sentence_end = TEXT_P09.index(" P09")
        assert rows == [(0, first_sentence_end, "barriers.fear-shame-guilt", "tester")]

        # A memo on the coding under the cursor.
        reader.query_one("CodedText").select_span(5, 5)
        await pilot.press("m")
        await pilot.pause()
        await pilot.press(*"first visit")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert query(project_file, "SELECT memo FROM codings WHERE document_id = 1") == [("first visit",)]

        # Undo takes back the memo, then the coding.
        await pilot.press("u")
        await pilot.pause()
        assert query(project_file, "SELECT memo FROM codings WHERE document_id = 1") == [(None,)]
        await pilot.press("u")
        await pilot.pause()
        assert query(project_file, "SELECT count(*) FROM codings WHERE document_id = 1") == [(0,)]
        assert reader.codings == []


@pilot_test
async def test_uncode_then_undo_restores(project_file):
    app = create_app(project_file)
    async with app.run_test(size=(120, 40)) as pilot:
        reader = await open_reader(app, pilot, row=2)
        assert reader.document_id == 3
        await pilot.press("x")
        await pilot.pause()
        assert query(project_file, "SELECT count(*) FROM codings WHERE document_id = 3") == [(0,)]
        await pilot.press("u")
        await pilot.pause()
        assert query(project_file, 'SELECT start, "end", memo, coder FROM codings WHERE document_id = 3') == [
            (0, TEXT_SURVEY.index(" Hace"), "training gap", "tester")
        ]


@pilot_test
async def test_code_sentence_under_cursor_with_recent_code_number(project_file):
    app = create_app(project_file)
    async with app.run_test(size=(120, 40)) as pilot:
        reader = await open_reader(app, pilot, row=1)
        # No selection: `c` codes the sentence under the cursor; "1" is the most recent code.
        await pilot.press("c")
        await pilot.pause()
        await pilot.press("1")
        await pilot.pause()
        rows = query(project_file, 'SELECT c.start, c."end", k.key FROM codings c JOIN codes k ON k.id = c.code_id '
                                   "WHERE c.document_id = 2 ORDER BY c.start")
        assert rows[0] == (0, TEXT_P10.index(" Nadie"), "services.legal")
        assert reader.query_one("CodedText").codings_at(3)[0]["code"] == "services.legal"


@pilot_test
async def test_create_code_from_picker(project_file):
    app = create_app(project_file)
    async with app.run_test(size=(120, 40)) as pilot:
        await open_reader(app, pilot)
        await pilot.press("s", "c")
        await pilot.pause()
        await pilot.press(*"Desconfianza")
        await pilot.press("ctrl+n")
        await pilot.pause()
    code = query(project_file, "SELECT key, labels FROM codes WHERE key = 'desconfianza'")
    assert code and json.loads(code[0][1])["es"] == "Desconfianza"
    assert query(project_file, 'SELECT start, "end" FROM codings c JOIN codes k ON k.id = c.code_id '
                               "WHERE k.key = 'desconfianza'") == [(0, TEXT_P09.index(" P09"))]


@pilot_test
async def test_review_redact(project_file):
    app = create_app(project_file)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        await pilot.press("i")
        await pilot.pause()
        assert type(app.screen).__name__ == "ReviewScreen"
        assert "0 of 1 reviewed" in str(app.screen.query_one("#review-progress-text").render())
        await pilot.press("r")
        await pilot.pause()
        await pilot.press("y")
        await pilot.pause()
        assert "1 of 1 reviewed" in str(app.screen.query_one("#review-progress-text").render())
    assert query(project_file, "SELECT status FROM flags") == [("redacted",)]
    text = query(project_file, "SELECT text FROM documents WHERE id = 1")[0][0]
    assert "Rosa" not in text and "[PERSON 1]" in text


@pilot_test
async def test_review_dismiss_and_widen(project_file):
    app = create_app(project_file)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        await pilot.press("f5")
        await pilot.pause()
        start = TEXT_P09.index("Rosa Quispe")
        await pilot.press("greater_than_sign")  # widen the end by a word
        await pilot.pause()
        assert query(project_file, 'SELECT start, "end" FROM flags') == [(start, start + len("Rosa Quispe la"))]
        await pilot.press("less_than_sign")
        await pilot.pause()
        assert query(project_file, 'SELECT start, "end" FROM flags') == [(start, start + len("Rosa Quispe"))]
        await pilot.press("d")
        await pilot.pause()
    assert query(project_file, "SELECT status, reviewed_by FROM flags") == [("dismissed", "tester")]


@pilot_test
async def test_mark_identifier_in_reader(tmp_path):
    path = build_project(tmp_path / "test.coder", flag=False)
    app = create_app(path)
    async with app.run_test(size=(120, 40)) as pilot:
        reader = await open_reader(app, pilot)
        start = TEXT_P09.index("fiscalía")
        reader.query_one("CodedText").select_span(start, start + len("fiscalía"))
        await pilot.press("f")
        await pilot.pause()
        await pilot.press("2")  # PLACE
        await pilot.pause()
        assert [f["type"] for f in reader.flags] == ["PLACE"]
    assert query(path, 'SELECT start, "end", type, origin, status FROM flags') == [
        (start, start + len("fiscalía"), "PLACE", "manual", "open")
    ]


@pilot_test
async def test_search_then_open(project_file):
    app = create_app(project_file)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        await pilot.press("s")
        await pilot.pause()
        await pilot.press(*"psicologico", "enter")
        await pilot.pause()
        assert len(app.screen.hits) == 1
        await pilot.press("enter")
        await pilot.pause()
        await app.workers.wait_for_complete()
        reader = app.screen
        assert type(reader).__name__ == "ReaderScreen" and reader.document_id == 2
        start, end = reader.query_one("CodedText").selected_span()
        assert TEXT_P10[start:end] == "psicológico"


@pilot_test
async def test_documents_filter(project_file):
    app = create_app(project_file)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        table = app.screen.query_one("#documents")
        assert table.row_count == 3
        await pilot.press("slash", *"kind:survey")
        await pilot.pause()
        assert table.row_count == 1
        await pilot.press("escape")
        await pilot.press("slash", *"flagged")
        await pilot.pause()
        assert table.row_count == 1 and table.keys == [1]
        await pilot.press("escape")
        await pilot.press("slash", *"acompañó")  # a word of the text
        await pilot.pause()
        assert table.row_count == 1 and table.keys == [1]
        await pilot.press("enter", "enter")
        await pilot.pause()
        assert app.screen.document_id == 1


@pilot_test
async def test_codebook_retrieval_jump(project_file):
    app = create_app(project_file)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        await pilot.press("b")
        await pilot.pause()
        screen = app.screen
        tree = screen.query_one("Tree")
        node = next(n for n in tree._tree_nodes.values() if n.data == "services.legal")
        tree.move_cursor(node)
        await pilot.pause()
        assert [p["document_id"] for p in screen.passages] == [3]
        await pilot.press("enter")  # select the code: focus moves to its passages
        await pilot.pause()
        await pilot.press("enter")  # open the passage
        await pilot.pause()
        await app.workers.wait_for_complete()
        reader = app.screen
        assert reader.document_id == 3
        assert reader.query_one("CodedText").selected_span() == (0, TEXT_SURVEY.index(" Hace"))


@pilot_test
async def test_codebook_from_the_reader_jumps_to_a_passage_of_another_document(project_file):
    app = create_app(project_file)
    async with app.run_test(size=(120, 40)) as pilot:
        reader = await open_reader(app, pilot, row=0)
        assert reader.document_id == 1
        await pilot.press("f3")
        await pilot.pause()
        screen = app.screen
        assert type(screen).__name__ == "CodebookScreen"
        tree = screen.query_one("Tree")
        tree.move_cursor(next(n for n in tree._tree_nodes.values() if n.data == "services"))
        await pilot.pause()
        # The category lists its codes' passages; the preview shows the one under the cursor.
        assert [p["code"] for p in screen.passages] == ["services.psychological", "services.legal"]
        await pilot.press("enter", "down")
        await pilot.pause()
        assert "Los servicios legales no conocen" in str(screen.query_one("#passage-preview").render())
        await pilot.press("enter")
        await sentences_ready(pilot)
        assert app.screen is reader and reader.document_id == 3
        assert reader.query_one("CodedText").selected_span() == (0, TEXT_SURVEY.index(" Hace"))
        assert "Servicios legales" in str(reader.query_one("#codes-here").render())
        await pilot.press("escape", "escape")  # drop the selection, then back to the codebook
        await pilot.pause()
        assert app.screen is screen


@pilot_test
async def test_document_memo(project_file):
    app = create_app(project_file)
    async with app.run_test(size=(120, 40)) as pilot:
        await open_reader(app, pilot, row=1)
        await pilot.press("M")
        await pilot.pause()
        await pilot.press(*"follow up")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert query(project_file, "SELECT document_id, text, author FROM memos") == [(2, "follow up", "tester")]
        await pilot.press("M")  # change it
        await pilot.pause()
        await pilot.press(*" soon", "ctrl+s")
        await pilot.pause()
        assert query(project_file, "SELECT text FROM memos") == [("follow up soon",)]
        assert "follow up soon" in str(app.screen.query_one("#document-memos").render())
        await pilot.press("u")  # undo the change
        await pilot.pause()
        assert query(project_file, "SELECT text FROM memos") == [("follow up",)]
        assert "follow up soon" not in str(app.screen.query_one("#document-memos").render())
        await pilot.press("u")  # undo writing it
        await pilot.pause()
    assert query(project_file, "SELECT count(*) FROM memos") == [(0,)]


@pilot_test
async def test_coder_name_asked_once(project_file, monkeypatch):
    monkeypatch.delenv("CODER_NAME")
    project = open_project(project_file)
    project.set_meta("coder", None)
    project.close()
    app = create_app(project_file)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        assert type(app.screen).__name__ == "CoderNameDialog"
        await pilot.press("ctrl+a", "ctrl+k", *"ana", "enter")
        await pilot.pause()
        assert settings.machine_coder_name() == "ana"
        await open_reader(app, pilot)
        await pilot.press("c", *"legal", "enter")
        await pilot.pause()
    assert query(project_file, "SELECT DISTINCT coder FROM codings WHERE document_id = 1") == [("ana",)]
    again = create_app(project_file)
    async with again.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        assert type(again.screen).__name__ == "DocumentsScreen"  # set once: not asked again


@pilot_test
async def test_command_palette_offers_screen_actions(project_file):
    app = create_app(project_file)
    async with app.run_test(size=(120, 40)) as pilot:
        await open_reader(app, pilot)
        from coder.tui.commands import ActionCommands

        provider = ActionCommands(app.screen)
        names = [text for text, _, _ in provider._commands()]
        assert "Reader: Code" in names and "Reader: Mark identifier" in names and "Help" in names
        # Choosing "Reader: Code" in the palette opens the code picker.
        await pilot.press("ctrl+p", *"Reader: Code")
        for _ in range(100):
            await pilot.pause(0.05)
            if app.screen.query_one("CommandList").option_count:
                break
        await pilot.press("enter")
        await pilot.pause()
        assert type(app.screen).__name__ == "CodePicker"


def test_cli_tui_command_opens_the_app(project_file, runner, monkeypatch):
    from coder.cli import app as cli

    opened = []
    monkeypatch.setattr("coder.tui.run", lambda path: opened.append(Path(path)))
    result = runner.invoke(cli, ["tui", str(project_file)])
    assert result.exit_code == 0, result.output
    assert opened == [project_file]


@pilot_test
async def test_margin_stripes_fall_back_to_letters_with_16_colours(project_file, monkeypatch):
    for system, stripe in (("standard", "S"), ("truecolor", "▌")):
        monkeypatch.setattr("textual.constants.COLOR_SYSTEM", system)
        app = create_app(project_file)
        async with app.run_test(size=(120, 40)) as pilot:
            reader = await open_reader(app, pilot, row=2)
            margin = "".join(segment.text for segment in reader.query_one("CodedText")._margin(0))
            assert margin == " " + stripe + "   "


@pilot_test
async def test_new_marks_repaint_rows_already_rendered(project_file):
    """CodedText clears TextArea's private row cache (`_line_cache`) when its marks change; textual
    is pinned below 9 for it. If the cache went away or stopped being cleared, this fails."""
    def background_of(strip, word):
        return next(s.style.bgcolor for s in strip if word in s.text)

    app = create_app(project_file)
    async with app.run_test(size=(120, 40)) as pilot:
        reader = await open_reader(app, pilot, row=1)  # P10: one coding, on its second paragraph
        widget = reader.query_one("CodedText")
        assert hasattr(widget, "_line_cache"), "TextArea internals changed: see CodedText.set_marks"
        before = widget.render_line(0)
        assert "".join(s.text for s in before)[:5] == "     "  # nothing coded on the first row
        plain = background_of(before, "escuela")
        await pilot.press("s", "c")  # select the first sentence, open the picker
        await pilot.pause()
        await pilot.press(*"legal", "enter")
        await pilot.pause()
        after = widget.render_line(0)
        assert "".join(s.text for s in after)[1] != " "  # a stripe (or letter) in the margin
        assert background_of(after, "escuela") != plain, "a row rendered before the coding is not tinted"
        await pilot.press("u")  # the marks change, the selection and scroll do not
        await pilot.pause()
        undone = widget.render_line(0)
        assert background_of(undone, "escuela") == plain, "a stale cached row still shows the undone coding"
        assert "".join(s.text for s in undone)[:5] == "     "


def test_cli_tui_on_a_missing_project_is_one_line_error(tmp_path, runner):
    from coder.cli import app as cli

    result = runner.invoke(cli, ["tui", str(tmp_path / "missing.coder")])
    assert result.exit_code == 1
    assert "error: no project at" in result.output and "Traceback" not in result.output


# -- one snapshot per screen -----------------------------------------------------------------------


@pytest.fixture
def snap_project(tmp_path, monkeypatch):
    # Colour stripes as in a usual terminal (the headless console would report 16 colours).
    monkeypatch.setattr("textual.constants.COLOR_SYSTEM", "truecolor")
    # A fixed folder name keeps the project name in the header identical between runs.
    folder = tmp_path / "snap"
    folder.mkdir()
    return build_project(folder / "mexico.coder")


async def _wait(pilot):
    """Settle before a screenshot: workers done, sentences split, and no blinking cursors (an
    input's cursor blinks on a wall-clock timer: on a busy machine it would flip the picture)."""
    await pilot.pause()
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()
    if type(pilot.app.screen).__name__ == "ReaderScreen":
        await sentences_ready(pilot)
    for widget in pilot.app.screen.query("Input"):
        widget.cursor_blink = False
    await pilot.pause()


def test_snapshot_documents(snap_project, snap_compare):
    assert snap_compare(create_app(snap_project), terminal_size=(120, 30), run_before=_wait)


def test_snapshot_reader(snap_project, snap_compare):
    async def before(pilot):
        await pilot.press("enter")
        await _wait(pilot)
        # Two overlapping codings: two stripes in the margin, the overlap underlined.
        second = TEXT_P09.index("Cuando")
        pilot.app.apply_code(1, second, TEXT_P09.index(" Tenía"), "barriers.institutional-attitudes")
        pilot.app.apply_code(1, TEXT_P09.index("Le pre"), len(TEXT_P09), "barriers.fear-shame-guilt")
        pilot.app.screen.reload()
        pilot.app.screen.query_one("CodedText").select_span(second, second + 6)
        await pilot.pause()

    assert snap_compare(create_app(snap_project), terminal_size=(120, 30), run_before=before)


def test_snapshot_code_picker(snap_project, snap_compare):
    async def before(pilot):
        await pilot.press("enter")
        await _wait(pilot)
        await pilot.press("c", *"apoyo")
        await _wait(pilot)

    assert snap_compare(create_app(snap_project), terminal_size=(120, 30), run_before=before)


def test_snapshot_review(snap_project, snap_compare):
    async def before(pilot):
        await pilot.press("i")
        await _wait(pilot)

    assert snap_compare(create_app(snap_project), terminal_size=(120, 30), run_before=before)


def test_snapshot_search(snap_project, snap_compare):
    async def before(pilot):
        await pilot.press("s", *"denunciar", "enter")
        await _wait(pilot)

    assert snap_compare(create_app(snap_project), terminal_size=(120, 30), run_before=before)


def test_snapshot_codebook(snap_project, snap_compare):
    async def before(pilot):
        await pilot.press("b")
        await _wait(pilot)
        await pilot.press("down", "down", "down")  # the category "Servicios": passages of its codes
        await _wait(pilot)

    assert snap_compare(create_app(snap_project), terminal_size=(120, 30), run_before=before)


def test_snapshot_help(snap_project, snap_compare):
    async def before(pilot):
        await pilot.press("f1")
        await _wait(pilot)

    assert snap_compare(create_app(snap_project), terminal_size=(120, 30), run_before=before)


@pilot_test
async def test_compare_two_coders_from_reader(project_file):
    from coder.coding import add_coding

    project = open_project(project_file)
    add_coding(project, 3, 0, 20, "services.legal", coder="ben")
    project.close()
    app = create_app(project_file)
    async with app.run_test(size=(120, 40)) as pilot:
        await open_reader(app, pilot, row=2)
        await pilot.press("C")
        await pilot.pause()
        screen = app.screen
        assert type(screen).__name__ == "CompareScreen"
        assert (screen.data.document_id, screen.data.coder_a, screen.data.coder_b) == (3, "ben", "tester")
        assert [c["end"] for c in screen.data.codings_a] == [20]


@pilot_test
async def test_side_panel_folds_away_at_80_columns(project_file):
    app = create_app(project_file)
    async with app.run_test(size=(80, 24)) as pilot:
        reader = await open_reader(app, pilot)
        assert reader.query_one("#side").display is False
        assert reader.query_one("CodedText").size.width >= 78


@pilot_test
async def test_moving_by_paragraph_sentence_and_word(project_file):
    app = create_app(project_file)
    async with app.run_test(size=(120, 40)) as pilot:
        reader = await open_reader(app, pilot)
        text_area = reader.query_one("CodedText")
        await pilot.press("J")
        assert text_area.cursor_offset == TEXT_P09.index("Cuando")
        await pilot.press("j")
        assert text_area.cursor_offset == TEXT_P09.index("Le preguntaron")
        await pilot.press("w")
        assert text_area.cursor_offset == TEXT_P09.index("preguntaron")
        await pilot.press("k", "k")
        assert text_area.cursor_offset == TEXT_P09.index("Cuando")
        # With a selection started, w extends it to the end of the word.
        await pilot.press("v", "w", "w")
        start, end = text_area.selected_span()
        assert TEXT_P09[start:end] == "Cuando fue"


@pilot_test
async def test_mouse_selection_then_code_and_change_code(project_file):
    app = create_app(project_file)
    async with app.run_test(size=(120, 40)) as pilot:
        reader = await open_reader(app, pilot)
        text_area = reader.query_one("CodedText")
        # Drag over the first word: the margin (5 cells) sits left of the text.
        await pilot.mouse_down(text_area, offset=(5, 0))
        await pilot.hover(text_area, offset=(5 + len("La facilitadora"), 0))
        await pilot.mouse_up(text_area, offset=(5 + len("La facilitadora"), 0))
        await pilot.pause()
        assert text_area.selected_span() == (0, len("La facilitadora"))
        await pilot.press("c", *"institucional", "enter")
        await pilot.pause()
        rows = query(project_file, 'SELECT c.id, c.start, c."end", k.key FROM codings c '
                                   "JOIN codes k ON k.id = c.code_id WHERE c.document_id = 1")
        assert [r[1:] for r in rows] == [(0, len("La facilitadora"), "barriers.institutional-attitudes")]
        # r changes the code of the coding under the cursor; u changes it back.
        text_area.select_span(3, 3)
        await pilot.press("r", *"miedo", "enter")
        await pilot.pause()
        assert query(project_file, "SELECT k.key FROM codings c JOIN codes k ON k.id = c.code_id "
                                   "WHERE c.id = ?", [rows[0][0]]) == [("barriers.fear-shame-guilt",)]
        await pilot.press("u")
        await pilot.pause()
        assert query(project_file, "SELECT k.key FROM codings c JOIN codes k ON k.id = c.code_id "
                                   "WHERE c.id = ?", [rows[0][0]]) == [("barriers.institutional-attitudes",)]


@pilot_test
async def test_dismiss_everywhere_allowlists_the_term(project_file):
    app = create_app(project_file)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        await pilot.press("i")
        await pilot.pause()
        await pilot.press("D")
        await pilot.pause()
        assert "1 of 1 reviewed" in str(app.screen.query_one("#review-progress-text").render())
    assert query(project_file, "SELECT status FROM flags") == [("dismissed",)]
    assert query(project_file, "SELECT count(*) FROM allowlist WHERE lower(term) = 'rosa quispe'") == [(1,)]
