"""Merging country projects into one new project for the cross-country analysis.

Inputs are opened read-only and never changed. Everything is copied in source order, one
transaction per source, with bulk inserts:

- documents: one per sha256 (the same note imported by two teams appears once); the country column
  is filled from the source project when empty; the attribute `source_projects` lists the projects
  the document came from. The same sha256 with different text (redacted in one project, not in the
  other) is refused: the merge must never bring back text a team deleted.
- codes: with `codebook` the merged codebook is installed and each source's codes are remapped
  through the mapping rows of that source's codebook: of the project's `codebook_name` and its file
  stem, the first whose rows cover every code the project uses (else the first with any rows); a
  project already on the merged codebook (a previous merge) maps by key. Without `codebook`, the
  sources' codebooks are united by key.
- codings, deduplicated on (document sha256, start, end, merged code key, coder); memos on
  (document, code, text, author); identifier flags, with their review state, on (document, start,
  end, type, status) — a flag one team dismissed and another left open stays open, to be reviewed;
  the allowlist by term.
- the audit trail: the sources' audit rows (each marked with `merged_from`, deduplicated, so merging
  a merged project again adds nothing) and one `merge.source` row per source with its path, sha256
  and counts.

Codings or memos whose code has no mapping, and codings mapped to a category, are refused, all
listed at once, before anything is written.
"""

from __future__ import annotations

import hashlib
import json
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from coder.codebook.model import Codebook
from coder.errors import CoderError
from coder.merge.codebooks import merge_codebooks
from coder.merge.mapping import mapping_by_codebook, read_mapping
from coder import PROJECT_SUFFIX
from coder.store import Project, create_project, open_project

Progress = Callable[[int, int, str], None]  # (done, total, what) → None

DOCUMENT_COLUMNS = (
    "title", "kind", "country", "language", "participant", "facilitator", "date", "source",
    "sha256", "text", "attributes", "imported_at", "imported_by",
)

COUNTS = (
    "documents", "documents_new", "codings", "codings_new", "memos", "memos_new", "flags", "flags_new",
    "allowlist_new", "audit_new",
)


@dataclass
class SourceReport:
    path: Path
    name: str
    sha256: str
    codebook: str  # the mapping name its codes were remapped by ("key" when by key)
    counts: dict[str, int] = field(default_factory=dict)


@dataclass
class ProjectMerge:
    output: Path
    sources: list[SourceReport]
    totals: dict[str, int]


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _source_name(project: Project) -> str:
    return project.meta("name") or project.path.stem


def _check_paths(sources: list[Path], output: Path) -> None:
    if not sources:
        raise CoderError("give at least one project to merge")
    seen: dict[Path, Path] = {}
    for path in sources:
        if not path.is_file():
            raise CoderError(f"no project at {path}")
        resolved = path.resolve()
        if resolved in seen:
            raise CoderError(f"{path} is given twice")
        seen[resolved] = path
    if output.suffix != PROJECT_SUFFIX:
        raise CoderError(f"the merged project is a {PROJECT_SUFFIX} file: {output}")
    if output.exists():
        raise CoderError(f"{output} already exists; merging always builds a new project")
    if output.resolve() in seen:
        raise CoderError("the merged project cannot be one of its inputs")


def _code_usage(project: Project) -> dict[str, tuple[int, int]]:
    """Code key → (codings, memos) using it."""
    usage: dict[str, list[int]] = {}
    for key, n in project.db.execute(
        "SELECT k.key, count(*) FROM codings c JOIN codes k ON k.id = c.code_id GROUP BY k.key"
    ).fetchall():
        usage.setdefault(key, [0, 0])[0] = n
    for key, n in project.db.execute(
        "SELECT k.key, count(*) FROM memos m JOIN codes k ON k.id = m.code_id GROUP BY k.key"
    ).fetchall():
        usage.setdefault(key, [0, 0])[1] = n
    return {k: (v[0], v[1]) for k, v in usage.items()}


