"""Identifier flags in a project: scanning, listing and reviewing them (redact, dismiss, adjust, mark).

Flags store a position, type, score and reason, never the flagged text: the text is read from the
document when a flag is listed, so a redaction leaves no copy behind. Every review action is one
committed transaction and is audited with the reviewer's name (never with identifier text).
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable, Iterable
from typing import Any

from coder.errors import CoderError, NotFound
from coder.redaction import (
    Plan, any_term_pattern, mask_placeholders, placeholder_spans, plan_redaction, scrub, term_key, term_pattern,
)
from coder.store import FLAG_TYPES, Project, now

LANGS = ("es", "en", "sq", "ro", "bs", "hr", "sr", "ru")
LANGUAGE_NAMES = {
    "spanish": "es", "español": "es", "espanol": "es", "castellano": "es",
    "english": "en", "inglés": "en",
    "albanian": "sq", "shqip": "sq", "al": "sq",
    "romanian": "ro", "română": "ro", "romana": "ro", "moldovan": "ro", "mo": "ro",
    "bosnian": "bs", "bosanski": "bs", "croatian": "hr", "hrvatski": "hr",
    "serbian": "sr", "srpski": "sr", "russian": "ru", "русский": "ru",
}

Detector = Callable[..., list]
Progress = Callable[[int, int], None]


def detector() -> Detector:
    """`coder.identify.detect`, looked up at call time (so tests can replace it); a CoderError when
    detection is not available. Every caller (scan, gate) goes through this one lookup."""
    try:
        from coder import identify
    except ImportError as exc:
        raise CoderError(f"identifier detection is not available: {exc}") from None
    detect = getattr(identify, "detect", None)
    if detect is None:
        raise CoderError("identifier detection is not available: coder.identify has no detect()")
    return detect


def _lang_code(value: str | None) -> str | None:
    if not value:
        return None
    value = value.strip().lower()
    code = value.replace("_", "-").split("-")[0]
    if code in LANGS:
        return code
    return LANGUAGE_NAMES.get(value) or LANGUAGE_NAMES.get(code)


def document_language(project: Project, document: dict[str, Any]) -> str:
    """The language to scan a document in: its own, else the project's, else detected from its text."""
    lang = _lang_code(document.get("language")) or _lang_code(project.language)
    return lang or text_language(document["text"])


def text_language(text: str, default: str = "es") -> str:
    """The language of a text, detected from the text itself (`default` when undecided)."""
    from coder.identify import detect_language

    return _lang_code(detect_language(text)) or default


def run_detector(detect: Detector, text: str, lang: str, model: str | None = None) -> list:
    """Findings of `detect` on `text`, with placeholders blanked so "[PERSON 1]" is never a name."""
    text = mask_placeholders(text)
    return detect(text, lang, model=model) if model else detect(text, lang)


# -- what counts as already reviewed --------------------------------------------------------------


def allowlist(project: Project) -> list[dict[str, Any]]:
    """The project's allowlist: terms never flagged, with who added them and when."""
    cursor = project.db.execute("SELECT term, type, added_by, added_at FROM allowlist ORDER BY term")
    names = [d[0] for d in cursor.description]
    return [dict(zip(names, r)) for r in cursor.fetchall()]


def allowed_terms(project: Project) -> set[str]:
    """The allowlisted terms, compared as `term_key` compares them."""
    return {term_key(r[0]) for r in project.db.execute("SELECT term FROM allowlist").fetchall()}


class Coverage:
    """What in one document needs no new flag: reviewed spans, placeholders, allowlisted terms."""

    def __init__(self, project: Project, document_id: int, text: str, allowed: set[str]):
        self.text = text
        self.allowed = allowed
        rows = project.db.execute(
            'SELECT start, "end", status FROM flags WHERE document_id = ?', [document_id]
        ).fetchall()
        self.reviewed = [(s, e) for s, e, status in rows if status != "open"]
        self.placeholders = placeholder_spans(text)
        self.open = {(s, e) for s, e, status in rows if status == "open"}

    def covers(self, start: int, end: int) -> bool:
        if term_key(self.text[start:end]) in self.allowed:
            return True
        return any(s <= start and end <= e for s, e in self.reviewed + self.placeholders)

    def is_open(self, start: int, end: int) -> bool:
        """Already inside an open flag (the same span or a wider one)."""
        return (start, end) in self.open or any(s <= start and end <= e for s, e in self.open)

    def needs_flag(self, start: int, end: int) -> bool:
        """Neither reviewed nor already open: a finding here must become a new open flag."""
        return not self.covers(start, end) and not self.is_open(start, end)


