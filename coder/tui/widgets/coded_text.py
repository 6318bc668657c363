"""The reader's text: a read-only TextArea (cursor, keyboard and mouse selection, soft wrap) that
tints coded passages in their code's colour, draws a stripe per code in a left margin (so
overlapping codings stay visible) and marks open identifier flags in reverse red.

It only displays what it is given (`set_marks`) and reports through TextArea's own messages.
"""

from __future__ import annotations

import bisect
import re
from typing import Any

from rich.color import Color
from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from textual.strip import Strip
from textual.widgets import TextArea
from textual.widgets.text_area import Selection

# Characters str.splitlines() breaks on besides "\n": shown as spaces so that rows and columns of
# the widget map one-to-one onto offsets in the stored text.
_OTHER_LINE_BREAKS = re.compile("[\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029]")

FLAG_STYLE = Style(color="bright_white", bgcolor="red3", bold=True)
FLAG_MARGIN_STYLE = Style(color="bright_red", bold=True)
_BLEND_BASE = Color.from_rgb(24, 24, 28)
STRIPES = 3  # colour stripes in the margin; a fourth code and more show as "+"
MARGIN = 1 + STRIPES + 1  # flag marker, stripes, a space


def _tint(color: str, amount: float = 0.45) -> Style:
    rgb = Color.parse(color).get_truecolor()
    base = _BLEND_BASE.get_truecolor()
    mixed = tuple(int(b + (c - b) * amount) for b, c in zip(base, rgb))
    return Style(bgcolor=Color.from_rgb(*mixed))


