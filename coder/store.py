"""The project file: one SQLite database per project, its schema and its low-level access.

Everything that reads or writes a project goes through `Project`. Offsets everywhere are 0-based,
end-exclusive code-point offsets into `documents.text` (Python string indices).
"""

from __future__ import annotations

import datetime as _dt
import json
import os
import sqlite3
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlite_utils import Database, Migrations

from coder import PROJECT_SUFFIX
from coder.errors import CoderError, NotFound

KINDS = ("conversation", "survey", "memo")
DOCUMENT_FIELDS = ("title", "kind", "country", "language", "participant", "facilitator", "date")
FLAG_TYPES = ("PERSON", "PLACE", "SCHOOL", "ORG", "CONTACT", "ID", "DATE")
FLAG_STATUSES = ("open", "redacted", "dismissed")

migrations = Migrations("coder")


@migrations()
def m001_initial(db: Database) -> None:
    db.execute("CREATE TABLE project (key TEXT PRIMARY KEY, value TEXT)")
    db.execute(
        """CREATE TABLE documents (
            id INTEGER PRIMARY KEY,
            title TEXT NOT NULL,
            kind TEXT NOT NULL DEFAULT 'conversation'
                CHECK (kind IN ('conversation', 'survey', 'memo')),
            country TEXT,
            language TEXT,
            participant TEXT,
            facilitator TEXT,
            date TEXT,
            source TEXT,
            sha256 TEXT NOT NULL UNIQUE,
            text TEXT NOT NULL,
            attributes TEXT NOT NULL DEFAULT '{}',
            imported_at TEXT NOT NULL,
            imported_by TEXT
        )"""
    )
    db["documents"].create_index(["country"])
    db["documents"].create_index(["participant"])
    db["documents"].enable_fts(
        ["title", "text"], create_triggers=True, tokenize="unicode61 remove_diacritics 2"
    )
    db.execute(
        """CREATE TABLE codes (
            id INTEGER PRIMARY KEY,
            key TEXT NOT NULL UNIQUE,
            parent TEXT REFERENCES codes(key) ON UPDATE CASCADE ON DELETE RESTRICT,
            labels TEXT NOT NULL DEFAULT '{}',
            description TEXT,
            inclusion TEXT,
            exclusion TEXT,
            example TEXT,
            color TEXT,
            codable INTEGER NOT NULL DEFAULT 1,
            position INTEGER NOT NULL DEFAULT 0,
            guid TEXT,
            provenance TEXT NOT NULL DEFAULT '[]',
            created TEXT NOT NULL
        )"""
    )
    db.execute(
        """CREATE TABLE codings (
            id INTEGER PRIMARY KEY,
            document_id INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
            start INTEGER NOT NULL CHECK (start >= 0),
            "end" INTEGER NOT NULL CHECK ("end" > start),
            code_id INTEGER NOT NULL REFERENCES codes(id) ON DELETE RESTRICT,
            coder TEXT NOT NULL,
            memo TEXT,
            created TEXT NOT NULL,
            updated TEXT NOT NULL,
            UNIQUE (document_id, start, "end", code_id, coder)
        )"""
    )
    db["codings"].create_index(["document_id"])
    db["codings"].create_index(["code_id"])
    db.execute(
        """CREATE TABLE flags (
            id INTEGER PRIMARY KEY,
            document_id INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
            start INTEGER NOT NULL CHECK (start >= 0),
            "end" INTEGER NOT NULL CHECK ("end" > start),
            type TEXT NOT NULL,
            score REAL NOT NULL DEFAULT 1.0,
            reason TEXT,
            status TEXT NOT NULL DEFAULT 'open'
                CHECK (status IN ('open', 'redacted', 'dismissed')),
            origin TEXT NOT NULL DEFAULT 'detector' CHECK (origin IN ('detector', 'manual', 'import')),
            created TEXT NOT NULL,
            reviewed_by TEXT,
            reviewed_at TEXT
        )"""
    )
    db["flags"].create_index(["document_id", "status"])
    db.execute(
        """CREATE TABLE memos (
            id INTEGER PRIMARY KEY,
            document_id INTEGER REFERENCES documents(id) ON DELETE CASCADE,
            code_id INTEGER REFERENCES codes(id) ON DELETE CASCADE,
            text TEXT NOT NULL,
            author TEXT,
            created TEXT NOT NULL,
            updated TEXT NOT NULL
        )"""
    )
    db.execute(
        """CREATE TABLE audit (
            id INTEGER PRIMARY KEY,
            at TEXT NOT NULL,
            who TEXT,
            action TEXT NOT NULL,
            target TEXT,
            details TEXT NOT NULL DEFAULT '{}'
        )"""
    )


