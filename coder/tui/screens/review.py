"""Identifier review: the queue of open flags, one at a time in its context.

r redact (after a yes), d dismiss here, D dismiss everywhere (the term joins the allowlist),
> / < widen or narrow the end by a word, ] / [ widen or narrow the start, n / p next / previous,
enter opens the document at the flag.
"""

from __future__ import annotations

import re
from typing import Any

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import Header, ProgressBar, Static

from coder.errors import CoderError
from coder.tui.dialogs import ConfirmDialog
from coder.tui.widgets.key_footer import KeyFooter

CONTEXT = 240  # characters shown either side of the flag
_WORD = re.compile(r"\w+")


class ReviewScreen(Screen):
    SCREEN_NAME = "Identifiers"
    BINDINGS = [
        Binding("r", "redact", "Redact"),
        Binding("d", "dismiss_flag", "Dismiss here"),
        Binding("D,shift+d", "dismiss_everywhere", "Dismiss everywhere"),
        Binding("greater_than_sign", "adjust('end', 1)", "Widen", key_display=">"),
        Binding("less_than_sign", "adjust('end', -1)", "Narrow", key_display="<"),
        Binding("left_square_bracket", "adjust('start', -1)", "Widen start", key_display="[", show=False),
        Binding("right_square_bracket", "adjust('start', 1)", "Narrow start", key_display="]", show=False),
        Binding("n,down", "step(1)", "Next"),
        Binding("p,up", "step(-1)", "Previous", show=False),
        Binding("enter", "open", "Open document", show=False),
        Binding("escape", "app.pop_screen", "Back"),
    ]

    def __init__(self, document_id: int | None = None) -> None:
        super().__init__()
        self.document_id = document_id
        self.queue: list[dict[str, Any]] = []
        self.index = 0
        self.initial_ids: set[int] = set()

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static("", id="review-progress-text", classes="status")
        yield ProgressBar(id="review-progress", show_eta=False, show_percentage=False)
        with VerticalScroll(id="review-body"):
            yield Static("", id="review-flag")
            yield Static("", id="review-context")
        yield KeyFooter()

    def on_mount(self) -> None:
        from coder.review import open_flags

        self.queue = open_flags(self.app.project, self.document_id)
        self.initial_ids = {f["id"] for f in self.queue}
        self.show()

    def reload(self) -> None:
        from coder.review import open_flags

        current = self.queue[self.index]["id"] if self.queue else None
        self.queue = open_flags(self.app.project, self.document_id)
        ids = [f["id"] for f in self.queue]
        if current in ids:
            self.index = ids.index(current)
        self.index = max(0, min(self.index, len(self.queue) - 1))
        self.show()

    def on_screen_resume(self) -> None:
        if self.initial_ids or self.queue:
            self.reload()

    @property
    def current(self) -> dict[str, Any] | None:
        return self.queue[self.index] if self.queue else None

    def show(self) -> None:
        total = len(self.initial_ids | {f["id"] for f in self.queue})
        still_open = len(self.queue)
        reviewed = total - still_open
        scope = "this document" if self.document_id is not None else "all documents"
        self.query_one("#review-progress-text", Static).update(
            f"{reviewed} of {total} reviewed · {still_open} open in {scope}"
        )
        bar = self.query_one(ProgressBar)
        bar.update(total=max(total, 1), progress=reviewed)
        flag = self.current
        if flag is None:
            self.query_one("#review-flag", Static).update(
                Text("No open identifiers. Nothing here blocks an export.", style="bold green")
            )
            self.query_one("#review-context", Static).update("")
            return
        doc = self.app.project.document(flag["document_id"])
        text = doc["text"]
        start, end = flag["start"], flag["end"]
        head = Text()
        head.append(f"{self.index + 1}/{still_open}  ", style="bold")
        head.append(f"{flag['type']}", style="bold red")
        head.append(f"  “{text[start:end]}”", style="bold")
        head.append(f"   in {doc['title']} ({doc.get('participant') or '—'})", style="dim")
        if flag.get("reason"):
            head.append(f"\n{flag['reason']}", style="italic dim")
        if flag.get("origin"):
            head.append(f"   [{flag['origin']}, score {flag.get('score', 1):.2f}]", style="dim")
        self.query_one("#review-flag", Static).update(head)
        a, b = max(0, start - CONTEXT), min(len(text), end + CONTEXT)
        context = Text("…" if a else "")
        context.append(text[a:start])
        context.append(text[start:end], style="bold bright_white on red3")
        context.append(text[end:b])
        context.append("…" if b < len(text) else "")
        self.query_one("#review-context", Static).update(context)

    # -- decisions -------------------------------------------------------------------------------

    def _run(self, call, *args, **kwargs) -> None:
        try:
            call(self.app.project, *args, **kwargs)
        except CoderError as exc:
            self.notify(str(exc), severity="error")
        self.reload()

    def action_redact(self) -> None:
        flag = self.current
        if flag is None:
            return

        def answer(yes: bool | None) -> None:
            if yes:
                from coder.review import redact

                # Offsets in this document shift: older undo steps there no longer apply.
                stack = self.app.undo_stack
                stack.entries = [e for e in stack.entries if e.document_id != flag["document_id"]]
                self._run(redact, [flag["id"]])

        self.app.push_screen(
            ConfirmDialog("Redact it? The text is deleted from the project for good.", yes="Redact"), answer
        )

    def action_dismiss_flag(self) -> None:
        from coder.review import dismiss

        if self.current:
            self._run(dismiss, [self.current["id"]])

    def action_dismiss_everywhere(self) -> None:
        from coder.review import dismiss

        if self.current:
            self._run(dismiss, [self.current["id"]], everywhere=True)

    def action_adjust(self, side: str, direction: int) -> None:
        from coder.review import adjust_flag

        flag = self.current
        if flag is None:
            return
        text = self.app.project.document(flag["document_id"])["text"]
        start, end = flag["start"], flag["end"]
        words = [(m.start(), m.end()) for m in _WORD.finditer(text)]
        if side == "end":
            ends = [e for _, e in words]
            if direction > 0:
                end = next((e for e in ends if e > end), end)
            else:
                end = next((e for e in reversed(ends) if start < e < end), end)
        else:
            starts = [s for s, _ in words]
            if direction < 0:
                start = next((s for s in reversed(starts) if s < start), start)
            else:
                start = next((s for s in starts if start < s < end), start)
        if (start, end) != (flag["start"], flag["end"]):
            self._run(adjust_flag, flag["id"], start, end)

    def action_step(self, delta: int) -> None:
        if self.queue:
            self.index = (self.index + delta) % len(self.queue)
            self.show()

    def action_open(self) -> None:
        flag = self.current
        if flag:
            self.app.open_document(flag["document_id"], flag["start"], flag["end"])
