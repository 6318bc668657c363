"""Command-line interface: `coder COMMAND`. Each module below registers its commands on `app`."""

from coder.cli.app import app
from coder.cli import project as _project  # noqa: F401  new, info, docs, show, search, code…

__all__ = ["app", "main"]


def main() -> None:
    app()
