"""Full-text search (FTS5) across documents, with snippets; enter opens the hit in the reader."""

from __future__ import annotations

import re

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import Header, Input, Static

from coder.errors import CoderError
from coder.search import HIT_END, HIT_START, search
from coder.tui.widgets.key_footer import KeyFooter
from coder.tui.widgets.row_table import RowTable

HITS = 100  # best-ranked documents listed; a narrower query finds the rest
_HIT = re.compile(re.escape(HIT_START) + "(.*?)" + re.escape(HIT_END))


def snippet_text(snippet: str) -> Text:
    out = Text()
    last = 0
    for m in _HIT.finditer(snippet):
        out.append(snippet[last : m.start()])
        out.append(m.group(1), style="bold reverse")
        last = m.end()
    out.append(snippet[last:])
    return out


def hit_cells(hit: dict) -> tuple:
    return (hit["title"], hit.get("participant") or "", snippet_text(hit["snippet"].replace("\n", " ")))


class SearchScreen(Screen):
    SCREEN_NAME = "Search"
    BINDINGS = [
        Binding("slash", "focus_query", "New search", key_display="/"),
        Binding("escape", "app.pop_screen", "Back"),
    ]

    def __init__(self, query: str = "") -> None:
        super().__init__()
        self.initial_query = query
        self.hits: list[dict] = []

    def compose(self) -> ComposeResult:
        yield Header()
        yield Input(self.initial_query, placeholder='search words, "a phrase", prefix*', id="search-query")
        yield Static("type and press enter", id="search-status", classes="status")
        yield RowTable([("document", 28), ("participant", 12), ("snippet", 0)], id="search-hits")
        yield KeyFooter()

    def on_mount(self) -> None:
        self.query_one(Input).focus()
        if self.initial_query:
            self.run_search(self.initial_query)

    def on_input_submitted(self, event: Input.Submitted) -> None:
        self.run_search(event.value)

    def run_search(self, query: str) -> None:
        status = self.query_one("#search-status", Static)
        table = self.query_one(RowTable)
        try:
            self.hits = search(self.app.project, query, limit=HITS)
        except CoderError as exc:
            self.hits = []
            status.update(str(exc))
            table.set_rows([], [])
            return
        table.set_rows(self.hits, list(range(len(self.hits))), hit_cells)
        table.cursor_row = 0
        found = f"the best {HITS} documents" if len(self.hits) == HITS else f"{len(self.hits)} documents match"
        status.update(found + (" (enter opens, / new search)" if self.hits else ""))
        if self.hits:
            table.focus()

    def on_row_table_chosen(self, event: RowTable.Chosen) -> None:
        hit = self.hits[event.key]
        m = _HIT.search(hit["snippet"])
        length = len(m.group(1)) if m else 0
        self.app.open_document(hit["document_id"], hit["offset"], hit["offset"] + length)

    def action_focus_query(self) -> None:
        self.query_one(Input).focus()
