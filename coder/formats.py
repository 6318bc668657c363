"""Readers for the file formats notes arrive in: plain text and Markdown (with an optional
front-matter block), Word (.docx), OpenDocument (.odt) and survey tables (.csv, .xlsx).

Every reader returns normalised text (`coder.textnorm`) and raises `CoderError("FILE: reason")`
for input it cannot read, so the importer can report one line per bad file.
"""

from __future__ import annotations

import csv
import datetime as _dt
import io
import re
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

from coder.errors import CoderError
from coder.textnorm import looks_binary, decode, normalise

TEXT_SUFFIXES = (".txt", ".md")
DOCUMENT_SUFFIXES = (*TEXT_SUFFIXES, ".docx", ".odt")
TABLE_SUFFIXES = (".csv", ".xlsx")

# Front matter: a block fenced by `---` lines at the very top of a .txt/.md file.
_FENCE = "---"
_FRONT_MATTER_MAX_LINES = 60
_KEY_VALUE = re.compile(r"^\s*([A-Za-z_][\w .-]*?)\s*:\s*(.*?)\s*$")
# Names people write for the same attribute.
ATTRIBUTE_ALIASES = {"lang": "language", "pseudonym": "participant", "participant_id": "participant"}


@lru_cache(maxsize=1024)  # called for every attribute of every imported document
def attribute_name(raw: str) -> str:
    """Lower-case, spaces and dashes as underscores, common aliases resolved."""
    name = re.sub(r"[\s-]+", "_", raw.strip().lower())
    return ATTRIBUTE_ALIASES.get(name, name)


def _unquote(value: str) -> str:
    if len(value) >= 2 and value[0] == value[-1] and value[0] in "\"'":
        return value[1:-1]
    return value


def split_front_matter(text: str, name: str) -> tuple[dict[str, str], str]:
    """Split a leading `---` … `---` block of `key: value` lines from the text.

    Returns (attributes, body). Text without such a block comes back unchanged. A block that
    opens and closes but holds a line that is not `key: value` is refused, because silently
    storing it as note text would hide attributes the user meant to set.
    """
    if not text.startswith(_FENCE + "\n"):
        return {}, text
    lines = text.split("\n")
    close = None
    for i in range(1, min(len(lines), _FRONT_MATTER_MAX_LINES + 2)):
        if lines[i].strip() == _FENCE:
            close = i
            break
    if close is None:
        return {}, text
    attributes: dict[str, str] = {}
    for number, line in enumerate(lines[1:close], start=2):
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        match = _KEY_VALUE.match(line)
        if not match:
            raise CoderError(f"{name}: front matter line {number} is not `key: value`")
        value = _unquote(match.group(2))
        if value:
            attributes[attribute_name(match.group(1))] = value
    body = "\n".join(lines[close + 1:])
    # The blank lines separating the block from the note belong to the block.
    return attributes, body.lstrip("\n")


def decode_note(data: bytes, name: str) -> str:
    """`textnorm.decode`, with a shortcut for the usual note: UTF-8 without a byte-order mark or
    carriage returns, which only needs NFC (and not even that when it is ASCII). Anything else
    goes through `decode` itself, so the result is always the same."""
    return decode_note_exact(data, name)[0]


def decode_note_exact(data: bytes, name: str) -> tuple[str, bool]:
    """`decode_note`, and whether the text's UTF-8 is exactly `data` (then hashing `data` is
    hashing the text, without encoding it again)."""
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        return decode(data, name), False
    if text.startswith("\ufeff") or "\r" in text or looks_binary(data):
        return decode(data, name), False
    if text.isascii():
        return text, True
    normalised = unicodedata.normalize("NFC", text)
    return normalised, normalised is text  # CPython hands back the same string when already NFC


def read_text(data: bytes, name: str) -> tuple[dict[str, str], str]:
    """A .txt or .md file: (front-matter attributes, note text)."""
    return split_front_matter(decode_note(data, name), name)


def read_docx(path: Path, name: str) -> str:
    """Paragraphs and table rows of a Word document, in order, one per line."""
    try:
        import docx
        from docx.oxml.ns import qn

        document = docx.Document(str(path))
        lines: list[str] = []
        for block in _docx_blocks(document.element.body):
            if block.tag == qn("w:p"):
                lines.append(_docx_paragraph_text(block))
            else:
                lines += _docx_table_rows(block)
    except CoderError:
        raise
    except Exception as exc:  # python-docx raises many kinds on damaged files
        raise CoderError(f"{name}: not a readable .docx file ({type(exc).__name__})") from None
    return normalise("\n".join(lines))


