"""Project commands: new, info, docs, show, search, code, uncode, memo, whoami."""

from __future__ import annotations

from pathlib import Path
from typing import Optional

import typer
from rich.table import Table
from rich.text import Text

from coder import coding as coding_ops
from coder import overview
from coder.cli.app import app
from coder.cli.common import console, opened
from coder.search import HIT_END, HIT_START, search as search_documents
from coder.settings import machine_coder_name, set_machine_coder_name

ProjectArg = typer.Argument(..., help="The project file (.coder).", exists=False)


@app.command()
def new(
    path: Path = typer.Argument(..., help="The project file to create, e.g. projects/mexico.coder."),
    country: Optional[str] = typer.Option(None, "--country", "-c", help="The country team's country."),
    language: Optional[str] = typer.Option(None, "--language", "-l", help="Main language of the notes (es, en, sq, ro, bs, ru…)."),
    codebook: Optional[Path] = typer.Option(None, "--codebook", help="A codebook (.yaml or .qdc) to copy into the project."),
    coder_name: Optional[str] = typer.Option(None, "--coder", help="Coder name for this project (default: this machine's)."),
    from_qdpx: Optional[Path] = typer.Option(None, "--from", help="Build the project from a REFI-QDA project (.qdpx)."),
) -> None:
    """Create a new project file."""
    from coder.project import new_project

    project = new_project(
        path, country=country, language=language, codebook=codebook, coder=coder_name, from_qdpx=from_qdpx
    )
    try:
        summary = overview.summarise(project)
    finally:
        project.close()
    console.print(f"created {path} ({summary['documents']} documents, {summary['codes']} codes)")


@app.command()
def info(project_path: Path = ProjectArg) -> None:
    """Counts per country, kind and coder; the codebook; open identifier flags."""
    with opened(project_path, readonly=True) as project:
        summary = overview.summarise(project)
    overview.print_summary(summary, console)


@app.command()
def docs(
    project_path: Path = ProjectArg,
    country: Optional[str] = typer.Option(None, help="Only this country."),
    kind: Optional[str] = typer.Option(None, help="Only this kind: conversation, survey or memo."),
    participant: Optional[str] = typer.Option(None, help="Only this participant pseudonym."),
    language: Optional[str] = typer.Option(None, help="Only this language."),
    contains: Optional[str] = typer.Option(None, "--contains", help="Only documents whose title or text contains this."),
) -> None:
    """List documents, filterable by attribute and text."""
    with opened(project_path, readonly=True) as project:
        rows = overview.document_rows(
            project, country=country, kind=kind, participant=participant, language=language, text=contains
        )
    table = Table("id", "title", "kind", "country", "lang", "participant", "chars", "codings", "open flags")
    for r in rows:
        table.add_row(
            str(r["id"]), r["title"], r["kind"], r["country"] or "", r["language"] or "",
            r["participant"] or "", str(r["length"]), str(r["codings"]), str(r["open_flags"]),
        )
    console.print(table)
    console.print(f"{len(rows)} documents")


@app.command()
def show(
    project_path: Path = ProjectArg,
    doc: str = typer.Argument(..., help="Document id, title or source file name."),
) -> None:
    """Print a document with its codings marked ⟨id … id⟩ and a table of them."""
    with opened(project_path, readonly=True) as project:
        document = project.document(doc)
        items = coding_ops.codings(project, document_id=document["id"])
        open_flags = project.db.execute(
            'SELECT id, start, "end", type FROM flags WHERE document_id = ? AND status = ? ORDER BY start',
            [document["id"], "open"],
        ).fetchall()
        labels = {c["key"]: project.label(c) for c in project.codes()}
    console.print(
        f"[bold]{document['title']}[/] · id {document['id']} · {document['kind']} · "
        f"{document['country'] or '?'} · {document['participant'] or '-'}"
    )
    console.print(overview.marked_text(document["text"], items, open_flags))
    if items:
        table = Table("coding", "span", "code", "coder", "memo", "text")
        for c in items:
            passage = document["text"][c["start"]:c["end"]]
            table.add_row(
                str(c["id"]), f"{c['start']}-{c['end']}", f"{c['code']} ({labels.get(c['code'], '')})",
                c["coder"], c["memo"] or "", passage if len(passage) < 60 else passage[:57] + "…",
            )
        console.print(table)
    if open_flags:
        console.print(f"[red]{len(open_flags)} open identifier flags[/] (marked ‼…‼): review them with `coder flags`")


@app.command()
def search(
    project_path: Path = ProjectArg,
    query: str = typer.Argument(..., help='Words to find (all must match); "quoted phrase"; prefix*.'),
    limit: int = typer.Option(50, help="At most this many documents."),
) -> None:
    """Full-text search across documents, with snippets."""
    with opened(project_path, readonly=True) as project:
        hits = search_documents(project, query, limit=limit)
    for hit in hits:
        snippet = Text()
        parts = hit["snippet"].replace(HIT_END, HIT_START).split(HIT_START)
        for i, part in enumerate(parts):
            snippet.append(part.replace("\n", " "), style="bold reverse" if i % 2 else "")
        console.print(Text(f"[{hit['document_id']}] {hit['title']} @{hit['offset']}: ", style="cyan") + snippet)
    console.print(f"{len(hits)} documents match")


