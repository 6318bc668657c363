"""Import a REFI-QDA project (.qdpx from NVivo, ATLAS.ti, MAXQDA, QualCoder, qc…) into a project.

Brings in text sources, the codebook, codings with their coders (User names) and notes (as memos).
Texts are normalised like every import (coder.textnorm); coding offsets, which refer to the text as
the other tool saw it, are mapped through that normalisation. ATLAS.ti counts CRLF as one
character, so for its files offsets are read against the text with CRLF already folded.
"""

from __future__ import annotations

import hashlib
import io
import posixpath
import unicodedata
import zipfile
import zlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from xml.etree.ElementTree import Element

from coder.codebook.qdc import local_name, normalise_guid, parse_xml
from coder.errors import CoderError
from coder.store import DOCUMENT_FIELDS, KINDS, Project, now
from coder.textnorm import decode, normalise

MAX_MEMBER_BYTES = 200_000_000  # refuse zip bombs: no single member may inflate beyond this


@dataclass
class QdpxImport:
    documents: int = 0
    duplicates: int = 0
    codes: int = 0
    codings: int = 0
    memos: int = 0
    skipped: list[str] = field(default_factory=list)  # sources or codings left out, and why
    document_ids: list[int] = field(default_factory=list)


def _children(el: Element, name: str) -> list[Element]:
    return [c for c in el if local_name(c.tag) == name]


def _child(el: Element, name: str) -> Element | None:
    return next((c for c in el if local_name(c.tag) == name), None)


# -- text and offsets ----------------------------------------------------------------------------


def normalise_with_offsets(raw: str, *, crlf_is_one: bool = False) -> tuple[str, list[int]]:
    """`textnorm.normalise(raw)` plus, for every offset 0..len(raw) as the other tool counted,
    the matching offset in the normalised text."""
    if crlf_is_one:
        raw = raw.replace("\r\n", "\n")
    if raw.startswith("\ufeff"):
        raw = raw[1:]  # offsets are taken to exclude a byte-order mark
    out: list[str] = []
    mapping: list[int] = []
    length = 0
    i, n = 0, len(raw)
    while i < n:
        ch = raw[i]
        if ch == "\r":
            mapping.append(length)
            if i + 1 < n and raw[i + 1] == "\n":
                mapping.append(length)
                i += 1
            out.append("\n")
            length += 1
            i += 1
            continue
        # A cluster: a starter and the combining marks after it, composed on its own.
        j = i + 1
        while j < n and unicodedata.combining(raw[j]):
            j += 1
        cluster = raw[i:j]
        composed = unicodedata.normalize("NFC", cluster) if j - i > 1 or not cluster.isascii() else cluster
        mapping += [length] * (j - i)
        out.append(composed)
        length += len(composed)
        i = j
    mapping.append(length)
    text = "".join(out)
    # Composition across clusters (rare: Hangul jamo) — fall back to the plain normaliser.
    normalised = unicodedata.normalize("NFC", text)
    if normalised != text:
        ratio = len(normalised) / max(1, len(text))
        mapping = [round(m * ratio) for m in mapping]
        text = normalised
    return text, mapping


def _decode_raw(data: bytes, name: str) -> str:
    """Decoded but not normalised (offsets refer to this); legacy encodings via textnorm."""
    for encoding in ("utf-8-sig", "utf-16"):
        if encoding == "utf-16" and not data.startswith((b"\xff\xfe", b"\xfe\xff")):
            continue
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            pass
    return decode(data, name)


def _docx_text(data: bytes) -> str:
    import docx

    document = docx.Document(io.BytesIO(data))
    return "\n".join(p.text for p in document.paragraphs)


# -- the archive ---------------------------------------------------------------------------------


