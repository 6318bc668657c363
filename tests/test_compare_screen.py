"""The compare screen: two coders' codings of one document, headless and as a snapshot."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest
from textual.app import App
from textual.widgets import DataTable, Static

from coder.coding import add_coding
from coder.store import create_project
from coder.tui.screens.compare import BOTH, ONLY_A, ONLY_B, CompareScreen, striped_text
from coder.agreement import comparison

TEXT = (
    "Tenía miedo de contarlo a su familia.\n"
    "Cuando por fin habló, la policía se burló de ella y no quiso tomar la denuncia.\n\n"
    "Después buscó ayuda psicológica y un abogado la acompañó en el proceso."
)


def build(path: Path):
    project = create_project(path, country="Mexico", language="es")
    with project.transaction():
        doc = project.insert_document({"title": "Entrevista 7", "text": TEXT, "sha256": "e7", "language": "es"})
        for key, label in (("barriers.fear", "Miedo"), ("barriers.police", "Policía"), ("services.legal", "Legal")):
            project.upsert_code({"key": key, "labels": {"es": label}})
    police = TEXT.index("la policía")
    legal = TEXT.index("un abogado")
    add_coding(project, doc, 0, 37, "barriers.fear", coder="ana")
    add_coding(project, doc, 0, 37, "barriers.fear", coder="ben")
    add_coding(project, doc, police, police + 40, "barriers.police", coder="ana")
    add_coding(project, doc, police, police + 21, "barriers.police", coder="ben")
    add_coding(project, doc, legal, len(TEXT), "services.legal", coder="ben")
    return project, doc


class CompareApp(App):
    TITLE = "coder"

    def __init__(self, project, document_id):
        super().__init__()
        self.project, self.document_id = project, document_id

    def on_mount(self) -> None:
        self.push_screen(CompareScreen(self.project, self.document_id, "ana", "ben"))


@pytest.fixture
def built(tmp_path):
    project, doc = build(tmp_path / "compare.coder")
    yield project, doc
    project.close()


def test_striped_text_marks_who_coded_what(built):
    project, doc = built
    data = comparison(project, doc, "ana", "ben")
    text = striped_text(data)
    assert text.plain == TEXT
    styles = {TEXT[s.start:s.end]: str(s.style) for s in text.spans}
    assert styles["Tenía miedo de contarlo a su familia."] == BOTH
    police = TEXT.index("la policía")
    assert styles[TEXT[police:police + 21]] == BOTH
    assert styles[TEXT[police + 21:police + 40]] == ONLY_A
    only_b = [TEXT[s.start:s.end] for s in text.spans if str(s.style) == ONLY_B]
    assert only_b == [TEXT[TEXT.index("un abogado"):]]
    # One code at a time: fear only -> nothing else tinted.
    fear = striped_text(data, "barriers.fear")
    assert [TEXT[s.start:s.end] for s in fear.spans if s.style] == ["Tenía miedo de contarlo a su familia."]


def test_screen_lists_figures_and_disagreements(built):
    # Run on a fresh event loop: no asyncio pytest plugin is needed.
    asyncio.run(_screen_lists_figures_and_disagreements(*built))


async def _screen_lists_figures_and_disagreements(project, doc):
    app = CompareApp(project, doc)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, CompareScreen)
        figures = screen.query_one("#compare-figures", DataTable)
        assert figures.row_count == 3
        assert figures.get_row("barriers.fear")[1] == "100%"
        disagreements = screen.query_one("#compare-disagreements", DataTable)
        assert disagreements.row_count == 2  # police tail (ana only), legal (ben only)
        detail = str(screen.query_one("#compare-detail", Static).render())
        assert "barriers.police · coded by ana, not by ben" in detail
        assert "…policía se burló de ella y no quiso tomar la denuncia. Después…" in detail
        disagreements.focus()
        await pilot.press("down")
        assert "services.legal · coded by ben, not by ana" in str(screen.query_one("#compare-detail", Static).render())
        await pilot.press("c")
        assert screen.selected == "barriers.fear"
        assert disagreements.row_count == 0
        await pilot.press("c")
        assert screen.selected == "barriers.police"
        assert disagreements.row_count == 1
        assert "showing: barriers.police" in str(screen.query_one("#compare-legend", Static).render())
        await pilot.press("C", "C")
        assert screen.selected == "services.legal"
        await pilot.press("a")
        assert screen.selected is None and disagreements.row_count == 2
        await pilot.press("escape")
        assert not isinstance(app.screen, CompareScreen)


def test_compare_screen_snapshot(snap_compare, tmp_path):
    project, doc = build(tmp_path / "snap.coder")
    try:
        assert snap_compare(CompareApp(project, doc), terminal_size=(120, 40))
    finally:
        project.close()