@app.command()
def code(
    project_path: Path = ProjectArg,
    doc: str = typer.Argument(..., help="Document id, title or source file name."),
    start: int = typer.Argument(..., help="Start offset (0-based code points)."),
    end: int = typer.Argument(..., help="End offset (exclusive)."),
    code_key: str = typer.Argument(..., metavar="CODE", help="Code key."),
    memo: Optional[str] = typer.Option(None, help="A memo on this coding."),
    translation: Optional[str] = typer.Option(None, help="A translation of the passage, exported beside it."),
    coder_name: Optional[str] = typer.Option(None, "--coder", help="Coder name (default: the project's or machine's)."),
) -> None:
    """Code a passage: DOC START END CODE."""
    with opened(project_path) as project:
        document = project.document(doc)
        coding_id = coding_ops.add_coding(
            project, document["id"], start, end, code_key, coder=coder_name, memo=memo, translation=translation
        )
        passage = document["text"][start:end]
    console.print(f"coding {coding_id}: {code_key} on {passage!r}")


@app.command()
def uncode(
    project_path: Path = ProjectArg,
    doc: Optional[str] = typer.Argument(None, help="Document id, title or source file name."),
    start: Optional[int] = typer.Argument(None),
    end: Optional[int] = typer.Argument(None),
    code_key: Optional[str] = typer.Argument(None, metavar="[CODE]"),
    coding_id: Optional[int] = typer.Option(None, "--id", help="Remove this coding id instead."),
    coder_name: Optional[str] = typer.Option(None, "--coder", help="Only this coder's coding."),
) -> None:
    """Remove a coding: DOC START END CODE, or --id N."""
    from coder.errors import CoderError

    with opened(project_path) as project:
        if coding_id is not None:
            coding_ops.remove_coding(project, coding_id)
            removed = 1
        else:
            if doc is None or start is None or end is None or code_key is None:
                raise CoderError("give DOC START END CODE, or --id N")
            document = project.document(doc)
            removed = coding_ops.remove_codings_at(
                project, document["id"], start, end, code_key, coder=coder_name
            )
    console.print(f"removed {removed} coding{'s' if removed != 1 else ''}")


@app.command()
def memo(
    project_path: Path = ProjectArg,
    coding_id: Optional[int] = typer.Option(None, "--coding", help="Set the memo of this coding."),
    doc: Optional[str] = typer.Option(None, "--doc", help="Add a memo to this document."),
    text: str = typer.Argument(..., help="The memo text (empty to clear a coding's memo)."),
) -> None:
    """Write a memo on a coding (--coding N) or a document (--doc DOC)."""
    from coder.errors import CoderError
    from coder.memos import add_memo

    with opened(project_path) as project:
        if coding_id is not None:
            coding_ops.set_memo(project, coding_id, text)
            console.print(f"memo set on coding {coding_id}")
        elif doc is not None:
            memo_id = add_memo(project, text, document_id=project.document(doc)["id"])
            console.print(f"memo {memo_id} added")
        else:
            raise CoderError("say where the memo goes: --coding N or --doc DOC")


@app.command("set-attribute")
def set_attribute(
    project_path: Path = ProjectArg,
    doc: str = typer.Argument(..., help="Document id, title or source file name."),
    name: str = typer.Argument(..., help="title, kind, country, language, participant, facilitator, date, or any attribute (e.g. consent_quote)."),
    value: Optional[str] = typer.Argument(None, help="The new value (omit with --clear)."),
    clear: bool = typer.Option(False, "--clear", help="Remove a free attribute, or empty a field."),
) -> None:
    """Set or clear one attribute of a document (e.g. retitle it, or record consent_quote: no)."""
    from coder.errors import CoderError

    if value is None and not clear:
        raise CoderError("give a VALUE, or --clear")
    with opened(project_path) as project:
        document = project.document(doc)
        project.set_document_attribute(document["id"], name, None if clear else value)
    console.print(f"document {document['id']}: {name} {'cleared' if clear else 'set'}")


@app.command()
def whoami(
    set_name: Optional[str] = typer.Option(None, "--set", help="Set this machine's coder name."),
    project_path: Optional[Path] = typer.Option(None, "--project", help="Set or show the name for this project only."),
) -> None:
    """Show or set the coder name stamped on codings (per machine, overridable per project)."""
    if project_path is not None:
        with opened(project_path) as project:
            if set_name:
                project.set_meta("coder", set_name)
            console.print(project.coder)
        return
    if set_name:
        set_machine_coder_name(set_name)
    console.print(machine_coder_name())
