"""Full-text search over a project's documents (SQLite FTS5)."""

from __future__ import annotations

import re
import sqlite3
from typing import Any

from coder.errors import CoderError
from coder.store import Project

HIT_START, HIT_END = "\x02", "\x03"  # snippet markers no note contains


def fts_query(query: str) -> str:
    """Turn what a user types into a safe FTS5 query: words AND-ed, "quoted phrases" kept,
    a trailing * keeps prefix search."""
    parts = re.findall(r'"[^"]+"|\S+', query)
    terms = []
    for part in parts:
        if part.startswith('"') and part.endswith('"') and len(part) > 1:
            inner = part[1:-1].replace('"', "")
            terms.append(f'"{inner}"')
            continue
        prefix = part.endswith("*")
        word = re.sub(r"[^\w]+", " ", part).strip()
        for w in word.split():
            terms.append(f'"{w}"' + ("*" if prefix else ""))
    return " ".join(terms)


def search(project: Project, query: str, *, limit: int = 50) -> list[dict[str, Any]]:
    """Documents matching `query`, best first, each with a snippet where hits are wrapped in
    HIT_START/HIT_END and the offset of the first hit in the text."""
    match = fts_query(query)
    if not match:
        raise CoderError("empty search")
    try:
        rows = project.db.execute(
            "SELECT d.id, d.title, d.country, d.participant, "
            f"snippet(documents_fts, 1, '{HIT_START}', '{HIT_END}', '…', 16) "
            "FROM documents_fts JOIN documents d ON d.id = documents_fts.rowid "
            "WHERE documents_fts MATCH ? ORDER BY rank LIMIT ?",
            [match, limit],
        ).fetchall()
    except sqlite3.OperationalError as exc:
        raise CoderError(f"cannot search for {query!r}: {exc}") from None
    hits = []
    for doc_id, title, country, participant, snippet in rows:
        text = project.db.execute("SELECT text FROM documents WHERE id = ?", [doc_id]).fetchone()[0]
        hits.append(
            {
                "document_id": doc_id,
                "title": title,
                "country": country,
                "participant": participant,
                "snippet": snippet,
                "offset": first_hit_offset(text, snippet),
            }
        )
    return hits


def first_hit_offset(text: str, snippet: str) -> int:
    """Where the first highlighted term of a snippet occurs in the text (0 if not found)."""
    m = re.search(re.escape(HIT_START) + "(.*?)" + re.escape(HIT_END), snippet)
    if not m:
        return 0
    term = m.group(1)
    before = snippet[: m.start()].replace(HIT_START, "").replace(HIT_END, "").lstrip("…")
    context = before[-20:]
    pos = text.find(context + term) if context else -1
    if pos >= 0:
        return pos + len(context)
    pos = text.lower().find(term.lower())
    return max(pos, 0)
