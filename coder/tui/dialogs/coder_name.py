"""Ask for the coder's name once (stamped on every coding): for this machine or this project."""

from __future__ import annotations

from dataclasses import dataclass

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Checkbox, Input, Label


@dataclass
class CoderName:
    name: str
    project_only: bool


class CoderNameDialog(ModalScreen[CoderName | None]):
    BINDINGS = [Binding("escape", "cancel", "Cancel")]

    def __init__(self, current: str = "", *, first_time: bool = False) -> None:
        super().__init__()
        self.current = current
        self.first_time = first_time

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Label(
                "Your coder name is stamped on every coding you make."
                + (" Set it once for this machine." if self.first_time else ""),
                classes="dialog-title",
            )
            yield Input(self.current, placeholder="coder name, e.g. ana", id="coder-name")
            yield Checkbox("Only for this project", id="project-only")
            yield Label("enter save · esc cancel", classes="dialog-hint")

    def on_mount(self) -> None:
        self.query_one(Input).focus()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        name = event.value.strip()
        if name:
            self.dismiss(CoderName(name, self.query_one(Checkbox).value))

    def action_cancel(self) -> None:
        self.dismiss(None)
