"""The report as one JSON document (schema `coder-export/1`, described in the README)."""

from __future__ import annotations

import json
from typing import Any

from coder.export.analysis import Report
from coder.store import now

SCHEMA = "coder-export/1"


def to_dict(report: Report) -> dict[str, Any]:
    count = report.count

    def cells(key: str) -> dict[str, Any]:
        return {
            country: {
                "passages": count(c["passages"]), "documents": count(c["documents"]),
                "participants": count(c["participants"]),
                "share": (None if report.share_value(key, country) is None
                          else round(report.share_value(key, country), 4)),
            }
            for country, c in report.matrix[key].items()
        }

    theme_keys = [t["key"] for t in report.themes]
    data: dict[str, Any] = {
        "schema": SCHEMA,
        "project": report.project_name,
        "generated": now(),
        "filters": {
            "codes": report.filters.codes, "countries": report.filters.countries,
            "kind": report.filters.kind,
        },
        "min_cell": report.min_cell,
        "counts_only": report.counts_only,
        "countries": [
            {"name": c, "documents": count(t["documents"]), "participants": count(t["participants"])}
            for c, t in report.country_totals.items()
        ],
        "themes": [
            {"key": t["key"], "label": t["label"], "counts": cells(t["key"]),
             "test": report.tests.get(t["key"])}
            for t in report.themes
        ],
        "codes": [
            {"key": c["key"], "label": c["label"], "parent": c["parent"], "theme": c["theme"],
             "counts": cells(c["key"])}
            for c in report.codes if c["key"] not in theme_keys
        ],
        "cooccurrence": [
            {"themes": [a, b], "overlapping_passages": count(n)} for (a, b), n in report.cooccurrence.items()
        ],
    }
    if not report.counts_only:
        data["quotes"] = {
            theme: {
                country: [
                    {"text": q.text, "translation": q.translation, "attribution": q.attribution,
                     "document_id": q.document_id, "start": q.start, "end": q.end}
                    for q in quotes
                ]
                for country, quotes in by_country.items()
            }
            for theme, by_country in report.quotes.items()
        }
        data["not_quoted_without_consent"] = report.withheld
    return data


def render(report: Report) -> str:
    return json.dumps(to_dict(report), ensure_ascii=False, indent=2) + "\n"
