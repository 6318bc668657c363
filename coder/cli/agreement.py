"""`coder agreement`: inter-coder agreement per code and overall, with the disagreement list."""

from __future__ import annotations

import csv
from contextlib import nullcontext
import io
import json
import re
from enum import Enum
from pathlib import Path
from typing import Optional

import typer
from rich.markup import escape
from rich.table import Table
from rich.text import Text

from coder.agreement import AgreementReport, CodeAgreement, Disagreement, agreement as compute
from coder.cli.app import app
from coder.cli.common import console, opened, split_list
from coder.errors import CoderError


class Unit(str, Enum):
    char = "char"
    sentence = "sentence"
    paragraph = "paragraph"


class Format(str, Enum):
    table = "table"
    md = "md"
    csv = "csv"
    json = "json"


def _num(value: float | None, digits: int = 3) -> str:
    return "—" if value is None else f"{value:.{digits}f}"


def _pct(value: float | None) -> str:
    return "—" if value is None else f"{100 * value:.1f}%"


def _units(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else f"{value:g}"


FIGURES = ("units", "agree", "kappa", "κ NVivo", "alpha", "u-alpha", "u-α chars")


def _figures(row: CodeAgreement) -> list[str]:
    return [
        _units(row.units), _pct(row.percent), _num(row.kappa), _num(row.nvivo_kappa),
        _num(row.alpha), _num(row.u_alpha), str(row.u_alpha_chars),
    ]


def _flat(text: str | None) -> str:
    """Text on one line: every run of whitespace becomes one space."""
    return re.sub(r"\s+", " ", text or "")


def _quote(item: Disagreement) -> str:
    """`…context **passage** context…` (markdown), the passage's own edge spaces kept outside."""
    if item.withheld:
        return f"[text withheld: {item.withheld}]"
    passage = _flat(item.passage)
    core = passage.strip()
    if len(core) > 240:
        core = core[:120] + " … " + core[-110:]
    lead = " " if passage[:1] == " " else ""
    trail = " " if passage[-1:] == " " else ""
    return f"…{_flat(item.before)}{lead}**{core}**{trail}{_flat(item.after)}…"


def _print_table(report: AgreementReport) -> None:
    console.print(
        f"coders: {', '.join(report.coders)} · unit: {report.unit} · "
        f"{len(report.documents)} documents: {', '.join(str(d['id']) for d in report.documents)}"
    )
    for doc in report.documents:
        if doc["missing"]:
            console.print(f"  document {doc['id']} not coded by {', '.join(doc['missing'])} (missing data)")
    table = Table("code", "label", *FIGURES[:-1])
    table.columns[0].no_wrap = True
    table.columns[1].overflow = "ellipsis"
    table.columns[1].max_width = 24
    for row in report.codes:
        table.add_row(escape(row.code or ""), escape(row.label), *_figures(row)[:-1])
    table.add_row("[bold]overall[/]", "", *_figures(report.overall)[:-1], end_section=True)
    console.print(table)
    console.print(
        f"units: {report.unit}s of the documents above · u-alpha on {report.overall.u_alpha_chars} "
        "characters (documents every coder coded) · kappa for two coders only"
    )
    if not report.disagreements_total:
        console.print("no disagreements")
        return
    listing = Table("code", "doc", "span", "coded by", "not by", "passage")
    if report.disagreements:
        listing.columns[0].overflow = "fold"
    for item in report.disagreements:
        text = Text(_quote(item)) if item.withheld else _marked(item)
        listing.add_row(
            escape(item.code), f"{item.document_id} {escape(item.title)}", f"{item.start}-{item.end}",
            ", ".join(item.coded_by), ", ".join(item.not_coded_by), text,
        )
    if report.disagreements:
        console.print(listing)
    console.print(
        f"{len(report.disagreements)} of {report.disagreements_total} disagreements shown"
        + ("" if len(report.disagreements) == report.disagreements_total else " (use --max)")
    )


def _marked(item: Disagreement) -> Text:
    text = Text("…" + _flat(item.before))
    text.append(_flat(item.passage), style="bold reverse")
    text.append(_flat(item.after) + "…")
    return text


def _markdown(report: AgreementReport) -> str:
    lines = [
        "# Inter-coder agreement",
        "",
        f"Coders: {', '.join(report.coders)} · unit: {report.unit} · documents: "
        f"{', '.join(str(d['id']) for d in report.documents)}",
        "",
        "| code | label | " + " | ".join(FIGURES) + " |",
        "|" + "---|" * (len(FIGURES) + 2),
    ]
    for row in [*report.codes, report.overall]:
        label = (row.label if row.code else "").replace("|", "\\|")
        lines.append(f"| {row.code or '**overall**'} | {label} | " + " | ".join(_figures(row)) + " |")
    lines += ["", f"## Disagreements ({len(report.disagreements)} of {report.disagreements_total})", ""]
    current = None
    for item in report.disagreements:
        if item.code != current:
            current = item.code
            label = next((r.label for r in report.codes if r.code == item.code), "")
            lines += [f"### {item.code} — {label}", ""]
        lines.append(
            f"- document {item.document_id}, {item.start}–{item.end}: coded by "
            f"{', '.join(item.coded_by)}, not by {', '.join(item.not_coded_by)} — {_quote(item)}"
        )
    return "\n".join(lines) + "\n"


def _csv(report: AgreementReport) -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(
        ["code", "label", "units", "percent_agreement", "kappa", "nvivo_kappa", "alpha",
         "alpha_values", "u_alpha", "u_alpha_chars", *[f"coded_chars:{c}" for c in report.coders]]
    )
    for row in [*report.codes, report.overall]:
        writer.writerow(
            [row.code or "overall", row.label, _units(row.units), row.percent, row.kappa,
             row.nvivo_kappa, row.alpha, _units(row.alpha_values), row.u_alpha, row.u_alpha_chars,
             *[row.coded.get(c, 0) for c in report.coders]]
        )
    return out.getvalue()


def _json(report: AgreementReport) -> str:
    data = report.to_dict()
    # Shared files name documents by id only: titles are not reviewed for identifiers.
    for doc in data["documents"]:
        doc.pop("title", None)
    for item in data["disagreements"]:
        item.pop("title", None)
    return json.dumps(data, ensure_ascii=False, indent=2)


@app.command("agreement")
def agreement_command(
    project_path: Path = typer.Argument(..., help="The project file (.coder)."),
    coders: str = typer.Option(..., "--coders", help="Two or more coder names, comma-separated: A,B[,C…]."),
    codes: Optional[str] = typer.Option(None, "--codes", help="Only these code keys, comma-separated."),
    docs: Optional[str] = typer.Option(None, "--docs", help="These document ids (default: those every coder coded)."),
    unit: Unit = typer.Option(Unit.char, "--unit", help="Unit for agreement, kappa and alpha."),
    fmt: Format = typer.Option(Format.table, "--format", help="table (terminal), md (team meeting), csv or json."),
    max_items: int = typer.Option(50, "--max", min=0, help="At most this many disagreements listed."),
) -> None:
    """Inter-coder agreement per code and overall: percent, Cohen's kappa, Krippendorff's alphas."""
    doc_refs = split_list(docs)
    for ref in doc_refs:
        if not ref.isdigit():
            raise CoderError(f"--docs takes document ids, not {ref!r}")
    # Read-only: a report changes nothing; the gate then refuses without storing new flags.
    with opened(project_path, readonly=True) as project:
        with console.status("comparing codings…") if fmt is Format.table else nullcontext():
            report = compute(
                project, coders=split_list(coders), codes=split_list(codes) or None,
                documents=[int(r) for r in doc_refs] or None, unit=unit.value, max_disagreements=max_items,
            )
    if fmt is Format.table:
        _print_table(report)
    elif fmt is Format.md:
        typer.echo(_markdown(report), nl=False)
    elif fmt is Format.csv:
        typer.echo(_csv(report), nl=False)
    else:
        typer.echo(_json(report))
