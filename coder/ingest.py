"""Importing notes into a project: files and folders of .txt .md .docx .odt, survey tables
(.csv .xlsx, one document per answer) and REFI-QDA projects (.qdpx).

Attributes of a document come from four sources; a later one wins over an earlier one:
project defaults (its country and language) < command-line options < the file itself (front
matter of a .txt/.md, the columns of a survey row) < the manifest CSV.

Each file is imported in its own transaction: a file's documents are stored all or none.
A bad file is reported on one line (`FILE: reason`) and the other files still go in.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import os
import sqlite3
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

from coder.errors import CoderError
from coder.formats import (
    DOCUMENT_SUFFIXES,
    TABLE_SUFFIXES,
    TEXT_SUFFIXES,
    Table,
    attribute_name,
    decode_note_exact,
    read_csv,
    read_docx,
    read_odt,
    read_xlsx,
    split_front_matter,
)
from coder.store import DOCUMENT_FIELDS, KINDS, Project, now
from coder.textnorm import decode

# Larger files are refused: a note or a survey export is far smaller, and reading a huge file
# into memory (or a zip bomb posing as .docx) would stall a facilitator's laptop.
MAX_FILE_BYTES = 20 * 1024 * 1024
QDPX_SUFFIX = ".qdpx"
# Files per commit, at most; a batch also ends after BATCH_SECONDS so a long import never keeps
# other windows on the project waiting for long (their busy timeout is 10 s).
BATCH_FILES = 2000
BATCH_SECONDS = 1.0
SUPPORTED_SUFFIXES = (*DOCUMENT_SUFFIXES, *TABLE_SUFFIXES, QDPX_SUFFIX)

Progress = Callable[[int, int, str], None]


@dataclass
class ImportReport:
    """What one import call did. Counts of documents for imported/skipped, of files for failed."""

    imported: list[tuple[str, list[int]]] = field(default_factory=list)  # file, new document ids
    skipped: list[tuple[str, str]] = field(default_factory=list)  # file, why (duplicates)
    skipped_documents: int = 0
    failed: list[tuple[str, str]] = field(default_factory=list)  # file, one-line message
    ignored: list[str] = field(default_factory=list)  # files in folders that are not notes
    unmatched_manifest: list[str] = field(default_factory=list)  # manifest rows no file matched
    flags: int | None = None  # identifier flags stored by the scan, when one ran

    @property
    def document_ids(self) -> list[int]:
        return [i for _, ids in self.imported for i in ids]

    @property
    def ok(self) -> bool:
        return not self.failed

    def summary(self) -> str:
        line = (
            f"imported {len(self.document_ids)}, skipped {self.skipped_documents} (duplicates), "
            f"failed {len(self.failed)}"
        )
        if self.ignored:
            line += f", ignored {len(self.ignored)} other files"
        return line


# -- finding files --------------------------------------------------------------------------------


def collect_files(paths: Iterable[str | Path], report: ImportReport) -> list[Path]:
    """Files named, and supported files in folders (recursive, sorted; hidden ones left out)."""
    files: list[Path] = []
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            found = []
            for folder, subfolders, names in os.walk(path):
                subfolders[:] = [d for d in subfolders if not d.startswith(".")]
                found += [os.path.join(folder, n) for n in names if not n.startswith(".")]
            for child in sorted(found):
                if os.path.splitext(child)[1].lower() in SUPPORTED_SUFFIXES:
                    files.append(Path(child))
                else:
                    report.ignored.append(child)
        elif path.is_file():
            if path.suffix.lower() in SUPPORTED_SUFFIXES:
                files.append(path)
            else:
                report.failed.append(
                    (str(path), f"{path}: not a supported file type ({', '.join(SUPPORTED_SUFFIXES)})")
                )
        else:
            report.failed.append((str(path), f"{path}: no such file or folder"))
    return files


# -- the manifest ---------------------------------------------------------------------------------


class Manifest:
    """A CSV with a `file` column (a path relative to the manifest or the current folder, or a
    base name) and one column per attribute."""

    def __init__(self, path: str | Path):
        self.path = Path(path)
        try:
            data = self.path.read_bytes()
        except OSError as exc:
            raise CoderError(f"cannot read manifest {self.path}: {exc.strerror}") from None
        text = decode(data, str(self.path))
        try:
            dialect = csv.Sniffer().sniff(text[:8192], delimiters=",;\t")
        except csv.Error:
            dialect = csv.excel
        reader = csv.reader(io.StringIO(text, newline=""), dialect)
        rows = [row for row in reader if any(cell.strip() for cell in row)]
        if not rows:
            raise CoderError(f"manifest {self.path} is empty")
        header = [attribute_name(c) for c in rows[0]]
        if "file" not in header:
            raise CoderError(f"manifest {self.path} has no `file` column (columns: {', '.join(header)})")
        self.rows: list[dict[str, str]] = []
        for row in rows[1:]:
            values = {h: v.strip() for h, v in zip(header, row) if h}
            if values.get("file"):
                self.rows.append(values)
        self._by_path: dict[Path, int] = {}
        self._by_name: dict[str, list[int]] = {}
        for i, row in enumerate(self.rows):
            name = row["file"]
            for candidate in (self.path.parent / name, Path(name)):
                self._by_path.setdefault(candidate.resolve(), i)
            self._by_name.setdefault(Path(name).name, []).append(i)
        self.used: set[int] = set()

    def attributes(self, file: Path, display: str) -> dict[str, str]:
        """The manifest's attributes for a file: matched by path first, then by base name."""
        index = self._by_path.get(file.resolve())
        if index is None:
            matches = self._by_name.get(file.name, [])
            if len(matches) > 1:
                raise CoderError(
                    f"{display}: the manifest names {file.name} {len(matches)} times; give its path"
                )
            index = matches[0] if matches else None
        if index is None:
            return {}
        self.used.add(index)
        return {k: v for k, v in self.rows[index].items() if k != "file" and v}

    def unmatched(self) -> list[str]:
        return [row["file"] for i, row in enumerate(self.rows) if i not in self.used]