@migrations()
def m002_translations_and_allowlist(db: Database) -> None:
    # Quotes are exported beside their translation; dismissed terms are remembered per project.
    db.execute("ALTER TABLE codings ADD COLUMN translation TEXT")
    db.execute(
        """CREATE TABLE allowlist (
            term TEXT PRIMARY KEY,
            type TEXT,
            added_by TEXT,
            added_at TEXT NOT NULL
        )"""
    )


SCHEMA_VERSION = len(migrations._migrations)


def now() -> str:
    return _dt.datetime.now(_dt.timezone.utc).isoformat(timespec="seconds")


def _connect(path: Path, readonly: bool) -> sqlite3.Connection:
    if readonly:
        conn = sqlite3.connect(
            f"file:{path}?mode=ro", uri=True, check_same_thread=False, timeout=10
        )
    else:
        conn = sqlite3.connect(str(path), check_same_thread=False, timeout=10)
    conn.execute("PRAGMA foreign_keys = ON")
    conn.execute("PRAGMA busy_timeout = 10000")
    # Deleted content (redactions) must be overwritten on disk, not left on free pages.
    conn.execute("PRAGMA secure_delete = ON")
    if not readonly:
        # Takes effect only when the file is new. Notes are rows of a few KB: with 16 KB pages
        # most fit on one page without overflow chains, and an import writes about half the pages.
        conn.execute("PRAGMA page_size = 16384")
        conn.execute("PRAGMA journal_mode = WAL")
        conn.execute("PRAGMA synchronous = NORMAL")
    return conn


