"""`coder codebook merge ...` (country codebooks → one, with mapping.csv) and `coder merge ...` (projects)."""

from __future__ import annotations

from pathlib import Path
from typing import Optional

import typer
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn
from rich.table import Table

from coder.cli.app import app
from coder.cli.codebook import codebook_app
from coder.cli.common import console
from coder.errors import CoderError
from coder.merge import DEFAULT_THRESHOLD, UNCERTAIN_ABOVE, UNCERTAIN_BELOW


def _table(*columns: str, title: str) -> Table:
    # Keys must stay whole on a narrow terminal: wrap cells rather than cut them with "…".
    table = Table(title=title)
    for column in columns:
        table.add_column(column, overflow="fold")
    return table


@codebook_app.command("merge")
def merge_codebooks_command(
    codebooks: list[Path] = typer.Argument(..., help="Codebooks (.yaml or .qdc) to merge; the first is the base."),
    output: Path = typer.Option(..., "--output", "-o", help="The merged codebook to write (.yaml or .qdc)."),
    mapping: Optional[Path] = typer.Option(
        None, "--mapping", help="Where to write mapping.csv (default: beside the output, NAME.mapping.csv)."
    ),
    threshold: float = typer.Option(DEFAULT_THRESHOLD, "--threshold", help="Fuzzy score (0-100) needed to merge two codes."),
    use_mapping: Optional[Path] = typer.Option(
        None, "--use-mapping", help="Apply a mapping.csv the lead edited (changed rows become manual)."
    ),
) -> None:
    """Merge country codebooks: same key, then fuzzy labels/descriptions; writes the crosswalk."""
    from coder.codebook import load_codebook, write_codebook
    from coder.merge import merge_codebooks, read_mapping, write_mapping

    books = [load_codebook(path) for path in codebooks]
    names = [book.name for book in books]
    if len(set(names)) != len(names):
        # Codebooks exported from projects that installed the same starter share its name:
        # tell them apart by file name instead.
        stems = [path.stem for path in codebooks]
        if len(set(stems)) != len(stems):
            raise CoderError("two codebooks share both their name and their file name; rename one file")
        for book, path in zip(books, codebooks):
            if names.count(book.name) > 1:
                console.print(f"[yellow]{path.name}: named {book.name!r} like another; called {path.stem!r}[/]")
                book.name = path.stem
    edited = read_mapping(use_mapping) if use_mapping else None
    result = merge_codebooks(books, threshold=threshold, name=output.stem, edited=edited)
    mapping = mapping or output.with_name(output.stem + ".mapping.csv")
    write_codebook(result.codebook, output)
    write_mapping(result.rows, mapping)

    if result.uncertain:
        table = _table(
            "codebook", "code", "label", "closest merged code", "its label", "score", "decision",
            title=f"Uncertain matches (score {threshold - UNCERTAIN_BELOW:g}–{threshold + UNCERTAIN_ABOVE:g}): "
            "check them in the mapping",
        )
        for u in result.uncertain:
            decision = "[green]merged[/]" if u.method == "fuzzy" else "[yellow]kept apart[/]"
            table.add_row(
                u.source_codebook, u.source_key, u.source_label, u.candidate_key, u.candidate_label,
                f"{u.score:.1f}", decision,
            )
        console.print(table)
    if result.conflicts:
        table = _table(
            "merged code", "lang", "kept", "from", "not kept", "from",
            title=f"{len(result.conflicts)} label conflicts: the first codebook's label is kept",
        )
        for c in result.conflicts:
            table.add_row(c.merged_key, c.lang, c.kept, c.kept_from, c.dropped, c.dropped_from)
        console.print(table)
    methods: dict[str, int] = {}
    for row in result.rows:
        methods[row.method] = methods.get(row.method, 0) + 1
    summary = ", ".join(f"{n} {m}" for m, n in sorted(methods.items()))
    console.print(
        f"wrote {output} ({len(result.codebook.codes)} codes) and {mapping} ({len(result.rows)} rows: {summary})"
    )


@app.command("merge")
def merge_projects_command(
    projects: list[Path] = typer.Argument(..., help="Country projects (.coder) to merge; opened read-only."),
    output: Path = typer.Option(..., "--output", "-o", help="The new merged project (.coder)."),
    codebook: Optional[Path] = typer.Option(None, "--codebook", help="The merged codebook (from `coder codebook merge`)."),
    mapping: Optional[Path] = typer.Option(None, "--mapping", help="Its mapping.csv, to remap each project's codings."),
) -> None:
    """Merge country projects into a new project (documents, codings, memos, flags, audit)."""
    from coder.merge import merge_projects

    with Progress(
        TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeRemainingColumn(),
        console=console, transient=True,
    ) as bar:
        task = bar.add_task("merging", total=None)

        def progress(done: int, total: int, what: str) -> None:
            bar.update(task, completed=done, total=total, description=what)

        result = merge_projects(projects, output, codebook=codebook, mapping=mapping, progress=progress)
    table = Table("source", "documents (new)", "codings (new)", "memos (new)", "flags (new)", "codebook")
    for source in result.sources:
        c = source.counts
        table.add_row(
            source.path.name,
            f"{c.get('documents', 0)} ({c.get('documents_new', 0)})",
            f"{c.get('codings', 0)} ({c.get('codings_new', 0)})",
            f"{c.get('memos', 0)} ({c.get('memos_new', 0)})",
            f"{c.get('flags', 0)} ({c.get('flags_new', 0)})",
            source.codebook,
        )
    console.print(table)
    t = result.totals
    console.print(
        f"wrote {result.output}: {t['documents']} documents, {t['codes']} codes, {t['codings']} codings, "
        f"{t['memos']} memos, {t['flags']} flags"
    )
