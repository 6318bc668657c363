"""The codebook inside a project: install, read back, import, and edit codes.

Every change is one transaction and is audited (by key, never with document text).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from coder.codebook.model import Code, Codebook
from coder.codebook.qdc import guid_for_key
from coder.codebook.yamlformat import COLOR_PATTERN, KEY_PATTERN, LANG_PATTERN, TEXT_FIELDS, slugify
from coder.errors import CoderError
from coder.store import Project

EDITABLE_FIELDS = (*TEXT_FIELDS, "color", "codable")


def _code_record(code: Code) -> dict[str, Any]:
    return {
        "key": code.key,
        "parent": code.parent,
        "labels": dict(code.labels),
        "description": code.description,
        "inclusion": code.inclusion,
        "exclusion": code.exclusion,
        "example": code.example,
        "color": code.color,
        "codable": code.codable,
        "guid": code.guid or guid_for_key(code.key),
        "provenance": list(code.provenance),
    }


def _as_codebook(source: Codebook | str | Path) -> Codebook:
    if isinstance(source, Codebook):
        return source
    from coder.codebook import load_codebook

    return load_codebook(Path(source))


def _sets(project: Project) -> dict[str, list[str]]:
    return json.loads(project.meta("codebook_sets") or "{}")


def install_codebook(project: Project, source: Codebook | str | Path) -> Codebook:
    """Copy a codebook (file or Codebook) into a project that has no codes yet."""
    book = _as_codebook(source)
    if project.db.execute("SELECT count(*) FROM codes").fetchone()[0]:
        raise CoderError("the project already has codes; use `coder codebook import` to update them")
    with project.transaction():
        for position, code in enumerate(book.codes):
            project.upsert_code({**_code_record(code), "position": position})
        _set_meta(project, "codebook_name", book.name)
        _set_meta(project, "codebook_version", book.version)
        _set_meta(project, "codebook_languages", json.dumps(book.languages))
        if book.description:
            _set_meta(project, "codebook_description", book.description)
        if book.sets:
            _set_meta(project, "codebook_sets", json.dumps(book.sets, ensure_ascii=False))
        project.audit(
            "codebook.install", book.name, {"version": book.version, "codes": len(book.codes)}
        )
    return book


def _set_meta(project: Project, key: str, value: str | None) -> None:
    # Inside the caller's transaction (Project.set_meta opens its own, which nests fine too).
    project.set_meta(key, value)


def project_codebook(project: Project) -> Codebook:
    """The project's codebook as a Codebook (parents before children, in codebook order)."""
    rows = project.codes()
    # The declared languages, then any a label was added in since (e.g. `rename --lang ru`).
    languages = json.loads(project.meta("codebook_languages") or "null") or ["en"]
    languages += sorted({lang for r in rows for lang in r["labels"]} - set(languages))
    codes = [
        Code(
            key=r["key"], labels=r["labels"], parent=r["parent"], description=r["description"],
            inclusion=r["inclusion"], exclusion=r["exclusion"], example=r["example"], color=r["color"],
            codable=r["codable"], guid=r["guid"], provenance=r["provenance"],
        )
        for r in rows
    ]
    keys = {c.key for c in codes}
    sets = {name: [k for k in members if k in keys] for name, members in _sets(project).items()}
    return Codebook(
        name=project.meta("codebook_name") or project.meta("name") or project.path.stem,
        version=project.meta("codebook_version"),
        languages=languages,
        codes=codes,
        sets=sets,
        description=project.meta("codebook_description"),
    )


@dataclass
class ImportReport:
    added: list[str] = field(default_factory=list)
    changed: dict[str, list[str]] = field(default_factory=dict)  # key → names of changed fields
    unchanged: list[str] = field(default_factory=list)
    sets: list[str] = field(default_factory=list)


