"""`coder codebook ...`: show, add, rename, move, delete, export, import.

`codebook_app` is the sub-app; other modules may register further commands on it.
"""

from __future__ import annotations

from pathlib import Path
from typing import Optional

import typer
from rich.table import Table
from rich.tree import Tree

from coder import PROJECT_SUFFIX
from coder import codebook as codebooks
from coder.cli.app import app
from coder.cli.common import console, opened
from coder.errors import CoderError

codebook_app = typer.Typer(
    help="Show and edit a project's codebook; exchange it as YAML or REFI-QDA .qdc.",
    no_args_is_help=True,
)
app.add_typer(codebook_app, name="codebook")

ProjectArg = typer.Argument(..., help="The project file (.coder).")
KeyArg = typer.Argument(..., metavar="KEY", help="Code key, e.g. barriers.fear-shame-guilt.")


def _line(code: codebooks.Code, lang: str) -> str:
    line = f"{code.label(lang)}"
    if code.color:
        line = f"[{code.color}]■[/] " + line
    if not code.codable:
        line += " [italic](category)[/]"
    return line


def _title(book: codebooks.Codebook) -> str:
    return f"{book.name}" + (f" v{book.version}" if book.version else "") + f" · {len(book.codes)} codes"


def _tree(book: codebooks.Codebook, lang: str) -> Tree:
    root = Tree(f"[bold]{_title(book)}[/]")

    def add(node: Tree, code: codebooks.Code) -> None:
        branch = node.add(f"{_line(code, lang)} [dim]{code.key}[/]")
        for child in book.children(code.key):
            add(branch, child)

    for code in book.children(None):
        add(root, code)
    return root


def _table(book: codebooks.Codebook, lang: str, counts: dict[str, dict[str, int]]) -> Table:
    """The tree as an indented table, so counts stay in their columns however long the labels."""
    table = Table(title=_title(book), title_justify="left")
    table.add_column("code", ratio=1, min_width=24)
    for name in ("codings", "docs", "people"):
        table.add_column(name, justify="right", no_wrap=True)
    table.add_column("with sub-codes", justify="right", no_wrap=True)

    def add(code: codebooks.Code, depth: int) -> None:
        c = counts.get(code.key, {})
        children = book.children(code.key)
        rolled = (
            f"{c.get('all_codings', 0)} · {c.get('all_documents', 0)} · {c.get('all_participants', 0)}"
            if children else ""
        )
        table.add_row(
            "  " * depth + f"{_line(code, lang)} [dim]{code.key}[/]",
            str(c.get("codings", 0)), str(c.get("documents", 0)), str(c.get("participants", 0)), rolled,
        )
        for child in children:
            add(child, depth + 1)

    for code in book.children(None):
        add(code, 0)
    return table


@codebook_app.command("show")
def show(
    source: Path = typer.Argument(..., metavar="PROJECT|FILE", help="A project (.coder) or a codebook file (.yaml, .qdc)."),
    lang: Optional[str] = typer.Option(None, "--lang", "-l", help="Label language (default: the project's, else en)."),
) -> None:
    """Print the codebook as a tree; for a project, with counts per code."""
    if source.suffix == PROJECT_SUFFIX:
        with opened(source, readonly=True) as project:
            book = codebooks.project_codebook(project)
            counts = codebooks.code_counts(project)
            lang = lang or project.language or "en"
        if not book.codes:
            console.print("the project has no codes yet: `coder codebook import PROJECT FILE` or `coder codebook add`")
            return
    else:
        book = codebooks.load_codebook(source)
        counts = None
    if counts is None:
        console.print(_tree(book, lang or "en"))
    else:
        console.print(_table(book, lang or "en", counts))
        console.print("[dim]people: distinct participants; with sub-codes: codings · documents · people of the code and every code under it[/]")
    if book.sets:
        for name, keys in book.sets.items():
            console.print(f"set [bold]{name}[/]: {', '.join(keys) or '—'}")


