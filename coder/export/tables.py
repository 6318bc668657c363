"""The report as plain tables: CSV (one file per table in a folder) and XLSX (a sheet per table).

Every text cell that a spreadsheet could read as a formula (starting with =, +, -, @, tab or CR)
is prefixed with ' so it stays text.
"""

from __future__ import annotations

import csv
import os
from pathlib import Path
from typing import Any

from coder.export.analysis import Report

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def neutralise(value: Any) -> Any:
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def tables(report: Report) -> dict[str, tuple[list[str], list[list[Any]]]]:
    """Table name → (header, rows). Suppressed counts are the text '<N'; shares are fractions."""
    out: dict[str, tuple[list[str], list[list[Any]]]] = {}
    out["countries"] = (
        ["country", "documents", "participants"],
        [[c, report.count(t["documents"]), report.count(t["participants"])]
         for c, t in report.country_totals.items()],
    )
    theme_keys = {t["key"] for t in report.themes}
    labels = {c["key"]: c["label"] for c in report.codes} | {t["key"]: t["label"] for t in report.themes}
    rows = []
    for key in [t["key"] for t in report.themes] + [c["key"] for c in report.codes if c["key"] not in theme_keys]:
        for country in report.countries:
            cell = report.matrix[key][country]
            share = report.share_value(key, country)
            rows.append([
                "theme" if key in theme_keys else "code", key, labels[key], country,
                report.count(cell["passages"]), report.count(cell["documents"]),
                report.count(cell["participants"]), None if share is None else round(share, 4),
            ])
    out["matrix"] = (
        ["level", "code", "label", "country", "passages", "documents", "participants", "share"], rows
    )
    out["cooccurrence"] = (
        ["theme_a", "theme_b", "overlapping_passages"],
        [[a, b, report.count(n)] for (a, b), n in report.cooccurrence.items()],
    )
    out["tests"] = (
        ["theme", "chi2", "df", "p", "text", "warning"],
        [[k, t.get("statistic"), t.get("df"), t.get("p"), t["text"], t.get("warning", "")]
         for k, t in report.tests.items()],
    )
    if not report.counts_only:
        out["quotes"] = (
            ["theme", "country", "attribution", "text", "translation", "document_id", "start", "end"],
            [[theme, country, q.attribution, q.text, q.translation or "", q.document_id, q.start, q.end]
             for theme, by_country in report.quotes.items()
             for country, quotes in by_country.items() for q in quotes],
        )
    return out


def write_csv(report: Report, folder: Path) -> list[Path]:
    folder.mkdir(mode=0o700, exist_ok=True)
    written = []
    for name, (header, rows) in tables(report).items():
        path = folder / f"{name}.csv"
        with open(path, "w", newline="", encoding="utf-8") as fh:
            writer = csv.writer(fh)
            writer.writerow(header)
            for row in rows:
                writer.writerow(["" if v is None else neutralise(v) for v in row])
        os.chmod(path, 0o600)
        written.append(path)
    return written


def write_xlsx(report: Report, path: Path) -> Path:
    from openpyxl import Workbook
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    def cell(value: Any) -> Any:
        value = neutralise(value)
        # Control characters are not allowed in the XML of a sheet.
        return ILLEGAL_CHARACTERS_RE.sub("", value) if isinstance(value, str) else value

    workbook = Workbook(write_only=True)
    for name, (header, rows) in tables(report).items():
        sheet = workbook.create_sheet(name)
        sheet.append(header)
        for row in rows:
            sheet.append([cell(v) for v in row])
    workbook.save(path)
    os.chmod(path, 0o600)
    return path
