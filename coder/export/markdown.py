"""Markdown in the report's shape: per theme, a summary table across countries, the test, quotes."""

from __future__ import annotations

import re

from coder.export.analysis import Report

_SPECIAL = re.compile(r"([\\`*_\[\]<>|#])")


def escape(text: str) -> str:
    """Backslash-escape Markdown punctuation so coded text can never become markup or HTML."""
    return _SPECIAL.sub(r"\\\1", text)


def _table(header: list[str], rows: list[list[str]]) -> list[str]:
    lines = ["| " + " | ".join(header) + " |", "|" + "|".join("---" for _ in header) + "|"]
    lines += ["| " + " | ".join(row) + " |" for row in rows]
    return lines


def _count_with_share(report: Report, key: str, country: str) -> str:
    n = report.matrix[key][country]["participants"]
    share = report.share(key, country)
    return report.cell(n) + (f" ({share})" if share else "")


def render(report: Report) -> str:
    out: list[str] = [f"# {escape(report.project_name)}: themes across countries", ""]
    f = report.filters
    scope = []
    if f.codes:
        scope.append("codes " + ", ".join(f.codes))
    if f.countries:
        scope.append("countries " + ", ".join(f.countries))
    if f.kind:
        scope.append(f"{f.kind}s only")
    if scope:
        out += ["Scope: " + escape("; ".join(scope)) + ".", ""]
    if report.min_cell:
        out += [f"Counts below {report.min_cell} are shown as <{report.min_cell} and their shares "
                "are not shown.".replace("<", "\\<"), ""]
    out += ["Participants coded per theme and country (share of the country's participants).", ""]
    header = ["Theme", *[escape(c) for c in report.countries], "Test"]
    rows = [
        [escape(t["label"]), *[_count_with_share(report, t["key"], c) for c in report.countries],
         escape(report.test_line(t["key"]))]
        for t in report.themes
    ]
    out += _table(header, rows)
    totals = [report.cell(report.country_totals[c]["participants"]) for c in report.countries]
    out += ["| *Participants* | " + " | ".join(totals) + " | |", ""]

    for theme in report.themes:
        key = theme["key"]
        out += [f"## {escape(theme['label'])}", ""]
        rows = []
        for country in report.countries:
            cell = report.matrix[key][country]
            rows.append([escape(country), report.cell(cell["passages"]), report.cell(cell["documents"]),
                         report.cell(cell["participants"]), report.share(key, country) or "–"])
        out += _table(["Country", "Passages", "Documents", "Participants", "Share"], rows)
        out.append("")
        # Sub-codes nobody applied are left out here (they stay in csv, xlsx and json).
        children = [c for c in report.codes if c["theme"] == key and c["key"] != key
                    and any(report.matrix[c["key"]][country]["passages"] for country in report.countries)]
        if children:
            out += _table(
                ["Code", *[escape(c) for c in report.countries]],
                [["&nbsp;" * 2 * (c["depth"] - 1) + escape(c["label"]),
                  *[_count_with_share(report, c["key"], country) for country in report.countries]]
                 for c in children],
            )
            out.append("")
        if key in report.tests:
            out += [f"Chi-square test of independence across countries: "
                    f"{escape(report.test_line(key))}.", ""]
        if report.counts_only:
            continue
        for country, quotes in report.quotes.get(key, {}).items():
            if not quotes:
                continue
            out += [f"### {escape(country)}", ""]
            for quote in quotes:
                lines = quote.text.split("\n")
                lines[0] = "“" + lines[0]
                lines[-1] = lines[-1] + "”"
                out += ["> " + escape(line) if line else ">" for line in lines]
                out += ["> " + escape(quote.attribution)]
                if quote.translation:
                    out += [">", "> *Translation:* " + escape(quote.translation).replace("\n", " ")]
                out.append("")
        if report.withheld.get(key):
            out += [f"{report.withheld[key]} further passages are counted but not quoted "
                    "(no consent to quote).", ""]
    if report.cooccurrence:
        labels = {t["key"]: t["label"] for t in report.themes}
        out += ["## Co-occurrence", "", "Overlapping coded passages of two themes in the same document.", ""]
        out += _table(
            ["Theme", "Theme", "Overlapping passages"],
            [[escape(labels[a]), escape(labels[b]), report.cell(n)] for (a, b), n in report.cooccurrence.items()],
        )
        out.append("")
    return "\n".join(out).rstrip() + "\n"