# -- building document records -------------------------------------------------------------------


def _record(layers: list[dict[str, Any]], display: str) -> dict[str, Any]:
    """Merge attribute layers (later wins) into a document record: known fields become columns,
    everything else goes to `attributes`."""
    record: dict[str, Any] = {}
    attributes: dict[str, Any] = {}
    for layer in layers:
        for raw_name, value in layer.items():
            if value is None or value == "":
                continue
            name = attribute_name(raw_name)
            if name in DOCUMENT_FIELDS:
                record[name] = value
            else:
                attributes[name] = value
    record["attributes"] = attributes
    kind = record.get("kind", "conversation")
    if kind not in KINDS:
        raise CoderError(f"{display}: kind must be one of {', '.join(KINDS)}, not {kind!r}")
    return record


def _sha256(*parts: str) -> str:
    return hashlib.sha256("\x00".join(parts).encode("utf-8")).hexdigest()


def _resolve_column(table: Table, wanted: str, display: str, option: str) -> int:
    for i, column in enumerate(table.columns):
        if column == wanted:
            return i
    folded = [i for i, column in enumerate(table.columns) if column.casefold() == wanted.casefold()]
    if len(folded) == 1:
        return folded[0]
    raise CoderError(f"{display}: no column {wanted!r} for {option} (columns: {', '.join(table.columns)})")


def _looks_like_free_text(values: list[str]) -> bool:
    answers = [v for v in values if v]
    if not answers:
        return False
    mean = sum(len(v) for v in answers) / len(answers)
    return mean >= 15 and any(" " in v for v in answers)


def _survey_records(
    table: Table,
    file: Path,
    display: str,
    base: list[dict[str, Any]],
    manifest: dict[str, str],
    text_columns: list[str],
    id_column: str | None,
) -> list[dict[str, Any]]:
    id_index = _resolve_column(table, id_column, display, "--id-column") if id_column else None
    if text_columns:
        text_indexes = [_resolve_column(table, c, display, "--text-column") for c in text_columns]
    else:
        candidates = [
            i for i, _ in enumerate(table.columns)
            if i != id_index and _looks_like_free_text([row[i] for row in table.rows])
        ]
        if len(candidates) != 1:
            found = ", ".join(table.columns[i] for i in candidates) or "none looks like answers"
            raise CoderError(
                f"{display}: say which column holds the answers with --text-column ({found})"
            )
        text_indexes = candidates
    records = []
    for row, row_number in zip(table.rows, table.row_numbers):
        respondent = row[id_index] if id_index is not None else ""
        row_layer: dict[str, Any] = {"kind": "survey"}
        for i, column in enumerate(table.columns):
            if i != id_index and i not in text_indexes and row[i]:
                row_layer[column] = row[i]
        if respondent:
            row_layer["participant"] = respondent
        for i in text_indexes:
            answer = row[i]
            if not answer.strip():
                continue
            question = table.columns[i]
            title = f"{file.stem} {respondent}" if respondent else f"{file.stem} row {row_number}"
            if len(text_indexes) > 1:
                title += f" · {question}"
            record = _record([*base, {"title": title, "question": question, **row_layer}, manifest], display)
            record.update(
                text=answer,
                source=f"{file.name}#{row_number}",
                # Two respondents may give the same short answer ("No"); both are kept, while
                # re-importing the same survey is still recognised.
                sha256=_sha256("survey", file.name, respondent or str(row_number), question, answer),
            )
            records.append(record)
    if not records:
        names = ", ".join(table.columns[i] for i in text_indexes)
        raise CoderError(f"{display}: no answers in column {names}")
    return records


