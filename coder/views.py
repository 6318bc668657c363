"""Read-only views of a project shaped for browsing: document rows with coverage and open flags,
the code tree with counts, the passages of a code, recent codes. The TUI shows these; no SQL
lives in the UI.
"""

from __future__ import annotations

import json
from typing import Any

from coder.search import fts_query
from coder.store import Project

# Distinct, readable colours for codes the codebook gives none.
PALETTE = (
    "#e6194b", "#3cb44b", "#4363d8", "#f58231", "#911eb4", "#42d4f4", "#f032e6", "#bfef45",
    "#469990", "#9a6324", "#800000", "#808000", "#000075", "#fabed4", "#ffd8b1", "#aaffc3",
)


def document_rows(project: Project) -> list[dict[str, Any]]:
    """Every document (without its text) with its count of codings, the share of its text that is
    coded (0–1) and its number of open identifier flags."""
    q = project.db.execute
    counts: dict[int, int] = {}
    covered: dict[int, int] = {}
    # One ordered pass merges each document's spans (no per-document sorting in Python).
    current, cur_s, cur_e, total, n = None, 0, 0, 0, 0
    for doc_id, s, e in q('SELECT document_id, start, "end" FROM codings ORDER BY document_id, start'):
        if doc_id != current:
            if current is not None:
                counts[current], covered[current] = n, total + (cur_e - cur_s)
            current, cur_s, cur_e, total, n = doc_id, s, e, 0, 0
        elif s > cur_e:
            total += cur_e - cur_s
            cur_s, cur_e = s, e
        elif e > cur_e:
            cur_e = e
        n += 1
    if current is not None:
        counts[current], covered[current] = n, total + (cur_e - cur_s)
    flagged = dict(
        q("SELECT document_id, count(*) FROM flags WHERE status = 'open' GROUP BY document_id").fetchall()
    )
    rows = []
    cursor = q(
        "SELECT id, title, kind, country, language, participant, facilitator, date, attributes, "
        "length(text) FROM documents ORDER BY id"
    )
    for doc_id, title, kind, country, language, participant, facilitator, date, attrs, length in cursor:
        rows.append(
            {
                "id": doc_id,
                "title": title,
                "kind": kind,
                "country": country,
                "language": language,
                "participant": participant,
                "facilitator": facilitator,
                "date": date,
                "attributes": json.loads(attrs or "{}"),
                "length": length,
                "codings": counts.get(doc_id, 0),
                "coded_share": covered.get(doc_id, 0) / length if length else 0.0,
                "open_flags": flagged.get(doc_id, 0),
            }
        )
    return rows


def document_ids_matching(project: Project, text: str) -> set[int]:
    """Ids of documents whose title or text contain every word of `text` (full-text index)."""
    match = fts_query(text)
    if not match:
        return set()
    try:
        rows = project.db.execute(
            "SELECT rowid FROM documents_fts WHERE documents_fts MATCH ?", [match]
        ).fetchall()
    except Exception:  # a query FTS5 cannot parse matches nothing
        return set()
    return {r[0] for r in rows}


def code_color(code: dict[str, Any]) -> str:
    color = code.get("color")
    if color and isinstance(color, str) and color.startswith("#") and len(color) == 7:
        return color
    return PALETTE[(code.get("id") or 0) % len(PALETTE)]


def code_tree(project: Project, lang: str | None = None) -> list[dict[str, Any]]:
    """Codes parents-first with label (in `lang` or the project's language), colour, the number of
    codings of the code itself (`count`) and of the code with all its descendants (`total`)."""
    counts = dict(project.db.execute("SELECT code_id, count(*) FROM codings GROUP BY code_id").fetchall())
    codes = project.codes()
    by_key = {c["key"]: c for c in codes}
    out = []
    for c in codes:
        out.append(
            {
                "id": c["id"],
                "key": c["key"],
                "parent": c["parent"],
                "label": project.label(c, lang),
                "labels": c["labels"],
                "description": c.get("description") or "",
                "color": code_color(c),
                "codable": c["codable"],
                "count": counts.get(c["id"], 0),
                "total": counts.get(c["id"], 0),
            }
        )
    index = {c["key"]: c for c in out}
    for c in out:  # add each code's own count to all its ancestors
        parent = c["parent"]
        seen = set()
        while parent and parent in index and parent not in seen:
            seen.add(parent)
            index[parent]["total"] += c["count"]
            parent = by_key[parent]["parent"]
    return out