def _plan_codes(
    projects: list[Project], codebook: Path | None, mapping: Path | None
) -> tuple[Codebook, list[dict[str, str]], list[str], list[str]]:
    """The merged codebook, each source's {source key: merged key}, the mapping name used, problems."""
    from coder.codebook import load_codebook, project_codebook

    problems: list[str] = []
    code_maps: list[dict[str, str]] = []
    used_names: list[str] = []
    if codebook is None:
        if mapping is not None:
            raise CoderError("--mapping needs --codebook (the merged codebook the mapping leads to)")
        books = []
        for project in projects:
            book = project_codebook(project)
            book.name = _source_name(project)  # unique per source, unlike installed codebook names
            books.append(book)
        names = [b.name for b in books]
        if len(set(names)) != len(names):
            raise CoderError("two of the projects have the same name; rename a file (its stem is its name)")
        shared = {p.meta("codebook_name") for p in projects}
        merged = merge_codebooks(books, threshold=100.0, name=shared.pop() if len(shared) == 1 else "merged",
                                 key_only=True).codebook
        for book in books:
            code_maps.append({c.key: c.key for c in book.codes})
            used_names.append("key")
        return merged, code_maps, used_names, problems

    merged = load_codebook(codebook)
    merged_keys = {c.key for c in merged.codes}
    by_codebook = None
    if mapping is not None:
        rows = read_mapping(mapping)
        by_codebook = mapping_by_codebook(rows)
        # Provenance from the merged YAML, completed from the mapping (which the lead may have edited).
        absorbed: dict[str, list[str]] = {}
        for row in rows:
            absorbed.setdefault(row.merged_key, []).append(f"{row.source_codebook}:{row.source_key}")
        for code in merged.codes:
            for entry in absorbed.get(code.key, []):
                if entry not in code.provenance:
                    code.provenance.append(entry)
    for project in projects:
        name = project.path.name
        source_keys = [c["key"] for c in project.codes()]
        usage = _code_usage(project)
        candidates = [c for c in dict.fromkeys([project.meta("codebook_name"), project.path.stem]) if c]
        present = [c for c in candidates if by_codebook and c in by_codebook]
        # The first name whose rows cover every code in use; else the first name with rows at all.
        chosen = next((c for c in present if all(k in by_codebook[c] for k in usage)), None)
        chosen = chosen or (present[0] if present else None)
        if chosen is not None:
            rows = by_codebook[chosen]
            code_map = {}
            for key in source_keys:
                target = rows.get(key)
                if target is not None and target not in merged_keys:
                    problems.append(f"{name}: the mapping sends {key} to {target}, which {codebook.name} lacks")
                elif target is not None:
                    code_map[key] = target
        else:
            # No rows for this codebook: fine when the project is already on the merged codebook
            # (or no mapping was given at all); its codes then map by key.
            chosen = "key"
            if by_codebook is not None and project.meta("codebook_name") != merged.name:
                code_map = {}
            else:
                code_map = {k: k for k in source_keys if k in merged_keys}
        unmapped = sorted(k for k in usage if k not in code_map)
        categories = {c.key for c in merged.codes if not c.codable}
        for key in sorted(k for k in usage if usage[k][0] and code_map.get(k) in categories):
            problems.append(
                f"{name}: code {key} goes to {code_map[key]}, a category in {codebook.name} that cannot hold "
                f"codings ({usage[key][0]} codings)"
            )
        if unmapped and chosen == "key" and by_codebook is not None and not code_map:
            problems.append(
                f"{name}: no mapping rows for its codebook "
                f"({' or '.join(repr(c) for c in candidates)})"
            )
        for key in unmapped:
            codings, memos = usage[key]
            problems.append(f"{name}: code {key} has no mapping ({codings} codings, {memos} memos)")
        code_maps.append(code_map)
        used_names.append(chosen)
    return merged, code_maps, used_names, problems


def _plan_documents(projects: list[Project]) -> list[str]:
    """Documents present in two sources with the same sha256 but different text."""
    seen: dict[str, tuple[str, str]] = {}  # sha256 → (project, digest of text)
    problems = []
    for project in projects:
        for sha, title, text in project.db.execute("SELECT sha256, title, text FROM documents ORDER BY id"):
            digest = hashlib.sha256(text.encode("utf-8")).hexdigest()
            first = seen.setdefault(sha, (project.path.name, digest))
            if first[1] != digest:
                problems.append(
                    f"{project.path.name}: document {title!r} has different text in {first[0]} "
                    "(redacted in one of them?) — review and redact it the same way in both"
                )
    return problems


def _common(values: list[str | None]) -> str | None:
    distinct = set(values)
    return distinct.pop() if len(distinct) == 1 else None


