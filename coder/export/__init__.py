"""Exports: theme × country summaries with attributed quotes, and REFI-QDA projects.

    export_project(project, fmt=..., output=..., filters=..., ...)   one call per `coder export`

Every export that carries project text (quotes, translations, full documents) first asks the
identifier gate (`coder.gate`) and takes each text through it, free text beside it (translations,
titles, attribution fields, codebook examples) included; counts-only exports need no gate.
"""

from __future__ import annotations

import os
import string
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

from coder.errors import CoderError
from coder.export.analysis import (
    ATTRIBUTION_KINDS,
    DEFAULT_ATTRIBUTION,
    Filters,
    Report,
    attribution_template,
    build_report,
    quoted_document_ids,
    set_attribution_template,
)
from coder.store import DOCUMENT_FIELDS, Project

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


def _write(write: Callable[[], object], output: Path) -> None:
    """Run a writer; a disk or permission problem is a one-line error, not a traceback."""
    try:
        write()
    except OSError as exc:
        raise CoderError(f"cannot write {output}: {exc.strerror or exc}") from None


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
    document whose text would leave still holds unreviewed identifier flags, or when free text
    travelling with it (a translation, a title or attribute quoted in an attribution, a .qdpx
    source title or codebook example) holds a possible identifier nobody has reviewed."""
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
        _check_attributions(project, quoted)
        report = build_report(
            project, filters, min_cell=min_cell, quotes=True,
            quotes_per_country=quotes_per_country, release_passage=release_passage,
            check_translation=translation_check(project),
        )
    else:
        report = build_report(project, filters, min_cell=min_cell)
    _write(lambda: _write_report(report, fmt, output), output)
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
    document, so the gate's review does not cover them (`coder.gate.check_free_text`)."""
    from coder.gate import check_free_text

    def check(document: dict, coding_id: int, translation: str) -> None:
        check_free_text(
            project, document, translation, what=f"the translation of coding {coding_id}",
            fix=f"correct it with `coder translate {project.path} {coding_id} TEXT`, "
            "or dismiss the term in the document",
        )

    return check


# Document fields every export may carry as they are: pseudonymous participant ids, places at
# country level, dates. Their values also count as reviewed where a title or attribute repeats them.
PLAIN_FIELDS = ("country", "kind", "language", "date", "participant")


def _plain_values(doc: dict) -> list[str]:
    return [str(doc[f]) for f in PLAIN_FIELDS if doc.get(f)]


def _check_attributions(project: Project, document_ids: list[int]) -> None:
    """Quote attributions are rendered from document fields and attributes, which are not part of
    the reviewed text: every such value a template uses passes the gate's free-text check."""
    from coder.gate import check_free_text
    from coder.review import document_language

    fields_of = {}
    for kind in ATTRIBUTION_KINDS:
        names = {f for _, f, _, _ in string.Formatter().parse(attribution_template(project, kind)) if f}
        fields_of[kind] = names - {*PLAIN_FIELDS, "participant_number"}
    if not any(fields_of.values()):
        return  # the default templates use plain fields only
    for document_id in document_ids:
        doc = project.document(document_id)
        fields = fields_of.get(doc.get("kind") or "conversation", set())
        for field in sorted(fields):
            value = doc.get(field) if field in DOCUMENT_FIELDS else (doc.get("attributes") or {}).get(field)
            check_free_text(
                project, doc, None if value is None else str(value),
                what=f"the {field} quoted in the attribution", lang=document_language(project, doc),
                also_reviewed=_plain_values(doc),
                fix=f"change the template (`coder attribution {project.path} --kind {doc.get('kind')} "
                "TEMPLATE`), or dismiss or allowlist the term",
            )


def _check_titles(project: Project, documents: list[dict]) -> None:
    """A .qdpx names each source by its title, which is not part of the reviewed text: every title
    passes the gate's free-text check before anything is written."""
    from coder.gate import check_free_text
    from coder.review import document_language

    fix = (f"dismiss or redact the term in the document, or allowlist it "
           f"(`coder allowlist {project.path} --add TERM`)")
    for doc in documents:
        check_free_text(
            project, doc, doc.get("title"), what="the title of the document", fix=fix,
            lang=document_language(project, doc), also_reviewed=_plain_values(doc),
        )


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
    from coder.codebook import project_codebook
    from coder.export.analysis import select_documents
    from coder.export.qdpx import write_qdpx
    from coder.gate import check_codebook_examples, ensure_releasable, release_document

    documents = list(select_documents(project, filters).values())
    ensure_releasable(project, [d["id"] for d in documents])
    _check_titles(project, documents)
    check_codebook_examples(project, project_codebook(project).codes)  # the .qdpx carries the codebook
    if start_progress:
        start_progress(len(documents))
    _write(lambda: write_qdpx(project, output, documents, release_document, progress=progress), output)
    with project.transaction():
        project.audit("export", output.name, {"format": "qdpx", "documents": len(documents)})
    return ExportResult(output, "qdpx", len(documents), 0, False)


__all__ = [
    "DEFAULT_ATTRIBUTION", "FORMATS", "ExportResult", "Filters", "Report", "attribution_template",
    "build_report", "export_project", "set_attribution_template",
]