def _document_records(
    file: Path, display: str, suffix: str, base: list[dict[str, Any]], manifest: dict[str, str]
) -> list[dict[str, Any]]:
    front_matter: dict[str, str] = {}
    if suffix in TEXT_SUFFIXES:
        with open(display, "rb", buffering=0) as fh:  # one read of the whole file, no buffer copy
            data = fh.readall()
        if not data or data.isspace():
            raise CoderError(f"{display}: empty file")
        decoded, exact = decode_note_exact(data, display)
        front_matter, text = split_front_matter(decoded, display)
        # The digest of the stored text; when that text is the file's bytes, hash them directly.
        sha256 = hashlib.sha256(data).hexdigest() if exact and text is decoded else _sha256(text)
    else:
        text = read_docx(file, display) if suffix == ".docx" else read_odt(file, display)
        sha256 = _sha256(text)
    if not text or text.isspace():
        raise CoderError(f"{display}: no text" + (" after the front matter" if front_matter else ""))
    record = _record([*base, {"title": file.stem}, front_matter, manifest], display)
    record.update(text=text, source=file.name, sha256=sha256)
    return [record]


def read_file(
    file: Path,
    display: str,
    *,
    base: list[dict[str, Any]],
    manifest: Manifest | None = None,
    text_columns: list[str] | None = None,
    id_column: str | None = None,
) -> list[dict[str, Any]]:
    """The document records one file yields (not yet stored). Raises CoderError('FILE: reason')."""
    try:
        size = os.stat(file).st_size
    except OSError as exc:
        raise CoderError(f"{display}: cannot read ({exc.strerror})") from None
    if size == 0:
        raise CoderError(f"{display}: empty file")
    if size > MAX_FILE_BYTES:
        raise CoderError(
            f"{display}: {size / 1024 / 1024:.1f} MB is over the {MAX_FILE_BYTES // 1024 // 1024} MB limit"
        )
    from_manifest = manifest.attributes(file, display) if manifest else {}
    suffix = os.path.splitext(display)[1].lower()
    try:
        if suffix == ".csv":
            table = read_csv(file.read_bytes(), display)
        elif suffix == ".xlsx":
            table = read_xlsx(file, display)
        else:
            return _document_records(file, display, suffix, base, from_manifest)
    except OSError as exc:
        raise CoderError(f"{display}: cannot read ({exc.strerror})") from None
    return _survey_records(table, file, display, base, from_manifest, text_columns or [], id_column)


# -- importing ------------------------------------------------------------------------------------

# The columns an import writes, in a fixed order, so every insert reuses one prepared statement.
_COLUMNS = (
    "title", "kind", "country", "language", "participant", "facilitator", "date",
    "source", "sha256", "text", "attributes", "imported_at", "imported_by",
)
_INSERT = f"INSERT INTO documents ({', '.join(_COLUMNS)}) VALUES ({', '.join('?' for _ in _COLUMNS)})"
_INSERT_AUDIT = "INSERT INTO audit (at, who, action, target, details) VALUES (?, ?, ?, ?, ?)"


