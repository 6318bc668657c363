"""REFI-QDA codebook exchange (.qdc, namespace urn:QDA-XML:codebook:1.0).

The format NVivo, ATLAS.ti, MAXQDA, QualCoder and Taguette exchange codebooks in. It carries one
name per code, a colour, a description, nesting and code sets; our other fields (inclusion and
exclusion criteria, example, key) travel in a trailer at the end of the description so that a
codebook survives the trip out to another tool and back. GUIDs are uuid5 of the key, so the same
code has the same GUID in every export.
"""

from __future__ import annotations

import re
import uuid
import xml.etree.ElementTree as ET
from pathlib import Path

import defusedxml
import defusedxml.ElementTree as SafeET

from coder import __version__
from coder.codebook.model import Code, Codebook, CodebookError
from coder.codebook.yamlformat import KEY_PATTERN, slugify
from coder.errors import CoderError

NAMESPACE = "urn:QDA-XML:codebook:1.0"
# Fixed forever: changing it would change every exported GUID.
GUID_NAMESPACE = uuid.UUID("6c1f7d0e-3b0a-5d52-9a43-5f0e6c0d2b71")
MAX_BYTES = 50_000_000
TRAILER_FIELDS = (("inclusion", "Inclusion"), ("exclusion", "Exclusion"), ("example", "Example"), ("key", "Key"))
_TRAILER_START = re.compile(r"\n\n(?=(?:Inclusion|Exclusion|Example|Key): )")
_TRAILER_LINE = re.compile(r"^(Inclusion|Exclusion|Example|Key): ", re.MULTILINE)
_GUID = re.compile(r"^\{?([0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12})\}?$")
_COLOR6 = re.compile(r"^#[0-9a-fA-F]{6}$")
_COLOR3 = re.compile(r"^#[0-9a-fA-F]{3}$")


def guid_for_key(key: str) -> str:
    """The stable REFI-QDA GUID of a code key (lowercase, no braces)."""
    return str(uuid.uuid5(GUID_NAMESPACE, key))


def normalise_guid(value: str | None) -> str | None:
    """GUIDs arrive with or without braces and in any case; store them bare and lowercase."""
    if value is None:
        return None
    match = _GUID.match(value.strip())
    return match.group(1).lower() if match else None


# -- writing ---------------------------------------------------------------------------------------


def describe(code: Code) -> str:
    """The .qdc Description: the description, then a trailer with what .qdc has no place for."""
    parts = [code.description.strip()] if code.description else []
    trailer = []
    for field, title in TRAILER_FIELDS:
        value = code.key if field == "key" else getattr(code, field)
        if value:
            trailer.append(f"{title}: {value.strip()}")
    if trailer:
        parts.append("\n".join(trailer))
    return "\n\n".join(parts)


def codebook_element(book: Codebook, *, origin: str = f"coder {__version__}", tag_ns: str | None = NAMESPACE) -> ET.Element:
    """The <CodeBook> element (in `tag_ns`, so a .qdpx writer can reuse it in the project namespace;
    None for bare tags under a default xmlns set by the caller)."""

    def q(tag: str) -> str:
        return f"{{{tag_ns}}}{tag}" if tag_ns else tag

    root = ET.Element(q("CodeBook"), {"origin": origin})
    codes_el = ET.SubElement(root, q("Codes"))
    guids = {c.key: c.guid or guid_for_key(c.key) for c in book.codes}

    def add(parent_el: ET.Element, code: Code) -> None:
        attrs = {"guid": guids[code.key], "name": code.label("en"), "isCodable": "true" if code.codable else "false"}
        if code.color:
            attrs["color"] = code.color.upper()
        el = ET.SubElement(parent_el, q("Code"), attrs)
        description = describe(code)
        if description:
            ET.SubElement(el, q("Description")).text = description
        for child in book.children(code.key):
            add(el, child)

    for code in book.children(None):
        add(codes_el, code)
    sets = {name: [k for k in keys if k in guids] for name, keys in book.sets.items()}
    if sets:
        sets_el = ET.SubElement(root, q("Sets"))
        for name, keys in sets.items():
            set_el = ET.SubElement(sets_el, q("Set"), {"guid": str(uuid.uuid5(GUID_NAMESPACE, "set:" + name)), "name": name})
            for key in keys:
                ET.SubElement(set_el, q("MemberCode"), {"guid": guids[key]})
    return root


def write_qdc(book: Codebook, path: Path) -> None:
    # Bare tags under an explicit default xmlns: no ET.register_namespace, no global state shared
    # with other XML writers in the process.
    root = codebook_element(book, tag_ns=None)
    root.set("xmlns", NAMESPACE)
    root.set("xmlns:xsi", "http://www.w3.org/2001/XMLSchema-instance")
    root.set("xsi:schemaLocation", f"{NAMESPACE} Codebook.xsd")
    tree = ET.ElementTree(root)
    ET.indent(tree, space="  ")
    with open(path, "wb") as fh:
        tree.write(fh, encoding="utf-8", xml_declaration=True)


# -- reading ---------------------------------------------------------------------------------------


def local_name(tag: object) -> str:
    """An element's tag without its namespace ('' for comments and processing instructions)."""
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""


