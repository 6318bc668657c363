"""The reader: one document, its codings and open identifiers; select, code, memo, undo.

Moves: j/k sentence, J/K paragraph, w/b word; `v` starts a selection that the moves then extend
(or drag with the mouse, or shift+arrows); `c` codes the selection (or the sentence under the
cursor); `x` removes a coding, `r` changes its code, `m` writes its memo; `u` undoes.
"""

from __future__ import annotations

import re
from typing import Any

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.screen import Screen
from textual.widgets import Header, Static, TextArea

from coder import memos as memo_ops
from coder import views
from coder.errors import CoderError
from coder.sentences import paragraph_spans, sentence_spans
from coder.store import FLAG_TYPES
from coder.tui.dialogs import ChoiceDialog, CodePicker, MemoDialog, PickedCode
from coder.tui.widgets.coded_text import CodedText
from coder.tui.widgets.key_footer import KeyFooter

_WORD = re.compile(r"\w+")
_SENTENCE = Binding.Group("Sentence")


def _forward(boundaries: list[int], offset: int) -> int | None:
    return next((b for b in boundaries if b > offset), None)


def _backward(boundaries: list[int], offset: int) -> int | None:
    return next((b for b in reversed(boundaries) if b < offset), None)


class ReaderScreen(Screen):
    SCREEN_NAME = "Reader"
    BINDINGS = [
        # One footer entry for both ("j k Sentence"): the footer must fit 80 columns.
        Binding("j", "move('sentence', 1)", "Next sentence", group=_SENTENCE),
        Binding("k", "move('sentence', -1)", "Previous sentence", group=_SENTENCE),
        Binding("J,shift+j", "move('paragraph', 1)", "Paragraph ↓", show=False),
        Binding("K,shift+k", "move('paragraph', -1)", "Paragraph ↑", show=False),
        Binding("w", "move('word', 1)", "Word →", show=False),
        Binding("b", "move('word', -1)", "Word ←", show=False),
        Binding("v", "toggle_selecting", "Select"),
        Binding("s", "select_sentence", "Select sentence", show=False),
        Binding("c", "code", "Code"),
        Binding("m", "memo", "Memo"),
        Binding("M,shift+m", "document_memo", "Document memo", show=False),
        Binding("x", "uncode", "Uncode"),
        Binding("r", "recode", "Change code", show=False),
        Binding("u", "app.undo", "Undo"),
        Binding("f", "mark_identifier", "Mark identifier"),
        Binding("i", "review", "Review"),
        Binding("C,shift+c", "compare", "Compare two coders", show=False),
        Binding("escape", "back", "Back"),
    ]

    def __init__(self, document_id: int, *, start: int | None = None, end: int | None = None) -> None:
        super().__init__()
        self.document_id = document_id
        self.pending: tuple[int, int | None, int | None] | None = (document_id, start, end)
        self.selecting = False
        self.anchor = 0
        self.sentences: list[tuple[int, int]] = []
        self.paragraphs: list[tuple[int, int]] = []
        self.codings: list[dict[str, Any]] = []
        self.flags: list[dict[str, Any]] = []
        self.sentences_ready = False  # spaCy's sentences, not yet the paragraph stand-ins
        self._ready = False

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static("", id="reader-title", classes="status")
        with Horizontal(id="reader-body"):
            yield CodedText("", id="text")
            with VerticalScroll(id="side"):
                yield Static("", id="codes-here")
                yield Static("", id="document-memos")
        yield KeyFooter()

    def on_resize(self, event) -> None:
        # Narrow terminals (80 columns): the side panel folds away, the text keeps its width.
        self.set_class(event.size.width < 100, "-narrow")

    def on_mount(self) -> None:
        self._load_pending()
        self._ready = True

    def show(self, document_id: int, start: int | None = None, end: int | None = None) -> None:
        """Show another document (the screen is reused: mounting it again would cost more)."""
        self.pending = (document_id, start, end)
        if self._ready and self.app.screen is self:
            self._load_pending()

    def _load_pending(self) -> None:
        if self.pending is None:
            return
        document_id, start, end = self.pending
        self.pending = None
        self.document_id = document_id
        self.document = self.app.project.document(document_id)
        self.selecting = False
        text = self.document["text"]
        widget = self.query_one(CodedText)
        widget.show_document(text)
        self.paragraphs = paragraph_spans(text)
        # Until spaCy has split the sentences (in a thread), paragraphs stand in for them.
        self.sentences = list(self.paragraphs)
        self.sentences_ready = False
        # After the first paint: the splitting thread would otherwise compete with it for the GIL.
        self.call_after_refresh(self._split_sentences, text, self.document.get("language") or self.app.lang)
        self.reload()
        if start is not None:
            widget.select_span(start, end if end is not None else start)
            self.call_after_refresh(widget.scroll_cursor_visible, center=True)
        else:
            widget.select_span(0, 0)
            widget.scroll_home(animate=False)
        widget.focus()

    @work(thread=True, exclusive=True, group="sentences")
    def _split_sentences(self, text: str, lang: str) -> None:
        spans = sentence_spans(text, lang)
        self.app.call_from_thread(self._set_sentences, text, spans)

    def _set_sentences(self, text: str, spans: list[tuple[int, int]]) -> None:
        # A split finishing after another document (or a redacted text) was loaded is stale.
        if text == self.document["text"]:
            self.sentences = spans or self.sentences
            self.sentences_ready = True

    # -- data ----------------------------------------------------------------------------------

    def reload(self) -> None:
        """Re-read codings, flags and memos of this document (after any change or an undo)."""
        project = self.app.project
        doc = project.document(self.document_id)
        widget = self.query_one(CodedText)
        if doc["text"] != widget.source_text:  # redaction changed the text
            self.document = doc
            keep = widget.cursor_offset
            widget.show_document(doc["text"])
            self.paragraphs = paragraph_spans(doc["text"])
            self.sentences = list(self.paragraphs)
            self.sentences_ready = False
            self._split_sentences(doc["text"], doc.get("language") or self.app.lang)
            widget.select_span(min(keep, len(doc["text"])), min(keep, len(doc["text"])))
        self.codings = views.reader_codings(project, self.document_id, self.app.lang)
        self.flags = views.open_flag_spans(project, self.document_id)
        widget.set_marks(self.codings, self.flags)
        self._show_title()
        self._show_side()

    def _show_title(self) -> None:
        d = self.document
        parts = [d["title"], d.get("country") or "", d.get("participant") or "", d.get("language") or ""]
        title = Text(" · ".join(p for p in parts if p))
        n = len(self.codings)
        title.append(f"   {n} coding{'s' if n != 1 else ''}")
        if self.flags:
            n = len(self.flags)
            title.append(f"   {n} open identifier{'s' if n != 1 else ''} (i to review)", style="bold red")
        self.query_one("#reader-title", Static).update(title)

    def _show_side(self) -> None:
        widget = self.query_one(CodedText)
        start, end = widget.selected_span()
        here = widget.codings_at(start, end) if end > start else widget.codings_at(widget.cursor_offset)
        out = Text()
        out.append("CODES HERE\n", style="bold")
        if not here:
            out.append("none\n", style="dim")
        for c in here:
            out.append("■ ", style=c["color"])
            out.append(f"{c['label']}", style="bold")
            out.append(f" ({c['coder']})\n", style="dim")
            if c.get("memo"):
                out.append(f"  memo: {c['memo']}\n", style="italic")
        flags = widget.flags_at(start, end) if end > start else widget.flags_at(widget.cursor_offset)
        for f in flags:
            out.append(f"\n‼ open identifier: {f['type']}\n", style="bold red")
        if self.selecting or end > start:
            chosen = " ".join(self.document["text"][start:end].split())
            shown = chosen if len(chosen) <= 60 else chosen[:30] + " … " + chosen[-25:]
            out.append(f"\nSELECTION{' (moves extend it)' if self.selecting else ''}\n", style="bold")
            out.append(f"“{shown}” ({end - start} characters)\n" if end > start else "empty\n", style="dim")
        self.query_one("#codes-here", Static).update(out)
        notes = memo_ops.memos(self.app.project, document_id=self.document_id)
        memo_text = Text()
        memo_text.append("\nDOCUMENT MEMOS\n", style="bold")
        if not notes:
            memo_text.append("none (M to write one)\n", style="dim")
        for n in notes:
            memo_text.append(f"{n['text']}\n")
            memo_text.append(f"  — {n['author']}\n", style="dim")
        self.query_one("#document-memos", Static).update(memo_text)

    def on_text_area_selection_changed(self, event: TextArea.SelectionChanged) -> None:
        self._show_side()

    # -- moving and selecting --------------------------------------------------------------------

    def _boundaries(self, unit: str, forward: bool) -> list[int]:
        text = self.document["text"]
        if unit == "word":
            spans = [(m.start(), m.end()) for m in _WORD.finditer(text)]
        elif unit == "paragraph":
            spans = self.paragraphs
        else:
            spans = self.sentences
        if self.selecting and forward:
            return sorted(e for _, e in spans)  # extend to the end of the unit
        return sorted(s for s, _ in spans)

    def action_move(self, unit: str, direction: int) -> None:
        widget = self.query_one(CodedText)
        cursor = widget.cursor_offset
        boundaries = self._boundaries(unit, direction > 0)
        target = _forward(boundaries, cursor) if direction > 0 else _backward(boundaries, cursor)
        if target is None:
            return
        if self.selecting:
            widget.select_span(self.anchor, target)
        else:
            widget.select_span(target, target)

    def action_toggle_selecting(self) -> None:
        widget = self.query_one(CodedText)
        if self.selecting:
            self.selecting = False
        else:
            self.selecting = True
            start, end = widget.selected_span()
            self.anchor = start if end > start else widget.cursor_offset
        self._show_side()

    def _sentence_at(self, offset: int) -> tuple[int, int] | None:
        for s, e in self.sentences:
            if s <= offset < e:
                return (s, e)
        following = [(s, e) for s, e in self.sentences if s >= offset]
        return following[0] if following else None

    def action_select_sentence(self) -> None:
        widget = self.query_one(CodedText)
        span = self._sentence_at(widget.cursor_offset)
        if span:
            self.selecting = True
            self.anchor = span[0]
            widget.select_span(*span)

    def action_back(self) -> None:
        widget = self.query_one(CodedText)
        start, end = widget.selected_span()
        if self.selecting or end > start:
            self.selecting = False
            widget.select_span(widget.cursor_offset, widget.cursor_offset)
            self._show_side()
        else:
            self.app.pop_screen()

    def _target_span(self) -> tuple[int, int] | None:
        """The selection, or else the sentence under the cursor."""
        widget = self.query_one(CodedText)
        start, end = widget.selected_span()
        if end > start:
            return (start, end)
        return self._sentence_at(widget.cursor_offset)

    # -- coding ----------------------------------------------------------------------------------

    def _picker(self, title: str, *, allow_new: bool = True) -> CodePicker:
        project = self.app.project
        return CodePicker(
            views.code_tree(project, self.app.lang),
            views.recent_codes(project, project.coder),
            title=title,
            allow_new=allow_new,
        )

    def action_code(self) -> None:
        span = self._target_span()
        if span is None:
            self.notify("nothing to code here", severity="warning")
            return
        start, end = span
        excerpt = self.document["text"][start:end]
        short = excerpt if len(excerpt) < 50 else excerpt[:47] + "…"
        self.app.push_screen(
            self._picker(f"Code “{short}”"), lambda picked: self._apply(picked, start, end)
        )

    def _apply(self, picked: PickedCode | None, start: int, end: int) -> None:
        if picked is None:
            return
        try:
            key = picked.key or self.app.create_code(picked.new_label or "")
            self.app.apply_code(self.document_id, start, end, key)
        except CoderError as exc:
            self.notify(str(exc), severity="error")
            return
        self.selecting = False
        widget = self.query_one(CodedText)
        # The cursor goes to the start of the new coding: the side panel shows it, `m` writes its
        # memo and `j` goes on to the next sentence.
        widget.select_span(start, start)
        self.reload()
        self.notify(f"coded {key}" + (" (new code)" if picked.new_label else ""))

    def _with_coding(self, verb: str, then) -> None:
        """Run `then(coding)` on the coding under the cursor, asking which one if several."""
        widget = self.query_one(CodedText)
        start, end = widget.selected_span()
        here = widget.codings_at(start, end) if end > start else widget.codings_at(widget.cursor_offset)
        if not here:
            self.notify("no coding under the cursor", severity="warning")
            return
        if len(here) == 1:
            then(here[0])
            return
        excerpt = self.document["text"]
        options = [
            (c, f"{c['label']} ({c['coder']}) “{excerpt[c['start']:c['end']][:40]}”") for c in here
        ]
        self.app.push_screen(ChoiceDialog(f"Which coding to {verb}?", options), lambda c: c and then(c))

    def action_uncode(self) -> None:
        def remove(c: dict[str, Any]) -> None:
            self.app.remove_coding(c["id"])
            self.reload()
            self.notify(f"removed {c['code']} (u to undo)")

        self._with_coding("remove", remove)

    def action_recode(self) -> None:
        def change(c: dict[str, Any]) -> None:
            def picked(p: PickedCode | None) -> None:
                if p is None:
                    return
                try:
                    key = p.key or self.app.create_code(p.new_label or "")
                    self.app.recode(c["id"], key)
                except CoderError as exc:
                    self.notify(str(exc), severity="error")
                    return
                self.reload()

            self.app.push_screen(self._picker(f"Change {c['label']} to…"), picked)

        self._with_coding("change", change)

    def action_memo(self) -> None:
        def edit(c: dict[str, Any]) -> None:
            def save(text: str | None) -> None:
                if text is None:
                    return
                self.app.set_coding_memo(c["id"], text)
                self.reload()

            self.app.push_screen(MemoDialog(f"Memo on {c['label']}", c.get("memo") or ""), save)

        self._with_coding("write a memo on", edit)

    def action_document_memo(self) -> None:
        memo = self.app.document_memo(self.document_id)

        def save(text: str | None) -> None:
            if text is None:
                return
            try:
                self.app.set_document_memo(self.document_id, text)
            except CoderError as exc:
                self.notify(str(exc), severity="error")
            self._show_side()

        self.app.push_screen(MemoDialog(f"Memo on {self.document['title']}", memo["text"] if memo else ""), save)

    # -- identifiers -----------------------------------------------------------------------------

    def action_mark_identifier(self) -> None:
        widget = self.query_one(CodedText)
        start, end = widget.selected_span()
        if end <= start:
            self.notify("select the identifier first (v, or drag with the mouse)", severity="warning")
            return

        def mark(flag_type: str | None) -> None:
            if not flag_type:
                return
            from coder.review import mark as mark_identifier

            try:
                mark_identifier(self.app.project, self.document_id, start, end, flag_type)
            except CoderError as exc:
                self.notify(str(exc), severity="error")
                return
            self.selecting = False
            widget.select_span(start, start)
            self.reload()
            self.notify(f"marked as {flag_type}: it must be reviewed before export")

        self.app.push_screen(
            ChoiceDialog("Mark the selection as an identifier of type…", [(t, t) for t in FLAG_TYPES]), mark
        )

    def action_review(self) -> None:
        from coder.tui.screens.review import ReviewScreen

        self.app.push_screen(ReviewScreen(self.document_id))

    def action_compare(self) -> None:
        """Two coders' codings of this document side by side (inter-coder agreement)."""
        coders = sorted({c["coder"] for c in self.codings})
        if len(coders) < 2:
            self.notify("only one coder has coded this document", severity="warning")
            return
        pairs = [(a, b) for i, a in enumerate(coders) for b in coders[i + 1 :]]

        def open_pair(pair: tuple[str, str] | None) -> None:
            if pair:
                from coder.tui.screens.compare import CompareScreen

                self.app.push_screen(CompareScreen(self.app.project, self.document_id, *pair))

        if len(pairs) == 1:
            open_pair(pairs[0])
        else:
            self.app.push_screen(ChoiceDialog("Compare which coders?", [(p, f"{p[0]} and {p[1]}") for p in pairs]), open_pair)

    def on_screen_resume(self) -> None:
        if self._ready:
            if self.pending is not None:
                self._load_pending()
            else:
                self.reload()
