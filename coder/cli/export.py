"""Export commands: export, translate, attribution."""

from __future__ import annotations

from pathlib import Path
from typing import Optional

import typer
from rich.progress import Progress

from coder import coding as coding_ops
from coder.cli.app import app
from coder.cli.common import console, opened, split_list
from coder.export import FORMATS, Filters, attribution_template, export_project, set_attribution_template
from coder.export.analysis import ATTRIBUTION_KINDS

ProjectArg = typer.Argument(..., help="The project file (.coder).")


@app.command()
def export(
    project_path: Path = ProjectArg,
    fmt: str = typer.Option(..., "--format", "-f", help=f"One of: {', '.join(FORMATS)}."),
    output: Path = typer.Option(..., "--output", "-o", help="File to write (a folder for csv)."),
    codes: Optional[str] = typer.Option(None, "--codes", help="Only these codes (comma-separated keys; each includes its sub-codes)."),
    countries: Optional[str] = typer.Option(None, "--countries", help="Only these countries (comma-separated)."),
    kind: Optional[str] = typer.Option(None, "--kind", help="Only conversation or survey documents."),
    quotes: Optional[int] = typer.Option(None, "--quotes", help="At most N quotes per theme and country (default: all; 0: none)."),
    min_cell: Optional[int] = typer.Option(None, "--min-cell", help="Show counts below N as <N and hide their shares."),
    lang: Optional[str] = typer.Option(None, "--lang", help="Language of code labels (default: the project's)."),
    counts_only: bool = typer.Option(False, "--counts-only", help="Counts and tests only, no text (needs no identifier review)."),
) -> None:
    """Theme × country summaries with attributed quotes (md, csv, xlsx, json, html) or a REFI-QDA project (qdpx).

    Anything carrying text passes the identifier gate first: open flags block it.
    """
    filters = Filters(codes=split_list(codes) or None, countries=split_list(countries) or None, kind=kind, lang=lang)
    with opened(project_path) as project, Progress(console=console, transient=True) as progress:
        task = progress.add_task("exporting", total=None)
        result = export_project(
            project, fmt=fmt.lower().lstrip("."), output=output, filters=filters,
            quotes_per_country=quotes, min_cell=min_cell, counts_only=counts_only,
            start_progress=lambda total: progress.update(task, total=total),
            progress=lambda n: progress.advance(task, n),
        )
    if result.format == "qdpx":
        console.print(f"wrote {result.path} ({result.documents} documents with their codings)")
    elif result.counts_only:
        console.print(f"wrote {result.path} (counts only, no text)")
    else:
        console.print(f"wrote {result.path} ({result.quotes} quotes from {result.documents} documents)")


@app.command()
def translate(
    project_path: Path = ProjectArg,
    coding_id: int = typer.Argument(..., help="The coding id (see `coder show`)."),
    text: str = typer.Argument(..., help="The translation, exported beside the quote; '' removes it."),
) -> None:
    """Set the translation of a coded passage."""
    with opened(project_path) as project:
        coding_ops.set_translation(project, coding_id, text)
    console.print(f"coding {coding_id}: translation {'set' if text else 'removed'}")


@app.command()
def attribution(
    project_path: Path = ProjectArg,
    kind: str = typer.Option("conversation", "--kind", help=f"Document kind: {', '.join(ATTRIBUTION_KINDS)}."),
    template: Optional[str] = typer.Argument(
        None, help="e.g. '(Conversations’ Participant {participant_number}, {country})'; omit to show the current one."
    ),
) -> None:
    """Show or set how quotes of one document kind are attributed.

    Fields: {participant_number} {participant} {country} {title} {date} {language} {facilitator},
    and any document attribute by name.
    """
    with opened(project_path, readonly=template is None) as project:
        if template is not None:
            set_attribution_template(project, kind, template)
        current = attribution_template(project, kind)
    console.print(f"{kind}: {current}", markup=False)
