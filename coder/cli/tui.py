"""`coder tui PROJECT`: open the coding terminal UI."""

from __future__ import annotations

from pathlib import Path

import typer

from coder.cli.app import app


@app.command()
def tui(project_path: Path = typer.Argument(..., help="The project file (.coder).")) -> None:
    """Open the coding terminal UI: read, select, code, review identifiers, search."""
    from coder.tui import run

    run(project_path)