def _safe_reason(reason: str | None, term: str) -> str | None:
    """A detector's reason must not carry a copy of the flagged text into the flags table."""
    if not reason:
        return reason
    pattern = term_pattern(term)
    if pattern is not None:
        reason = pattern.sub("…", reason)
    return reason.replace(term, "…") if term.strip() else reason


def _insert_flag(
    project: Project, document_id: int, start: int, end: int, type_: str, *,
    score: float = 1.0, reason: str | None = None, origin: str = "detector",
) -> int:
    cursor = project.db.execute(
        'INSERT INTO flags (document_id, start, "end", type, score, reason, status, origin, created) '
        "VALUES (?, ?, ?, ?, ?, ?, 'open', ?, ?)",
        [document_id, start, end, type_, score, reason, origin, now()],
    )
    return cursor.lastrowid


def store_findings(
    project: Project, document_id: int, text: str, findings: Iterable[Any], *,
    offset: int = 0, allowed: set[str] | None = None, dismissals_cover: bool = True,
) -> list[int]:
    """Store detector findings on a document as open flags, skipping what is reviewed or already open.

    `offset` shifts findings made on a passage starting there. Without `dismissals_cover`, only
    placeholders and open flags count as covering. Call inside a transaction.
    """
    coverage = Coverage(project, document_id, text, allowed_terms(project) if allowed is None else allowed)
    if not dismissals_cover:
        coverage.allowed, coverage.reviewed = set(), []
    new_ids = []
    for f in findings:
        start, end = f.start + offset, f.end + offset
        if not (0 <= start < end <= len(text)):
            continue
        if not coverage.needs_flag(start, end):
            continue
        type_ = f.type if f.type in FLAG_TYPES else "ID"
        new_ids.append(
            _insert_flag(
                project, document_id, start, end, type_,
                score=float(getattr(f, "score", 1.0) or 0.0),
                reason=_safe_reason(getattr(f, "reason", None), text[start:end]),
            )
        )
        coverage.open.add((start, end))
    return new_ids


# -- scanning -------------------------------------------------------------------------------------


def scan_documents(
    project: Project,
    document_ids: Iterable[int] | None = None,
    *,
    progress: Progress | None = None,
    model: str | None = None,
    detect: Detector | None = None,
) -> int:
    """Run the detector on documents (all by default) and store new open flags. Returns how many.

    `progress(done, total)` is called after each document. Each document is committed on its own,
    so an interrupted scan keeps what it found.
    """
    detect = detect or detector()
    if document_ids is None:
        ids = [r[0] for r in project.db.execute("SELECT id FROM documents ORDER BY id").fetchall()]
    else:
        ids = [project.document(d)["id"] for d in document_ids]
    allowed = allowed_terms(project)
    total = 0
    for done, document_id in enumerate(ids, 1):
        document = project.document(document_id)
        lang = document_language(project, document)
        findings = run_detector(detect, document["text"], lang, model)
        with project.transaction():
            total += len(store_findings(project, document_id, document["text"], findings, allowed=allowed))
        if progress is not None:
            progress(done, len(ids))
    with project.transaction():
        project.audit("flags.scan", None, {"documents": len(ids), "new_flags": total, "model": model})
    return total


# -- listing --------------------------------------------------------------------------------------

_FLAG_COLUMNS = (
    'f.id, f.document_id, d.title, f.start, f."end", f.type, f.score, f.reason, f.status, f.origin, '
    "f.created, f.reviewed_by, f.reviewed_at, "
    'substr(d.text, f.start + 1, f."end" - f.start) AS text'
)


def flags(
    project: Project, *, document_id: int | None = None, status: str | None = None
) -> list[dict[str, Any]]:
    """Flags with their document title and the text at their span (the placeholder once redacted)."""
    where, params = [], []
    if document_id is not None:
        where.append("f.document_id = ?")
        params.append(document_id)
    if status is not None:
        where.append("f.status = ?")
        params.append(status)
    sql = f"SELECT {_FLAG_COLUMNS} FROM flags f JOIN documents d ON d.id = f.document_id"
    if where:
        sql += " WHERE " + " AND ".join(where)
    cursor = project.db.execute(sql + ' ORDER BY f.document_id, f.start, f."end", f.id', params)
    names = [d[0] for d in cursor.description]
    return [dict(zip(names, r)) for r in cursor.fetchall()]


