"""Codebooks: the YAML format, REFI-QDA .qdc exchange, the starter codebook, and codes in a project.

    load_codebook(path) / write_codebook(codebook, path)      .yaml/.yml or .qdc, by suffix
    export_codebook(project, path)                             a project's codebook, past the gate
    install_codebook(project, path) / project_codebook(project) / import_codebook(project, path)
    add_code / rename_code / move_code / delete_code           audited edits of a project's codes
    guid_for_key(key)                                          stable REFI-QDA GUID of a code key
    codebook_from_qde(xml_bytes)                               the codebook inside a .qdpx project.qde
"""

from __future__ import annotations

from pathlib import Path

from coder.codebook.model import LANGUAGES, Code, Codebook, CodebookError
from coder.codebook.operations import (
    ImportReport,
    add_code,
    free_key,
    code_counts,
    delete_code,
    import_codebook,
    install_codebook,
    move_code,
    project_codebook,
    rename_code,
    update_code,
)
from coder.codebook.qdc import (
    NAMESPACE as QDC_NAMESPACE,
    codebook_element,
    codebook_from_element,
    codebook_from_qde,
    guid_for_key,
    normalise_guid,
    read_qdc,
    write_qdc,
)
from coder.codebook.yamlformat import read_yaml_codebook, slugify, write_yaml_codebook
from coder.errors import CoderError
from coder.store import Project

YAML_SUFFIXES = (".yaml", ".yml")
QDC_SUFFIXES = (".qdc",)


def starter_codebook_path() -> Path:
    """The survivor-perspectives starter codebook shipped inside the package."""
    return Path(__file__).resolve().parent.parent / "data" / "codebooks" / "survivor-perspectives.yaml"


def load_codebook(path: str | Path) -> Codebook:
    """Load a .yaml/.yml or .qdc codebook; CodebookError lists every problem as FILE:LINE: message."""
    path = Path(path)
    suffix = path.suffix.lower()
    if not path.is_file():
        raise CoderError(f"no codebook file {path}")
    if suffix in YAML_SUFFIXES:
        return read_yaml_codebook(path)
    if suffix in QDC_SUFFIXES:
        return read_qdc(path)
    raise CoderError(f"{path}: codebooks are .yaml, .yml or .qdc files")


def write_codebook(codebook: Codebook, path: str | Path) -> None:
    """Write a codebook as YAML (.yaml/.yml) or REFI-QDA (.qdc), by suffix."""
    path = Path(path)
    suffix = path.suffix.lower()
    if not path.parent.is_dir():
        raise CoderError(f"folder {path.parent} does not exist")
    if suffix not in YAML_SUFFIXES + QDC_SUFFIXES:
        raise CoderError(f"{path}: write the codebook to a .yaml or .qdc file")
    try:
        if suffix in YAML_SUFFIXES:
            write_yaml_codebook(codebook, path, default_guid=guid_for_key)
        else:
            write_qdc(codebook, path)
    except OSError as exc:  # a folder of that name, a full disk, no permission: one line, no traceback
        raise CoderError(f"cannot write {path}: {exc.strerror or exc}") from None


def export_codebook(project: Project, path: str | Path) -> Codebook:
    """Write a project's codebook to a file (.yaml or .qdc), once its examples pass the gate."""
    from coder.gate import check_codebook_examples

    book = project_codebook(project)
    check_codebook_examples(project, book.codes)
    write_codebook(book, path)
    with project.transaction():
        project.audit("codebook.export", Path(path).name, {"codes": len(book.codes)})
    return book


__all__ = [
    "LANGUAGES", "QDC_NAMESPACE", "Code", "Codebook", "CodebookError", "ImportReport", "add_code", "free_key",
    "code_counts", "codebook_element", "codebook_from_element", "codebook_from_qde", "delete_code", "export_codebook",
    "guid_for_key", "import_codebook", "install_codebook", "load_codebook", "move_code",
    "normalise_guid", "project_codebook", "read_qdc", "rename_code", "slugify",
    "starter_codebook_path", "update_code", "write_codebook", "write_qdc",
]
