"""Help: what each screen is for and every key, generated from the screens' own bindings."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import Header, Markdown

from coder.tui.widgets.key_footer import KeyFooter

INTRO = """\
# coder — help

Code research notes: open a document, move by sentence, select a passage, press **c**, type a few
letters of the code, **enter**. Every coding is saved at once, stamped with your coder name.
Open identifiers (names, places, schools, contacts…) are marked in **red**; nothing with an open
identifier can leave the project until it is reviewed (**i**). **ctrl+p** lists every action.
"""


def key_table(title: str, bindings: list[Binding]) -> str:
    rows = [f"## {title}", "", "| key | action |", "|---|---|"]
    for b in bindings:
        if b.description:
            key = b.key_display or b.key.replace(",", " / ")
            rows.append(f"| `{key}` | {b.description} |")
    return "\n".join(rows) + "\n"


def help_markdown() -> str:
    from coder.tui.app import CoderApp
    from coder.tui.dialogs import CodePicker
    from coder.tui.screens.codebook import CodebookScreen
    from coder.tui.screens.documents import DocumentsScreen
    from coder.tui.screens.reader import ReaderScreen
    from coder.tui.screens.review import ReviewScreen
    from coder.tui.screens.search import SearchScreen

    parts = [INTRO]
    for title, cls in (
        ("Everywhere", CoderApp),
        ("Documents", DocumentsScreen),
        ("Reader", ReaderScreen),
        ("Code picker", CodePicker),
        ("Identifier review", ReviewScreen),
        ("Codebook and passages", CodebookScreen),
        ("Search", SearchScreen),
    ):
        parts.append(key_table(title, cls.BINDINGS))
    parts.append(
        "In the reader, shift+arrows or a mouse drag also select; the margin shows one stripe per "
        "code on the line (`+` for more than three) and `!` where an open identifier is.\n"
    )
    return "\n".join(parts)


class HelpScreen(Screen):
    SCREEN_NAME = "Help"
    BINDINGS = [Binding("escape,q,question_mark,f1", "app.pop_screen", "Close help")]

    def compose(self) -> ComposeResult:
        yield Header()
        with VerticalScroll(id="help-body"):
            yield Markdown(help_markdown())
        yield KeyFooter()
