"""Command-line interface: `coder COMMAND`. Each module below registers its commands on `app`."""

from coder.cli.app import app
from coder.cli import project as _project  # noqa: F401  new, info, docs, show, search, code…
from coder.cli import identify as _identify  # noqa: F401  identify
from coder.cli import review as _review  # noqa: F401  scan, flags, redact, dismiss, mark, adjust, allowlist
from coder.cli import codebook as _codebook  # noqa: F401  codebook show|add|rename|move|delete|export|import
from coder.cli import ingest as _ingest  # noqa: F401  import, demo
from coder.cli import agreement as _agreement  # noqa: F401  agreement
from coder.cli import export as _export  # noqa: F401  export, translate, attribution
from coder.cli import merge as _merge  # noqa: F401  merge, codebook merge
from coder.cli import tui as _tui  # noqa: F401  tui

__all__ = ["app", "main"]


def main() -> None:
    app()
