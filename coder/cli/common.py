"""Helpers shared by command modules."""

from __future__ import annotations

from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

from rich.console import Console

from coder.store import Project, open_project

console = Console(highlight=False)
err_console = Console(stderr=True, highlight=False)


@contextmanager
def opened(path: Path, *, readonly: bool = False) -> Iterator[Project]:
    project = open_project(path, readonly=readonly)
    try:
        yield project
    finally:
        project.close()


def split_list(value: str | None) -> list[str]:
    """`"a, b,c"` → `["a", "b", "c"]`; empty or None → `[]`."""
    return [v.strip() for v in (value or "").split(",") if v.strip()]
