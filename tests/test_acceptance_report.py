"""Real material: the "Survivors' Perspectives" report's own quotes, coded with the starter codebook
and exported to Markdown, come back under the same theme and country with the report's attribution."""

from __future__ import annotations

import hashlib
import json
import re
from pathlib import Path

import pytest

from coder import coding as coding_ops
from coder.codebook import install_codebook, starter_codebook_path
from coder.export import export_project
from coder.review import dismiss, open_flags, scan_documents
from coder.store import create_project
from coder.textnorm import normalise

SHARED = Path(__file__).resolve().parents[1].parent / "shared"
QUOTES = SHARED / "corpus" / "seed-report" / "quotes.jsonl"
REPORT = SHARED / "seed" / "survivors-perspectives-report.txt"

# The report's section (as in quotes.jsonl) → the starter-codebook code a coder would apply.
SECTION_CODES = {
    "Executive summary > Key findings > Gender": "forms.gender-age",
    "Executive summary > Key findings > Offenders": "offenders",
    "Executive summary > Key findings > Silence as complicity": "offenders.silence-complicity",
    "Executive summary > Key findings > Disclosures and formal reporting": "disclosure",
    "Executive summary > Key findings > Support Services": "services",
    "Executive summary > Key findings > Prevention": "prevention",
    "Findings > Characteristics of survivors and workers > Survivors": "services",
    "Findings > Characteristics of survivors and workers > Frontline support workers": "services",
    "Findings > Child sexual exploitation and abuse online > Forms of child sexual exploitation and abuse online": "forms",
    "Findings > Child sexual exploitation and abuse online > Gender and age trends": "forms.gender-age",
    "Findings > Child sexual exploitation and abuse online > Silence as complicity": "offenders.silence-complicity",
    "Findings > Child sexual exploitation and abuse online > Facilitators": "offenders.facilitators",
    "Findings > Child sexual exploitation and abuse online > Insights from the frontline workers about offenders": "offenders",
    "Findings > Child sexual exploitation and abuse online > Mechanisms of control used by offenders": "control",
    "Findings > Disclosures and formal reporting > Institutional attitudes are a barrier to disclosure": "barriers.institutional-attitudes",
    "Findings > Disclosures and formal reporting > Fear, shame and guilt are barriers to disclosure": "barriers.fear-shame-guilt",
    "Findings > Disclosures and formal reporting > Awareness of mechanisms for reporting": "disclosure.reporting-mechanisms",
    "Findings > Disclosures and formal reporting > Accessibility and effectiveness of reporting mechanisms": "disclosure.reporting-mechanisms",
    "Findings > Disclosures and formal reporting > According to the survivors: Disclosure in Colombia": "disclosure",
    "Findings > Support services > Psychological support services": "services.psychological",
    "Findings > Support services > Psychological support services > According to the survivors: Psychological Evaluations in Peru": "services.psychological",
    "Findings > Support services > Legal support services": "services.legal",
    "Findings > Support services > Medical support services": "services.medical",
    "Findings > Support services > Knowledge amongst frontline workers": "services.frontline-knowledge",
    "Findings > Support services > Awareness of support services": "services.awareness",
    "Findings > Support services > Other supports": "services.other",
    "Findings > Prevention": "prevention",
}

ATTRIBUTION = re.compile(
    r"\((?:Conversations’ Participant (?P<n1>\d+), (?P<c1>[^)]+?)"
    r"|Survey Respondent (?:from|in) (?P<c2>[^)]+?)"
    r"|Participant (?P<n3>\d+), (?P<c3>[^)]+?))\)"
)


def report_attribution(lines: list[str], row: dict) -> tuple[str, str, str]:
    """(kind, participant number, country) from the attribution printed after the quote."""
    window = " ".join(lines[row["line"] - 1:row["line"] + 40])
    tail = row["text"][-12:]
    after = window.find(tail)
    m = ATTRIBUTION.search(window, after + len(tail) if after >= 0 else 0)
    assert m, f"no attribution after line {row['line']}"
    if m["c2"]:
        return "survey", "", m["c2"]
    return "conversation", m["n1"] or m["n3"], m["c1"] or m["c3"]


