"""`coder identify FILE...`: flag identifiers in plain text files, outside any project (stateless)."""

from __future__ import annotations

import json
from enum import Enum
from pathlib import Path

import typer

from coder.cli.app import app
from coder.cli.common import console
from coder.errors import CoderError


class OutputFormat(str, Enum):
    jsonl = "jsonl"
    table = "table"


@app.command()
def identify(
    files: list[Path] = typer.Argument(..., help="Text files to check (read like import: UTF-8/legacy encodings, NFC, LF)."),
    lang: str = typer.Option("auto", "--lang", "-l", help="es en sq ro bs hr sr ru, or auto (per file)."),
    output: OutputFormat = typer.Option(OutputFormat.jsonl, "--format", "-f", help="jsonl: one JSON object per flag; table: for reading."),
    model: str | None = typer.Option(None, "--model", help="An installed spaCy pipeline to use beside the rules."),
) -> None:
    """Flag suspected identifiers (names, places, schools, organisations, contacts, IDs, dates)."""
    from coder.identify import LANGS, detect, detect_language
    from coder.textnorm import read_text_file

    if lang != "auto" and lang not in LANGS:
        raise CoderError(f"unknown language {lang!r}: use one of {', '.join(LANGS)} or auto")
    table_rows = []
    for path in files:
        if not path.is_file():
            raise CoderError(f"{path}: no such file")
        text = read_text_file(str(path))
        file_lang = detect_language(text) if lang == "auto" else lang
        for flag in detect(text, file_lang, model=model):
            record = {"file": str(path), "start": flag.start, "end": flag.end, "type": flag.type,
                      "text": flag.text, "score": flag.score, "reason": flag.reason}
            if output is OutputFormat.jsonl:
                typer.echo(json.dumps(record, ensure_ascii=False))
            else:
                table_rows.append((path.name, file_lang, flag))
    if output is OutputFormat.table:
        from rich.table import Table

        table = Table(show_lines=False)
        for column in ("file", "lang", "start", "end", "type", "text", "score", "reason"):
            table.add_column(column, overflow="fold")
        for name, file_lang, flag in table_rows:
            table.add_row(name, file_lang, str(flag.start), str(flag.end), flag.type, flag.text.replace("\n", " "),
                          f"{flag.score:.2f}", flag.reason)
        console.print(table)