class CodedText(TextArea):
    """Document text with codings and open identifier flags marked."""

    DEFAULT_CSS = """
    CodedText { border: none; padding: 0; }
    CodedText:focus { border: none; }
    """

    def __init__(self, text: str = "", **kwargs: Any) -> None:
        super().__init__(
            _OTHER_LINE_BREAKS.sub(" ", text),
            read_only=True,
            soft_wrap=True,
            show_line_numbers=False,
            highlight_cursor_line=False,
            **kwargs,
        )
        self.source_text = text
        self._codings: list[dict[str, Any]] = []
        self._flags: list[dict[str, Any]] = []
        self._line_marks: dict[int, list[tuple[int, int, Style]]] = {}
        self._index_lines(text)

    # -- content -------------------------------------------------------------------------------

    def _index_lines(self, text: str) -> None:
        starts = [0]
        for m in re.finditer("\n", text):
            starts.append(m.end())
        self._line_starts = starts

    def show_document(self, text: str) -> None:
        self.source_text = text
        self._index_lines(text)
        self.load_text(_OTHER_LINE_BREAKS.sub(" ", text))

    def set_marks(self, codings: list[dict[str, Any]], flags: list[dict[str, Any]]) -> None:
        """Codings need start, end, color; flags need start, end."""
        self._codings = sorted(codings, key=lambda c: (c["start"], -c["end"]))
        self._flags = list(flags)
        marks: dict[int, list[tuple[int, int, Style]]] = {}
        # Longer codings first so shorter (nested) ones are drawn on top of them.
        ordered = sorted(self._codings, key=lambda c: -(c["end"] - c["start"]))
        for c in ordered:
            self._add_marks(marks, c["start"], c["end"], _tint(c["color"]))
        # Where two or more codings overlap, underline: the overlap shows even between tints.
        for s, e in _overlaps([(c["start"], c["end"]) for c in self._codings]):
            self._add_marks(marks, s, e, Style(underline=True))
        for f in self._flags:
            self._add_marks(marks, f["start"], f["end"], FLAG_STYLE)
        self._line_marks = marks
        # TextArea caches rendered rows by text, selection and scroll, not by our marks. The one
        # private name this widget uses (textual is pinned below 9; a test guards it).
        self._line_cache.clear()
        self.refresh()

    def _add_marks(self, marks: dict, start: int, end: int, style: Style) -> None:
        (row_s, col_s), (row_e, col_e) = self.location_of(start), self.location_of(end)
        for row in range(row_s, row_e + 1):
            s = col_s if row == row_s else 0
            e = col_e if row == row_e else len(self.document.get_line(row))
            if e > s:
                marks.setdefault(row, []).append((s, e, style))

    # -- offsets <-> locations -----------------------------------------------------------------

    def location_of(self, offset: int) -> tuple[int, int]:
        offset = max(0, min(offset, len(self.source_text)))
        row = bisect.bisect_right(self._line_starts, offset) - 1
        return (row, offset - self._line_starts[row])

    def offset_of(self, location: tuple[int, int]) -> int:
        row, col = location
        row = max(0, min(row, len(self._line_starts) - 1))
        return min(self._line_starts[row] + col, len(self.source_text))

    @property
    def cursor_offset(self) -> int:
        return self.offset_of(self.selection.end)

    def selected_span(self) -> tuple[int, int]:
        a, b = self.offset_of(self.selection.start), self.offset_of(self.selection.end)
        return (min(a, b), max(a, b))

    def select_span(self, start: int, end: int) -> None:
        """Select text[start:end] with the cursor at `end` (a cursor only if start == end)."""
        self.selection = Selection(self.location_of(start), self.location_of(end))
        self.scroll_cursor_visible()

    def codings_at(self, start: int, end: int | None = None) -> list[dict[str, Any]]:
        """Codings overlapping [start, end) — or containing `start` when no end is given."""
        if end is None or end <= start:
            return [c for c in self._codings if c["start"] <= start < c["end"]]
        return [c for c in self._codings if c["start"] < end and start < c["end"]]

    def flags_at(self, start: int, end: int | None = None) -> list[dict[str, Any]]:
        if end is None or end <= start:
            return [f for f in self._flags if f["start"] <= start < f["end"]]
        return [f for f in self._flags if f["start"] < end and start < f["end"]]

    # -- rendering -----------------------------------------------------------------------------

    @property
    def gutter_width(self) -> int:  # the margin takes the place of line numbers
        return MARGIN

    def get_line(self, line_index: int) -> Text:
        line = super().get_line(line_index)
        for s, e, style in self._line_marks.get(line_index, ()):
            line.stylize(style, s, e)
        return line

    def render_line(self, y: int) -> Strip:
        strip = super().render_line(y)  # the text of the row, cached by TextArea
        margin = self._margin(y)
        if margin is None:
            return strip  # blank rows below the text already span the full width
        return Strip.join([Strip(margin, MARGIN), strip])

    def _margin(self, y: int) -> list[Segment] | None:
        """The margin of screen row `y`: `!` by an open flag, a stripe per code on the row."""
        row = y + self.scroll_offset.y
        wrapped = self.wrapped_document
        if row >= wrapped.height or not self._line_starts:
            return None
        # The document line shown on this row, and the columns of the row's part of it.
        line_index, col_s = wrapped.offset_to_location((0, row))
        offsets = wrapped.get_offsets(line_index)
        section = bisect.bisect_right(offsets, col_s)
        col_e = offsets[section] if section < len(offsets) else len(self.document.get_line(line_index))
        line_start = self._line_starts[min(line_index, len(self._line_starts) - 1)]
        start, end = line_start + col_s, max(line_start + col_s + 1, line_start + col_e)
        segments = [
            Segment("!", FLAG_MARGIN_STYLE) if self.flags_at(start, end) else Segment(" ")
        ]
        codes: dict[str, dict[str, Any]] = {}
        for c in self.codings_at(start, end):
            codes.setdefault(c["code"] if "code" in c else c["color"], c)
        shown = list(codes.values())
        # Without enough colours (a 16-colour terminal) the stripe is the code's first letter.
        letters = self.app.no_color or self.app.console.color_system in (None, "standard", "windows")
        for i in range(STRIPES):
            if i < len(shown):
                if i == STRIPES - 1 and len(shown) > STRIPES:
                    segments.append(Segment("+", Style(bold=True)))
                elif letters:
                    segments.append(Segment((shown[i].get("label") or "?")[0].upper(), Style(bold=True)))
                else:
                    segments.append(Segment("▌", Style(color=shown[i]["color"])))
            else:
                segments.append(Segment(" "))
        segments.append(Segment(" "))
        return segments


def _overlaps(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Stretches covered by two or more spans."""
    events = sorted([(s, 1) for s, _ in spans] + [(e, -1) for _, e in spans], key=lambda x: (x[0], x[1]))
    out, depth, since = [], 0, 0
    for pos, delta in events:
        if depth >= 2 and pos > since:
            out.append((since, pos))
        depth += delta
        since = pos
    merged: list[tuple[int, int]] = []
    for s, e in out:
        if merged and merged[-1][1] == s:
            merged[-1] = (merged[-1][0], e)
        else:
            merged.append((s, e))
    return merged