def parse_markdown(text: str) -> set[tuple[str, str, str, str]]:
    """{(theme heading, country heading, quote text, attribution)} from the exported Markdown."""
    found = set()
    unescape = lambda s: re.sub(r"\\(.)", r"\1", s)  # noqa: E731
    theme = country = None
    block: list[str] = []

    def flush() -> None:
        if block and theme and country:
            quote = "\n".join(block[:-1])
            found.add((theme, country, quote.removeprefix("“").removesuffix("”"), block[-1]))
        block.clear()

    for line in text.splitlines():
        if line.startswith("## "):
            flush()
            theme, country = unescape(line[3:]), None
        elif line.startswith("### "):
            flush()
            country = unescape(line[4:])
        elif line.startswith("> ") or line == ">":
            block.append(unescape(line[2:]))
        else:
            flush()
    flush()
    return found


@pytest.fixture(scope="module")
def exported(tmp_path_factory):
    assert QUOTES.exists() and REPORT.exists(), f"shared material missing under {SHARED}"
    rows = [json.loads(line) for line in QUOTES.read_text(encoding="utf-8").splitlines() if line.strip()]
    folder = tmp_path_factory.mktemp("acceptance")
    project = create_project(folder / "report.coder", language="en", coder="lead")
    install_codebook(project, starter_codebook_path())
    ids: dict[str, int] = {}
    with project.transaction():
        for row in rows:
            text = normalise(row["text"])
            if text in ids:
                continue  # the executive summary repeats some Findings quotes word for word
            ids[text] = project.insert_document({
                "title": f"quote {row['n']}", "kind": row["source"], "country": row["country"],
                "participant": f"P{row['participant']}" if row["participant"] else None,
                "language": "en", "sha256": hashlib.sha256(text.encode()).hexdigest(), "text": text,
            })
    for row in rows:
        text = normalise(row["text"])
        coding_ops.add_coding(project, ids[text], 0, len(text), SECTION_CODES[row["section"]])
    scan_documents(project)
    flagged = [f["id"] for f in open_flags(project)]
    if flagged:  # a reviewer has read every quote: the report already published them
        dismiss(project, flagged)
    out = folder / "report.md"
    export_project(project, fmt="md", output=out)
    labels = {c["key"]: project.label(c, "en") for c in project.codes()}
    parents = {c["key"]: c["parent"] for c in project.codes()}
    project.close()
    return rows, out.read_text(encoding="utf-8"), labels, parents


def theme_of(key: str, parents: dict[str, str | None]) -> str:
    while parents[key]:
        key = parents[key]
    return key


def test_every_section_has_a_starter_code(exported):
    rows, _, labels, _ = exported
    assert {r["section"] for r in rows} <= set(SECTION_CODES)
    assert set(SECTION_CODES.values()) <= set(labels)


def test_every_quote_is_under_its_theme_and_country_with_the_reports_attribution(exported):
    rows, markdown, labels, parents = exported
    found = parse_markdown(markdown)
    lines = REPORT.read_text(encoding="utf-8").splitlines()
    missing = []
    for row in rows:
        kind, number, country = report_attribution(lines, row)
        assert (kind, number, country) == (row["source"], row["participant"], row["country"]), row["n"]
        attribution = (f"(Conversations’ Participant {number}, {country})" if kind == "conversation"
                       else f"(Survey Respondent from {country})")
        theme = labels[theme_of(SECTION_CODES[row["section"]], parents)]
        if (theme, country, normalise(row["text"]), attribution) not in found:
            missing.append(row["n"])
    assert missing == []
    assert len({(t, c, q) for t, c, q, _ in found}) == len(
        {(labels[theme_of(SECTION_CODES[r["section"]], parents)], r["country"], normalise(r["text"])) for r in rows}
    )


def test_standard_attribution_lines_are_reproduced_exactly(exported):
    rows, markdown, _, _ = exported
    lines = REPORT.read_text(encoding="utf-8").splitlines()
    standard = [l.strip() for l in lines if re.fullmatch(
        r"\((Conversations’ Participant \d+, [^)]+|Survey Respondent from [^)]+)\)\d*", l.strip())]
    assert len(standard) > 100
    exported_attributions = {l[2:] for l in markdown.splitlines() if l.startswith("> (")}
    for line in standard:
        assert re.sub(r"\)\d+$", ")", line) in exported_attributions
