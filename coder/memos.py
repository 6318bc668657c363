"""Memos on documents and codes (memos on a single coding live on the coding)."""

from __future__ import annotations

from typing import Any

from coder.errors import CoderError, NotFound
from coder.store import Project, now


def add_memo(
    project: Project,
    text: str,
    *,
    document_id: int | None = None,
    code_key: str | None = None,
    author: str | None = None,
) -> int:
    if not text.strip():
        raise CoderError("a memo needs some text")
    code_id = project.code(code_key)["id"] if code_key else None
    if document_id is not None:
        project.document(document_id)
    stamp = now()
    with project.transaction():
        cursor = project.db.execute(
            "INSERT INTO memos (document_id, code_id, text, author, created, updated) "
            "VALUES (?, ?, ?, ?, ?, ?)",
            [document_id, code_id, text, author or project.coder, stamp, stamp],
        )
        project.audit("memo.add", f"memo:{cursor.lastrowid}", {"document": document_id, "code": code_key})
    return cursor.lastrowid


def update_memo(project: Project, memo_id: int, text: str) -> None:
    if project.db.execute("SELECT 1 FROM memos WHERE id = ?", [memo_id]).fetchone() is None:
        raise NotFound(f"no memo {memo_id}")
    with project.transaction():
        project.db.execute("UPDATE memos SET text = ?, updated = ? WHERE id = ?", [text, now(), memo_id])
        project.audit("memo.update", f"memo:{memo_id}")


def delete_memo(project: Project, memo_id: int) -> None:
    with project.transaction():
        if project.db.execute("DELETE FROM memos WHERE id = ?", [memo_id]).rowcount == 0:
            raise NotFound(f"no memo {memo_id}")
        project.audit("memo.delete", f"memo:{memo_id}")


def memos(project: Project, *, document_id: int | None = None, code_key: str | None = None) -> list[dict[str, Any]]:
    where, params = [], []
    if document_id is not None:
        where.append("m.document_id = ?")
        params.append(document_id)
    if code_key is not None:
        where.append("k.key = ?")
        params.append(code_key)
    sql = (
        "SELECT m.id, m.document_id, k.key AS code, m.text, m.author, m.created, m.updated "
        "FROM memos m LEFT JOIN codes k ON k.id = m.code_id"
    )
    if where:
        sql += " WHERE " + " AND ".join(where)
    cursor = project.db.execute(sql + " ORDER BY m.id", params)
    names = [d[0] for d in cursor.description]
    return [dict(zip(names, r)) for r in cursor.fetchall()]
