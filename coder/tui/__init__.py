"""The coding terminal UI (Textual). `create_app` is the one app factory used by the CLI and tests."""

from __future__ import annotations

from pathlib import Path


def create_app(project_path: str | Path):
    """Build the Textual app for the project file at ``project_path`` (not yet running)."""
    from coder.tui.app import CoderApp

    return CoderApp(Path(project_path))


def run(project_path: str | Path) -> None:
    """Open the coding UI on a project and block until the user quits."""
    create_app(project_path).run()


__all__ = ["create_app", "run"]