class _DeferredIndex:
    """Adds the documents of an import batch to the full-text index in one statement at the end
    of the batch instead of row by row through the insert trigger, which costs several times more
    for a batch of notes.

    The trigger is dropped and re-created inside the batch's transaction: no other connection ever
    sees it missing, and a rollback (or a crash) restores it. Only inserts happen while it is
    deferred; the update and delete triggers, which redaction relies on, stay in place. Rows
    inserted meanwhile all have ids above the largest one at the start (SQLite gives a new row
    max(id) + 1), so `id > start` is exactly the batch's new documents that survived their files'
    savepoints.
    """

    TRIGGER = "documents_ai"

    def __init__(self, conn: sqlite3.Connection):
        self.conn = conn
        self.after: int | None = None
        self.trigger_sql: str | None = None

    def defer(self) -> None:
        if self.after is not None:
            return
        row = self.conn.execute(
            "SELECT sql FROM sqlite_master WHERE type = 'trigger' AND name = ? AND tbl_name = 'documents'",
            [self.TRIGGER],
        ).fetchone()
        if row is None:  # a schema without that trigger: leave indexing to whatever it has
            return
        self.trigger_sql = row[0]
        self.after = self.conn.execute("SELECT coalesce(max(id), 0) FROM documents").fetchone()[0]
        self.conn.execute(f'DROP TRIGGER "{self.TRIGGER}"')

    def flush(self) -> None:
        """Index the documents inserted since `defer` and put the trigger back."""
        if self.after is None:
            return
        self.conn.execute(
            "INSERT INTO documents_fts (rowid, title, text) SELECT id, title, text FROM documents WHERE id > ?",
            [self.after],
        )
        self.conn.execute(self.trigger_sql)
        self.after = None


def import_paths(
    project: Project,
    paths: Iterable[str | Path],
    *,
    defaults: dict[str, Any] | None = None,
    manifest: str | Path | None = None,
    text_column: str | list[str] | None = None,
    id_column: str | None = None,
    progress: Progress | None = None,
) -> ImportReport:
    """Import files and folders into the project. `defaults` are the command-line attributes
    (country, language, participant, facilitator, kind, date). Never raises for a bad file:
    each is listed in `report.failed` with a one-line message."""
    report = ImportReport()
    loaded_manifest = Manifest(manifest) if manifest is not None else None
    files = collect_files(paths, report)
    base = [
        {"country": project.country, "language": project.language},
        {k: v for k, v in (defaults or {}).items() if v not in (None, "")},
    ]
    text_columns = [text_column] if isinstance(text_column, str) else list(text_column or [])
    who = project.coder
    known: dict[str, int] = dict(project.db.execute("SELECT sha256, id FROM documents").fetchall())
    conn = project.db.conn

    done = 0
    remaining = iter(files)
    finished = False
    while not finished:
        batch: list[Path] = []
        outcome = ImportReport()
        added: dict[str, int] = {}
        audit_rows: list[tuple] = []
        stamp = now()
        started = time.monotonic()
        try:
            # One commit per batch of files (commits dominate the cost of small notes); each
            # file is a savepoint inside it, so a bad file still leaves nothing of itself behind.
            # A batch ends after a second so other windows on the project are not kept waiting.
            with project.transaction():
                index = _DeferredIndex(conn)
                for file in remaining:
                    batch.append(file)
                    display = str(file)
                    try:
                        if file.suffix.lower() == QDPX_SUFFIX:
                            index.flush()  # the REFI-QDA importer inserts through the trigger
                            _import_qdpx(project, file, display, outcome, known)
                        else:
                            records = read_file(
                                file, display, base=base, manifest=loaded_manifest,
                                text_columns=text_columns, id_column=id_column,
                            )
                            index.defer()
                            added.update(
                                _store(conn, records, display, who, known, outcome, audit_rows, stamp)
                            )
                    except CoderError as exc:
                        outcome.failed.append((display, str(exc)))
                    except sqlite3.Error as exc:
                        if not conn.in_transaction:
                            raise  # the batch itself is lost; reported below
                        outcome.failed.append((display, f"{display}: could not be stored ({exc})"))
                    done += 1
                    if progress is not None:
                        progress(done, len(files), display)
                    if len(batch) >= BATCH_FILES or time.monotonic() - started >= BATCH_SECONDS:
                        break
                else:
                    finished = True
                index.flush()
                conn.executemany(_INSERT_AUDIT, audit_rows)
        except sqlite3.Error as exc:
            for sha in added:
                known.pop(sha, None)
            report.failed += [(str(f), f"{f}: could not be stored ({exc})") for f in batch]
            continue
        report.imported += outcome.imported
        report.skipped += outcome.skipped
        report.skipped_documents += outcome.skipped_documents
        report.failed += outcome.failed
    if loaded_manifest is not None:
        report.unmatched_manifest = loaded_manifest.unmatched()
    return report


