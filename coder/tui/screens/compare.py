"""Compare two coders' codings of one document, in stripes on the text, with their disagreements.

The text is shown once; each character is tinted by who coded it: both coders (green), only the
first (blue), only the second (magenta), both but with different codes (yellow). `c` / `C` step
through the codes one at a time, `a` shows all codes again. The side panel has the per-code
figures for this document (characters) and the list of passages the coders disagree on.
All data comes from `coder.agreement.comparison`; this screen does no SQL.
"""

from __future__ import annotations

import re

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Header, Static

from coder.agreement import Comparison, comparison
from coder.store import Project

BOTH = "on dark_green"
ONLY_A = "on dark_blue"
ONLY_B = "on dark_magenta"
DIFFERENT = "black on yellow"


def _flat(text: str | None) -> str:
    """Text on one line: every run of whitespace becomes one space."""
    return re.sub(r"\s+", " ", text or "")


def _fmt(value: float | None, percent: bool = False) -> str:
    if value is None:
        return "—"
    return f"{100 * value:.0f}%" if percent else f"{value:.2f}"


def striped_text(data: Comparison, code: str | None = None) -> Text:
    """The document text tinted by which coder coded each character (one code, or all codes)."""
    text = data.text
    cuts = {0, len(text)}
    picked_a = [c for c in data.codings_a if code is None or c["code"] == code]
    picked_b = [c for c in data.codings_b if code is None or c["code"] == code]
    for c in (*picked_a, *picked_b):
        cuts.update((c["start"], c["end"]))
    points = sorted(cuts)
    out = Text()
    for start, end in zip(points, points[1:]):
        codes_a = frozenset(c["code"] for c in picked_a if c["start"] <= start and end <= c["end"])
        codes_b = frozenset(c["code"] for c in picked_b if c["start"] <= start and end <= c["end"])
        if codes_a and codes_b:
            style = BOTH if codes_a == codes_b else DIFFERENT
        elif codes_a:
            style = ONLY_A
        elif codes_b:
            style = ONLY_B
        else:
            style = ""
        out.append(text[start:end], style=style)
    return out


class CompareScreen(Screen):
    """Two coders' codings of one document, compared."""

    SCREEN_NAME = "Compare"
    DEFAULT_CSS = """
    CompareScreen #compare-body { height: 1fr; }
    CompareScreen #compare-text-scroll { width: 1fr; border: round $primary; padding: 0 1; }
    CompareScreen #compare-side { width: 1fr; }
    CompareScreen #compare-detail { height: auto; max-height: 8; padding: 0 1; border: round $accent; }
    CompareScreen #compare-legend { height: auto; padding: 0 1; }
    CompareScreen #compare-figures { height: 1fr; border: round $secondary; }
    CompareScreen #compare-disagreements { height: 2fr; border: round $warning; }
    """
    BINDINGS = [
        Binding("c", "next_code", "Next code"),
        Binding("C", "previous_code", "Previous code", key_display="shift+c"),
        Binding("a", "all_codes", "All codes"),
        Binding("escape", "close", "Back"),
    ]

    def __init__(self, project: Project, document_id: int, coder_a: str, coder_b: str) -> None:
        super().__init__()
        self.data = comparison(project, document_id, coder_a, coder_b)
        self.code_keys = [row.code for row in self.data.codes]
        self.selected: str | None = None  # None: all codes
        self.shown: list = []  # disagreements listed for the selected code(s)

    def compose(self) -> ComposeResult:
        yield Header()
        with Horizontal(id="compare-body"):
            with VerticalScroll(id="compare-text-scroll"):
                yield Static(id="compare-text")
            with Vertical(id="compare-side"):
                yield Static(id="compare-legend")
                yield DataTable(id="compare-figures", cursor_type="row", zebra_stripes=True)
                yield DataTable(id="compare-disagreements", cursor_type="row")
                yield Static(id="compare-detail")
        yield Footer()

    def on_mount(self) -> None:
        self.title = f"Compare {self.data.coder_a} and {self.data.coder_b}"
        self.sub_title = f"{self.data.document_id} · {self.data.title}"
        figures = self.query_one("#compare-figures", DataTable)
        figures.border_title = "per code (characters)"
        figures.add_columns("code", "agree", "kappa", "u-alpha", self.data.coder_a, self.data.coder_b)
        for row in self.data.codes:
            figures.add_row(
                row.code, _fmt(row.percent, percent=True), _fmt(row.nvivo_kappa), _fmt(row.u_alpha),
                str(row.coded.get(self.data.coder_a, 0)), str(row.coded.get(self.data.coder_b, 0)),
                key=row.code,
            )
        self.query_one("#compare-disagreements", DataTable).add_columns("span", "code", "coded by", "passage")
        self.refresh_view()

    # -- display -------------------------------------------------------------------------------

    def refresh_view(self) -> None:
        data = self.data
        self.query_one("#compare-text", Static).update(striped_text(data, self.selected))
        legend = Text()
        legend.append(" both ", style=BOTH)
        legend.append(" ")
        legend.append(f" only {data.coder_a} ", style=ONLY_A)
        legend.append(" ")
        legend.append(f" only {data.coder_b} ", style=ONLY_B)
        if self.selected is None:
            legend.append(" ")
            legend.append(" different codes ", style=DIFFERENT)
        legend.append(f"\nshowing: {self.selected or 'all codes'}")
        self.query_one("#compare-legend", Static).update(legend)
        table = self.query_one("#compare-disagreements", DataTable)
        table.clear()
        self.shown = [d for d in data.disagreements if self.selected in (None, d.code)]
        table.border_title = f"{len(self.shown)} disagreements"
        self.show_detail(0)
        for index, item in enumerate(self.shown):
            passage = _flat(item.passage).strip()
            table.add_row(
                f"{item.start}-{item.end}", item.code, ", ".join(item.coded_by),
                passage if len(passage) <= 40 else passage[:39] + "…", key=str(index),
            )

    def show_detail(self, index: int) -> None:
        """The highlighted disagreement with a few words around it."""
        detail = self.query_one("#compare-detail", Static)
        if not self.shown:
            detail.update("no disagreements")
            return
        item = self.shown[min(index, len(self.shown) - 1)]
        style = ONLY_A if self.data.coder_a in item.coded_by else ONLY_B
        text = Text(f"{item.code} · coded by {', '.join(item.coded_by)}, not by {', '.join(item.not_coded_by)}\n")
        text.append("…" + _flat(item.before))
        text.append(_flat(item.passage), style=style)
        text.append(_flat(item.after) + "…")
        detail.update(text)

    def on_data_table_row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        if event.data_table.id == "compare-disagreements" and event.row_key.value is not None:
            self.show_detail(int(event.row_key.value))

    # -- actions -------------------------------------------------------------------------------

    def _step(self, delta: int) -> None:
        if not self.code_keys:
            return
        if self.selected is None:
            index = 0 if delta > 0 else len(self.code_keys) - 1
        else:
            index = (self.code_keys.index(self.selected) + delta) % len(self.code_keys)
        self.selected = self.code_keys[index]
        self.refresh_view()

    def action_next_code(self) -> None:
        self._step(1)

    def action_previous_code(self) -> None:
        self._step(-1)

    def action_all_codes(self) -> None:
        self.selected = None
        self.refresh_view()

    def action_close(self) -> None:
        self.dismiss()

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        if event.data_table.id == "compare-figures" and event.row_key.value in self.code_keys:
            self.selected = event.row_key.value
            self.refresh_view()
