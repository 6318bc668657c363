"""Import speed: `coder.ingest.import_paths` on generated notes against a bare sqlite-utils floor.

    .venv/bin/python benchmarks/bench_import.py [--sizes 1000 10000]

For each size, writes N notes of ~3 KB (multilingual-looking text) to a temporary folder, imports
them into a fresh project without the identifier scan, and inserts the same texts with a bare
sqlite-utils `insert_all` in the same run, into a plain table and into a table with FTS5
triggers (best of a few runs each). Prints notes/s and the ratio to each floor. Target: within
3x of the floor with FTS indexing on (the plain-table ratio is printed too).
"""

from __future__ import annotations

import argparse
import random
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from sqlite_utils import Database  # noqa: E402

from coder.ingest import import_paths  # noqa: E402
from coder.store import create_project  # noqa: E402

WORDS = {
    "es": "ella dijo que sentía miedo vergüenza culpa nadie le creyó la escuela su mamá denuncia policía "
    "apoyo psicológico amiga contó después fotos mensajes amenazó familia ayuda fundación".split(),
    "sq": "ajo tha se kishte frikë turp familja shkolla policia ndihmë psikologe shoqja mesazhe fotot "
    "kërcënoi prindërit qendra këshillim rekomandim të rinjtë".split(),
    "ro": "ea a spus că îi era frică rușine familia școala poliția sprijin psihologic prietena mesaje "
    "pozele amenințat părinții centrul consiliere recomandare tinerii".split(),
    "bs": "rekla je da se plašila stid porodica škola policija podrška psiholog drugarica poruke "
    "slike prijetio roditelji centar savjetovanje preporuka mladi čuo će".split(),
    "en": "she said she felt afraid ashamed guilty nobody believed her school mother report police "
    "support counsellor friend told later pictures messages threatened family help".split(),
}


def note(rng: random.Random, size: int = 3000) -> str:
    lang = rng.choice(list(WORDS))
    words = WORDS[lang]
    parts, length = [f"Notes – P{rng.randint(1, 99):02d} ({lang})\n\n"], 0
    while length < size:
        sentence = " ".join(rng.choice(words) for _ in range(rng.randint(6, 18))).capitalize() + ". "
        if rng.random() < 0.15:
            sentence += "\n\n"
        parts.append(sentence)
        length += len(sentence)
    return "".join(parts)


def floor(texts: list[str], folder: Path, *, fts: bool) -> float:
    folder.mkdir()
    db = Database(folder / "floor.db")
    db.execute("PRAGMA journal_mode = WAL")
    db.execute("PRAGMA synchronous = NORMAL")
    db["documents"].create({"id": int, "title": str, "text": str}, pk="id")
    if fts:
        db["documents"].enable_fts(["title", "text"], create_triggers=True, tokenize="unicode61 remove_diacritics 2")
    started = time.perf_counter()
    db["documents"].insert_all(
        ({"title": f"note {i}", "text": t} for i, t in enumerate(texts)), batch_size=500
    )
    elapsed = time.perf_counter() - started
    db.close()
    return elapsed


def import_once(notes: Path, folder: Path, size: int, attempt: int) -> float:
    project = create_project(folder / f"bench-{attempt}.coder", country="Mexico", language="es", coder="bench")
    started = time.perf_counter()
    report = import_paths(project, [notes], defaults={})
    elapsed = time.perf_counter() - started
    project.close()
    assert len(report.document_ids) == size and not report.failed, report.summary()
    return elapsed


def best_of(repeats: int, measure) -> float:
    # The best of a few runs: other processes on a shared machine only ever add time.
    return min(measure(i) for i in range(repeats))


def run(size: int, repeats: int) -> None:
    rng = random.Random(size)
    texts = [note(rng) for _ in range(size)]
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        notes = folder / "notes"
        notes.mkdir()
        for i, text in enumerate(texts):
            (notes / f"note-{i:05d}.txt").write_text(text, encoding="utf-8")
        imported = best_of(repeats, lambda i: import_once(notes, folder, size, i))
        plain = best_of(repeats, lambda i: floor(texts, folder / f"plain-{i}", fts=False))
        with_fts = best_of(repeats, lambda i: floor(texts, folder / f"fts-{i}", fts=True))
    kb = sum(len(t.encode()) for t in texts) / size / 1024
    print(f"{size:>6} notes of {kb:.1f} KB (best of {repeats})")
    print(f"  import_paths (files, FTS, audit): {size / imported:8.0f} notes/s  {imported:6.2f} s")
    print(f"  floor: insert_all, plain table  : {size / plain:8.0f} notes/s  {plain:6.2f} s"
          f"  ratio {imported / plain:4.2f}x")
    print(f"  floor: insert_all, FTS table    : {size / with_fts:8.0f} notes/s  {with_fts:6.2f} s"
          f"  ratio {imported / with_fts:4.2f}x (target <= 3x)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000])
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args()
    for size in args.sizes:
        run(size, args.repeats)


if __name__ == "__main__":
    main()