def open_flags(project: Project, document_id: int | None = None) -> list[dict[str, Any]]:
    return flags(project, document_id=document_id, status="open")


def flag(project: Project, flag_id: int) -> dict[str, Any]:
    """One flag as `flags` lists it; NotFound when there is none."""
    return _flags(project, [flag_id])[0]


def _flags(project: Project, flag_ids: Iterable[int]) -> list[dict[str, Any]]:
    """These flags (a few hundred per query), in the order given; NotFound names a missing one."""
    ids = list(dict.fromkeys(int(i) for i in flag_ids))
    if not ids:
        raise CoderError("name at least one flag")
    found: dict[int, dict[str, Any]] = {}
    for chunk in range(0, len(ids), 500):
        part = ids[chunk:chunk + 500]
        cursor = project.db.execute(
            f"SELECT {_FLAG_COLUMNS} FROM flags f JOIN documents d ON d.id = f.document_id "
            f"WHERE f.id IN ({', '.join('?' for _ in part)})",
            part,
        )
        names = [d[0] for d in cursor.description]
        found.update((row[0], dict(zip(names, row))) for row in cursor.fetchall())
    missing = next((i for i in ids if i not in found), None)
    if missing is not None:
        raise NotFound(f"no flag {missing}")
    return [found[i] for i in ids]


def check_span(project: Project, document_id: int, start: int, end: int) -> dict[str, Any]:
    """The document, once start..end is a non-empty span inside its text (else a CoderError)."""
    return project.document_span(document_id, start, end)


def _check_type(type_: str) -> str:
    if type_.upper() not in FLAG_TYPES:
        raise CoderError(f"identifier type must be one of {', '.join(FLAG_TYPES)}, not {type_!r}")
    return type_.upper()


# -- review actions -------------------------------------------------------------------------------


def mark(project: Project, document_id: int, start: int, end: int, type: str) -> int:
    """Flag text the detector missed (origin manual). Returns the flag id (an open one if already there)."""
    type_ = _check_type(type)
    document = check_span(project, document_id, start, end)
    if any(s <= start and end <= e for s, e in placeholder_spans(document["text"])):
        raise CoderError(f"{start}-{end} is inside a placeholder: that text is already redacted")
    with project.transaction():
        existing = project.db.execute(
            'SELECT id FROM flags WHERE document_id = ? AND start = ? AND "end" = ? AND status = ?',
            [document["id"], start, end, "open"],
        ).fetchone()
        if existing:
            project.db.execute("UPDATE flags SET type = ? WHERE id = ?", [type_, existing[0]])
            return existing[0]
        flag_id = _insert_flag(
            project, document["id"], start, end, type_, reason="marked by a reviewer", origin="manual"
        )
        project.audit(
            "flag.mark", f"flag:{flag_id}",
            {"document": document["id"], "start": start, "end": end, "type": type_},
        )
    return flag_id


def adjust_flag(project: Project, flag_id: int, start: int, end: int) -> None:
    """Widen or narrow an open flag's span."""
    current = flag(project, flag_id)
    if current["status"] != "open":
        raise CoderError(f"flag {flag_id} is {current['status']}; only open flags can be adjusted")
    check_span(project, current["document_id"], start, end)
    with project.transaction():
        project.db.execute('UPDATE flags SET start = ?, "end" = ? WHERE id = ?', [start, end, flag_id])
        project.audit(
            "flag.adjust", f"flag:{flag_id}",
            {"from": [current["start"], current["end"]], "to": [start, end]},
        )


def dismiss(project: Project, flag_ids: Iterable[int], *, everywhere: bool = False) -> int:
    """Dismiss flags (not identifiers). With `everywhere`, remember each term in the project
    allowlist and dismiss every open flag on it in every document. Returns how many were dismissed."""
    chosen = _flags(project, flag_ids)
    for f in chosen:
        if f["status"] == "redacted":
            raise CoderError(f"flag {f['id']} is already redacted")
    stamp, who = now(), project.coder
    with project.transaction():
        ids = {f["id"] for f in chosen}
        if everywhere:
            terms = {term_key(f["text"]): f for f in chosen if f["text"].strip()}
            for key, f in terms.items():
                _add_to_allowlist(project, key, f["type"], who, stamp)
            ids |= {f["id"] for f in open_flags(project) if term_key(f["text"]) in terms}
        _set_dismissed(project, sorted(ids), who, stamp)
        project.audit(
            "flag.dismiss", None,
            {"flags": sorted(ids), "everywhere": everywhere, "allowlisted": len(terms) if everywhere else 0},
        )
    return len(ids)