def passages(
    project: Project, code_key: str, *, context: int = 0, descendants: bool = False
) -> list[dict[str, Any]]:
    """Every passage coded with `code_key` (and, with `descendants`, with any code below it),
    across documents, in document order, with the passage text, its document's title and
    participant, the code, the coder and the memo."""
    keys = [code_key]
    if descendants:
        children: dict[str, list[str]] = {}
        for key, parent in project.db.execute("SELECT key, parent FROM codes"):
            children.setdefault(parent, []).append(key)
        i = 0
        while i < len(keys):
            keys += children.get(keys[i], [])
            i += 1
    marks = ", ".join("?" for _ in keys)
    cursor = project.db.execute(
        'SELECT c.id, c.document_id, c.start, c."end", k.key AS code, c.coder, c.memo, d.title, d.participant, '
        'substr(d.text, max(1, c.start + 1 - ?), c."end" - c.start + 2 * ?) AS excerpt, '
        "max(0, c.start - ?) AS excerpt_start "
        "FROM codings c JOIN codes k ON k.id = c.code_id JOIN documents d ON d.id = c.document_id "
        f'WHERE k.key IN ({marks}) ORDER BY c.document_id, c.start, c."end"',
        [context, context, context, *keys],
    )
    names = [d[0] for d in cursor.description]
    return [dict(zip(names, row)) for row in cursor.fetchall()]


def reader_codings(project: Project, document_id: int, lang: str | None = None) -> list[dict[str, Any]]:
    """A document's codings with their code's key, label and colour, in text order."""
    cursor = project.db.execute(
        'SELECT c.id, c.start, c."end", c.coder, c.memo, c.translation, k.id AS code_id, k.key AS code, '
        "k.labels, k.color FROM codings c JOIN codes k ON k.id = c.code_id "
        'WHERE c.document_id = ? ORDER BY c.start, c."end" DESC, c.id',
        [document_id],
    )
    names = [d[0] for d in cursor.description]
    out = []
    for row in cursor.fetchall():
        c = dict(zip(names, row))
        labels = json.loads(c.pop("labels") or "{}")
        c["label"] = labels.get(lang or project.language or "en") or labels.get("en") or c["code"]
        c["color"] = code_color({"id": c["code_id"], "color": c["color"]})
        out.append(c)
    return out


def open_flag_spans(project: Project, document_id: int) -> list[dict[str, Any]]:
    cursor = project.db.execute(
        'SELECT id, start, "end", type FROM flags WHERE document_id = ? AND status = \'open\' '
        "ORDER BY start",
        [document_id],
    )
    return [dict(zip(("id", "start", "end", "type"), r)) for r in cursor.fetchall()]


def open_flag_count(project: Project, document_id: int | None = None) -> int:
    if document_id is None:
        return project.db.execute("SELECT count(*) FROM flags WHERE status = 'open'").fetchone()[0]
    return project.db.execute(
        "SELECT count(*) FROM flags WHERE status = 'open' AND document_id = ?", [document_id]
    ).fetchone()[0]


def recent_codes(project: Project, coder: str, limit: int = 9) -> list[str]:
    """The codes this coder applied most recently, most recent first."""
    # The latest few hundred codings hold the recent codes; no need to group all of them.
    rows = project.db.execute(
        "SELECT k.key FROM codings c JOIN codes k ON k.id = c.code_id WHERE c.coder = ? "
        "ORDER BY c.id DESC LIMIT 500",
        [coder],
    ).fetchall()
    return list(dict.fromkeys(r[0] for r in rows))[:limit]