class _Archive:
    def __init__(self, path: Path):
        try:
            self.zip = zipfile.ZipFile(path)
        except (zipfile.BadZipFile, OSError) as exc:
            raise CoderError(f"{path}: not a REFI-QDA project (.qdpx is a ZIP file): {exc}") from None
        self.path = path
        # Tools disagree on the case of "sources/"; look members up case-insensitively.
        self.names = {info.filename.lower(): info for info in self.zip.infolist() if not info.is_dir()}

    def read(self, name: str) -> bytes | None:
        info = self.names.get(name.lower().lstrip("/"))
        if info is None:
            return None
        if info.file_size > MAX_MEMBER_BYTES:
            raise CoderError(f"{self.path}: {info.filename} is too large to import")
        try:
            return self.zip.read(info)
        except (zipfile.BadZipFile, zlib.error, NotImplementedError, OSError) as exc:
            raise CoderError(f"{self.path}: cannot read {info.filename} from the archive ({exc})") from None

    def qde(self) -> bytes:
        candidates = [n for n in self.names if n.endswith(".qde")]
        if not candidates:
            raise CoderError(f"{self.path}: no project.qde inside; is it a REFI-QDA project?")
        best = "project.qde" if "project.qde" in candidates else sorted(candidates, key=len)[0]
        return self.read(best) or b""

    def resolve(self, reference: str | None, base_path: str | None) -> bytes | None:
        """The bytes behind a plainTextPath/richTextPath: internal://, relative://, or a bare name."""
        if not reference:
            return None
        ref = reference.strip().replace("\\", "/")
        candidates: list[str] = []
        if ref.lower().startswith("internal://"):
            candidates.append("sources/" + ref[len("internal://"):])
        elif ref.lower().startswith("relative://"):
            rel = ref[len("relative://"):]
            candidates += ["sources/" + rel, rel]
            if base_path:
                candidates.append(posixpath.join(base_path.replace("\\", "/"), rel))
        elif "://" in ref:
            return None  # absolute:// and anything else point outside the archive
        else:
            candidates += ["sources/" + ref, ref]
        for candidate in candidates:
            candidate = posixpath.normpath(candidate).lstrip("/")
            if candidate.startswith(".."):
                continue
            data = self.read(candidate)
            if data is not None:
                return data
        # Last resort: the same file name anywhere under sources/.
        base = posixpath.basename(ref).lower()
        for name in self.names:
            if name.startswith("sources/") and posixpath.basename(name) == base:
                return self.read(name)
        return None


# -- import --------------------------------------------------------------------------------------


def import_qdpx(project: Project, path: str | Path, *, scan: bool = True) -> QdpxImport:
    """Add a .qdpx project's text sources, codebook, codings and notes to `project`."""
    from coder.codebook import codebook_from_qde, import_codebook

    path = Path(path)
    archive = _Archive(path)
    qde_bytes = archive.qde()
    root = parse_xml(qde_bytes, f"{path.name}:project.qde")
    if local_name(root.tag) != "Project":
        raise CoderError(f"{path}: project.qde has <{local_name(root.tag)}> where <Project> belongs")
    crlf_is_one = "atlas" in (root.get("origin") or "").lower()
    result = QdpxImport()

    users = {}
    for users_el in _children(root, "Users"):
        for user in _children(users_el, "User"):
            guid = normalise_guid(user.get("guid"))
            if guid:
                users[guid] = (user.get("name") or user.get("id") or guid).strip()
    variables = {}
    for variables_el in _children(root, "Variables"):
        for variable in _children(variables_el, "Variable"):
            guid = normalise_guid(variable.get("guid"))
            if guid:
                variables[guid] = (variable.get("name") or "").strip()
    notes = _notes(root, archive)

    with project.transaction():
        book = codebook_from_qde(qde_bytes, name=f"{path.name}:project.qde")
        code_key: dict[str, str] = {}
        if book.codes:
            report = import_codebook(project, book)
            result.codes = len(report.added)
            by_guid = {c["guid"]: c["key"] for c in project.codes() if c["guid"]}
            known = {c["key"] for c in project.codes()}
            for code in book.codes:
                if code.guid:
                    code_key[code.guid] = by_guid.get(code.guid) or (code.key if code.key in known else None)
        code_ids = {c["key"]: c["id"] for c in project.codes()}
        default_coder = project.coder
        memo_targets: list[tuple[str, dict[str, Any]]] = []

        for sources_el in _children(root, "Sources"):
            for source in sources_el:
                kind = local_name(source.tag)
                name = source.get("name") or source.get("guid") or "source"
                if kind != "TextSource":
                    result.skipped.append(f"{name}: {kind} sources are not supported (text only)")
                    continue
                _import_source(project, archive, root, source, users, variables, code_key, code_ids,
                               default_coder, crlf_is_one, result, memo_targets)

        _import_memos(project, root, notes, memo_targets, code_key, users, result)
        project.audit("import.qdpx", path.name, {
            "documents": result.documents, "codes": result.codes, "codings": result.codings,
            "memos": result.memos, "origin": root.get("origin"),
        })
    if scan and result.document_ids:
        try:
            from coder.review import scan_documents
        except ImportError:  # review capability not installed in this build
            scan_documents = None
        if scan_documents is not None:
            scan_documents(project, result.document_ids)
    return result


