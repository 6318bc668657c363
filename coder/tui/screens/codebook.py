"""The codebook tree with counts, and the retrieval view: every passage of the highlighted code
across documents; enter on a passage opens it in the reader."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import Screen
from textual.widgets import Header, Static, Tree

from coder import views
from coder.tui.widgets.key_footer import KeyFooter
from coder.tui.widgets.row_table import RowTable

EXCERPT = 300


def passage_cells(p: dict, code_key: str) -> tuple:
    document = p["title"] + (f" ({p['participant']})" if p.get("participant") else "")
    passage = Text(" ".join(p["excerpt"].split())[:EXCERPT])
    if p["code"] != code_key:  # from a code below it: its key's last part says which
        passage = Text.assemble((f"[{p['code'].rsplit('.', 1)[-1]}] ", "dim"), passage)
    if p.get("memo"):
        passage.append(f"  memo: {p['memo']}", style="italic")
    return (document, p["coder"], passage)


class CodebookScreen(Screen):
    SCREEN_NAME = "Codebook"
    BINDINGS = [
        Binding("tab", "switch_pane", "Tree ⇄ passages"),
        Binding("escape", "app.pop_screen", "Back"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.passages: list[dict] = []
        self.code_key: str | None = None

    def compose(self) -> ComposeResult:
        yield Header()
        with Horizontal(id="codebook-body"):
            yield Tree("Codebook", id="code-tree")
            with Vertical(id="retrieval"):
                yield Static("highlight a code to see its passages", id="retrieval-title", classes="status")
                yield RowTable([("document", 22), ("coder", 9), ("passage", 0)], id="passages")
                yield Static("", id="passage-preview")
        yield KeyFooter()

    def on_mount(self) -> None:
        self.reload()
        tree = self.query_one(Tree)
        tree.auto_expand = False  # enter goes to the code's passages; space folds a category
        tree.focus()
        # The first code is highlighted once the tree has laid out its lines.
        self.call_after_refresh(lambda: setattr(tree, "cursor_line", 1))

    def on_screen_resume(self) -> None:
        if self.code_key is not None:
            self.reload()

    def reload(self) -> None:
        tree = self.query_one(Tree)
        codes = views.code_tree(self.app.project, self.app.lang)
        tree.clear()
        tree.root.expand()
        nodes = {None: tree.root}
        for c in codes:
            label = Text()
            label.append("■ ", style=c["color"])
            # The count first: long labels are cut at the pane's edge, the count must not be.
            label.append(f"{c['total']:>3} ", style="dim" if not c["total"] else "bold")
            label.append(c["label"])
            parent = nodes.get(c["parent"], tree.root)
            has_children = any(o["parent"] == c["key"] for o in codes)
            if has_children:
                node = parent.add(label, data=c["key"], expand=True)
            else:
                node = parent.add_leaf(label, data=c["key"])
            nodes[c["key"]] = node
        if self.code_key:
            self.show_passages(self.code_key)

    def on_tree_node_highlighted(self, event: Tree.NodeHighlighted) -> None:
        if event.node.data:
            self.show_passages(event.node.data)

    def on_tree_node_selected(self, event: Tree.NodeSelected) -> None:
        if event.node.data:
            self.show_passages(event.node.data)
            if self.passages:
                self.query_one(RowTable).focus()

    def show_passages(self, code_key: str) -> None:
        self.code_key = code_key
        project = self.app.project
        code = project.code(code_key)
        # Like the counts in the tree, a code's passages include those of the codes below it.
        self.passages = views.passages(project, code_key, descendants=True)
        documents = len({p["document_id"] for p in self.passages})
        self.query_one("#retrieval-title", Static).update(
            f"{project.label(code, self.app.lang)} · {code_key} · {len(self.passages)} passages in {documents} documents"
        )
        passages = self.query_one(RowTable)
        passages.set_rows(self.passages, list(range(len(self.passages))), lambda p: passage_cells(p, code_key))
        passages.cursor_row = 0

    def on_row_table_highlighted(self, event: RowTable.Highlighted) -> None:
        """The whole passage under the cursor (rows show only its beginning)."""
        preview = Text()
        if event.key is not None and event.key < len(self.passages):
            p = self.passages[event.key]
            preview.append(f"{p['title']} · {p['code']} · {p['coder']}\n", style="dim")
            preview.append(" ".join(p["excerpt"].split())[:EXCERPT * 2])
            if p.get("memo"):
                preview.append(f"\nmemo: {p['memo']}", style="italic")
        self.query_one("#passage-preview", Static).update(preview)

    def on_row_table_chosen(self, event: RowTable.Chosen) -> None:
        p = self.passages[event.key]
        self.app.open_document(p["document_id"], p["start"], p["end"])

    def action_switch_pane(self) -> None:
        if self.query_one(Tree).has_focus:
            self.query_one(RowTable).focus()
        else:
            self.query_one(Tree).focus()
