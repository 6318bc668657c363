"""Coding passages: apply, change and remove codes on spans of a document.

The CLI (`coder code`, `coder uncode`) and the TUI call these same functions. Each call is one
committed transaction, so nothing already applied is lost if the program is killed.
"""

from __future__ import annotations

from typing import Any

from coder.errors import CoderError, NotFound
from coder.store import Project, now


def add_coding(
    project: Project,
    document_id: int,
    start: int,
    end: int,
    code_key: str,
    *,
    coder: str | None = None,
    memo: str | None = None,
    translation: str | None = None,
) -> int:
    """Code text[start:end] of a document with `code_key`. Returns the coding id.

    Coding the same span with the same code by the same coder again returns the existing coding
    (updating its memo when one is given).
    """
    project.document_span(document_id, start, end)
    code = project.code(code_key)
    if not code["codable"]:
        raise CoderError(f"{code_key!r} is a category, not a code you can apply")
    coder = coder or project.coder
    with project.transaction():
        existing = find_coding(project, document_id, start, end, code_key, coder=coder)
        if existing is not None:
            if memo is not None or translation is not None:
                _update(project, existing, memo=memo, translation=translation)
            return existing
        stamp = now()
        cursor = project.db.execute(
            'INSERT INTO codings (document_id, start, "end", code_id, coder, memo, translation, '
            "created, updated) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [document_id, start, end, code["id"], coder, memo, translation, stamp, stamp],
        )
        coding_id = cursor.lastrowid
        project.audit(
            "coding.add",
            f"coding:{coding_id}",
            {"document": document_id, "start": start, "end": end, "code": code_key},
            who=coder,
        )
    return coding_id


def find_coding(
    project: Project, document_id: int, start: int, end: int, code_key: str, *, coder: str | None = None
) -> int | None:
    """The id of this coder's coding of `code_key` on exactly this span, if there is one."""
    row = project.db.execute(
        'SELECT c.id FROM codings c JOIN codes k ON k.id = c.code_id WHERE c.document_id = ? '
        'AND c.start = ? AND c."end" = ? AND k.key = ? AND c.coder = ?',
        [document_id, start, end, code_key, coder or project.coder],
    ).fetchone()
    return row[0] if row else None


def coding(project: Project, coding_id: int) -> dict[str, Any]:
    cursor = project.db.execute(
        'SELECT c.id, c.document_id, c.start, c."end", c.coder, c.memo, c.translation, '
        "c.created, c.updated, k.key AS code FROM codings c JOIN codes k ON k.id = c.code_id "
        "WHERE c.id = ?",
        [coding_id],
    )
    row = cursor.fetchone()
    if row is None:
        raise NotFound(f"no coding {coding_id}")
    return dict(zip([d[0] for d in cursor.description], row))


def codings(
    project: Project,
    *,
    document_id: int | None = None,
    code_key: str | None = None,
    coder: str | None = None,
) -> list[dict[str, Any]]:
    """Codings, with their code key, ordered by document and position."""
    where, params = [], []
    if document_id is not None:
        where.append("c.document_id = ?")
        params.append(document_id)
    if code_key is not None:
        where.append("k.key = ?")
        params.append(code_key)
    if coder is not None:
        where.append("c.coder = ?")
        params.append(coder)
    sql = (
        'SELECT c.id, c.document_id, c.start, c."end", c.coder, c.memo, c.translation, '
        "c.created, c.updated, k.key AS code FROM codings c JOIN codes k ON k.id = c.code_id"
    )
    if where:
        sql += " WHERE " + " AND ".join(where)
    cursor = project.db.execute(sql + ' ORDER BY c.document_id, c.start, c."end", c.id', params)
    names = [d[0] for d in cursor.description]
    return [dict(zip(names, row)) for row in cursor.fetchall()]


def _update(project: Project, coding_id: int, **fields: Any) -> None:
    sets = {k: v for k, v in fields.items() if v is not None}
    if not sets:
        return
    sets["updated"] = now()
    project.db.execute(
        f"UPDATE codings SET {', '.join(f'{k} = ?' for k in sets)} WHERE id = ?",
        [*sets.values(), coding_id],
    )


def set_memo(project: Project, coding_id: int, memo: str | None) -> None:
    coding(project, coding_id)
    with project.transaction():
        project.db.execute(
            "UPDATE codings SET memo = ?, updated = ? WHERE id = ?", [memo or None, now(), coding_id]
        )
        project.audit("coding.memo", f"coding:{coding_id}")


def set_translation(project: Project, coding_id: int, translation: str | None) -> None:
    coding(project, coding_id)
    with project.transaction():
        project.db.execute(
            "UPDATE codings SET translation = ?, updated = ? WHERE id = ?",
            [translation or None, now(), coding_id],
        )
        project.audit("coding.translation", f"coding:{coding_id}")


def recode(project: Project, coding_id: int, code_key: str) -> None:
    """Change the code of an existing coding."""
    coding(project, coding_id)
    code = project.code(code_key)
    with project.transaction():
        project.db.execute(
            "UPDATE codings SET code_id = ?, updated = ? WHERE id = ?", [code["id"], now(), coding_id]
        )
        project.audit("coding.recode", f"coding:{coding_id}", {"code": code_key})


def move_coding(project: Project, coding_id: int, start: int, end: int) -> None:
    """Change the span of an existing coding."""
    current = coding(project, coding_id)
    project.document_span(current["document_id"], start, end)
    with project.transaction():
        project.db.execute(
            'UPDATE codings SET start = ?, "end" = ?, updated = ? WHERE id = ?',
            [start, end, now(), coding_id],
        )
        project.audit("coding.move", f"coding:{coding_id}", {"start": start, "end": end})


def remove_coding(project: Project, coding_id: int) -> dict[str, Any]:
    """Delete a coding; returns what it was, so it can be restored (undo)."""
    removed = coding(project, coding_id)
    with project.transaction():
        project.db.execute("DELETE FROM codings WHERE id = ?", [coding_id])
        project.audit(
            "coding.remove",
            f"coding:{coding_id}",
            {k: removed[k] for k in ("document_id", "start", "end", "code", "coder")},
        )
    return removed


def remove_codings_at(
    project: Project,
    document_id: int,
    start: int,
    end: int,
    code_key: str,
    *,
    coder: str | None = None,
) -> int:
    """Remove codings of `code_key` with exactly this span (any coder unless one is given)."""
    code = project.code(code_key)
    params: list[Any] = [document_id, start, end, code["id"]]
    sql = 'SELECT id FROM codings WHERE document_id = ? AND start = ? AND "end" = ? AND code_id = ?'
    if coder:
        sql += " AND coder = ?"
        params.append(coder)
    ids = [r[0] for r in project.db.execute(sql, params).fetchall()]
    if not ids:
        raise NotFound(f"no coding {code_key!r} at {start}-{end} in document {document_id}")
    for coding_id in ids:
        remove_coding(project, coding_id)
    return len(ids)


def restore_coding(project: Project, removed: dict[str, Any]) -> int:
    """Put back a coding returned by `remove_coding` (undo)."""
    return add_coding(
        project,
        removed["document_id"],
        removed["start"],
        removed["end"],
        removed["code"],
        coder=removed["coder"],
        memo=removed.get("memo"),
        translation=removed.get("translation"),
    )
