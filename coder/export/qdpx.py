"""REFI-QDA project export (.qdpx): project.qde (valid against Project-mrt2019.xsd) + sources/*.txt.

GUIDs are stable across exports: codes use `guid_for_key`; users, sources, selections and codings
are uuid5 of their identity (coder name; document sha256; span; span + code + coder). Document
fields (country, participant, kind…) travel as Variables so a re-import restores them. Memos are
not exported: they are free text nobody has reviewed for identifiers.
"""

from __future__ import annotations

import os
import uuid
import xml.etree.ElementTree as ET
import zipfile
from collections import defaultdict
from pathlib import Path
from typing import Any, Callable

from coder import __version__ as coder_version
from coder.codebook import codebook_element, guid_for_key, project_codebook
from coder.gate import quote_consent
from coder.store import DOCUMENT_FIELDS, Project

NAMESPACE = "urn:QDA-XML:project:1.0"
XSI = "http://www.w3.org/2001/XMLSchema-instance"
GUID_NAMESPACE = uuid.UUID("0e5b8a59-2f7c-5c1e-8d0a-3c4d6f7a9b21")  # fixed: GUIDs must not change
VARIABLES = tuple(f for f in DOCUMENT_FIELDS if f != "title")
# Travels with every document so that a lead working on in another tool still knows whose words
# must not be quoted; a re-import restores it as the document attribute.
CONSENT_VARIABLE = "consent_quote"


def stable_guid(*parts: Any) -> str:
    """A GUID that is the same in every export of the same thing (uuid5 of its identity)."""
    return str(uuid.uuid5(GUID_NAMESPACE, "\x1f".join(str(p) for p in parts)))


def _q(tag: str) -> str:
    return f"{{{NAMESPACE}}}{tag}"


def build_qde(
    project: Project,
    documents: list[dict[str, Any]],
    texts: dict[int, str],
) -> tuple[bytes, dict[str, str]]:
    """The project.qde bytes and {archive path: text} for the sources."""
    ET.register_namespace("", NAMESPACE)
    stamp = project.meta("created")  # ISO 8601 with offset, which xsd:dateTime accepts as is
    ids = [d["id"] for d in documents]
    codings: list[tuple] = []
    if ids:
        marks = ", ".join("?" for _ in ids)
        codings = project.db.execute(
            f'SELECT c.document_id, c.start, c."end", k.key, k.guid, c.coder, c.created '
            f"FROM codings c JOIN codes k ON k.id = c.code_id WHERE c.document_id IN ({marks}) "
            'ORDER BY c.document_id, c.start, c."end", k.key, c.coder',
            ids,
        ).fetchall()
    coders = sorted({row[5] for row in codings} | {project.coder})
    user_guid = {name: stable_guid("user", name) for name in coders}

    root = ET.Element(_q("Project"), {
        "name": project.meta("name") or project.path.stem,
        "origin": f"coder {coder_version}",
        "creatingUserGUID": user_guid[project.coder],
    })
    if stamp:
        root.set("creationDateTime", stamp)
    root.set(f"{{{XSI}}}schemaLocation", f"{NAMESPACE} Project.xsd")
    users = ET.SubElement(root, _q("Users"))
    for name in coders:
        ET.SubElement(users, _q("User"), {"guid": user_guid[name], "name": name, "id": name})

    book = project_codebook(project)
    if book.codes:
        codebook = codebook_element(book, tag_ns=NAMESPACE)
        codebook.attrib.pop("origin", None)  # the project schema's CodeBook has no attributes
        for child in list(codebook):
            if child.tag != _q("Codes"):
                codebook.remove(child)  # .qdc code sets; the project schema has no Sets here
        root.append(codebook)
    code_guid = {c.key: c.guid or guid_for_key(c.key) for c in book.codes}

    variables = ET.SubElement(root, _q("Variables"))
    variable_guid = {}
    for name in (*VARIABLES, CONSENT_VARIABLE):
        variable_guid[name] = stable_guid("variable", name)
        ET.SubElement(variables, _q("Variable"), {
            "guid": variable_guid[name], "name": name, "typeOfVariable": "Text"})

    by_document: dict[int, dict[tuple[int, int], list[tuple]]] = defaultdict(lambda: defaultdict(list))
    for row in codings:
        by_document[row[0]][(row[1], row[2])].append(row)

    sources = ET.SubElement(root, _q("Sources"))
    files: dict[str, str] = {}
    for doc in documents:
        guid = stable_guid("source", doc["sha256"])
        files[f"sources/{guid}.txt"] = texts[doc["id"]]
        attrs = {"guid": guid, "name": doc["title"], "plainTextPath": f"internal://{guid}.txt",
                 "creatingUser": user_guid.get(doc.get("imported_by") or "", user_guid[project.coder])}
        if doc.get("imported_at"):
            attrs["creationDateTime"] = doc["imported_at"]
        source = ET.SubElement(sources, _q("TextSource"), attrs)
        for (start, end), rows in sorted(by_document.get(doc["id"], {}).items()):
            selection = ET.SubElement(source, _q("PlainTextSelection"), {
                "guid": stable_guid("selection", doc["sha256"], start, end),
                "name": f"{start}-{end}", "startPosition": str(start), "endPosition": str(end),
                "creatingUser": user_guid[rows[0][5]],
            })
            for _, _, _, key, _, coder, created in rows:
                coding = ET.SubElement(selection, _q("Coding"), {
                    "guid": stable_guid("coding", doc["sha256"], start, end, key, coder),
                    "creatingUser": user_guid[coder],
                })
                if created:
                    coding.set("creationDateTime", created)
                ET.SubElement(coding, _q("CodeRef"), {"targetGUID": code_guid[key]})
        consent = "yes" if quote_consent(doc) else "no"
        for name in (*VARIABLES, CONSENT_VARIABLE):
            value = consent if name == CONSENT_VARIABLE else doc.get(name)
            if value:
                vv = ET.SubElement(source, _q("VariableValue"))
                ET.SubElement(vv, _q("VariableRef"), {"targetGUID": variable_guid[name]})
                ET.SubElement(vv, _q("TextValue")).text = str(value)
    if not len(sources):
        root.remove(sources)
    tree = ET.ElementTree(root)
    data = ET.tostring(tree.getroot(), encoding="utf-8", xml_declaration=True)
    return data, files


def write_qdpx(
    project: Project,
    path: Path,
    documents: list[dict[str, Any]],
    release_document: Callable[[Project, int], str],
    *,
    progress: Callable[[int], None] | None = None,
) -> Path:
    """Write a .qdpx of these documents; every text is taken through `release_document` (the gate)."""
    texts = {}
    for doc in documents:
        texts[doc["id"]] = release_document(project, doc["id"])
        if progress:
            progress(1)
    qde, files = build_qde(project, documents, texts)
    tmp = path.with_name(path.name + ".part")
    try:
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "wb") as fh, zipfile.ZipFile(fh, "w", zipfile.ZIP_DEFLATED) as archive:
            archive.writestr("project.qde", qde)
            for name, text in files.items():
                archive.writestr(name, text.encode("utf-8"))
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)  # a half-written archive holds released text: leave none behind
        raise
    return path
