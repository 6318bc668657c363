"""The export gate: the one way text leaves a project.

Every exporter takes document text through `release_passage` or `release_document`. Both refuse
(`GateRefused`) while the document has an open identifier flag anywhere — not only inside the
passage: recall comes first, and a reviewer who has not finished a document has not yet judged what
its passages reveal together. They then re-scan the outgoing text itself; anything found there that
no review covers (placeholder, dismissed or redacted flag, allowlisted term) becomes an open flag
the reviewer will see, and the release is refused. Free text that travels beside document text
but is not part of it (a coder's translation, a document's title) goes through `check_free_text`.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from coder import review
from coder.errors import CoderError, GateRefused
from coder.redaction import placeholder_spans, term_key
from coder.review import (
    Coverage, allowed_terms, check_span, document_language, run_detector, store_findings, text_language,
)
from coder.store import Project

NO_CONSENT = {"no", "false", "0", "n"}
MAX_NAMED = 10


def quote_consent(document: dict[str, Any]) -> bool:
    """Whether the participant agreed to be quoted (attribute `consent_quote`; default yes)."""
    value = (document.get("attributes") or {}).get("consent_quote", True)
    if isinstance(value, bool):
        return value
    return str(value).strip().lower() not in NO_CONSENT


def _plural(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


def _detector(what: str) -> review.Detector:
    """The detector, or a refusal: text nobody can check does not leave."""
    try:
        return review.detector()  # looked up on the module, so tests can replace it
    except CoderError as exc:
        raise GateRefused(f"cannot check {what}, so nothing leaves the project ({exc})") from None


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
        f"{_name({'id': i, 'title': t})} ({_plural(n, 'open flag')})" for i, t, n in blocking[:MAX_NAMED]
    )
    if len(blocking) > MAX_NAMED:
        named += f"; and {len(blocking) - MAX_NAMED} more documents"
    total = sum(n for _i, _t, n in blocking)
    raise GateRefused(
        f"nothing leaves the project while identifiers are unreviewed: {_plural(total, 'open flag')} "
        f"in {_plural(len(blocking), 'document')}: "
        f"{named} — {_how_to_review(project, [b[0] for b in blocking])}"
    )


def _last_check(project: Project, document: dict[str, Any], start: int, text: str) -> None:
    """Re-scan outgoing text; store what no review covers as open flags and refuse."""
    detect = _detector("outgoing text")
    findings = run_detector(detect, text, document_language(project, document))
    if not findings:
        return
    if project.readonly:
        coverage = Coverage(project, document["id"], document["text"], allowed_terms(project))
        new = [f for f in findings if coverage.needs_flag(f.start + start, f.end + start)]
        stored = False
    else:
        with project.transaction():
            new = store_findings(project, document["id"], document["text"], findings, offset=start)
            if new:
                project.audit("gate.refuse", f"document:{document['id']}", {"new_flags": len(new)})
        stored = True
    if new:
        where = "they are now open flags" if stored else f"run `coder scan {project.path}` to store them"
        raise GateRefused(
            f"the last check before release found {_plural(len(new), 'possible identifier')} "
            f"nobody has reviewed in {_name(document)}; {where}; {_how_to_review(project, [document['id']])}"
        )


def release_passage(project: Project, document_id: int, start: int, end: int, *, quote: bool = True) -> str:
    """Text[start:end] of a document, once its whole document is reviewed and the passage re-checked.

    A passage is a quote (`quote=True`): refused when the participant did not consent to be quoted.
    """
    document = check_span(project, document_id, start, end)
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


def check_free_text(
    project: Project, document: dict[str, Any], text: str | None, *, what: str, fix: str,
    lang: str | None = None, also_reviewed: Iterable[str] = (),
) -> None:
    """Refuse free text that would travel with a document but is not part of its reviewed text
    (a coder's translation, the document's title): the review of the document does not cover it.

    Refused (GateRefused naming `what` and how to `fix` it) when the detector finds a possible
    identifier there that is neither a placeholder, nor allowlisted, nor a term dismissed in that
    document. Nothing is stored: such text has no offsets a flag could point to. `lang` defaults
    to the language detected in the text (a translation is usually in another language);
    `also_reviewed` are further terms the caller releases anyway (such as the document's date).
    """
    if not text or not text.strip():
        return
    findings = run_detector(_detector(what), text, lang or text_language(text, default="en"))
    if not findings:
        return
    reviewed = allowed_terms(project) | {term_key(t) for t in also_reviewed} | {
        term_key(term) for (term,) in project.db.execute(
            'SELECT substr(d.text, f.start + 1, f."end" - f.start) FROM flags f '
            "JOIN documents d ON d.id = f.document_id WHERE f.document_id = ? AND f.status = 'dismissed'",
            [document["id"]],
        ).fetchall()
    }
    unreviewed = _unreviewed(text, findings, reviewed)
    if unreviewed:
        raise GateRefused(
            f"{what} ({_name(document)}) holds {_plural(len(unreviewed), 'possible identifier')} nobody "
            f"has reviewed; {fix}"
        )


def _unreviewed(text: str, findings: list, reviewed: set[str]) -> list:
    """Findings that are neither a reviewed term nor inside a placeholder."""
    placeholders = placeholder_spans(text)
    return [
        f for f in findings
        if term_key(text[f.start:f.end]) not in reviewed
        and not any(s <= f.start and f.end <= e for s, e in placeholders)
    ]


def check_codebook_examples(project: Project, codes: Iterable[Any]) -> None:
    """Refuse to let a codebook leave the project (a .yaml/.qdc file, a .qdpx) while a code's example
    holds a possible identifier that is not allowlisted: examples are often passages copied from
    the notes. (Descriptions and criteria are the team's own definitions and are not checked.)"""
    examples = [(code.key, code.example) for code in codes if code.example and code.example.strip()]
    if not examples:
        return
    detect, allowed = _detector("codebook examples"), allowed_terms(project)
    blocking = []
    for key, example in examples:
        findings = run_detector(detect, example, text_language(example, default="en"))
        if findings and _unreviewed(example, findings, allowed):
            blocking.append(key)
    if blocking:
        named = ", ".join(blocking[:MAX_NAMED]) + (f" and {len(blocking) - MAX_NAMED} more" if len(blocking) > MAX_NAMED else "")
        raise GateRefused(
            f"the example of {_plural(len(blocking), 'code')} ({named}) holds a possible identifier nobody has "
            f"reviewed; correct it in a codebook file and `coder codebook import {project.path} FILE`, or "
            f"allowlist the term (`coder allowlist {project.path} --add TERM`)"
        )


__all__ = ["check_codebook_examples", "check_free_text", "ensure_releasable", "quote_consent", "release_document", "release_passage"]
