"""Merging country teams' codebooks and projects into one cross-country analysis.

    merge_codebooks(codebooks, threshold=, name=, edited=)   → CodebookMerge (codebook, mapping rows)
    read_mapping(path) / write_mapping(rows, path)            mapping.csv, the crosswalk the lead edits
    merge_projects(sources, output, codebook=, mapping=)      → ProjectMerge (a new project)

Importing this package is cheap (the CLI imports it on every run); the matchers load numpy,
scipy and rapidfuzz only when used.
"""

from __future__ import annotations

from typing import Any

DEFAULT_THRESHOLD = 80.0
# The uncertain band shown to the lead: accepted matches that only just passed, and new codes whose
# best candidate came close (or was taken by a better match).
UNCERTAIN_BELOW = 15.0
UNCERTAIN_ABOVE = 10.0

_EXPORTS = {
    "CodebookMerge": "coder.merge.codebooks",
    "merge_codebooks": "coder.merge.codebooks",
    "MAPPING_COLUMNS": "coder.merge.mapping",
    "MappingRow": "coder.merge.mapping",
    "read_mapping": "coder.merge.mapping",
    "write_mapping": "coder.merge.mapping",
    "ProjectMerge": "coder.merge.projects",
    "merge_projects": "coder.merge.projects",
}

__all__ = ["DEFAULT_THRESHOLD", "UNCERTAIN_ABOVE", "UNCERTAIN_BELOW", *_EXPORTS]


def __getattr__(name: str) -> Any:
    if name in _EXPORTS:
        import importlib

        return getattr(importlib.import_module(_EXPORTS[name]), name)
    raise AttributeError(f"module 'coder.merge' has no attribute {name!r}")
