"""A virtual table (documents, search hits, passages): only the rows on screen are rendered, so
5,000 rows paint as fast as 50 (Textual's DataTable measures every cell of every row first).

Rows are any objects with a key each and a function that turns one row into its cells (str or
rich Text), called only for the rows drawn; the table posts `RowTable.Chosen(key)` on enter
or a double click.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from rich.text import Text
from textual import events
from textual.binding import Binding
from textual.geometry import Region, Size
from textual.message import Message
from textual.reactive import reactive
from textual.scroll_view import ScrollView
from textual.strip import Strip

Cell = str | Text


class RowTable(ScrollView, can_focus=True):
    DEFAULT_CSS = """
    RowTable { height: 1fr; }
    RowTable > .row-table--header { text-style: bold; background: $panel; }
    RowTable > .row-table--cursor { background: $accent 40%; }
    RowTable:focus > .row-table--cursor { background: $accent; color: $text; }
    RowTable > .row-table--zebra { background: $surface-lighten-1 30%; }
    """
    COMPONENT_CLASSES = {"row-table--header", "row-table--cursor", "row-table--zebra"}
    BINDINGS = [
        Binding("up", "move(-1)", "Up", show=False),
        Binding("down", "move(1)", "Down", show=False),
        Binding("pageup", "page(-1)", "Page up", show=False),
        Binding("pagedown", "page(1)", "Page down", show=False),
        Binding("home", "jump(0)", "First", show=False),
        Binding("end", "jump(-1)", "Last", show=False),
        Binding("enter", "choose", "Open", show=False),
    ]

    cursor_row = reactive(0, always_update=True)

    class Chosen(Message):
        def __init__(self, key: int) -> None:
            super().__init__()
            self.key = key

    class Highlighted(Message):
        """The cursor is on another row (or the rows changed under it)."""

        def __init__(self, key: int | None) -> None:
            super().__init__()
            self.key = key

    def __init__(self, columns: list[tuple[str, int]], **kwargs) -> None:
        super().__init__(**kwargs)
        self.columns = columns  # (title, width); a width of 0 takes the remaining space
        self.rows: Sequence[Any] = []
        self.keys: list[int] = []
        self.cells: Callable[[Any], tuple[Cell, ...]] = tuple
        self._cache: dict[tuple[int, int, bool], Strip] = {}

    @property
    def row_count(self) -> int:
        return len(self.rows)

    def set_rows(
        self, rows: Sequence[Any], keys: list[int], cells: Callable[[Any], tuple[Cell, ...]] = tuple
    ) -> None:
        self.rows, self.keys, self.cells = rows, keys, cells
        self._cache.clear()
        self.virtual_size = Size(self.size.width, len(rows) + 1)
        self.cursor_row = max(0, min(self.cursor_row, len(rows) - 1))
        self.refresh()

    def _widths(self, width: int) -> list[int]:
        fixed = sum(w + 1 for _, w in self.columns if w)
        flexible = sum(1 for _, w in self.columns if not w)
        rest = max(8, (width - fixed) // max(1, flexible) - 1)
        return [w or rest for _, w in self.columns]

    def _line(self, cells: tuple[Cell, ...], width: int) -> Text:
        line = Text(no_wrap=True, overflow="ellipsis")
        for cell, w in zip(cells, self._widths(width)):
            text = cell.copy() if isinstance(cell, Text) else Text(str(cell))
            text.truncate(w, overflow="ellipsis", pad=True)
            line.append_text(text)
            line.append(" ")
        line.truncate(width, pad=True)
        return line

    def render_line(self, y: int) -> Strip:
        width = self.size.width
        if y == 0:
            style = self.get_component_rich_style("row-table--header")
            return Strip(self._line(tuple(t for t, _ in self.columns), width).render(self.app.console), width).apply_style(style)
        index = self.scroll_offset.y + y - 1
        if index >= len(self.rows):
            return Strip.blank(width, self.rich_style)
        selected = index == self.cursor_row
        key = (index, width, selected and self.has_focus, selected)
        strip = self._cache.get(key)
        if strip is None:
            if selected:
                style = self.get_component_rich_style("row-table--cursor")
            elif index % 2:
                style = self.rich_style + self.get_component_rich_style("row-table--zebra")
            else:
                style = self.rich_style
            strip = Strip(self._line(self.cells(self.rows[index]), width).render(self.app.console), width).apply_style(style)
            if len(self._cache) > 500:
                self._cache.clear()
            self._cache[key] = strip
        return strip

    def on_resize(self, event: events.Resize) -> None:
        self._cache.clear()
        self.virtual_size = Size(event.size.width, len(self.rows) + 1)

    def on_focus(self) -> None:
        self.refresh()

    def on_blur(self) -> None:
        self.refresh()

    def watch_cursor_row(self, old: int, new: int) -> None:
        self.refresh()
        # Keep the cursor row in view, below the header.
        self.scroll_to_region(Region(0, new, 1, 2), animate=False, force=True, immediate=True)
        self.post_message(self.Highlighted(self.current_key))

    def action_move(self, delta: int) -> None:
        if self.rows:
            self.cursor_row = max(0, min(len(self.rows) - 1, self.cursor_row + delta))

    def action_page(self, direction: int) -> None:
        self.action_move(direction * max(1, self.size.height - 2))

    def action_jump(self, index: int) -> None:
        if self.rows:
            self.cursor_row = index if index >= 0 else len(self.rows) - 1

    def action_choose(self) -> None:
        if 0 <= self.cursor_row < len(self.keys):
            self.post_message(self.Chosen(self.keys[self.cursor_row]))

    def on_click(self, event: events.Click) -> None:
        index = self.scroll_offset.y + event.y - 1
        if event.y >= 1 and 0 <= index < len(self.rows):
            self.cursor_row = index
            if event.chain >= 2:
                self.action_choose()

    @property
    def current_key(self) -> int | None:
        return self.keys[self.cursor_row] if 0 <= self.cursor_row < len(self.keys) else None