def _add_to_allowlist(project: Project, key: str, type_: str | None, who: str, stamp: str) -> None:
    project.db.execute(
        "INSERT INTO allowlist (term, type, added_by, added_at) VALUES (?, ?, ?, ?) "
        "ON CONFLICT(term) DO NOTHING",
        [key, type_, who, stamp],
    )


def _set_dismissed(project: Project, flag_ids: Iterable[int], who: str, stamp: str) -> None:
    project.db.conn.executemany(
        "UPDATE flags SET status = 'dismissed', reviewed_by = ?, reviewed_at = ? WHERE id = ?",
        [(who, stamp, i) for i in flag_ids],
    )


def allow_term(project: Project, term: str, type: str | None = None) -> int:
    """Add a term to the allowlist by hand and dismiss its open flags. Returns flags dismissed."""
    key = term_key(term)
    if not key:
        raise CoderError("the term is empty")
    stamp, who = now(), project.coder
    with project.transaction():
        _add_to_allowlist(project, key, _check_type(type) if type else None, who, stamp)
        ids = [f["id"] for f in open_flags(project) if term_key(f["text"]) == key]
        _set_dismissed(project, ids, who, stamp)
        project.audit("allowlist.add", None, {"dismissed_flags": len(ids)})
    return len(ids)


def disallow_term(project: Project, term: str) -> None:
    """Remove a term from the allowlist: it will be flagged again by the next scan."""
    with project.transaction():
        if project.db.execute("DELETE FROM allowlist WHERE term = ?", [term_key(term)]).rowcount == 0:
            raise NotFound("that term is not in the allowlist")
        project.audit("allowlist.remove", None, {})


# -- redaction ------------------------------------------------------------------------------------


def redact(project: Project, flag_ids: Iterable[int], *, vacuum: bool = True) -> dict[str, int]:
    """Replace flagged text by numbered placeholders, irreversibly and everywhere in the project file.

    Every other occurrence of a redacted term in the same document is replaced too, with the same
    number; codings, flags and memos of the document follow. Other documents that contain the term
    get new open flags. Afterwards the search index is rebuilt, the WAL emptied and (with `vacuum`)
    the file rewritten, so the original characters are nowhere in it.
    Returns counts: flags, replacements, documents, flagged_elsewhere.
    """
    chosen = [f for f in _flags(project, flag_ids) if f["status"] != "redacted"]
    by_document: dict[int, list[dict[str, Any]]] = {}
    for f in chosen:
        by_document.setdefault(f["document_id"], []).append(f)
    result = {"flags": 0, "replacements": 0, "documents": len(by_document), "flagged_elsewhere": 0}
    if not by_document:
        return result
    stamp, who = now(), project.coder
    scrub_terms: dict[str, str] = {}
    with project.transaction():
        plans: dict[int, Plan] = {}
        for document_id, doc_flags in by_document.items():
            document = project.document(document_id)
            plan = plan_redaction(document["text"], [(f["start"], f["end"], f["type"]) for f in doc_flags])
            plans[document_id] = plan
            _apply_plan(project, document, plan, who, stamp)
            scrub_terms.update(plan.placeholders)
            result["flags"] += len(doc_flags)
            result["replacements"] += len(plan.replacements)
            project.audit(
                "flag.redact", f"document:{document_id}",
                {
                    "flags": [f["id"] for f in doc_flags],
                    "replacements": len(plan.replacements),
                    "placeholders": sorted({r.placeholder for r in plan.replacements}),
                },
                who=who,
            )
        # Scrub first: a redacted term leaves the allowlist, so its other occurrences get flagged.
        _scrub_project(project, scrub_terms)
        result["flagged_elsewhere"] = _flag_elsewhere(project, plans)
        scrub_terms.clear()
        project.db.execute("INSERT INTO documents_fts (documents_fts) VALUES ('rebuild')")
        project.db.execute("INSERT INTO documents_fts (documents_fts) VALUES ('optimize')")
    purge(project, vacuum=vacuum)
    return result