def import_codebook(project: Project, source: Codebook | str | Path) -> ImportReport:
    """Add and update codes from a codebook (file or Codebook): matched by guid, else by key.

    Import never removes codes, labels or criteria: a field the file leaves empty is kept.
    """
    book = _as_codebook(source)
    report = ImportReport()
    existing = {c["key"]: c for c in project.codes()}
    by_guid = {c["guid"]: c["key"] for c in existing.values() if c["guid"]}
    mapped: dict[str, str] = {}  # key in the file → key in the project
    with project.transaction():
        for code in book.codes:
            # A GUID identifies a code across tools; a key derived from another tool's name might not.
            target = by_guid.get(code.guid or "") or (code.key if code.key in existing else None)
            parent = mapped.get(code.parent, code.parent) if code.parent else None
            if target is None:
                record = {**_code_record(code), "parent": parent}
                project.upsert_code(record)
                existing[code.key] = project.code(code.key)
                mapped[code.key] = code.key
                report.added.append(code.key)
                continue
            mapped[code.key] = target
            current = existing[target]
            update: dict[str, Any] = {}
            labels = {**current["labels"], **code.labels}
            if labels != current["labels"]:
                update["labels"] = labels
            for name in (*TEXT_FIELDS, "color"):
                value = getattr(code, name)
                if value and value != current[name]:
                    update[name] = value
            if code.codable != current["codable"]:
                update["codable"] = code.codable
            if parent != current["parent"]:
                if parent is not None and target in _ancestors(project, parent) | {parent}:
                    raise CoderError(
                        f"importing would put {target} under its own descendant {parent}; nothing was imported"
                    )
                update["parent"] = parent
            if update:
                project.upsert_code({"key": target, **update})
                existing[target] = project.code(target)
                report.changed[target] = sorted(update)
            else:
                report.unchanged.append(target)
        if book.sets:
            sets = _sets(project)
            for name, members in book.sets.items():
                merged = list(dict.fromkeys(sets.get(name, []) + [mapped.get(k, k) for k in members]))
                if merged != sets.get(name):
                    report.sets.append(name)
                sets[name] = merged
            _set_meta(project, "codebook_sets", json.dumps(sets, ensure_ascii=False))
        if not project.meta("codebook_name"):
            _set_meta(project, "codebook_name", book.name)
            _set_meta(project, "codebook_version", book.version)
        project.audit(
            "codebook.import",
            book.name,
            {"added": len(report.added), "changed": len(report.changed), "unchanged": len(report.unchanged)},
        )
    return report


def _ancestors(project: Project, key: str | None) -> set[str]:
    out: set[str] = set()
    while key is not None and key not in out:
        out.add(key)
        row = project.db.execute("SELECT parent FROM codes WHERE key = ?", [key]).fetchone()
        key = row[0] if row else None
    return out


def _check_fields(fields: dict[str, Any]) -> dict[str, Any]:
    unknown = set(fields) - set(EDITABLE_FIELDS)
    if unknown:
        raise CoderError(f"unknown code field(s): {', '.join(sorted(unknown))}")
    color = fields.get("color")
    if color is not None:
        if not COLOR_PATTERN.match(color):
            raise CoderError(f"bad colour {color!r}: write it as #rrggbb, e.g. #1f77b4")
        fields["color"] = color.lower()
    return {k: v for k, v in fields.items() if v is not None}


def _check_lang(lang: str) -> None:
    if not LANG_PATTERN.match(lang):
        raise CoderError(f"{lang!r} is not a language code such as en, es, sq, ro, bs, ru")


def free_key(project: Project, label: str) -> str:
    """A key made from a label ("Miedo a represalias" → "miedo-a-represalias") that no code has yet."""
    slug = slugify(label)
    key, n = slug, 2
    while project.db.execute("SELECT 1 FROM codes WHERE key = ?", [key]).fetchone():
        key, n = f"{slug}-{n}", n + 1
    return key


def add_code(
    project: Project, key: str, label: str, *, parent: str | None = None, lang: str = "en", **fields: Any
) -> int:
    """Add a code. Without an English label yet, the label given also serves as the English one."""
    if not KEY_PATTERN.match(key):
        raise CoderError(f"key {key!r} must be lowercase words joined by '.', '-' or '_' (e.g. barriers.fear-shame-guilt)")
    _check_lang(lang)
    if not label.strip():
        raise CoderError("the label is empty")
    if project.db.execute("SELECT 1 FROM codes WHERE key = ?", [key]).fetchone():
        raise CoderError(f"code {key} already exists")
    if parent is not None:
        project.code(parent)  # NotFound names it
    labels = {lang: label.strip()}
    labels.setdefault("en", label.strip())
    record = {"key": key, "parent": parent, "labels": labels, "guid": guid_for_key(key), **_check_fields(dict(fields))}
    with project.transaction():
        code_id = project.upsert_code(record)
        project.audit("codebook.add", f"code:{key}", {"parent": parent})
    return code_id


def rename_code(project: Project, key: str, label: str, *, lang: str = "en") -> None:
    """Set a code's label in one language (keys never change: codings refer to them)."""
    _check_lang(lang)
    if not label.strip():
        raise CoderError("the label is empty")
    code = project.code(key)
    labels = {**code["labels"], lang: label.strip()}
    with project.transaction():
        project.upsert_code({"key": key, "labels": labels})
        project.audit("codebook.rename", f"code:{key}", {"lang": lang})


def update_code(project: Project, key: str, **fields: Any) -> None:
    """Change a code's description, criteria, example, colour or codable flag."""
    project.code(key)
    record = _check_fields(dict(fields))
    if not record:
        return
    with project.transaction():
        project.upsert_code({"key": key, **record})
        project.audit("codebook.update", f"code:{key}", {"fields": sorted(record)})