class Project:
    """An open project file."""

    def __init__(self, path: Path, conn: sqlite3.Connection, readonly: bool = False):
        self.path = path
        self.readonly = readonly
        self.db = Database(conn)

    # -- lifecycle -----------------------------------------------------------------------------

    def close(self) -> None:
        if not self.readonly:
            try:
                self.db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
            except sqlite3.Error:
                pass
        self.db.conn.close()

    def __enter__(self) -> Project:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @contextmanager
    def transaction(self) -> Iterator[Database]:
        with self.db.atomic():
            yield self.db

    # -- metadata ------------------------------------------------------------------------------

    def meta(self, key: str, default: str | None = None) -> str | None:
        row = self.db.execute("SELECT value FROM project WHERE key = ?", [key]).fetchone()
        return row[0] if row and row[0] is not None else default

    def set_meta(self, key: str, value: str | None) -> None:
        with self.transaction():
            self.db.execute(
                "INSERT INTO project (key, value) VALUES (?, ?) "
                "ON CONFLICT(key) DO UPDATE SET value = excluded.value",
                [key, value],
            )

    @property
    def coder(self) -> str:
        """The coder stamped on work in this project: project setting, else the machine's."""
        from coder.settings import machine_coder_name

        return self.meta("coder") or machine_coder_name()

    @property
    def country(self) -> str | None:
        return self.meta("country")

    @property
    def language(self) -> str | None:
        return self.meta("language")

    def schema_version(self) -> int:
        return self.db.execute("PRAGMA user_version").fetchone()[0]

    # -- audit ---------------------------------------------------------------------------------

    def audit(
        self, action: str, target: str | None = None, details: dict | None = None, who: str | None = None
    ) -> None:
        """Record who did what. Never put document text or identifier text in `details`."""
        self.db.execute(
            "INSERT INTO audit (at, who, action, target, details) VALUES (?, ?, ?, ?, ?)",
            [now(), who or self.coder, action, target, json.dumps(details or {}, ensure_ascii=False)],
        )

    # -- documents -----------------------------------------------------------------------------

    def document(self, ref: int | str) -> dict[str, Any]:
        """A document by id, or by exact title or source file name."""
        row = None
        if isinstance(ref, int) or (isinstance(ref, str) and ref.isdigit()):
            row = self.db.execute("SELECT * FROM documents WHERE id = ?", [int(ref)]).fetchone()
        if row is None and isinstance(ref, str):
            rows = self.db.execute(
                "SELECT * FROM documents WHERE title = ? OR source = ? ORDER BY id", [ref, ref]
            ).fetchall()
            if len(rows) > 1:
                raise CoderError(f"{ref!r} names {len(rows)} documents; use the document id")
            row = rows[0] if rows else None
        if row is None:
            raise NotFound(f"no document {ref!r} in {self.path.name}")
        return self._document_row(row)

    def document_span(self, document_id: int, start: int, end: int) -> dict[str, Any]:
        """The document, once start..end is a non-empty span inside its text (else a CoderError)."""
        document = self.document(document_id)
        if not (0 <= start < end <= len(document["text"])):
            raise CoderError(
                f"span {start}-{end} is outside document {document['id']} "
                f"(its text has {len(document['text'])} characters)"
            )
        return document

    def _document_row(self, row: tuple) -> dict[str, Any]:
        cols = [d[0] for d in self.db.execute("SELECT * FROM documents LIMIT 0").description]
        doc = dict(zip(cols, row))
        doc["attributes"] = json.loads(doc.get("attributes") or "{}")
        return doc

    def documents(
        self,
        *,
        country: str | None = None,
        kind: str | None = None,
        participant: str | None = None,
        language: str | None = None,
        text: str | None = None,
        with_text: bool = False,
    ) -> list[dict[str, Any]]:
        """Documents matching every given filter, in id order (`text` is a substring of title/text)."""
        cols = "*" if with_text else ", ".join(
            ["id", "sha256", "source", "attributes", "imported_at", *DOCUMENT_FIELDS, "length(text) AS length"]
        )
        where, params = [], []
        for column, value in (
            ("country", country), ("kind", kind), ("participant", participant), ("language", language)
        ):
            if value:
                where.append(f"lower({column}) = lower(?)")
                params.append(value)
        if text:
            where.append("(instr(lower(title), lower(?)) > 0 OR instr(lower(text), lower(?)) > 0)")
            params += [text, text]
        sql = f"SELECT {cols} FROM documents"
        if where:
            sql += " WHERE " + " AND ".join(where)
        cursor = self.db.execute(sql + " ORDER BY id", params)
        names = [d[0] for d in cursor.description]
        out = []
        for row in cursor.fetchall():
            doc = dict(zip(names, row))
            doc["attributes"] = json.loads(doc.get("attributes") or "{}")
            out.append(doc)
        return out

    def has_sha256(self, sha256: str) -> bool:
        return (
            self.db.execute("SELECT 1 FROM documents WHERE sha256 = ?", [sha256]).fetchone()
            is not None
        )

    def insert_document(self, record: dict[str, Any]) -> int:
        """Insert one normalised document (inside the caller's transaction). Returns its id."""
        record = dict(record)
        record.setdefault("kind", "conversation")
        if record["kind"] not in KINDS:
            raise CoderError(f"kind must be one of {', '.join(KINDS)}, not {record['kind']!r}")
        record["attributes"] = json.dumps(record.get("attributes") or {}, ensure_ascii=False)
        if "imported_at" not in record:
            record["imported_at"] = now()
        if "imported_by" not in record:  # looking up the coder costs a query; importers pass it
            record["imported_by"] = self.coder
        columns = ", ".join(record)
        marks = ", ".join("?" for _ in record)
        cursor = self.db.execute(
            f"INSERT INTO documents ({columns}) VALUES ({marks})", list(record.values())
        )
        return cursor.lastrowid

    def set_document_text(self, document_id: int, text: str) -> None:
        """Replace a document's text (redaction). FTS follows through the triggers."""
        self.db.execute("UPDATE documents SET text = ? WHERE id = ?", [text, document_id])

    def set_document_attribute(self, document_id: int, name: str, value: Any) -> None:
        doc = self.document(document_id)
        with self.transaction():
            if name in DOCUMENT_FIELDS:
                if name == "kind" and value not in KINDS:
                    raise CoderError(f"kind must be one of {', '.join(KINDS)}, not {value!r}")
                if name == "title" and not (value or "").strip():
                    raise CoderError("a document needs a title")
                self.db.execute(f"UPDATE documents SET {name} = ? WHERE id = ?", [value, document_id])
                if name == "title":
                    # An old title may have held an identifier: merge the index so its terms
                    # do not linger in superseded FTS segments.
                    self.db.execute("INSERT INTO documents_fts(documents_fts) VALUES('optimize')")
            else:
                attrs = doc["attributes"]
                if value is None:
                    attrs.pop(name, None)
                else:
                    attrs[name] = value
                self.db.execute(
                    "UPDATE documents SET attributes = ? WHERE id = ?",
                    [json.dumps(attrs, ensure_ascii=False), document_id],
                )
            self.audit("document.attribute", f"document:{document_id}", {"attribute": name})

    # -- codes ---------------------------------------------------------------------------------

    def code(self, key: str) -> dict[str, Any]:
        cursor = self.db.execute("SELECT * FROM codes WHERE key = ?", [key])
        row = cursor.fetchone()
        if row is None:
            raise NotFound(f"no code {key!r} in the project codebook")
        return self._code_row(cursor.description, row)

    @staticmethod
    def _code_row(description: Any, row: tuple) -> dict[str, Any]:
        code = dict(zip([d[0] for d in description], row))
        code["labels"] = json.loads(code["labels"] or "{}")
        code["provenance"] = json.loads(code["provenance"] or "[]")
        code["codable"] = bool(code["codable"])
        return code

    def codes(self) -> list[dict[str, Any]]:
        """All codes, parents before children, in codebook order."""
        cursor = self.db.execute("SELECT * FROM codes ORDER BY position, id")
        rows = [self._code_row(cursor.description, r) for r in cursor.fetchall()]
        by_parent: dict[str | None, list[dict]] = {}
        for c in rows:
            by_parent.setdefault(c["parent"], []).append(c)
        ordered: list[dict] = []

        def walk(parent: str | None) -> None:
            for c in by_parent.get(parent, []):
                ordered.append(c)
                walk(c["key"])

        walk(None)
        known = {c["key"] for c in ordered}
        ordered += [c for c in rows if c["key"] not in known]  # orphans, defensively
        return ordered

    def label(self, code: dict[str, Any], lang: str | None = None) -> str:
        labels = code.get("labels") or {}
        return labels.get(lang or self.language or "en") or labels.get("en") or code["key"]

    def upsert_code(self, code: dict[str, Any]) -> int:
        """Insert or update a code by key (inside the caller's transaction). Returns its id."""
        record = {k: v for k, v in code.items() if k != "id"}
        for field in ("labels",):
            if isinstance(record.get(field), dict):
                record[field] = json.dumps(record[field], ensure_ascii=False)
        if isinstance(record.get("provenance"), list):
            record["provenance"] = json.dumps(record["provenance"], ensure_ascii=False)
        if "codable" in record:
            record["codable"] = int(bool(record["codable"]))
        existing = self.db.execute("SELECT id FROM codes WHERE key = ?", [record["key"]]).fetchone()
        if existing:
            sets = ", ".join(f"{k} = ?" for k in record if k != "key")
            if sets:
                self.db.execute(
                    f"UPDATE codes SET {sets} WHERE key = ?",
                    [v for k, v in record.items() if k != "key"] + [record["key"]],
                )
            return existing[0]
        record.setdefault("created", now())
        if "position" not in record:
            record["position"] = (
                self.db.execute("SELECT coalesce(max(position), -1) + 1 FROM codes").fetchone()[0]
            )
        columns = ", ".join(record)
        cursor = self.db.execute(
            f"INSERT INTO codes ({columns}) VALUES ({', '.join('?' for _ in record)})",
            list(record.values()),
        )
        return cursor.lastrowid


