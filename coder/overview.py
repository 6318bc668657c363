"""Summaries of a project for `coder info`, `coder docs` and `coder show`."""

from __future__ import annotations

from typing import Any

from rich.console import Console
from rich.table import Table
from rich.text import Text

from coder.store import Project


def summarise(project: Project) -> dict[str, Any]:
    q = project.db.execute

    def grouped(column: str, table: str = "documents") -> dict[str, int]:
        return {
            (k if k is not None else "—"): n
            for k, n in q(f"SELECT {column}, count(*) FROM {table} GROUP BY {column} ORDER BY {column}").fetchall()
        }

    return {
        "name": project.meta("name"),
        "path": str(project.path),
        "country": project.country,
        "language": project.language,
        "coder": project.coder,
        "schema_version": project.schema_version(),
        "codebook": project.meta("codebook_name"),
        "codebook_version": project.meta("codebook_version"),
        "documents": q("SELECT count(*) FROM documents").fetchone()[0],
        "codes": q("SELECT count(*) FROM codes").fetchone()[0],
        "codings": q("SELECT count(*) FROM codings").fetchone()[0],
        "by_country": grouped("country"),
        "by_kind": grouped("kind"),
        "by_coder": grouped("coder", "codings"),
        "flags": grouped("status", "flags"),
        "open_flags": q("SELECT count(*) FROM flags WHERE status = 'open'").fetchone()[0],
    }


def print_summary(summary: dict[str, Any], console: Console) -> None:
    console.print(
        f"[bold]{summary['name']}[/] ({summary['path']}) · country {summary['country'] or '—'} · "
        f"language {summary['language'] or '—'} · coder {summary['coder']} · schema v{summary['schema_version']}"
    )
    codebook = summary["codebook"]
    console.print(
        f"codebook: {codebook + ' v' + (summary['codebook_version'] or '?') if codebook else '—'} "
        f"({summary['codes']} codes)"
    )
    console.print(f"{summary['documents']} documents, {summary['codings']} codings")
    for title, key in (("country", "by_country"), ("kind", "by_kind"), ("coder", "by_coder")):
        if summary[key]:
            table = Table(title, "count", title_justify="left")
            for k, n in summary[key].items():
                table.add_row(str(k), str(n))
            console.print(table)
    open_flags = summary["open_flags"]
    style = "red" if open_flags else "green"
    console.print(f"[{style}]{open_flags} open identifier flags[/]" + (
        " — nothing with an open flag can be exported; review with `coder flags`" if open_flags else ""
    ))


def document_rows(project: Project, **filters: Any) -> list[dict[str, Any]]:
    docs = project.documents(**filters)
    coded = dict(project.db.execute("SELECT document_id, count(*) FROM codings GROUP BY document_id").fetchall())
    flagged = dict(
        project.db.execute(
            "SELECT document_id, count(*) FROM flags WHERE status = 'open' GROUP BY document_id"
        ).fetchall()
    )
    for d in docs:
        d["codings"] = coded.get(d["id"], 0)
        d["open_flags"] = flagged.get(d["id"], 0)
    return docs


def marked_text(text: str, codings: list[dict[str, Any]], open_flags: list[tuple] = ()) -> Text:
    """The text with ⟨id … id⟩ around each coding (overlaps stay readable) and ‼ around open flags."""
    opens: dict[int, list[str]] = {}
    closes: dict[int, list[str]] = {}
    for c in codings:
        opens.setdefault(c["start"], []).append(f"⟨{c['id']} ")
        closes.setdefault(c["end"], []).append(f" {c['id']}⟩")
    for _id, start, end, _type in open_flags:
        opens.setdefault(start, []).append("‼")
        closes.setdefault(end, []).append("‼")
    out = Text()
    depth = 0
    last = 0
    for pos in sorted(set(opens) | set(closes) | {len(text)}):
        out.append(text[last:pos], style="underline" if depth > 0 else "")
        for marker in closes.get(pos, []):
            out.append(marker, style="bold red" if marker == "‼" else "bold cyan")
            depth -= 1
        for marker in opens.get(pos, []):
            out.append(marker, style="bold red" if marker == "‼" else "bold cyan")
            depth += 1
        last = pos
    return out