def _apply_plan(project: Project, document: dict[str, Any], plan: Plan, who: str, stamp: str) -> None:
    document_id = document["id"]
    project.set_document_text(document_id, plan.text)
    terms = plan.placeholders
    for column in ("title", "source", "participant", "facilitator"):
        value = document.get(column)
        cleaned = scrub(value, terms)
        if cleaned != value:
            project.db.execute(f"UPDATE documents SET {column} = ? WHERE id = ?", [cleaned, document_id])
    attributes = _scrub_values(document.get("attributes") or {}, terms)
    if attributes != document.get("attributes"):
        project.db.execute(
            "UPDATE documents SET attributes = ? WHERE id = ?",
            [json.dumps(attributes, ensure_ascii=False), document_id],
        )
    _shift_codings(project, document_id, plan, terms)
    for flag_id, start, end, status in project.db.execute(
        'SELECT id, start, "end", status FROM flags WHERE document_id = ?', [document_id]
    ).fetchall():
        swallowed = plan.replaced_within(start, end)
        if swallowed is not None:
            project.db.execute(
                'UPDATE flags SET start = ?, "end" = ?, status = \'redacted\', reviewed_by = ?, '
                "reviewed_at = ? WHERE id = ?",
                [swallowed.new_start, swallowed.new_end, who, stamp, flag_id],
            )
        else:
            new_start, new_end = plan.map_span(start, end)
            if (new_start, new_end) != (start, end):
                project.db.execute(
                    'UPDATE flags SET start = ?, "end" = ? WHERE id = ?', [new_start, new_end, flag_id]
                )
    for memo_id, text in project.db.execute(
        "SELECT id, text FROM memos WHERE document_id = ?", [document_id]
    ).fetchall():
        cleaned = scrub(text, terms)
        if cleaned != text:
            project.db.execute("UPDATE memos SET text = ? WHERE id = ?", [cleaned, memo_id])


def _scrub_values(value: Any, terms: dict[str, str]) -> Any:
    if isinstance(value, str):
        return scrub(value, terms)
    if isinstance(value, dict):
        return {k: _scrub_values(v, terms) for k, v in value.items()}
    if isinstance(value, list):
        return [_scrub_values(v, terms) for v in value]
    return value


def _shift_codings(project: Project, document_id: int, plan: Plan, terms: dict[str, str]) -> None:
    """Move codings so each covers the same text, placeholders in place of identifiers."""
    rows = project.db.execute(
        'SELECT id, start, "end", code_id, coder, memo, translation FROM codings '
        "WHERE document_id = ? ORDER BY id",
        [document_id],
    ).fetchall()
    if not rows:
        return
    survivors: dict[tuple, list] = {}
    merged: list[int] = []
    for coding_id, start, end, code_id, coder, memo, translation in rows:
        span = plan.map_span(start, end)
        memo, translation = scrub(memo, terms), scrub(translation, terms)
        key = (span, code_id, coder)
        if key in survivors:
            # Two codings of one code by one coder now cover the same placeholder: keep one.
            kept = survivors[key]
            kept[3] = "\n".join(x for x in dict.fromkeys([kept[3], memo]) if x) or None
            kept[4] = "\n".join(x for x in dict.fromkeys([kept[4], translation]) if x) or None
            merged.append(coding_id)
        else:
            survivors[key] = [coding_id, span[0], span[1], memo, translation]
    if merged:
        project.db.conn.executemany("DELETE FROM codings WHERE id = ?", [(i,) for i in merged])
        project.audit("coding.merge", f"document:{document_id}", {"removed": merged})
    # Park every coding beyond any offset first, so no intermediate state breaks the UNIQUE span rule.
    park = max(len(plan.text), max(r[2] for r in rows)) + 1
    project.db.execute(
        'UPDATE codings SET start = start + ?, "end" = "end" + ? WHERE document_id = ?',
        [park, park, document_id],
    )
    project.db.conn.executemany(
        'UPDATE codings SET start = ?, "end" = ?, memo = ?, translation = ? WHERE id = ?',
        [(s, e, memo, translation, i) for i, s, e, memo, translation in survivors.values()],
    )


