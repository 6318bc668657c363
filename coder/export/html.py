"""One self-contained, offline HTML file: the matrix as a heatmap, then quotes per theme.

No scripts, no external resources (a Content-Security-Policy forbids loading any); every piece
of project text is escaped.
"""

from __future__ import annotations

from html import escape

from coder.export.analysis import Report

CSS = """
body{font-family:system-ui,-apple-system,"Segoe UI",sans-serif;max-width:70rem;margin:2rem auto;
padding:0 1rem;color:#1d1d1f;line-height:1.45}
table{border-collapse:collapse;margin:1rem 0}
th,td{border:1px solid #ccc;padding:.3rem .6rem;text-align:right;vertical-align:top}
th:first-child,td:first-child{text-align:left}
td.heat{min-width:5rem}
blockquote{margin:.8rem 0 .8rem 1rem;padding-left:.8rem;border-left:3px solid #8a6fbf}
blockquote p{margin:.2rem 0}
.attribution{color:#555}
.translation{color:#355;font-style:italic}
.note{color:#555;font-size:.9rem}
.warning{color:#a33}
"""


def _heat(share: float | None) -> str:
    if share is None:
        return ""
    # White → purple; text turns white on dark cells.
    level = max(0.0, min(1.0, share))
    r, g, b = (round(255 - (255 - c) * level) for c in (91, 44, 143))
    colour = "#fff" if level > 0.55 else "#1d1d1f"
    return f' style="background:#{r:02x}{g:02x}{b:02x};color:{colour}"'


def render(report: Report) -> str:
    e = escape
    out = [
        "<!DOCTYPE html>",
        '<html lang="en"><head><meta charset="utf-8">',
        "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; "
        "style-src 'unsafe-inline'\">",
        '<meta name="referrer" content="no-referrer">',
        f"<title>{e(report.project_name)}: themes across countries</title>",
        f"<style>{CSS}</style></head><body>",
        f"<h1>{e(report.project_name)}: themes across countries</h1>",
    ]
    if report.min_cell:
        out.append(f'<p class="note">Counts below {report.min_cell} are shown as '
                   f"&lt;{report.min_cell}; their shares are not shown.</p>")
    out.append('<p class="note">Participants coded per theme and country; the colour is the share '
               "of the country's participants.</p>")
    out.append("<table><thead><tr><th>Theme</th>"
               + "".join(f"<th>{e(c)}</th>" for c in report.countries) + "<th>Test</th></tr></thead><tbody>")
    for theme in report.themes:
        key = theme["key"]
        cells = []
        for country in report.countries:
            n = report.matrix[key][country]["participants"]
            share = report.share(key, country)
            cells.append(f'<td class="heat"{_heat(report.share_value(key, country))}>'
                         f"{e(report.cell(n))}{' (' + e(share) + ')' if share else ''}</td>")
        test = report.tests.get(key)
        test_html = ""
        if test:
            test_html = e(test["text"])
            if test.get("warning"):
                test_html += f'<br><span class="warning">{e(test["warning"])}</span>'
        out.append(f'<tr><th><a href="#{e(key)}">{e(theme["label"])}</a></th>'
                   + "".join(cells) + f"<td>{test_html}</td></tr>")
    out.append("<tr><th>Participants</th>" + "".join(
        f"<td>{e(report.cell(report.country_totals[c]['participants']))}</td>" for c in report.countries
    ) + "<td></td></tr></tbody></table>")

    for theme in report.themes:
        key = theme["key"]
        out.append(f'<h2 id="{e(key)}">{e(theme["label"])}</h2>')
        out.append("<table><thead><tr><th>Country</th><th>Passages</th><th>Documents</th>"
                   "<th>Participants</th><th>Share</th></tr></thead><tbody>")
        for country in report.countries:
            cell = report.matrix[key][country]
            out.append(
                f"<tr><td>{e(country)}</td><td>{e(report.cell(cell['passages']))}</td>"
                f"<td>{e(report.cell(cell['documents']))}</td>"
                f"<td>{e(report.cell(cell['participants']))}</td>"
                f"<td{_heat(report.share_value(key, country))}>{e(report.share(key, country) or '–')}</td></tr>"
            )
        out.append("</tbody></table>")
        if key in report.tests:
            out.append(f'<p class="note">Chi-square test of independence across countries: '
                       f"{e(report.test_line(key))}.</p>")
        if report.counts_only:
            continue
        for country, quotes in report.quotes.get(key, {}).items():
            if not quotes:
                continue
            out.append(f"<h3>{e(country)}</h3>")
            for quote in quotes:
                paragraphs = "".join(f"<p>{e(p)}</p>" for p in f"“{quote.text}”".split("\n") if p)
                out.append(f"<blockquote>{paragraphs}"
                           f'<p class="attribution">{e(quote.attribution)}</p>'
                           + (f'<p class="translation">{e(quote.translation)}</p>' if quote.translation else "")
                           + "</blockquote>")
        if report.withheld.get(key):
            out.append(f'<p class="note">{report.withheld[key]} further passages are counted but not '
                       "quoted (no consent to quote).</p>")
    if report.cooccurrence:
        labels = {t["key"]: t["label"] for t in report.themes}
        out.append("<h2>Co-occurrence</h2><p class=\"note\">Overlapping coded passages of two themes "
                   "in the same document.</p><table><thead><tr><th>Theme</th><th>Theme</th>"
                   "<th>Overlapping passages</th></tr></thead><tbody>")
        for (a, b), n in report.cooccurrence.items():
            out.append(f"<tr><td>{e(labels[a])}</td><td>{e(labels[b])}</td><td>{e(report.cell(n))}</td></tr>")
        out.append("</tbody></table>")
    out.append("</body></html>")
    return "\n".join(out) + "\n"
