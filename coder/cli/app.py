"""The typer application every command module registers on.

Commands are thin: parse options, open the project, call one core function, print. Errors a user
can cause (`CoderError`) become one line on stderr and exit status 1.
"""

from __future__ import annotations

import click
import typer
from typer.core import TyperGroup

from coder.errors import CoderError


class CleanErrors(TyperGroup):
    """Turn user errors raised anywhere below this group into one line and exit 1."""

    def invoke(self, ctx: click.Context):  # type: ignore[override]
        try:
            return super().invoke(ctx)
        except CoderError as exc:
            click.echo(f"error: {exc}", err=True)
            ctx.exit(1)
        except OSError as exc:
            # A file that cannot be read or written (permissions, full disk, a folder given
            # for a file): the user can fix it, so it gets one line, not a traceback.
            where = f"{exc.filename}: " if exc.filename else ""
            click.echo(f"error: {where}{exc.strerror or exc}", err=True)
            ctx.exit(1)
        except KeyboardInterrupt:
            click.echo("interrupted", err=True)
            ctx.exit(130)


app = typer.Typer(
    cls=CleanErrors,
    name="coder",
    help="Qualitative coding of research notes, with identifier review before anything leaves a project.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode="rich",
)
