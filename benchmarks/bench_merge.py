"""Benchmark: merging 6 country codebooks × 300 codes, and 6 projects × 2,000 documents × 20,000 codings.

    .venv/bin/python benchmarks/bench_merge.py [--documents 2000] [--codings 20000] [--keep DIR]

Targets (issue 6): codebook merge under 1 s, project merge under 30 s. Each figure is printed as
wall-clock and CPU time (CPU is the steadier one on a busy machine), with its ratio to a floor
measured in the same run on the same data:
- codebook floor: one rapidfuzz cdist of every source label against the base labels (the least
  fuzzy work any matcher must do);
- project floor: a raw copy of the same documents and codings into a fresh project with bulk
  inserts and no remapping, deduplication or audit.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import random
import shutil
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
from rapidfuzz import fuzz, process

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from coder.codebook import install_codebook  # noqa: E402
from coder.codebook.model import Code, Codebook  # noqa: E402
from coder.merge import merge_codebooks, merge_projects, write_mapping  # noqa: E402
from coder.store import create_project, now, open_project  # noqa: E402

COUNTRIES = [("mexico", "Mexico", "es"), ("colombia", "Colombia", "es"), ("peru", "Peru", "es"),
             ("albania", "Albania", "sq"), ("moldova", "Moldova", "ro"), ("bosnia", "Bosnia and Herzegovina", "bs")]
WORDS = (
    "fear shame guilt trust family school police threat image photo account message friend partner "
    "mother father teacher psychologist lawyer court report support help silence blame control money "
    "gift game chat video camera phone contact stranger abuse violence safety risk platform group "
    "community church doctor clinic shelter hotline advice rights justice delay cost distance language"
).split()


def _label(rng: random.Random, n: int = 3) -> str:
    return " ".join(rng.choice(WORDS) for _ in range(n)).capitalize()


def base_codebook(rng: random.Random, size: int) -> Codebook:
    tops = ["barriers", "services", "recommendations", "disclosure", "offenders", "control", "forms", "prevention"]
    codes = [Code(t, {"en": t.capitalize(), "es": t.capitalize() + "s"}, codable=False) for t in tops]
    i = 0
    while len(codes) < size:
        parent = codes[rng.randrange(len(codes))]
        if parent.key.count(".") >= 2:
            continue
        label = _label(rng)
        codes.append(Code(f"{parent.key}.c{i}", {"en": label, "es": _label(rng)}, parent=parent.key,
                          description=" ".join(rng.choice(WORDS) for _ in range(12))))
        i += 1
    order = {c.key: n for n, c in enumerate(codes)}
    codes.sort(key=lambda c: (c.key.count("."), order[c.key]))
    return Codebook("base", codes=codes, languages=["en", "es"])


def country_codebook(rng: random.Random, base: Codebook, name: str, lang: str) -> Codebook:
    """About 70% kept (relabelled in the team's language), 20% renamed and reworded, 10% replaced."""
    codes: list[Code] = []
    renamed: dict[str, str] = {}
    for code in base.codes:
        roll = rng.random()
        parent = renamed.get(code.parent, code.parent) if code.parent else None
        labels = {**code.labels, lang: _label(rng)}
        if code.parent is None or roll < 0.7:
            codes.append(Code(code.key, labels, parent=parent, description=code.description, codable=code.codable))
            renamed[code.key] = code.key
        elif roll < 0.9:
            words = code.labels["en"].split()
            words.insert(rng.randrange(len(words) + 1), rng.choice(WORDS))
            key = f"{code.key}-{name}"
            codes.append(Code(key, {**labels, "en": " ".join(words)}, parent=parent, description=code.description))
            renamed[code.key] = key
        else:
            key = f"{parent}.local-{name}-{len(codes)}"
            codes.append(Code(key, {"en": _label(rng, 4), lang: _label(rng)}, parent=parent,
                              description=" ".join(rng.choice(WORDS) for _ in range(12))))
            renamed[code.key] = key
    return Codebook(name, codes=codes, languages=["en", lang])


def make_project(rng: random.Random, path: Path, country: str, lang: str, book: Codebook,
                 documents: int, codings: int, shared_texts: list[str]) -> None:
    project = create_project(path, country=country, language=lang)
    install_codebook(project, book)
    code_ids = [r[0] for r in project.db.execute("SELECT id FROM codes WHERE codable = 1")]
    stamp = now()
    with project.transaction():
        docs, texts = [], []
        for i in range(documents):
            text = shared_texts[i] if i < len(shared_texts) else " ".join(rng.choice(WORDS) for _ in range(250))
            texts.append(text)
            docs.append((i + 1, f"{path.stem} note {i}", country, lang, f"P{i % 300:03d}", "fac",
                         hashlib.sha256(text.encode()).hexdigest(), text, json.dumps({"age": 16 + i % 8}), stamp))
        project.db.conn.executemany(
            "INSERT INTO documents (id, title, country, language, participant, facilitator, sha256, text, "
            "attributes, imported_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", docs)
        rows = set()
        while len(rows) < codings:
            d = rng.randrange(documents)
            start = rng.randrange(len(texts[d]) - 60)
            rows.add((d + 1, start, start + rng.randrange(5, 60), rng.choice(code_ids), f"{path.stem}-coder{rng.randrange(3)}"))
        project.db.conn.executemany(
            'INSERT INTO codings (document_id, start, "end", code_id, coder, created, updated) '
            "VALUES (?, ?, ?, ?, ?, ?, ?)", [(*r, stamp, stamp) for r in sorted(rows)])
        # Real projects log every coding in the audit trail, which the merge carries over.
        project.db.conn.executemany(
            "INSERT INTO audit (at, who, action, target, details) VALUES (?, ?, 'coding.add', ?, ?)",
            [(stamp, r[4], f"coding:{n + 1}", json.dumps({"document": r[0], "start": r[1], "end": r[2]}))
             for n, r in enumerate(sorted(rows))])
        project.db.conn.executemany(
            "INSERT INTO memos (document_id, text, author, created, updated) VALUES (?, ?, ?, ?, ?)",
            [(rng.randrange(documents) + 1, _label(rng, 8), "lead", stamp, stamp) for _ in range(200)])
        project.db.conn.executemany(
            'INSERT INTO flags (document_id, start, "end", type, status, origin, created) VALUES (?, ?, ?, ?, ?, ?, ?)',
            [(rng.randrange(documents) + 1, s, s + 6, "PERSON", rng.choice(["open", "dismissed", "redacted"]),
              "detector", stamp) for s in range(0, 300)])
    project.close()


def raw_copy(sources: list[Path], output: Path) -> None:
    """The floor: the same rows copied into a fresh project with bulk inserts, nothing else."""
    out = create_project(output)
    out.db.execute("PRAGMA foreign_keys = OFF")
    next_id = 1
    for path in sources:
        src = open_project(path, readonly=True)
        with out.transaction():
            ids = {}
            rows = []
            for row in src.db.execute("SELECT id, title, sha256, text, imported_at FROM documents ORDER BY id"):
                ids[row[0]] = next_id
                rows.append((next_id, row[1], f"{path.stem}-{row[2]}", row[3], row[4]))
                next_id += 1
            out.db.conn.executemany(
                "INSERT INTO documents (id, title, sha256, text, imported_at) VALUES (?, ?, ?, ?, ?)", rows)
            out.db.conn.executemany(
                'INSERT OR IGNORE INTO codings (document_id, start, "end", code_id, coder, created, updated) '
                "VALUES (?, ?, ?, ?, ?, ?, ?)",
                [(ids[r[0]], *r[1:]) for r in src.db.execute(
                    'SELECT document_id, start, "end", code_id, coder, created, updated FROM codings ORDER BY id')])
        src.close()
    out.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--codes", type=int, default=300)
    parser.add_argument("--documents", type=int, default=2000)
    parser.add_argument("--codings", type=int, default=20000)
    parser.add_argument("--keep", type=Path, help="Build the projects in this folder and keep them.")
    args = parser.parse_args()
    rng = random.Random(6)
    base = base_codebook(rng, args.codes)
    books = [country_codebook(rng, base, name, lang) for name, _, lang in COUNTRIES]

    # -- codebook merge ----------------------------------------------------------------------------
    start = time.perf_counter()
    for book in books[1:]:
        process.cdist([c.labels["en"] for c in book.codes], [c.labels["en"] for c in books[0].codes],
                      scorer=fuzz.token_sort_ratio, dtype=np.float64)
    floor = time.perf_counter() - start
    times, cpu_times = [], []
    for _ in range(3):
        start, cpu = time.perf_counter(), time.process_time()
        result = merge_codebooks(books, name="merged")
        times.append(time.perf_counter() - start)
        cpu_times.append(time.process_time() - cpu)
    elapsed = min(times)
    methods: dict[str, int] = {}
    for row in result.rows:
        methods[row.method] = methods.get(row.method, 0) + 1
    print(f"codebook merge: {len(books)} codebooks x {args.codes} codes -> {len(result.codebook.codes)} codes, "
          f"mapping {methods}")
    print(f"  {elapsed:.3f} s wall, {min(cpu_times):.3f} s CPU (target < 1 s)   floor {floor:.3f} s   "
          f"ratio {elapsed / floor:.1f}x")

    # -- project merge -----------------------------------------------------------------------------
    folder = args.keep or Path(tempfile.mkdtemp(prefix="bench-merge-"))
    folder.mkdir(parents=True, exist_ok=True)
    try:
        shared = [" ".join(rng.choice(WORDS) for _ in range(250)) for _ in range(50)]
        sources = []
        start = time.perf_counter()
        for (name, country, lang), book in zip(COUNTRIES, books):
            path = folder / f"{name}.coder"
            path.unlink(missing_ok=True)
            make_project(rng, path, country, lang, book, args.documents, args.codings, shared)
            sources.append(path)
        print(f"generated {len(sources)} projects x {args.documents} documents x {args.codings} codings "
              f"in {time.perf_counter() - start:.1f} s")
        from coder.codebook import write_codebook

        write_codebook(result.codebook, folder / "merged.yaml")
        write_mapping(result.rows, folder / "mapping.csv")
        for name in ("floor.coder", "ALL.coder"):
            (folder / name).unlink(missing_ok=True)
        start = time.perf_counter()
        raw_copy(sources, folder / "floor.coder")
        floor = time.perf_counter() - start
        start, cpu = time.perf_counter(), time.process_time()
        merged = merge_projects(sources, folder / "ALL.coder", codebook=folder / "merged.yaml",
                                mapping=folder / "mapping.csv")
        elapsed, cpu = time.perf_counter() - start, time.process_time() - cpu
        t = merged.totals
        print(f"project merge: {t['documents']} documents, {t['codings']} codings, {t['memos']} memos, "
              f"{t['flags']} flags, {sum(s.counts['audit_new'] for s in merged.sources)} audit rows")
        print(f"  {elapsed:.2f} s wall, {cpu:.2f} s CPU (target < 30 s)   floor (raw copy) {floor:.2f} s   "
              f"ratio {elapsed / floor:.1f}x")
    finally:
        if args.keep is None:
            shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
