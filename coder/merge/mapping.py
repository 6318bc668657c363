"""mapping.csv: the crosswalk from every source codebook's codes to the merged codebook.

One row per source code. The lead reviews it, edits `merged_key` where the matcher was wrong, and
feeds it back with `--use-mapping`; `coder merge` uses it to remap each country project's codings.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path

from coder.errors import CoderError

MAPPING_COLUMNS = ("source_codebook", "source_key", "source_label", "merged_key", "score", "method")
METHODS = ("key", "fuzzy", "new", "manual")


@dataclass
class MappingRow:
    source_codebook: str
    source_key: str
    source_label: str
    merged_key: str
    score: float
    method: str  # key | fuzzy | new | manual

    def as_csv(self) -> list[str]:
        return [
            self.source_codebook,
            self.source_key,
            self.source_label,
            self.merged_key,
            f"{self.score:.1f}",
            self.method,
        ]


def write_mapping(rows: list[MappingRow], path: str | Path) -> None:
    with open(path, "w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh, lineterminator="\n")
        writer.writerow(MAPPING_COLUMNS)
        for row in rows:
            writer.writerow(row.as_csv())


def read_mapping(path: str | Path) -> list[MappingRow]:
    """Read a (possibly hand-edited) mapping; raises CoderError listing every problem."""
    from coder.codebook.yamlformat import KEY_PATTERN

    path = Path(path)
    if not path.is_file():
        raise CoderError(f"no mapping file {path}")
    # utf-8-sig: spreadsheet programs add a BOM when the lead saves the edited mapping.
    with open(path, encoding="utf-8-sig", newline="") as fh:
        reader = csv.reader(fh)
        header = next(reader, None)
        if header is None or tuple(h.strip() for h in header) != MAPPING_COLUMNS:
            raise CoderError(f"{path.name}: the header must be exactly {','.join(MAPPING_COLUMNS)}")
        rows: list[MappingRow] = []
        problems: list[str] = []
        seen: set[tuple[str, str]] = set()
        for line, record in enumerate(reader, start=2):
            if not any(cell.strip() for cell in record):
                continue
            if len(record) != len(MAPPING_COLUMNS):
                problems.append(f"line {line}: {len(record)} columns, expected {len(MAPPING_COLUMNS)}")
                continue
            source_codebook, source_key, label, merged_key, score, method = (c.strip() for c in record)
            method = method.lower()
            if not source_codebook or not source_key:
                problems.append(f"line {line}: source_codebook and source_key are required")
                continue
            if not merged_key:
                problems.append(f"line {line}: {source_codebook}:{source_key} has no merged_key")
                continue
            if not KEY_PATTERN.match(merged_key):
                problems.append(f"line {line}: merged_key {merged_key!r} is not a code key (a lowercase dotted path)")
                continue
            if method not in METHODS:
                problems.append(f"line {line}: method {method!r} is not one of {', '.join(METHODS)}")
                continue
            try:
                value = float(score) if score else 0.0
            except ValueError:
                problems.append(f"line {line}: score {score!r} is not a number")
                continue
            if (source_codebook, source_key) in seen:
                problems.append(f"line {line}: {source_codebook}:{source_key} appears twice")
                continue
            seen.add((source_codebook, source_key))
            rows.append(MappingRow(source_codebook, source_key, label, merged_key, value, method))
    if problems:
        raise CoderError(f"{path.name} has {len(problems)} problems:\n  " + "\n  ".join(problems))
    return rows


def mapping_by_codebook(rows: list[MappingRow]) -> dict[str, dict[str, str]]:
    """{source codebook name: {source key: merged key}}."""
    out: dict[str, dict[str, str]] = {}
    for row in rows:
        out.setdefault(row.source_codebook, {})[row.source_key] = row.merged_key
    return out
