"""Identifier review commands: scan, flags, redact, dismiss, mark, adjust, allowlist."""

from __future__ import annotations

import json
from pathlib import Path
from typing import List, Optional

import typer
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn
from rich.table import Table
from rich.text import Text

from coder import review
from coder.cli.app import app
from coder.cli.common import console, opened
from coder.errors import CoderError

ProjectArg = typer.Argument(..., help="The project file (.coder).")
CONTEXT = 30


def _plural(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


@app.command()
def scan(
    project_path: Path = ProjectArg,
    doc: Optional[List[str]] = typer.Option(None, "--doc", help="Only this document (repeatable)."),
    model: Optional[str] = typer.Option(None, "--model", help="Also use this installed spaCy pipeline."),
) -> None:
    """Flag possible identifiers in the project's documents (all by default)."""
    with opened(project_path) as project:
        ids = [project.document(d)["id"] for d in doc] if doc else None
        total = len(ids) if ids is not None else project.db.execute("SELECT count(*) FROM documents").fetchone()[0]
        with Progress(
            TextColumn("scanning"), BarColumn(), MofNCompleteColumn(), TimeRemainingColumn(),
            console=console, transient=True,
        ) as bar:
            task = bar.add_task("scan", total=total)
            found = review.scan_documents(
                project, ids, model=model, progress=lambda done, _total: bar.update(task, completed=done)
            )
        still_open = project.db.execute("SELECT count(*) FROM flags WHERE status = 'open'").fetchone()[0]
    console.print(
        f"scanned {_plural(total, 'document')}: {_plural(found, 'new flag')}, {still_open} open in all"
        + (f" — review them with `coder flags {project_path} --open`" if still_open else "")
    )


def _context(text: str, start: int, end: int) -> Text:
    """The flagged span highlighted, with CONTEXT characters either side, on one line."""
    line = Text("…" if start > CONTEXT else "")
    line.append(text[max(0, start - CONTEXT):start].replace("\n", " "))
    line.append(text[start:end].replace("\n", " "), style="bold reverse")
    line.append(text[end:end + CONTEXT].replace("\n", " "))
    line.append("…" if end + CONTEXT < len(text) else "")
    return line


@app.command()
def flags(
    project_path: Path = ProjectArg,
    only_open: bool = typer.Option(False, "--open", help="Only flags still to review."),
    doc: Optional[str] = typer.Option(None, "--doc", help="Only this document (id, title or file name)."),
    output: str = typer.Option("table", "--format", help="table or jsonl."),
) -> None:
    """List identifier flags in context (jsonl: one object per flag)."""
    if output not in ("table", "jsonl"):
        raise CoderError("--format is table or jsonl")
    with opened(project_path, readonly=True) as project:
        document_id = project.document(doc)["id"] if doc else None
        rows = review.flags(project, document_id=document_id, status="open" if only_open else None)
        texts = {}
        if output == "table":
            for document_id_ in {r["document_id"] for r in rows}:
                texts[document_id_] = project.document(document_id_)["text"]
    if output == "jsonl":
        for r in rows:
            record = {
                "id": r["id"], "document": r["document_id"], "start": r["start"], "end": r["end"],
                "type": r["type"], "status": r["status"], "origin": r["origin"], "score": r["score"],
                "reason": r["reason"],
                # Once redacted the identifier is gone: its span holds the placeholder.
                "text": None if r["status"] == "redacted" else r["text"],
            }
            if r["status"] == "redacted":
                record["placeholder"] = r["text"]
            typer.echo(json.dumps(record, ensure_ascii=False))
        return
    # Score and reason are in --format jsonl; the table leaves the room to the context.
    table = Table(expand=True)
    for name in ("flag", "doc:span", "type", "status"):
        table.add_column(name, no_wrap=True)
    table.add_column("context", ratio=1)
    for r in rows:
        table.add_row(
            str(r["id"]), f"{r['document_id']}:{r['start']}-{r['end']}", r["type"], r["status"],
            _context(texts[r["document_id"]], r["start"], r["end"]),
        )
    console.print(table)
    console.print(f"{_plural(len(rows), 'flag')}")


@app.command()
def redact(
    project_path: Path = ProjectArg,
    flag_ids: Optional[List[int]] = typer.Argument(None, metavar="[FLAG]...", help="Flag ids to redact."),
    all_open: bool = typer.Option(False, "--all-open", help="Redact every open flag (asks nothing)."),
) -> None:
    """Replace flagged text by numbered placeholders, irreversibly ([PERSON 1], [PLACE 2]…)."""
    with opened(project_path) as project:
        if all_open:
            if flag_ids:
                raise CoderError("give flag ids or --all-open, not both")
            flag_ids = [f["id"] for f in review.open_flags(project)]
            if not flag_ids:
                console.print("no open flags")
                return
        elif not flag_ids:
            raise CoderError("name the flags to redact, or use --all-open")
        result = review.redact(project, flag_ids)
    console.print(
        f"redacted {_plural(result['flags'], 'flag')}: {_plural(result['replacements'], 'passage')} "
        f"replaced in {_plural(result['documents'], 'document')}"
        + (
            f"; {_plural(result['flagged_elsewhere'], 'new flag')} where the same terms appear in other documents"
            if result["flagged_elsewhere"] else ""
        )
    )


@app.command()
def dismiss(
    project_path: Path = ProjectArg,
    flag_ids: List[int] = typer.Argument(..., metavar="FLAG...", help="Flag ids to dismiss."),
    everywhere: bool = typer.Option(
        False, "--everywhere", help="Also allowlist each term and dismiss its flags in every document."
    ),
) -> None:
    """Dismiss flags that are not identifiers."""
    with opened(project_path) as project:
        count = review.dismiss(project, flag_ids, everywhere=everywhere)
    console.print(f"dismissed {_plural(count, 'flag')}" + (" (terms allowlisted)" if everywhere else ""))


@app.command()
def mark(
    project_path: Path = ProjectArg,
    doc: str = typer.Argument(..., help="Document id, title or source file name."),
    start: int = typer.Argument(..., help="Start offset (0-based code points)."),
    end: int = typer.Argument(..., help="End offset (exclusive)."),
    type_: str = typer.Argument(..., metavar="TYPE", help="PERSON PLACE SCHOOL ORG CONTACT ID or DATE."),
) -> None:
    """Flag an identifier the detector missed."""
    with opened(project_path) as project:
        flag_id = review.mark(project, project.document(doc)["id"], start, end, type_)
    console.print(f"flag {flag_id}: {type_.upper()} at {start}-{end}")


@app.command()
def adjust(
    project_path: Path = ProjectArg,
    flag_id: int = typer.Argument(..., metavar="FLAG"),
    start: int = typer.Argument(..., help="New start offset."),
    end: int = typer.Argument(..., help="New end offset (exclusive)."),
) -> None:
    """Widen or narrow an open flag's span."""
    with opened(project_path) as project:
        review.adjust_flag(project, flag_id, start, end)
    console.print(f"flag {flag_id} now covers {start}-{end}")


@app.command("allowlist")
def allowlist_command(
    project_path: Path = ProjectArg,
    add: Optional[str] = typer.Option(None, "--add", help="Never flag this term (dismisses its open flags)."),
    remove: Optional[str] = typer.Option(None, "--remove", help="Flag this term again from the next scan."),
    type_: Optional[str] = typer.Option(None, "--type", help="The identifier type the term was taken for."),
) -> None:
    """Show or change the terms this project never flags."""
    with opened(project_path, readonly=not (add or remove)) as project:
        if add:
            count = review.allow_term(project, add, type_)
            console.print(f"allowlisted; {_plural(count, 'open flag')} dismissed")
        if remove:
            review.disallow_term(project, remove)
            console.print("removed from the allowlist")
        if add or remove:
            return
        rows = review.allowlist(project)
    table = Table("term", "type", "added by", "added at")
    for r in rows:
        table.add_row(r["term"], r["type"] or "", r["added_by"] or "", r["added_at"])
    console.print(table)
    console.print(_plural(len(rows), "term"))
