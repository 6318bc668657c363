"""Exports: theme × country summaries with attributed quotes, and REFI-QDA projects.

    export_project(project, fmt=..., output=..., filters=..., ...)   one call per `coder export`

Every export that carries project text (quotes, translations, full documents) first asks the
identifier gate (`coder.gate`) and takes each text through it; counts-only exports need no gate.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

from coder.errors import CoderError
from coder.export.analysis import (
    DEFAULT_ATTRIBUTION,
    Filters,
    Report,
    attribution_template,
    build_report,
    quoted_document_ids,
    set_attribution_template,
)
from coder.store import Project

FORMATS = ("md", "csv", "xlsx", "json", "html", "qdpx")
SUFFIXES = {"md": ".md", "xlsx": ".xlsx", "json": ".json", "html": ".html", "qdpx": ".qdpx"}


@dataclass
class ExportResult:
    path: Path
    format: str
    documents: int  # documents whose text left the project
    quotes: int
    counts_only: bool


def _write_private(path: Path, text: str) -> None:
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as fh:
        fh.write(text)


def _check_output(fmt: str, output: Path) -> None:
    if not output.parent.exists():
        raise CoderError(f"folder {output.parent} does not exist")
    if fmt == "csv":
        if output.exists() and not output.is_dir():
            raise CoderError(f"CSV export writes one file per table into a folder; {output} is a file")
    elif output.is_dir():
        raise CoderError(f"{output} is a folder; give a file name ending in {SUFFIXES[fmt]}")


def export_project(
    project: Project,
    *,
    fmt: str,
    output: Path,
    filters: Filters | None = None,
    quotes_per_country: int | None = None,
    min_cell: int | None = None,
    counts_only: bool = False,
    progress: Callable[[int], None] | None = None,
    start_progress: Callable[[int], None] | None = None,
) -> ExportResult:
    """Write one export. Raises GateRefused (naming what blocks) before writing anything when a
    document whose text would leave still holds unreviewed identifier flags."""
    if fmt not in FORMATS:
        raise CoderError(f"format must be one of {', '.join(FORMATS)}, not {fmt!r}")
    if quotes_per_country is not None and quotes_per_country < 0:
        raise CoderError("--quotes must be 0 or more")
    filters = filters or Filters()
    output = Path(output)
    _check_output(fmt, output)
    if fmt == "qdpx":
        return _export_qdpx(project, output, filters, counts_only, progress, start_progress)

    with_text = not counts_only and quotes_per_country != 0
    if with_text:
        from coder.gate import ensure_releasable, release_passage

        quoted = quoted_document_ids(project, filters)
        ensure_releasable(project, quoted)
        report = build_report(
            project, filters, min_cell=min_cell, quotes=True,
            quotes_per_country=quotes_per_country, release_passage=release_passage,
            check_translation=translation_check(project),
        )
    else:
        report = build_report(project, filters, min_cell=min_cell)
    _write_report(report, fmt, output)
    quotes = sum(len(q) for by_country in report.quotes.values() for q in by_country.values())
    documents = len({q.document_id for by_country in report.quotes.values()
                     for qs in by_country.values() for q in qs})
    with project.transaction():
        project.audit("export", output.name, {
            "format": fmt, "quotes": quotes, "documents": documents, "counts_only": report.counts_only,
            "min_cell": min_cell,
        })
    return ExportResult(output, fmt, documents, quotes, report.counts_only)


def translation_check(project: Project) -> Callable[[dict, int, str], None]:
    """A check for translations beside quotes: they are the coder's own words, outside any
    document, so the gate's review does not cover them. Refuse one that holds a possible
    identifier unless the same term was dismissed in its document or is allowlisted."""
    from coder.errors import GateRefused
    from coder.redaction import placeholder_spans, term_key
    from coder.review import _allowed_keys, _detector

    try:
        detect = _detector()
    except CoderError as exc:
        raise GateRefused(f"cannot check translations, so no text leaves the project ({exc})") from None
    allowed = _allowed_keys(project)

    def check(document: dict, coding_id: int, translation: str) -> None:
        from coder.identify import detect_language

        lang = detect_language(translation) or "en"
        findings = detect(translation, lang)
        if not findings:
            return
        text = project.document(document["id"])["text"]
        reviewed = allowed | {
            term_key(text[s:e]) for s, e in project.db.execute(
                "SELECT start, \"end\" FROM flags WHERE document_id = ? AND status = 'dismissed'",
                [document["id"]],
            ).fetchall()
        }
        placeholders = placeholder_spans(translation)
        unreviewed = [
            f for f in findings
            if term_key(translation[f.start:f.end]) not in reviewed
            and not any(s <= f.start and f.end <= e for s, e in placeholders)
        ]
        if unreviewed:
            n = len(unreviewed)
            raise GateRefused(
                f"the translation of coding {coding_id} (document {document['id']} “{document['title']}”) "
                f"holds {n} possible identifier{'s' if n != 1 else ''} nobody has reviewed; correct it with "
                f"`coder translate {project.path} {coding_id} TEXT`, or dismiss the term in the document"
            )

    return check


def _write_report(report: Report, fmt: str, output: Path) -> None:
    if fmt == "md":
        from coder.export.markdown import render

        _write_private(output, render(report))
    elif fmt == "json":
        from coder.export.jsonfmt import render

        _write_private(output, render(report))
    elif fmt == "html":
        from coder.export.html import render

        _write_private(output, render(report))
    elif fmt == "csv":
        from coder.export.tables import write_csv

        write_csv(report, output)
    elif fmt == "xlsx":
        from coder.export.tables import write_xlsx

        write_xlsx(report, output)


def _export_qdpx(
    project: Project,
    output: Path,
    filters: Filters,
    counts_only: bool,
    progress: Callable[[int], None] | None,
    start_progress: Callable[[int], None] | None,
) -> ExportResult:
    if counts_only:
        raise CoderError("a .qdpx carries every document's full text; it cannot be counts-only")
    if filters.codes:
        raise CoderError("--codes does not apply to .qdpx (it carries the whole codebook); "
                         "filter with --countries or --kind")
    from coder.export.analysis import select_documents
    from coder.export.qdpx import write_qdpx
    from coder.gate import ensure_releasable, release_document

    documents = list(select_documents(project, filters).values())
    ensure_releasable(project, [d["id"] for d in documents])
    if start_progress:
        start_progress(len(documents))
    write_qdpx(project, output, documents, release_document, progress=progress)
    with project.transaction():
        project.audit("export", output.name, {"format": "qdpx", "documents": len(documents)})
    return ExportResult(output, "qdpx", len(documents), 0, False)


__all__ = [
    "DEFAULT_ATTRIBUTION", "FORMATS", "ExportResult", "Filters", "Report", "attribution_template",
    "build_report", "export_project", "set_attribution_template",
]
