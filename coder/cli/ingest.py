"""Commands that bring notes in: `coder import` and `coder demo`."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import List, Optional

import typer
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

from coder import overview
from coder.cli.app import app
from coder.cli.common import console, err_console, opened
from coder.ingest import MAX_FILE_BYTES, import_paths, scan_imported


def _progress_bar() -> Progress:
    return Progress(
        TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeRemainingColumn(),
        console=err_console, transient=True,
        # Only draw on a terminal: piped or captured output gets the summary lines alone.
        disable=not err_console.is_terminal,
    )


_IMPORT_HELP = f"""Import notes: files or folders of .txt .md .docx .odt, survey tables .csv .xlsx, .qdpx.

Attributes: manifest > front matter (or survey columns) > options > project defaults.
Binary, empty, damaged or undecodable files and files over {MAX_FILE_BYTES // 1024 // 1024} MB are
reported one line each and skipped; the other files are imported and the command exits 1.
"""


@app.command("import", help=_IMPORT_HELP)
def import_notes(
    project_path: Path = typer.Argument(..., metavar="PROJECT", help="The project file (.coder)."),
    paths: List[Path] = typer.Argument(
        ..., metavar="PATH", help="Files or folders: .txt .md .docx .odt .csv .xlsx .qdpx"
    ),
    country: Optional[str] = typer.Option(None, help="Country of these notes (default: the project's)."),
    language: Optional[str] = typer.Option(None, help="Language of these notes (default: the project's)."),
    participant: Optional[str] = typer.Option(None, help="Participant pseudonym, e.g. P03."),
    facilitator: Optional[str] = typer.Option(None, help="Facilitator who wrote the notes."),
    kind: Optional[str] = typer.Option(None, help="conversation (default), survey or memo."),
    date: Optional[str] = typer.Option(None, help="Date of the conversation, e.g. 2024-05-14."),
    manifest: Optional[Path] = typer.Option(
        None, help="CSV with a `file` column and one column per attribute; wins over everything else."
    ),
    text_column: Optional[List[str]] = typer.Option(
        None, "--text-column", help="Survey column holding the answers (repeat for several questions)."
    ),
    id_column: Optional[str] = typer.Option(
        None, "--id-column", help="Survey column identifying the respondent (becomes the participant)."
    ),
    scan: bool = typer.Option(True, "--scan/--no-scan", help="Look for identifiers in the imported notes."),
) -> None:
    defaults = {
        "country": country, "language": language, "participant": participant,
        "facilitator": facilitator, "kind": kind, "date": date,
    }
    with opened(project_path) as project, _progress_bar() as bar:
        task = bar.add_task("importing", total=None)

        def advance(done: int, total: int, name: str) -> None:
            bar.update(task, completed=done, total=total, description=Path(name).name[:30])

        report = import_paths(
            project, paths, defaults=defaults, manifest=manifest,
            text_column=text_column or None, id_column=id_column, progress=advance,
        )
        for name, reason in report.skipped:
            err_console.print(f"skipped {reason if reason.startswith(name) else name + ': ' + reason}",
                              markup=False, soft_wrap=True)
        for _name, message in report.failed:
            err_console.print(f"error: {message}", markup=False, soft_wrap=True)
        if report.unmatched_manifest:
            err_console.print(
                f"note: manifest rows that matched no imported file: {', '.join(report.unmatched_manifest)}",
                markup=False, soft_wrap=True,
            )
        console.print(report.summary(), markup=False, soft_wrap=True)
        if scan and report.document_ids:
            scanning = bar.add_task("identifiers", total=len(report.document_ids))
            flags = scan_imported(
                project, report.document_ids,
                progress=lambda done, total: bar.update(scanning, completed=done, total=total),
            )
            console.print(
                f"{flags} possible identifiers flagged for review"
                + (" — see `coder flags`" if flags else ""),
                markup=False, soft_wrap=True,
            )
        elif not scan and report.document_ids:
            console.print("not scanned for identifiers (--no-scan)", markup=False, soft_wrap=True)
    if not report.ok:
        raise typer.Exit(1)


@app.command()
def demo(
    path: Path = typer.Option(Path("projects/demo.coder"), "--path", help="Where to build the demo project."),
    force: bool = typer.Option(False, "--force", help="Replace the file even if it is not a demo project."),
) -> None:
    """Build a demo project from fictional sample notes and open it (or print its summary)."""
    from coder.demo import build_demo

    project = build_demo(path, force=force)
    try:
        summary = overview.summarise(project)
    finally:
        project.close()
    if sys.stdin.isatty() and sys.stdout.isatty():
        try:
            from coder.tui import run
        except ImportError:
            run = None
        if run is not None:
            run(path)
            return
    overview.print_summary(summary, console)
