"""The code picker: fuzzy search over code labels (every language), keys and descriptions.

Digits 1–9 (typed first) pick the most recent codes; the last option creates a new code from what
was typed. Dismisses with a `PickedCode`, or None.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from rapidfuzz import fuzz
from rapidfuzz.utils import default_process
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Label, OptionList
from textual.widgets.option_list import Option

NEW = "__new__"


@dataclass
class PickedCode:
    key: str | None = None  # an existing code
    new_label: str | None = None  # or: create a code with this label


def rank_codes(query: str, codes: list[dict[str, Any]], limit: int = 40) -> list[dict[str, Any]]:
    """Codes best matching `query`: the best of its labels, key and description, best first."""
    q = default_process(query)
    if not q:
        return list(codes)
    scored = []
    for c in codes:
        labels = [c["label"], *(c.get("labels") or {}).values()]
        score = max(fuzz.WRatio(q, default_process(label)) for label in labels if label)
        score = max(score, fuzz.WRatio(q, default_process(c["key"].replace(".", " ").replace("-", " "))))
        if c.get("description"):
            score = max(score, 0.85 * fuzz.partial_ratio(q, default_process(c["description"])))
        if score >= 55:
            scored.append((score, c))
    scored.sort(key=lambda sc: -sc[0])
    return [c for _, c in scored[:limit]]


class CodePicker(ModalScreen[PickedCode | None]):
    BINDINGS = [
        Binding("escape", "cancel", "Cancel"),
        Binding("down", "move(1)", "Next", show=False),
        Binding("up", "move(-1)", "Previous", show=False),
        Binding("ctrl+n", "new_code", "New code from typed text"),
    ]

    def __init__(
        self,
        codes: list[dict[str, Any]],
        recent: list[str] = (),
        *,
        title: str = "Code the selection",
        allow_new: bool = True,
    ) -> None:
        super().__init__()
        self.codes = [c for c in codes if c["codable"]]
        self.by_key = {c["key"]: c for c in codes}
        self.recent = [k for k in recent if k in self.by_key][:9]
        self.title_text = title
        self.allow_new = allow_new

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog picker"):
            yield Label(self.title_text, classes="dialog-title")
            yield Input(placeholder="type a label, key or word of the description…", id="picker-query")
            yield OptionList(id="picker-options")
            yield Label(
                "enter apply · 1–9 recent codes · ctrl+n new code · esc cancel", classes="dialog-hint"
            )

    def on_mount(self) -> None:
        self._fill("")
        self.query_one(Input).focus()

    def _path(self, code: dict[str, Any]) -> str:
        parent = self.by_key.get(code.get("parent") or "")
        return f"{parent['label']} › {code['label']}" if parent else code["label"]

    def _prompt(self, code: dict[str, Any], number: int | None = None) -> Text:
        t = Text()
        t.append(f"{number} " if number else "  ", style="bold")
        t.append("■ ", style=code["color"])
        t.append(self._path(code))
        t.append(f"  {code['key']}", style="dim")
        return t

    def _fill(self, query: str) -> None:
        options: list[Option] = []
        seen: set[str] = set()
        if not query.strip():
            for i, key in enumerate(self.recent):
                options.append(Option(self._prompt(self.by_key[key], i + 1), id=f"code:{key}"))
                seen.add(key)
        for code in rank_codes(query, self.codes):
            if code["key"] not in seen:
                options.append(Option(self._prompt(code), id=f"code:{code['key']}"))
        if self.allow_new and query.strip():
            options.append(Option(Text(f"+ New code “{query.strip()}”", style="italic"), id=NEW))
        option_list = self.query_one(OptionList)
        option_list.clear_options()
        option_list.add_options(options)
        if options:
            option_list.highlighted = 0

    def on_input_changed(self, event: Input.Changed) -> None:
        value = event.value
        if len(value) == 1 and value in "123456789" and int(value) <= len(self.recent):
            self.dismiss(PickedCode(key=self.recent[int(value) - 1]))
            return
        self._fill(value)

    def on_input_submitted(self, event: Input.Submitted) -> None:
        option_list = self.query_one(OptionList)
        if option_list.highlighted is not None:
            self._choose(option_list.get_option_at_index(option_list.highlighted).id)

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        self._choose(event.option.id)

    def _choose(self, option_id: str | None) -> None:
        if option_id == NEW:
            self.action_new_code()
        elif option_id and option_id.startswith("code:"):
            self.dismiss(PickedCode(key=option_id[5:]))

    def action_move(self, delta: int) -> None:
        option_list = self.query_one(OptionList)
        if option_list.option_count:
            current = option_list.highlighted or 0
            option_list.highlighted = max(0, min(option_list.option_count - 1, current + delta))

    def action_new_code(self) -> None:
        label = self.query_one(Input).value.strip()
        if self.allow_new and label:
            self.dismiss(PickedCode(new_label=label))

    def action_cancel(self) -> None:
        self.dismiss(None)