def merge_projects(
    sources: list[str | Path],
    output: str | Path,
    *,
    codebook: str | Path | None = None,
    mapping: str | Path | None = None,
    progress: Progress | None = None,
) -> ProjectMerge:
    """Build `output`, a new project holding everything in `sources`. See the module docstring."""
    paths = [Path(p) for p in sources]
    output = Path(output)
    _check_paths(paths, output)
    hashes = [file_sha256(p) for p in paths]
    projects: list[Project] = []
    try:
        for path in paths:
            projects.append(open_project(path, readonly=True))
        merged_book, code_maps, used_names, problems = _plan_codes(
            projects, Path(codebook) if codebook else None, Path(mapping) if mapping else None
        )
        problems += _plan_documents(projects)
        if problems:
            raise CoderError(
                f"cannot merge: {len(problems)} problems\n  " + "\n  ".join(problems)
            )
        total = sum(
            p.db.execute("SELECT (SELECT count(*) FROM documents) + (SELECT count(*) FROM codings)").fetchone()[0]
            for p in projects
        )
        out = create_project(
            output,
            country=_common([p.country for p in projects]),
            language=_common([p.language for p in projects]),
        )
        try:
            from coder.codebook import install_codebook

            install_codebook(out, merged_book)
            out.set_meta("merged_from", json.dumps([_source_name(p) for p in projects], ensure_ascii=False))
            copier = _Copier(out, total, progress)
            reports = []
            for project, path, sha, code_map, used in zip(projects, paths, hashes, code_maps, used_names):
                report = SourceReport(path, _source_name(project), sha, used)
                copier.copy(project, code_map, report)
                reports.append(report)
        except BaseException:
            out.close()
            for suffix in ("", "-wal", "-shm"):
                Path(str(output) + suffix).unlink(missing_ok=True)
            raise
        totals = {
            table: out.db.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
            for table in ("documents", "codes", "codings", "memos", "flags", "allowlist")
        }
        out.close()
    finally:
        for project in projects:
            project.close()
    # Never read-only-opened files changed: say so loudly if something did.
    for path, sha in zip(paths, hashes):
        if file_sha256(path) != sha:
            raise CoderError(f"{path} changed while it was being merged; merge again")
    return ProjectMerge(output, reports, totals)