@codebook_app.command("add")
def add(
    project_path: Path = ProjectArg,
    key: str = KeyArg,
    label: str = typer.Option(..., "--label", help="The code's label."),
    lang: str = typer.Option("en", "--lang", "-l", help="Language of the label."),
    parent: Optional[str] = typer.Option(None, "--parent", help="Key of the parent code."),
    description: Optional[str] = typer.Option(None, "--description", help="What the code means."),
    inclusion: Optional[str] = typer.Option(None, "--inclusion", help="When to apply it."),
    exclusion: Optional[str] = typer.Option(None, "--exclusion", help="When not to apply it."),
    example: Optional[str] = typer.Option(None, "--example", help="A typical passage (no identifiers)."),
    color: Optional[str] = typer.Option(None, "--color", help="Colour as #rrggbb."),
    category: bool = typer.Option(False, "--category", help="A category that only groups codes."),
) -> None:
    """Add a code to a project's codebook."""
    with opened(project_path) as project:
        codebooks.add_code(
            project, key, label, parent=parent, lang=lang, description=description, inclusion=inclusion,
            exclusion=exclusion, example=example, color=color, codable=not category,
        )
    console.print(f"added {key}" + (f" under {parent}" if parent else ""))


@codebook_app.command("rename")
def rename(
    project_path: Path = ProjectArg,
    key: str = KeyArg,
    label: str = typer.Option(..., "--label", help="The new label."),
    lang: str = typer.Option("en", "--lang", "-l", help="Language of the label."),
) -> None:
    """Change a code's label in one language (its key stays)."""
    with opened(project_path) as project:
        codebooks.rename_code(project, key, label, lang=lang)
    console.print(f"{key} [{lang}] is now {label!r}")


@codebook_app.command("move")
def move(
    project_path: Path = ProjectArg,
    key: str = KeyArg,
    parent: Optional[str] = typer.Option(None, "--parent", help="Key of the new parent code."),
    root: bool = typer.Option(False, "--root", help="Move the code to the top level."),
) -> None:
    """Move a code (with its sub-codes) under another code, or to the top level."""
    if (parent is None) == (not root):
        raise CoderError("give exactly one of --parent KEY or --root")
    with opened(project_path) as project:
        codebooks.move_code(project, key, None if root else parent)
    console.print(f"moved {key} " + ("to the top level" if root else f"under {parent}"))


@codebook_app.command("delete")
def delete(
    project_path: Path = ProjectArg,
    key: str = KeyArg,
    reassign: Optional[str] = typer.Option(None, "--reassign", metavar="KEY", help="Move its codings and memos to this code."),
) -> None:
    """Delete a code; its sub-codes move up a level. A code with codings needs --reassign KEY."""
    with opened(project_path) as project:
        result = codebooks.delete_code(project, key, reassign=reassign)
    console.print(f"deleted {key}")
    if reassign:
        console.print(f"{result['codings']} codings and {result['memos']} memos now on {reassign}")
    if result["children"]:
        console.print(f"moved up a level: {', '.join(result['children'])}")


@codebook_app.command("export")
def export(
    project_path: Path = ProjectArg,
    output: Path = typer.Option(..., "--output", "-o", help="FILE.yaml or FILE.qdc (REFI-QDA)."),
) -> None:
    """Write the project's codebook to YAML or REFI-QDA .qdc (examples pass the identifier gate)."""
    with opened(project_path) as project:
        book = codebooks.export_codebook(project, output)
    console.print(f"wrote {len(book.codes)} codes to {output}")


@codebook_app.command("import")
def import_(
    project_path: Path = ProjectArg,
    source: Path = typer.Argument(..., metavar="FILE", help="A codebook: .yaml, .yml or .qdc."),
) -> None:
    """Add and update codes from a codebook file (matched by GUID, else key); never removes codes."""
    with opened(project_path) as project:
        report = codebooks.import_codebook(project, source)
    console.print(
        f"{len(report.added)} added, {len(report.changed)} changed, {len(report.unchanged)} unchanged"
    )
    for key in report.added:
        console.print(f"  [green]+[/] {key}")
    for key, fields in report.changed.items():
        console.print(f"  [yellow]~[/] {key}: {', '.join(fields)}")
    if report.sets:
        console.print(f"code sets updated: {', '.join(report.sets)}")