def _source_text(archive: _Archive, root: Element, source: Element) -> str | None:
    content = _child(source, "PlainTextContent")
    if content is not None and content.text:
        return content.text
    data = archive.resolve(source.get("plainTextPath"), root.get("basePath"))
    raw = _decode_raw(data, source.get("name") or "source") if data is not None else None
    if raw is not None and raw.strip():
        return raw
    # Rich-text-only sources (NVivo writes an empty .txt beside the .docx).
    rich_path = source.get("richTextPath")
    rich = archive.resolve(rich_path, root.get("basePath"))
    if rich is not None:
        if (rich_path or "").lower().endswith(".docx"):
            try:
                return _docx_text(rich)
            except Exception as exc:  # python-docx raises many kinds on a damaged file
                raise CoderError(f"{rich_path}: cannot read the Word document ({exc})") from None
        return _decode_raw(rich, rich_path or "source")
    return raw


def _import_source(
    project: Project, archive: _Archive, root: Element, source: Element, users: dict[str, str],
    variables: dict[str, str], code_key: dict[str, str], code_ids: dict[str, int],
    default_coder: str, crlf_is_one: bool, result: QdpxImport, memo_targets: list,
) -> None:
    path_name = posixpath.basename((source.get("plainTextPath") or "").split("://")[-1])
    name = ((source.get("name") or "").strip() or posixpath.splitext(path_name)[0]
            or source.get("guid") or "source")
    raw = _source_text(archive, root, source)
    if raw is None:
        result.skipped.append(f"{name}: its text is not in the archive")
        return
    text, offsets = normalise_with_offsets(raw, crlf_is_one=crlf_is_one)
    if not text.strip():
        result.skipped.append(f"{name}: the source has no text")
        return
    record: dict[str, Any] = {"title": name, "attributes": {}}
    for value_el in _children(source, "VariableValue"):
        ref = _child(value_el, "VariableRef")
        variable = variables.get(normalise_guid(ref.get("targetGUID")) if ref is not None else "", "")
        value = next((v.text for v in value_el if local_name(v.tag) != "VariableRef"), None)
        if not variable or value is None:
            continue
        field_name = variable.strip().lower()
        if field_name in DOCUMENT_FIELDS and field_name != "title":
            record[field_name] = value.strip()
        else:
            record["attributes"][variable] = value.strip()
    if record.get("kind") not in KINDS:
        record.pop("kind", None)
    record.setdefault("country", project.country)
    record.setdefault("language", project.language)
    sha = hashlib.sha256(text.encode("utf-8")).hexdigest()
    existing = project.db.execute("SELECT id FROM documents WHERE sha256 = ?", [sha]).fetchone()
    if existing:
        document_id = existing[0]
        result.duplicates += 1
    else:
        document_id = project.insert_document({
            **record, "source": path_name or name,
            "sha256": sha, "text": text, "imported_by": default_coder,
        })
        result.documents += 1
        result.document_ids.append(document_id)
    source_user = users.get(normalise_guid(source.get("creatingUser")) or "")
    memo_targets += [("document", {"document_id": document_id, "note": normalise_guid(r.get("targetGUID"))})
                     for r in _children(source, "NoteRef")]

    def add(start: int, end: int, coding: Element, fallback_user: str | None) -> None:
        ref = _child(coding, "CodeRef")
        key = code_key.get(normalise_guid(ref.get("targetGUID")) if ref is not None else "")
        if key is None:
            result.skipped.append(f"{name}: a coding refers to a code missing from the codebook")
            return
        coder = users.get(normalise_guid(coding.get("creatingUser")) or "") or fallback_user or default_coder
        if not (0 <= start < end <= len(text)):
            result.skipped.append(f"{name}: a coding at {start}-{end} lies outside the text")
            return
        stamp = coding.get("creationDateTime") or now()
        cursor = project.db.execute(
            'INSERT OR IGNORE INTO codings (document_id, start, "end", code_id, coder, created, updated) '
            "VALUES (?, ?, ?, ?, ?, ?, ?)",
            [document_id, start, end, code_ids[key], coder, stamp, stamp],
        )
        if cursor.rowcount:
            result.codings += 1
            coding_id = cursor.lastrowid
            memo_targets.extend(("coding", {"coding_id": coding_id, "note": normalise_guid(r.get("targetGUID"))})
                                for r in _children(coding, "NoteRef"))

    def mapped(position: str | None) -> int:
        value = int(position or 0)
        return offsets[max(0, min(value, len(offsets) - 1))]

    for selection in _children(source, "PlainTextSelection"):
        try:
            start, end = mapped(selection.get("startPosition")), mapped(selection.get("endPosition"))
        except ValueError:
            result.skipped.append(f"{name}: a selection has non-numeric positions")
            continue
        if start > end:
            start, end = end, start
        selection_user = users.get(normalise_guid(selection.get("creatingUser")) or "") or source_user
        for coding in _children(selection, "Coding"):
            add(start, end, coding, selection_user)
    for coding in _children(source, "Coding"):  # a code applied to the whole source
        add(0, len(text), coding, source_user)