def parse_xml(xml_bytes: bytes, name: str) -> ET.Element:
    """Parse untrusted REFI-QDA XML safely (defusedxml: no entity expansion, no external
    references, bounded size). Every problem is a one-line CoderError naming `name`."""
    if len(xml_bytes) > MAX_BYTES:
        raise CoderError(f"{name}: the file is larger than {MAX_BYTES:,} bytes")
    try:
        return SafeET.fromstring(xml_bytes, forbid_dtd=False, forbid_entities=True, forbid_external=True)
    except defusedxml.EntitiesForbidden:
        raise CoderError(f"{name}: refused: the XML declares entities (possible entity-expansion attack)") from None
    except (defusedxml.ExternalReferenceForbidden, defusedxml.DTDForbidden):
        raise CoderError(f"{name}: refused: the XML refers to external entities or files") from None
    except ET.ParseError as exc:
        raise CoderError(f"{name}: not well-formed XML ({exc})") from None


def split_description(text: str | None) -> dict[str, str | None]:
    """Undo `describe`: the description and any Inclusion/Exclusion/Example/Key trailer."""
    out: dict[str, str | None] = {"description": None, "inclusion": None, "exclusion": None, "example": None, "key": None}
    if not text or not text.strip():
        return out
    text = text.replace("\r\n", "\n").replace("\r", "\n").strip()
    body, trailer = text, ""
    if _TRAILER_LINE.match(text):
        body, trailer = "", text
    else:
        parts = _TRAILER_START.split(text)
        if len(parts) > 1:
            body, trailer = "\n\n".join(parts[:-1]), parts[-1]
    titles = {title: field for field, title in TRAILER_FIELDS}
    if trailer:
        pieces = _TRAILER_LINE.split(trailer)  # ["", title, value, title, value…]
        for title, value in zip(pieces[1::2], pieces[2::2]):
            out[titles[title]] = value.strip() or None
    out["description"] = body.strip() or None
    return out


def codebook_from_element(root: ET.Element, *, name: str, source: str = "<qdc>") -> Codebook:
    """A Codebook from a parsed <CodeBook> element (any namespace; .qdc or inside a .qde)."""
    codes_el = next((el for el in root if local_name(el.tag) == "Codes"), None)
    if codes_el is None:
        raise CodebookError([f"{source}:1: the codebook has no <Codes> element"])
    book = Codebook(name=name, languages=["en"])
    used: set[str] = set()
    by_guid: dict[str, str] = {}

    def unique(key: str) -> str:
        candidate, n = key, 2
        while candidate in used:
            candidate = f"{key}-{n}"
            n += 1
        return candidate

    def walk(el: ET.Element, parent: str | None) -> None:
        for child in el:
            if local_name(child.tag) != "Code":
                continue
            label = (child.get("name") or "").strip()
            guid = normalise_guid(child.get("guid"))
            # Lenient with what real exports get wrong: a nameless code is "unnamed"; a missing or
            # malformed guid is replaced by one derived from the key.
            label = label or "unnamed"
            description_el = next((d for d in child if local_name(d.tag) == "Description"), None)
            fields = split_description(description_el.text if description_el is not None else None)
            key = fields.pop("key")
            # A key in the trailer came from coder: keep it (stable even if the code was moved).
            if not (key and KEY_PATTERN.match(key) and key not in used):
                base = slugify(label)
                key = unique(f"{parent}.{base}" if parent else base)
            used.add(key)
            color = (child.get("color") or "").strip()
            if _COLOR3.match(color):
                color = "#" + "".join(ch * 2 for ch in color[1:])
            codable = (child.get("isCodable") or "true").strip().lower() not in ("false", "0")
            code = Code(
                key=key, labels={"en": label}, parent=parent, codable=codable,
                color=color.lower() if _COLOR6.match(color) else None,
                guid=guid, **fields,
            )
            book.codes.append(code)
            if guid:
                by_guid[guid] = key
            walk(child, key)

    walk(codes_el, None)
    sets_el = next((el for el in root if local_name(el.tag) == "Sets"), None)
    if sets_el is not None:
        for set_el in sets_el:
            if local_name(set_el.tag) != "Set":
                continue
            members = [
                by_guid[g] for m in set_el if local_name(m.tag) == "MemberCode"
                and (g := normalise_guid(m.get("guid"))) in by_guid
            ]
            book.sets[(set_el.get("name") or "set").strip()] = members
    return book


def read_qdc(path: Path) -> Codebook:
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise CoderError(f"cannot read {path}: {exc.strerror}") from None
    root = parse_xml(data, str(path))
    if local_name(root.tag) != "CodeBook":
        raise CodebookError([f"{path}:1: not a REFI-QDA codebook: the root element is <{local_name(root.tag)}>, not <CodeBook>"])
    return codebook_from_element(root, name=root.get("name") or path.stem, source=str(path))


def codebook_from_qde(xml_bytes: bytes, *, name: str = "project.qde") -> Codebook:
    """The codebook inside a REFI-QDA project file (project.qde of a .qdpx), or an empty one."""
    root = parse_xml(xml_bytes, name)
    if local_name(root.tag) == "CodeBook":
        return codebook_from_element(root, name=root.get("name") or Path(name).stem, source=name)
    codebook_el = next((el for el in root if local_name(el.tag) == "CodeBook"), None)
    book_name = root.get("name") or Path(name).stem
    if codebook_el is None:
        return Codebook(name=book_name)
    return codebook_from_element(codebook_el, name=book_name, source=name)