def _resolve(path: str | os.PathLike) -> Path:
    return Path(path).expanduser()


def create_project(
    path: str | os.PathLike,
    *,
    country: str | None = None,
    language: str | None = None,
    coder: str | None = None,
    name: str | None = None,
) -> Project:
    """Create a new, empty project file (mode 0600) and return it open."""
    path = _resolve(path)
    if path.suffix != PROJECT_SUFFIX:
        raise CoderError(f"project files end in {PROJECT_SUFFIX}: {path}")
    if path.exists():
        raise CoderError(f"{path} already exists")
    if not path.parent.exists():
        raise CoderError(f"folder {path.parent} does not exist")
    # Create the file ourselves so it is never world-readable, even for an instant;
    # SQLite gives its -wal and -shm files the same permissions.
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    os.close(fd)
    try:
        project = Project(path, _connect(path, readonly=False))
        migrate(project.db)
        with project.transaction():
            for key, value in (
                ("name", name or path.stem),
                ("country", country),
                ("language", language),
                ("coder", coder),
                ("created", now()),
            ):
                if value is not None:
                    project.db.execute("INSERT INTO project (key, value) VALUES (?, ?)", [key, value])
            project.audit("project.create", str(path.name), {"country": country, "language": language})
    except BaseException:
        path.unlink(missing_ok=True)
        raise
    return project


def migrate(db: Database, *, stop_before: str | None = None) -> None:
    migrations.apply(db, stop_before=stop_before)
    applied = len(migrations.applied(db))
    db.execute(f"PRAGMA user_version = {applied}")


def open_project(path: str | os.PathLike, *, readonly: bool = False) -> Project:
    """Open an existing project, applying any pending migrations (unless read-only)."""
    path = _resolve(path)
    if not path.exists():
        raise CoderError(f"no project at {path}")
    if path.is_dir():
        raise CoderError(f"{path} is a folder, not a project file")
    with open(path, "rb") as fh:
        if fh.read(16) != b"SQLite format 3\x00":
            raise CoderError(f"{path} is not a coder project file")
    try:
        conn = _connect(path, readonly=readonly)
        project = Project(path, conn, readonly=readonly)
        if not project.db["project"].exists():
            conn.close()
            raise CoderError(f"{path} is an SQLite file but not a coder project")
        if not readonly:
            migrate(project.db)
        elif migrations.pending(project.db):
            conn.close()
            raise CoderError(f"{path} needs upgrading; open it once without read-only mode")
    except sqlite3.DatabaseError as exc:
        raise CoderError(f"cannot open {path}: {exc}") from None
    return project


def iter_chunks(items: Iterable[Any], size: int) -> Iterator[list[Any]]:
    chunk: list[Any] = []
    for item in items:
        chunk.append(item)
        if len(chunk) >= size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk
