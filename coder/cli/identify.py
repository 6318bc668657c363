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
    from coder.textnorm import decode

    if lang != "auto" and lang not in LANGS:
        raise CoderError(f"unknown language {lang!r}: use one of {', '.join(LANGS)} or auto")
    table_rows = []
    for path in files:
        if not path.is_file():
            raise CoderError(f"{path}: no such file")
        raw = path.read_bytes()
        text = decode(raw, str(path))
        shift = _plain_string_shift(raw, text)
        file_lang = detect_language(text) if lang == "auto" else lang
        for flag in detect(text, file_lang, model=model):
            record = {"file": str(path), "start": flag.start + shift, "end": flag.end + shift, "type": flag.type,
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


def _plain_string_shift(raw: bytes, text: str) -> int:
    """1 when the file is the normalised text behind a UTF-8 byte-order mark, else 0.

    Offsets index the text after import's normalisation; for a UTF-8 LF file that is the file read
    as a plain string, and there a leading byte-order mark is a character of its own (as in
    benchmark gold files), so the flags of such a file move one place to the right."""
    if not raw.startswith(b"\xef\xbb\xbf"):
        return 0
    try:
        return 1 if raw[3:].decode("utf-8") == text else 0
    except UnicodeDecodeError:
        return 0