class _Copier:
    """Copies sources into the new project, remembering what it holds for deduplication."""

    def __init__(self, out: Project, total: int, progress: Progress | None):
        self.out = out
        self.total = total
        self.done = 0
        self.progress = progress
        self.doc_by_sha: dict[str, int] = {}
        self.doc_sources: dict[int, list[str]] = {}
        self.next_doc = 1
        self.code_ids = {key: id_ for id_, key in out.db.execute("SELECT id, key FROM codes")}
        self.memo_keys: set[tuple] = set()
        self.flag_keys: set[tuple] = set()
        self.audit_keys: set[tuple] = set()

    def tick(self, n: int, what: str) -> None:
        self.done += n
        if self.progress:
            self.progress(self.done, self.total, what)

    def copy(self, source: Project, code_map: dict[str, str], report: SourceReport) -> None:
        db = self.out.db
        name = report.name
        counts: Counter[str] = Counter({key: 0 for key in COUNTS})
        with self.out.transaction():
            doc_ids = self._documents(source, name, counts)
            code_ids = {
                id_: self.code_ids[code_map[key]]
                for id_, key in source.db.execute("SELECT id, key FROM codes")
                if key in code_map
            }
            before = db.execute("SELECT count(*) FROM codings").fetchone()[0]
            batch: list[tuple] = []
            for row in source.db.execute(
                'SELECT document_id, start, "end", code_id, coder, memo, translation, created, updated '
                "FROM codings ORDER BY id"
            ):
                batch.append((doc_ids[row[0]], row[1], row[2], code_ids[row[3]], *row[4:]))
                if len(batch) >= 5000:
                    self._insert_codings(batch)
                    counts["codings"] += len(batch)
                    self.tick(len(batch), f"{name}: codings")
                    batch = []
            self._insert_codings(batch)
            counts["codings"] += len(batch)
            self.tick(len(batch), f"{name}: codings")
            counts["codings_new"] = db.execute("SELECT count(*) FROM codings").fetchone()[0] - before
            self._memos(source, doc_ids, code_ids, counts)
            self._flags(source, doc_ids, counts)
            before = db.execute("SELECT count(*) FROM allowlist").fetchone()[0]
            db.conn.executemany(
                "INSERT OR IGNORE INTO allowlist (term, type, added_by, added_at) VALUES (?, ?, ?, ?)",
                source.db.execute("SELECT term, type, added_by, added_at FROM allowlist ORDER BY term").fetchall(),
            )
            counts["allowlist_new"] = db.execute("SELECT count(*) FROM allowlist").fetchone()[0] - before
            self._audit(source, name, counts)
            report.counts = dict(counts)
            coders = [r[0] for r in source.db.execute("SELECT DISTINCT coder FROM codings ORDER BY coder")]
            self.out.audit(
                "merge.source",
                str(report.path.resolve()),
                {"name": name, "sha256": report.sha256, "codebook": report.codebook, "coders": coders, **counts},
            )

    def _documents(self, source: Project, name: str, counts: Counter[str]) -> dict[int, int]:
        db = self.out.db
        country = source.country
        doc_ids: dict[int, int] = {}
        fresh: list[tuple] = []
        touched: list[int] = []
        columns = ", ".join(DOCUMENT_COLUMNS)
        for row in source.db.execute(f"SELECT id, {columns} FROM documents ORDER BY id"):
            record = dict(zip(DOCUMENT_COLUMNS, row[1:]))
            counts["documents"] += 1
            existing = self.doc_by_sha.get(record["sha256"])
            if existing is not None:
                doc_ids[row[0]] = existing
                known = self.doc_sources[existing]
                if name not in known:
                    known.append(name)
                    touched.append(existing)
                continue
            attributes = json.loads(record["attributes"] or "{}")
            origins = [str(x) for x in attributes.get("source_projects") or []] or [name]
            attributes["source_projects"] = origins
            record["attributes"] = json.dumps(attributes, ensure_ascii=False)
            record["country"] = record["country"] or country
            new_id = self.next_doc
            self.next_doc += 1
            self.doc_by_sha[record["sha256"]] = new_id
            self.doc_sources[new_id] = origins
            doc_ids[row[0]] = new_id
            fresh.append((new_id, *record.values()))
            counts["documents_new"] += 1
        db.conn.executemany(
            f"INSERT INTO documents (id, {columns}) VALUES ({', '.join('?' * (len(DOCUMENT_COLUMNS) + 1))})",
            fresh,
        )
        for doc_id in dict.fromkeys(touched):
            attributes = json.loads(
                db.execute("SELECT attributes FROM documents WHERE id = ?", [doc_id]).fetchone()[0]
            )
            attributes["source_projects"] = self.doc_sources[doc_id]
            db.execute(
                "UPDATE documents SET attributes = ? WHERE id = ?",
                [json.dumps(attributes, ensure_ascii=False), doc_id],
            )
        self.tick(counts["documents"], f"{name}: documents")
        return doc_ids

    def _insert_codings(self, batch: list[tuple]) -> None:
        self.out.db.conn.executemany(
            'INSERT OR IGNORE INTO codings (document_id, start, "end", code_id, coder, memo, translation, '
            "created, updated) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            batch,
        )

    def _memos(self, source: Project, doc_ids: dict[int, int], code_ids: dict[int, int], counts: Counter[str]) -> None:
        fresh = []
        for document_id, code_id, text, author, created, updated in source.db.execute(
            "SELECT document_id, code_id, text, author, created, updated FROM memos ORDER BY id"
        ):
            counts["memos"] += 1
            record = (
                doc_ids[document_id] if document_id is not None else None,
                code_ids[code_id] if code_id is not None else None,
                text,
                author,
            )
            if record in self.memo_keys:
                continue
            self.memo_keys.add(record)
            fresh.append((*record, created, updated))
        counts["memos_new"] += len(fresh)
        self.out.db.conn.executemany(
            "INSERT INTO memos (document_id, code_id, text, author, created, updated) VALUES (?, ?, ?, ?, ?, ?)",
            fresh,
        )

    def _flags(self, source: Project, doc_ids: dict[int, int], counts: Counter[str]) -> None:
        fresh = []
        for row in source.db.execute(
            'SELECT document_id, start, "end", type, score, reason, status, origin, created, reviewed_by, '
            "reviewed_at FROM flags ORDER BY id"
        ):
            counts["flags"] += 1
            record = (doc_ids[row[0]], *row[1:])
            identity = (record[0], record[1], record[2], record[3], record[6])
            if identity in self.flag_keys:
                continue
            self.flag_keys.add(identity)
            fresh.append(record)
        counts["flags_new"] += len(fresh)
        self.out.db.conn.executemany(
            'INSERT INTO flags (document_id, start, "end", type, score, reason, status, origin, created, '
            "reviewed_by, reviewed_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            fresh,
        )

    def _audit(self, source: Project, name: str, counts: Counter[str]) -> None:
        fresh = []
        for at, who, action, target, details in source.db.execute(
            "SELECT at, who, action, target, details FROM audit ORDER BY id"
        ):
            try:
                parsed: Any = json.loads(details or "{}")
            except ValueError:
                parsed = {"details": details}
            if not isinstance(parsed, dict):
                parsed = {"details": parsed}
            parsed.setdefault("merged_from", name)
            record = (at, who, action, target, json.dumps(parsed, ensure_ascii=False, sort_keys=True))
            if record in self.audit_keys:
                continue
            self.audit_keys.add(record)
            fresh.append(record)
        counts["audit_new"] = len(fresh)
        self.out.db.conn.executemany(
            "INSERT INTO audit (at, who, action, target, details) VALUES (?, ?, ?, ?, ?)", fresh
        )
