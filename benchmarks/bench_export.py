"""Benchmark: 100,000 codings → theme × country matrix + Markdown + XLSX (target: under 5 s).

    .venv/bin/python benchmarks/bench_export.py [--codings N]

Builds a synthetic project (six countries, the starter codebook, 3,000 documents) in a temporary
folder, then times each stage. The floor is the cheapest possible pass over the same codings (one
SQL GROUP BY, measured in the same run), so the ratio says how much the export adds to reading them.
A last stage exports Markdown with quotes (3 per theme and country) through the identifier gate,
when the detector is installed.
"""

from __future__ import annotations

import argparse
import hashlib
import random
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from coder.codebook import install_codebook, starter_codebook_path  # noqa: E402
from coder.export import Filters, build_report, export_project  # noqa: E402
from coder.export.markdown import render  # noqa: E402
from coder.export.tables import write_xlsx  # noqa: E402
from coder.store import create_project, now  # noqa: E402

COUNTRIES = ["Albania", "Bosnia and Herzegovina", "Colombia", "Mexico", "Moldova", "Peru"]
WORDS = ("miedo vergüenza policía escuela familia ayuda denuncia servicio psicóloga abogado "
         "amiga redes mensaje fotos amenaza dinero confianza apoyo").split()


def build(path: Path, n_codings: int, n_documents: int, rng: random.Random):
    project = create_project(path, country="Mexico", language="es", coder="bench")
    install_codebook(project, starter_codebook_path())
    codes = [r for r in project.db.execute("SELECT id, codable FROM codes").fetchall() if r[1]]
    stamp = now()
    with project.transaction():
        doc_ids = []
        for i in range(n_documents):
            text = " ".join(rng.choice(WORDS) for _ in range(400)) + "."
            survey = i % 4 == 0
            doc_ids.append(project.insert_document({
                "title": f"doc {i}", "kind": "survey" if survey else "conversation",
                "country": COUNTRIES[i % len(COUNTRIES)],
                "participant": None if survey else f"P{i % 60}", "language": "es",
                "sha256": hashlib.sha256(f"{i}".encode()).hexdigest(), "text": text,
            }))
        rows = set()
        while len(rows) < n_codings:
            start = rng.randrange(0, 2000)
            rows.add((rng.choice(doc_ids), start, start + rng.randrange(20, 400),
                      rng.choice(codes)[0], rng.choice(("ana", "luis", "bench"))))
        project.db.conn.executemany(
            'INSERT INTO codings (document_id, start, "end", code_id, coder, created, updated) '
            "VALUES (?, ?, ?, ?, ?, ?, ?)",
            [(*r, stamp, stamp) for r in rows],
        )
    return project


def timed(label: str, fn):
    start = time.perf_counter()
    value = fn()
    elapsed = time.perf_counter() - start
    print(f"{label:<44}{elapsed:8.3f} s")
    return value, elapsed


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--codings", type=int, default=100_000)
    parser.add_argument("--documents", type=int, default=3_000)
    args = parser.parse_args()
    rng = random.Random(7)
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        project, built = timed(f"build project ({args.codings:,} codings)",
                               lambda: build(folder / "bench.coder", args.codings, args.documents, rng))
        _, floor = timed("floor: one GROUP BY over the codings", lambda: project.db.execute(
            "SELECT d.country, c.code_id, count(*) FROM codings c JOIN documents d ON d.id = c.document_id "
            "GROUP BY d.country, c.code_id").fetchall())
        report, t_matrix = timed("matrix, co-occurrence, chi-square", lambda: build_report(project, Filters()))
        _, t_md = timed("Markdown", lambda: (folder / "r.md").write_text(render(report)))
        _, t_xlsx = timed("XLSX", lambda: write_xlsx(report, folder / "r.xlsx"))
        total = t_matrix + t_md + t_xlsx
        _, t_cli = timed("export_project md --counts-only (end to end)", lambda: export_project(
            project, fmt="md", output=folder / "e.md", counts_only=True))
        print(f"{'matrix + Markdown + XLSX':<44}{total:8.3f} s   target < 5 s: "
              f"{'PASS' if total < 5 else 'FAIL'}")
        print(f"{'ratio to floor':<44}{total / floor:8.1f} x")
        try:
            _, t_quotes = timed("Markdown with 3 quotes/theme/country (gate)", lambda: export_project(
                project, fmt="md", output=folder / "q.md", quotes_per_country=3))
        except Exception as exc:  # the detector may be missing, or flags may be open
            print(f"{'Markdown with quotes (gate)':<44}   skipped: {exc}")
        project.close()


if __name__ == "__main__":
    main()
