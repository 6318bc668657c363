"""The coding app: opens one project, holds the undo stack and routes between screens.

Every write goes through a core function (coder.coding, coder.memos, coder.review,
coder.codebook) on the main thread, each committed at once; screens and widgets only display.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from textual.app import App
from textual.binding import Binding

from coder import coding as coding_ops
from coder import memos as memo_ops
from coder import settings
from coder.errors import CoderError
from coder.store import Project, open_project
from coder.tui.commands import ActionCommands
from coder.tui.dialogs import CoderName, CoderNameDialog
from coder.tui.undo import UndoEntry, UndoStack


class CoderApp(App):
    CSS_PATH = "coder.tcss"
    TITLE = "coder"
    COMMANDS = App.COMMANDS | {ActionCommands}
    BINDINGS = [
        Binding("f1,question_mark", "help", "Help", key_display="?"),
        Binding("f2", "documents", "Documents", show=False),
        Binding("f3", "codebook", "Codebook", show=False),
        Binding("f4", "search", "Search", show=False),
        Binding("f5", "review", "Identifiers", show=False),
        Binding("f6", "coder_name", "Coder name", show=False),
        Binding("ctrl+q", "quit", "Quit", show=False),
    ]

    def __init__(self, project_path: Path, *, ask_coder_name: bool | None = None) -> None:
        super().__init__()
        self.project_path = Path(project_path)
        self.project: Project = open_project(self.project_path)
        self.lang = self.project.language or "en"
        self.undo_stack = UndoStack()
        self._ask_coder_name = ask_coder_name
        self._reader: Any = None

    # -- lifecycle -----------------------------------------------------------------------------

    def on_mount(self) -> None:
        from coder.tui.screens.documents import DocumentsScreen

        self.sub_title = self._subtitle()
        self.push_screen(DocumentsScreen())
        ask = self._ask_coder_name
        if ask is None:  # ask once per machine, unless a name is already known
            ask = not (
                os.environ.get("CODER_NAME") or settings.load().get("coder") or self.project.meta("coder")
            )
        if ask:
            self.push_screen(CoderNameDialog(self.project.coder, first_time=True), self._set_coder_name)

    def on_unmount(self) -> None:
        self.project.close()

    def _subtitle(self) -> str:
        parts = [self.project.meta("name") or self.project_path.stem, self.project.country or "", self.project.coder]
        return " · ".join(p for p in parts if p)

    # -- coder name ----------------------------------------------------------------------------

    def action_coder_name(self) -> None:
        self.push_screen(CoderNameDialog(self.project.coder), self._set_coder_name)

    def _set_coder_name(self, result: CoderName | None) -> None:
        if result is None:
            return
        if result.project_only:
            self.project.set_meta("coder", result.name)
        else:
            settings.set_machine_coder_name(result.name)
        self.sub_title = self._subtitle()
        self.notify(f"coding as {self.project.coder}")

    # -- navigation ----------------------------------------------------------------------------

    def _base_then(self, screen: Any) -> None:
        # Keep the stack shallow: the documents screen, then at most the screen asked for.
        while len(self.screen_stack) > 2:
            self.pop_screen()
        if screen is not None:
            self.push_screen(screen)

    def action_documents(self) -> None:
        self._base_then(None)

    def action_codebook(self) -> None:
        from coder.tui.screens.codebook import CodebookScreen

        self._base_then(CodebookScreen())

    def action_search(self) -> None:
        from coder.tui.screens.search import SearchScreen

        self._base_then(SearchScreen())

    def action_review(self, document_id: int | None = None) -> None:
        from coder.tui.screens.review import ReviewScreen

        self._base_then(ReviewScreen(document_id))

    def action_help(self) -> None:
        from coder.tui.screens.help import HelpScreen

        if not isinstance(self.screen, HelpScreen):
            self.push_screen(HelpScreen())

    def open_document(self, document_id: int, start: int | None = None, end: int | None = None) -> Any:
        """Show a document in the reader (optionally selecting start–end); awaitable when pushed."""
        from coder.tui.screens.reader import ReaderScreen

        reader = self._reader
        if reader is None:
            # One reader, installed once and reused for every document: mounting a screen
            # (styles for every widget) costs more than swapping the text it shows.
            reader = self._reader = ReaderScreen(document_id, start=start, end=end)
            self.install_screen(reader, name="reader")
        else:
            reader.show(document_id, start, end)
        if reader in self.screen_stack:
            while self.screen is not reader:
                self.pop_screen()
            return None
        return self.push_screen(reader)

    # -- coding operations (each one core call, committed, and undoable) -----------------------

    def apply_code(self, document_id: int, start: int, end: int, code_key: str) -> int:
        already = coding_ops.find_coding(self.project, document_id, start, end, code_key)
        coding_id = coding_ops.add_coding(self.project, document_id, start, end, code_key)
        if already is None:  # a new coding, not the same one again
            self.undo_stack.push(
                UndoEntry(
                    f"code {code_key}",
                    lambda: coding_ops.remove_coding(self.project, coding_id),
                    document_id,
                )
            )
        return coding_id

    def remove_coding(self, coding_id: int) -> dict[str, Any]:
        removed = coding_ops.remove_coding(self.project, coding_id)
        self.undo_stack.push(
            UndoEntry(
                f"remove {removed['code']}",
                lambda: coding_ops.restore_coding(self.project, removed),
                removed["document_id"],
            )
        )
        return removed

    def recode(self, coding_id: int, code_key: str) -> None:
        old = coding_ops.coding(self.project, coding_id)
        coding_ops.recode(self.project, coding_id, code_key)
        self.undo_stack.push(
            UndoEntry(
                f"change {old['code']} to {code_key}",
                lambda: coding_ops.recode(self.project, coding_id, old["code"]),
                old["document_id"],
            )
        )

    def set_coding_memo(self, coding_id: int, memo: str) -> None:
        old = coding_ops.coding(self.project, coding_id)
        coding_ops.set_memo(self.project, coding_id, memo or None)
        self.undo_stack.push(
            UndoEntry(
                "memo",
                lambda: coding_ops.set_memo(self.project, coding_id, old["memo"]),
                old["document_id"],
            )
        )

    def document_memo(self, document_id: int) -> dict[str, Any] | None:
        """This coder's memo on the document (one per coder and document), if any."""
        mine = [
            m
            for m in memo_ops.memos(self.project, document_id=document_id)
            if m["author"] == self.project.coder and m["code"] is None
        ]
        return mine[0] if mine else None

    def _put_document_memo(self, document_id: int, text: str | None) -> None:
        memo = self.document_memo(document_id)
        if memo and text:
            memo_ops.update_memo(self.project, memo["id"], text)
        elif memo:
            memo_ops.delete_memo(self.project, memo["id"])
        elif text:
            memo_ops.add_memo(self.project, text, document_id=document_id)

    def set_document_memo(self, document_id: int, text: str) -> None:
        """Write (or, with no text, delete) this coder's memo on the document; undoable."""
        memo = self.document_memo(document_id)
        old = memo["text"] if memo else None
        text = text.strip()
        if (old or "") == text:
            return
        self._put_document_memo(document_id, text or None)
        # Undo puts the old text back by document and coder, not by memo id: a deleted memo
        # comes back with a new id, and older entries must still find it.
        self.undo_stack.push(
            UndoEntry("document memo", lambda: self._put_document_memo(document_id, old), document_id)
        )

    def create_code(self, label: str) -> str:
        """A new top-level code from a label typed in the picker; returns its key."""
        from coder.codebook import LANGUAGES, add_code, free_key

        key = free_key(self.project, label)
        add_code(self.project, key, label, lang=self.lang if self.lang in LANGUAGES else "en")
        return key

    def action_undo(self) -> None:
        entry = self.undo_stack.pop()
        if entry is None:
            self.notify("nothing to undo")
            return
        try:
            entry.undo()
        except CoderError as exc:
            self.notify(f"cannot undo {entry.description}: {exc}", severity="error")
            return
        self.notify(f"undone: {entry.description}")
        refresh = getattr(self.screen, "reload", None)
        if refresh:
            refresh()