def _notes(root: Element, archive: _Archive) -> dict[str, str]:
    out = {}
    for notes_el in _children(root, "Notes"):
        for note in _children(notes_el, "Note"):
            guid = normalise_guid(note.get("guid"))
            text = _source_text(archive, root, note)
            if guid and text and text.strip():
                out[guid] = normalise(text)
    return out


def _import_memos(
    project: Project, root: Element, notes: dict[str, str], targets: list, code_key: dict[str, str],
    users: dict[str, str], result: QdpxImport,
) -> None:
    """Notes become memos: on a coding (its memo), a document, a code, or the project."""
    used: set[str] = set()
    stamp = now()

    def memo(text: str, document_id: int | None = None, code_id: int | None = None) -> None:
        project.db.execute(
            "INSERT INTO memos (document_id, code_id, text, author, created, updated) VALUES (?, ?, ?, ?, ?, ?)",
            [document_id, code_id, text, project.coder, stamp, stamp],
        )
        result.memos += 1

    for target, info in targets:
        text = notes.get(info["note"] or "")
        if not text:
            continue
        used.add(info["note"])
        if target == "coding":
            current = project.db.execute("SELECT memo FROM codings WHERE id = ?", [info["coding_id"]]).fetchone()
            joined = f"{current[0]}\n\n{text}" if current and current[0] else text
            project.db.execute("UPDATE codings SET memo = ? WHERE id = ?", [joined, info["coding_id"]])
            result.memos += 1
        else:
            memo(text, document_id=info["document_id"])
    code_ids = {c["key"]: c["id"] for c in project.codes()}

    def walk(el: Element) -> None:
        for code in _children(el, "Code"):
            key = code_key.get(normalise_guid(code.get("guid")) or "")
            for ref in _children(code, "NoteRef"):
                guid = normalise_guid(ref.get("targetGUID"))
                if key and guid in notes and guid not in used:
                    used.add(guid)
                    memo(notes[guid], code_id=code_ids.get(key))
            walk(code)

    for codebook in _children(root, "CodeBook"):
        for codes in _children(codebook, "Codes"):
            walk(codes)
    for guid, text in notes.items():
        if guid not in used:
            memo(text)  # project-level or unattached notes
