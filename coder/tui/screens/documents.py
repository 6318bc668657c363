"""Home screen: every document with country, participant, kind, share coded and open flags."""

from __future__ import annotations

from typing import Any

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import Header, Input, Static

from coder import views
from coder.tui.widgets.key_footer import KeyFooter
from coder.tui.widgets.row_table import RowTable

COLUMNS = ("id", "title", "country", "participant", "kind", "coded", "open flags")
FIELDS = ("title", "kind", "country", "language", "participant", "facilitator", "date")


def parse_filter(text: str) -> tuple[dict[str, str], set[str], list[str]]:
    """`country:mexico kind:survey flagged uncoded words…` → attribute filters, switches, words."""
    attributes, switches, words = {}, set(), []
    for token in text.split():
        if ":" in token and not token.startswith(":"):
            name, _, value = token.partition(":")
            attributes[name.lower()] = value.lower()
        elif token.lower() in ("flagged", "uncoded", "coded"):
            switches.add(token.lower())
        else:
            words.append(token)
    return attributes, switches, words


def row_matches(row: dict[str, Any], attributes: dict[str, str], switches: set[str]) -> bool:
    for name, value in attributes.items():
        actual = row.get(name) if name in FIELDS else row["attributes"].get(name)
        if actual is None or value not in str(actual).lower():
            return False
    if "flagged" in switches and not row["open_flags"]:
        return False
    if "uncoded" in switches and row["codings"]:
        return False
    if "coded" in switches and not row["codings"]:
        return False
    return True


def row_cells(r: dict[str, Any]) -> tuple:
    """The cells of one document row (made only for the rows on screen)."""
    return (
        str(r["id"]),
        r["title"],
        r["country"] or "",
        r["participant"] or "",
        r["kind"],
        f"{round(100 * r['coded_share'])}%",
        Text(str(r["open_flags"]), style="bold red") if r["open_flags"] else Text("0", style="dim"),
    )


class DocumentsScreen(Screen):
    SCREEN_NAME = "Documents"
    BINDINGS = [
        Binding("slash", "filter", "Filter", key_display="/"),
        Binding("s", "app.search", "Search"),
        Binding("b", "app.codebook", "Codebook"),
        Binding("i", "app.review", "Identifiers"),
        Binding("q", "app.quit", "Quit"),
        Binding("escape", "clear_filter", "Clear filter", show=False),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.rows: list[dict[str, Any]] = []
        self.loaded = False
        self._stale = False

    def compose(self) -> ComposeResult:
        yield Header()
        yield Input(
            placeholder="/ filter: country:mexico kind:survey participant:P09 flagged uncoded, or words of the text",
            id="filter",
        )
        yield RowTable(
            [("id", 6), ("title", 0), ("country", 12), ("participant", 12), ("kind", 12), ("coded", 6), ("open flags", 10)],
            id="documents",
        )
        yield Static("", id="documents-status", classes="status")
        yield KeyFooter()

    def on_mount(self) -> None:
        self.query_one(RowTable).focus()
        self.reload()

    def on_screen_resume(self) -> None:
        if self.loaded and self._stale:
            self.reload()

    def on_screen_suspend(self) -> None:
        self._stale = True  # another screen may change codings or flags

    def reload(self) -> None:
        self.rows = views.document_rows(self.app.project)
        self.loaded = True
        self._stale = False
        self.show_rows()

    def show_rows(self) -> None:
        query = self.query_one("#filter", Input).value
        attributes, switches, words = parse_filter(query)
        rows = [r for r in self.rows if row_matches(r, attributes, switches)]
        if words:
            lowered = [w.lower() for w in words]
            in_text = views.document_ids_matching(self.app.project, " ".join(words))
            rows = [
                r for r in rows
                if r["id"] in in_text
                or all(any(w in str(r[f] or "").lower() for f in ("title", "participant", "country")) for w in lowered)
            ]
        self.query_one(RowTable).set_rows(rows, [r["id"] for r in rows], row_cells)
        flags = sum(r["open_flags"] for r in rows)
        self.query_one("#documents-status", Static).update(
            f"{len(rows)} of {len(self.rows)} documents (enter opens) · {flags} open identifiers"
            + (" — review them before anything leaves the project (i)" if flags else "")
        )

    def on_input_changed(self, event: Input.Changed) -> None:
        if event.input.id == "filter":
            self.show_rows()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        self.query_one(RowTable).focus()

    def on_row_table_chosen(self, event: RowTable.Chosen) -> None:
        self.app.open_document(event.key)

    def action_filter(self) -> None:
        self.query_one("#filter", Input).focus()

    def action_clear_filter(self) -> None:
        filt = self.query_one("#filter", Input)
        if filt.value:
            filt.value = ""
        self.query_one(RowTable).focus()