@lru_cache(maxsize=64)
def _audit_details(kind: str, suffix: str) -> str:
    return json.dumps({"kind": kind, "format": suffix})


def _row(record: dict[str, Any], stamp: str, who: str) -> tuple:
    """A record as the values of `_INSERT`, in `_COLUMNS` order."""
    get = record.get
    attributes = get("attributes")
    return (
        record["title"], get("kind") or "conversation", get("country"), get("language"),
        get("participant"), get("facilitator"), get("date"), get("source"), record["sha256"],
        record["text"], json.dumps(attributes, ensure_ascii=False) if attributes else "{}", stamp, who,
    )


def _store(
    conn: sqlite3.Connection,
    records: list[dict[str, Any]],
    display: str,
    who: str,
    known: dict[str, int],
    report: ImportReport,
    audit_rows: list[tuple],
    stamp: str,
) -> dict[str, int]:
    """Store one file's records, all or none; texts already stored are skipped. Returns the new
    documents' ids by sha256 and adds their audit rows to `audit_rows`."""
    new_ids: list[int] = []
    added: dict[str, int] = {}
    duplicates: list[int] = []
    fresh = []
    for record in records:
        if record["sha256"] in known or record["sha256"] in added:
            duplicates.append(known.get(record["sha256"], 0))
            continue
        added[record["sha256"]] = 0
        fresh.append(record)
    if len(fresh) == 1:  # one INSERT is atomic on its own
        new_ids.append(conn.execute(_INSERT, _row(fresh[0], stamp, who)).lastrowid)
    elif fresh:  # a file of several documents needs a savepoint
        conn.execute("SAVEPOINT coder_import_file")
        try:
            for record in fresh:
                new_ids.append(conn.execute(_INSERT, _row(record, stamp, who)).lastrowid)
        except BaseException:
            if conn.in_transaction:
                conn.execute("ROLLBACK TO SAVEPOINT coder_import_file")
                conn.execute("RELEASE SAVEPOINT coder_import_file")
            raise
        conn.execute("RELEASE SAVEPOINT coder_import_file")
    suffix = os.path.splitext(display)[1].lower()
    for record, document_id in zip(fresh, new_ids):
        added[record["sha256"]] = document_id
        details = _audit_details(record.get("kind") or "conversation", suffix)
        audit_rows.append((stamp, who, "document.import", f"document:{document_id}", details))
    known.update(added)
    if new_ids:
        report.imported.append((display, new_ids))
    if duplicates:
        report.skipped_documents += len(duplicates)
        if len(records) == 1:
            reason = f"same text as document {duplicates[0]} already in the project"
        else:
            reason = f"{len(duplicates)} of {len(records)} answers already in the project"
        report.skipped.append((display, reason))
    return added


def _import_qdpx(
    project: Project, file: Path, display: str, report: ImportReport, known: dict[str, int]
) -> None:
    try:
        from coder.qdpx import import_qdpx
    except ImportError:
        raise CoderError(f"{display}: REFI-QDA import is not available in this version") from None
    before = project.db.execute("SELECT coalesce(max(id), 0) FROM documents").fetchone()[0]
    with project.transaction():  # a savepoint: the whole .qdpx or nothing
        import_qdpx(project, file, scan=False)  # the importer's caller scans everything it added
    rows = project.db.execute("SELECT id, sha256 FROM documents WHERE id > ? ORDER BY id", [before]).fetchall()
    known.update({sha: document_id for document_id, sha in rows})
    report.imported.append((display, [document_id for document_id, _ in rows]))


def scan_imported(
    project: Project, document_ids: list[int], *, progress: Callable[[int, int], None] | None = None
) -> int:
    """Look for identifiers in freshly imported documents; returns the number of flags stored."""
    if not document_ids:
        return 0
    try:
        from coder.review import scan_documents
    except ImportError:
        raise CoderError(
            "the identifier scan is not available, so the imported documents are unscanned; "
            "import with --no-scan to skip it knowingly"
        ) from None
    if progress is None:
        return scan_documents(project, document_ids)
    return scan_documents(project, document_ids, progress=progress)
