"""The export gate: the one way text leaves a project.

Every exporter takes document text through `release_passage` or `release_document`. Both refuse
(`GateRefused`) while the document has an open identifier flag anywhere — not only inside the
passage: recall comes first, and a reviewer who has not finished a document has not yet judged what
its passages reveal together. They then re-scan the outgoing text itself; anything found there that
no review covers (placeholder, dismissed or redacted flag, allowlisted term) becomes an open flag
the reviewer will see, and the release is refused.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from coder.errors import CoderError, GateRefused
from coder import review
from coder.review import _Coverage, _allowed_keys, _run_detector, document_language, store_findings
from coder.store import Project

NO_CONSENT = {"no", "false", "0", "n"}
MAX_NAMED = 10


def quote_consent(document: dict[str, Any]) -> bool:
    """Whether the participant agreed to be quoted (attribute `consent_quote`; default yes)."""
    value = (document.get("attributes") or {}).get("consent_quote", True)
    if isinstance(value, bool):
        return value
    return str(value).strip().lower() not in NO_CONSENT


def _how_to_review(project: Project, document_ids: list[int]) -> str:
    path = project.path
    doc = f" --doc {document_ids[0]}" if len(document_ids) == 1 else ""
    return (
        f"review with `coder flags {path} --open{doc}`, then `coder redact {path} FLAG...` or "
        f"`coder dismiss {path} FLAG...` (or in the review screen of `coder tui`)"
    )


def _name(document: dict[str, Any]) -> str:
    return f"document {document['id']} “{document['title']}”"


def ensure_releasable(project: Project, document_ids: Iterable[int] | None = None) -> None:
    """Refuse, naming every blocking document, while any of these documents has an open flag."""
    if document_ids is None:
        ids = [r[0] for r in project.db.execute("SELECT id FROM documents ORDER BY id").fetchall()]
    else:
        ids = list(dict.fromkeys(int(project.document(d)["id"]) for d in document_ids))
    if not ids:
        return
    blocking = []
    for chunk in range(0, len(ids), 500):
        part = ids[chunk:chunk + 500]
        blocking += project.db.execute(
            "SELECT d.id, d.title, count(*) FROM flags f JOIN documents d ON d.id = f.document_id "
            f"WHERE f.status = 'open' AND d.id IN ({', '.join('?' for _ in part)}) "
            "GROUP BY d.id ORDER BY d.id",
            part,
        ).fetchall()
    if not blocking:
        return
    named = "; ".join(
        f"{_name({'id': i, 'title': t})} ({n} open flag{'s' if n != 1 else ''})" for i, t, n in blocking[:MAX_NAMED]
    )
    if len(blocking) > MAX_NAMED:
        named += f"; and {len(blocking) - MAX_NAMED} more documents"
    total = sum(n for _i, _t, n in blocking)
    raise GateRefused(
        f"nothing leaves the project while identifiers are unreviewed: {total} open flag"
        f"{'s' if total != 1 else ''} in {len(blocking)} document{'s' if len(blocking) != 1 else ''}: "
        f"{named} — {_how_to_review(project, [b[0] for b in blocking])}"
    )


def _last_check(project: Project, document: dict[str, Any], start: int, text: str) -> None:
    """Re-scan outgoing text; store what no review covers as open flags and refuse."""
    try:
        detect = review._detector()  # looked up on the module, so tests can replace it
    except CoderError as exc:
        raise GateRefused(f"cannot check outgoing text, so nothing leaves the project ({exc})") from None
    findings = _run_detector(detect, text, document_language(project, document), None)
    if not findings:
        return
    if project.readonly:
        coverage = _Coverage(project, document["id"], document["text"], _allowed_keys(project))
        new = [
            f for f in findings
            if not coverage.covers(f.start + start, f.end + start) and not coverage.is_open(f.start + start, f.end + start)
        ]
        stored = False
    else:
        with project.transaction():
            new = store_findings(project, document["id"], document["text"], findings, offset=start)
            if new:
                project.audit("gate.refuse", f"document:{document['id']}", {"new_flags": len(new)})
        stored = True
    if new:
        n = len(new)
        where = "they are now open flags" if stored else f"run `coder scan {project.path}` to store them"
        raise GateRefused(
            f"the last check before release found {n} possible identifier{'s' if n != 1 else ''} "
            f"nobody has reviewed in {_name(document)}; {where}; {_how_to_review(project, [document['id']])}"
        )


def release_passage(project: Project, document_id: int, start: int, end: int, *, quote: bool = True) -> str:
    """Text[start:end] of a document, once its whole document is reviewed and the passage re-checked.

    A passage is a quote (`quote=True`): refused when the participant did not consent to be quoted.
    """
    document = project.document(document_id)
    if not (0 <= start < end <= len(document["text"])):
        raise CoderError(
            f"span {start}-{end} is outside document {document['id']} "
            f"(its text has {len(document['text'])} characters)"
        )
    if quote and not quote_consent(document):
        raise GateRefused(
            f"the participant of {_name(document)} did not consent to be quoted (consent_quote); "
            "only counts may leave the project"
        )
    ensure_releasable(project, [document["id"]])
    text = document["text"][start:end]
    _last_check(project, document, start, text)
    return text


def release_document(project: Project, document_id: int) -> str:
    """A document's whole text, once it is reviewed and re-checked."""
    document = project.document(document_id)
    ensure_releasable(project, [document["id"]])
    _last_check(project, document, 0, document["text"])
    return document["text"]


__all__ = ["ensure_releasable", "quote_consent", "release_document", "release_passage"]
