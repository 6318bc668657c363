"""Pick one of a few options (which coding, which identifier type)."""

from __future__ import annotations

from typing import Any

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Label, OptionList
from textual.widgets.option_list import Option


class ChoiceDialog(ModalScreen[Any]):
    """Options are (value, prompt) pairs; dismisses with the chosen value, or None."""

    BINDINGS = [Binding("escape", "cancel", "Cancel")]

    def __init__(self, title: str, options: list[tuple[Any, str]]) -> None:
        super().__init__()
        self.title_text = title
        self.options = options

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Label(self.title_text, classes="dialog-title")
            yield OptionList(
                *[Option(f"{i + 1}  {prompt}" if i < 9 else prompt, id=str(i)) for i, (_, prompt) in enumerate(self.options)],
                id="choices",
            )

    def on_mount(self) -> None:
        self.query_one(OptionList).highlighted = 0

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(self.options[int(event.option.id)][0])

    def on_key(self, event) -> None:
        if event.character and event.character.isdigit() and event.character != "0":
            i = int(event.character) - 1
            if i < len(self.options):
                event.stop()
                self.dismiss(self.options[i][0])

    def action_cancel(self) -> None:
        self.dismiss(None)