def _flag_elsewhere(project: Project, plans: dict[int, Plan]) -> int:
    """Open a flag on each occurrence of a redacted term in the other documents."""
    patterns = []
    for document_id, plan in plans.items():
        for spelling, placeholder in plan.placeholders.items():
            pattern = term_pattern(spelling)
            if pattern is not None:
                patterns.append((document_id, pattern, placeholder.strip("[]").split()[0]))
    if not patterns:
        return 0
    candidates = _documents_matching(project, [s for plan in plans.values() for s in plan.placeholders])
    count = 0
    for document_id, text in _texts(project, sorted(candidates)):
        findings = []
        for source_id, pattern, type_ in patterns:
            if source_id == document_id:
                continue
            findings += [
                _Finding(m.start(), m.end(), type_, "same term as an identifier redacted in another document")
                for m in pattern.finditer(text)
            ]
        if findings:
            # A term redacted as an identifier overrides earlier dismissals of it elsewhere.
            count += len(store_findings(project, document_id, text, findings, dismissals_cover=False))
    return count


def _texts(project: Project, document_ids: list[int]) -> Iterable[tuple[int, str]]:
    """(id, text) of these documents, a few hundred per query."""
    for chunk in range(0, len(document_ids), 500):
        part = document_ids[chunk:chunk + 500]
        yield from project.db.execute(
            f"SELECT id, text FROM documents WHERE id IN ({', '.join('?' for _ in part)}) ORDER BY id", part
        ).fetchall()


def _documents_matching(project: Project, terms: list[str]) -> set[int]:
    """Documents that may contain any of the terms: the search index narrows, the regex decides.

    The index tokenizes the quoted term the way it tokenized the documents, so it finds a superset.
    """
    found: set[int] = set()
    for term in terms:
        try:
            found |= {
                r[0] for r in project.db.execute(
                    "SELECT rowid FROM documents_fts WHERE documents_fts MATCH ?",
                    ['"' + term.replace('"', '""') + '"'],
                ).fetchall()
            }
        except sqlite3.OperationalError:  # a term the index cannot search: read every document
            return {r[0] for r in project.db.execute("SELECT id FROM documents").fetchall()}
    return found


class _Finding:
    __slots__ = ("start", "end", "type", "score", "reason")

    def __init__(self, start: int, end: int, type_: str, reason: str, score: float = 1.0):
        self.start, self.end, self.type, self.reason, self.score = start, end, type_, reason, score


def _scrub_project(project: Project, terms: dict[str, str]) -> None:
    """Remove redacted terms from free text outside documents: flag reasons, audit, allowlist."""
    if not terms:
        return
    combined = any_term_pattern(terms)
    if combined is None:
        return

    def contains(value: str | None) -> int:
        return int(bool(value) and combined.search(value) is not None)

    project.db.conn.create_function("coder_redacted_term_in", 1, contains, deterministic=True)
    try:
        for table, key, columns in (
            ("flags", "id", ("reason",)),
            ("audit", "id", ("target", "details")),
            ("codes", "id", ("description", "inclusion", "exclusion", "example")),
            # Memos on codes or the project; memos of other documents stay with their (flagged) text.
            ("memos", "id", ("text",)),
        ):
            for column in columns:
                where = f"coder_redacted_term_in({column})"
                if table == "memos":
                    where += " AND document_id IS NULL"
                rows = project.db.execute(f"SELECT {key}, {column} FROM {table} WHERE {where}").fetchall()
                for row_id, value in rows:
                    project.db.execute(
                        f"UPDATE {table} SET {column} = ? WHERE {key} = ?", [scrub(value, terms), row_id]
                    )
        for (term,) in project.db.execute(
            "SELECT term FROM allowlist WHERE coder_redacted_term_in(term)"
        ).fetchall():
            project.db.execute("DELETE FROM allowlist WHERE term = ?", [term])
    finally:
        project.db.conn.create_function("coder_redacted_term_in", 1, None)


def purge(project: Project, *, vacuum: bool = True) -> bool:
    """Push deleted text out of the file: empty the WAL into the database and (optionally) VACUUM.

    Does nothing inside an open transaction (the caller's commit must come first). Returns whether
    the WAL could be emptied (another open connection, such as a running TUI, can hold it).
    """
    conn = project.db.conn
    if conn.in_transaction or project.readonly:
        return False
    if vacuum:
        try:
            conn.execute("VACUUM")
        except sqlite3.OperationalError:
            pass  # another connection is reading; secure_delete has already zeroed freed space
    try:
        busy, _log, _done = conn.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()
    except sqlite3.OperationalError:
        return False
    return busy == 0


__all__ = [
    "LANGS", "Coverage", "adjust_flag", "allow_term", "allowed_terms", "allowlist", "check_span", "detector",
    "disallow_term", "dismiss", "document_language", "flag", "flags", "mark", "open_flags", "purge", "redact",
    "run_detector", "scan_documents", "store_findings", "text_language",
]