def move_code(project: Project, key: str, parent: str | None) -> None:
    """Move a code (with its children) under `parent`, or to the top level when parent is None."""
    code = project.code(key)
    if parent is not None:
        project.code(parent)
        if key in _ancestors(project, parent):
            raise CoderError(f"cannot move {key} under {parent}: {parent} is {key} itself or one of its sub-codes")
    if code["parent"] == parent:
        return
    position = project.db.execute("SELECT coalesce(max(position), -1) + 1 FROM codes").fetchone()[0]
    with project.transaction():
        project.upsert_code({"key": key, "parent": parent, "position": position})
        project.audit("codebook.move", f"code:{key}", {"from": code["parent"], "to": parent})


def delete_code(project: Project, key: str, *, reassign: str | None = None) -> dict[str, Any]:
    """Delete a code. Its codings and memos move to `reassign` (required when it has any);
    its sub-codes move up to its parent."""
    code = project.code(key)
    q = project.db.execute
    codings = q("SELECT count(*) FROM codings WHERE code_id = ?", [code["id"]]).fetchone()[0]
    memos = q("SELECT count(*) FROM memos WHERE code_id = ?", [code["id"]]).fetchone()[0]
    target = None
    if reassign is not None:
        if reassign == key:
            raise CoderError("cannot reassign a code's codings to itself")
        target = project.code(reassign)
        if not target["codable"] and codings:
            raise CoderError(f"{reassign} is a category; reassign the codings to a code you can apply")
    elif codings or memos:
        what = " and ".join(
            part for part in (f"{codings} codings" if codings else "", f"{memos} memos" if memos else "") if part
        )
        raise CoderError(f"code {key} has {what}; delete it with --reassign KEY to move them to another code")
    children = [c["key"] for c in project.codes() if c["parent"] == key]
    merged = moved = 0
    with project.transaction():
        if target is not None:
            for coding_id, document_id, start, end, coder, memo in q(
                'SELECT id, document_id, start, "end", coder, memo FROM codings WHERE code_id = ?', [code["id"]]
            ).fetchall():
                twin = q(
                    'SELECT id, memo FROM codings WHERE document_id = ? AND start = ? AND "end" = ? '
                    "AND code_id = ? AND coder = ?",
                    [document_id, start, end, target["id"], coder],
                ).fetchone()
                if twin:  # the same passage already carries the target code: keep one coding
                    if memo and not twin[1]:
                        q("UPDATE codings SET memo = ? WHERE id = ?", [memo, twin[0]])
                    q("DELETE FROM codings WHERE id = ?", [coding_id])
                    merged += 1
                else:
                    q("UPDATE codings SET code_id = ? WHERE id = ?", [target["id"], coding_id])
                    moved += 1
            q("UPDATE memos SET code_id = ? WHERE code_id = ?", [target["id"], code["id"]])
        for child in children:
            project.upsert_code({"key": child, "parent": code["parent"]})
        q("DELETE FROM codes WHERE id = ?", [code["id"]])
        sets = _sets(project)
        if any(key in members for members in sets.values()):
            sets = {name: [k for k in members if k != key] for name, members in sets.items()}
            _set_meta(project, "codebook_sets", json.dumps(sets, ensure_ascii=False))
        project.audit(
            "codebook.delete",
            f"code:{key}",
            {"reassign": reassign, "codings": codings, "memos": memos, "children": len(children)},
        )
    return {"codings": moved + merged, "merged": merged, "memos": memos, "children": children}


def code_counts(project: Project) -> dict[str, dict[str, int]]:
    """Per code key: codings, documents and participants — own, and rolled up with sub-codes."""
    rows = project.codes()
    parent = {r["key"]: r["parent"] for r in rows}
    own: dict[str, list[tuple[int, str | None]]] = {r["key"]: [] for r in rows}
    for key, document_id, participant in project.db.execute(
        "SELECT k.key, c.document_id, d.participant FROM codings c "
        "JOIN codes k ON k.id = c.code_id JOIN documents d ON d.id = c.document_id"
    ).fetchall():
        own[key].append((document_id, participant))
    total: dict[str, list[tuple[int, str | None]]] = {k: [] for k in own}
    for key, items in own.items():
        node, seen = key, set()
        while node is not None and node not in seen:
            seen.add(node)
            total[node].extend(items)
            node = parent.get(node)

    def summary(items: list[tuple[int, str | None]]) -> dict[str, int]:
        return {
            "codings": len(items),
            "documents": len({d for d, _ in items}),
            "participants": len({p for _, p in items if p}),
        }

    return {
        key: {**summary(own[key]), **{f"all_{k}": v for k, v in summary(total[key]).items()}}
        for key in own
    }


__all__ = [
    "ImportReport", "add_code", "code_counts", "delete_code", "import_codebook",
    "install_codebook", "move_code", "project_codebook", "rename_code", "update_code",
]