def _docx_blocks(container: Any, tags: tuple[str, ...] = ("w:p", "w:tbl")) -> Any:
    """Children with these tags (paragraphs and tables by default) in document order, looking
    inside content controls (templates often wrap a whole note, or a table row, in one)."""
    from docx.oxml.ns import qn

    wanted = {qn(tag) for tag in tags}
    for child in container.iterchildren():
        if child.tag in wanted:
            yield child
        elif child.tag in (qn("w:sdt"), qn("w:sdtContent"), qn("w:customXml")):
            yield from _docx_blocks(child, tags)


def _docx_table_rows(table: Any) -> list[str]:
    """One line per row, cells separated by tabs. Only the table's own rows and cells: a table
    nested in a cell is read once, as part of that cell's text."""
    return [
        "\t".join(_docx_cell_text(cell) for cell in _docx_blocks(row, ("w:tc",)))
        for row in _docx_blocks(table, ("w:tr",))
    ]


def _docx_cell_text(cell: Any) -> str:
    from docx.oxml.ns import qn

    parts = []
    for block in _docx_blocks(cell):
        if block.tag == qn("w:p"):
            parts.append(_docx_paragraph_text(block))
        else:
            parts += [row.replace("\t", " ") for row in _docx_table_rows(block)]
    return " ".join(parts)


def _docx_paragraph_text(paragraph: Any) -> str:
    from docx.oxml.ns import qn

    parts = []
    for node in paragraph.iter(qn("w:t"), qn("w:tab"), qn("w:br"), qn("w:cr")):
        if node.tag == qn("w:t"):
            parts.append(node.text or "")
        elif node.tag == qn("w:tab"):
            parts.append("\t")
        else:
            parts.append("\n")
    return "".join(parts)


def read_odt(path: Path, name: str) -> str:
    """Paragraphs and headings of an OpenDocument text, in order, one per line."""
    try:
        from odf import teletype
        from odf.namespaces import TEXTNS
        from odf.opendocument import load

        document = load(str(path))
        lines: list[str] = []

        def walk(node: Any) -> None:
            for child in node.childNodes:
                if getattr(child, "qname", None) in ((TEXTNS, "p"), (TEXTNS, "h")):
                    lines.append(teletype.extractText(child))
                elif child.nodeType == child.ELEMENT_NODE:
                    walk(child)

        walk(document.text)
    except Exception as exc:  # odfpy raises zip, XML and key errors on damaged files
        raise CoderError(f"{name}: not a readable .odt file ({type(exc).__name__})") from None
    return normalise("\n".join(lines))


@dataclass
class Table:
    """A survey table: column names and rows (values as stripped strings, '' when empty).
    `row_numbers[i]` is the spreadsheet row of `rows[i]` (the header is row 1 or later)."""

    columns: list[str]
    rows: list[list[str]]
    row_numbers: list[int] = field(default_factory=list)


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, (_dt.datetime, _dt.date, _dt.time)):
        if isinstance(value, _dt.datetime) and value.time() == _dt.time(0):
            return value.date().isoformat()
        return value.isoformat()
    return normalise(str(value)).strip()


def _table(raw_rows: list[tuple[int, list[Any]]], name: str) -> Table:
    rows = [(n, [_cell(v) for v in values]) for n, values in raw_rows]
    rows = [(n, values) for n, values in rows if any(values)]
    if not rows:
        raise CoderError(f"{name}: empty table")
    _, header = rows[0]
    width = max(len(values) for _, values in rows)
    columns = []
    for i in range(width):
        label = header[i] if i < len(header) and header[i] else f"column {i + 1}"
        while label in columns:
            label += "'"
        columns.append(label)
    body = [values + [""] * (width - len(values)) for _, values in rows[1:]]
    return Table(columns, body, [n for n, _ in rows[1:]])


def read_csv(data: bytes, name: str) -> Table:
    text = decode(data, name)
    if not text.strip():
        raise CoderError(f"{name}: empty file")
    try:
        dialect = csv.Sniffer().sniff(text[:8192], delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    try:
        reader = csv.reader(io.StringIO(text, newline=""), dialect)
        raw = [(reader.line_num, row) for row in reader]
    except csv.Error as exc:
        raise CoderError(f"{name}: not a readable CSV table ({exc})") from None
    return _table(raw, name)


def read_xlsx(path: Path, name: str) -> Table:
    """The first worksheet of an Excel workbook."""
    try:
        import openpyxl

        workbook = openpyxl.load_workbook(str(path), read_only=True, data_only=True)
        try:
            sheet = workbook.worksheets[0]
            raw = [(n, list(row)) for n, row in enumerate(sheet.iter_rows(values_only=True), start=1)]
        finally:
            workbook.close()
    except Exception as exc:  # zip, XML and openpyxl errors on damaged files
        raise CoderError(f"{name}: not a readable .xlsx file ({type(exc).__name__})") from None
    return _table(raw, name)
