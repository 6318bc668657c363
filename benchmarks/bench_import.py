"""Import speed: `coder.ingest.import_paths` on generated notes against a bare sqlite-utils floor.

    .venv/bin/python benchmarks/bench_import.py [--sizes 1000 10000]

For each size, writes N notes of ~3 KB (multilingual-looking text) to a temporary folder, imports
them into a fresh project without the identifier scan (FTS indexing on, one savepoint per file,
sha256 duplicate check, normalisation, audit rows), and inserts the same texts with a bare
sqlite-utils `insert_all` into a plain table in the same run: the floor. An insert into a table
with FTS5 triggers is printed for reference. Both databases are created beforehand; each timing
runs from opening the database to closing it, so both sides pay for getting their pages into the
database file. Runs alternate between the sides; the best and the median of a few runs are
printed, in wall-clock time and in CPU time (both sides run in this one thread, so CPU time is
the steadier comparison on a busy machine). Target: the import within 3x of the plain floor.
"""

from __future__ import annotations

import argparse
import random
import sys
import tempfile
import time
from pathlib import Path
from statistics import median

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from sqlite_utils import Database  # noqa: E402

from coder.ingest import import_paths  # noqa: E402
from coder.store import create_project, open_project  # noqa: E402

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


def clock() -> tuple[float, float]:
    return time.perf_counter(), time.process_time()


def since(started: tuple[float, float]) -> tuple[float, float]:
    """Wall-clock and CPU seconds since `started`. Both sides run in this one thread, so CPU time
    compares them without the noise of other processes on a shared machine."""
    wall, cpu = clock()
    return wall - started[0], cpu - started[1]


def floor(texts: list[str], folder: Path, *, fts: bool) -> tuple[float, float]:
    # Created beforehand, like the project the import goes into; timed from opening to closing.
    folder.mkdir()
    db = Database(folder / "floor.db")
    db.execute("PRAGMA journal_mode = WAL")
    db["documents"].create({"id": int, "title": str, "text": str}, pk="id")
    if fts:
        db["documents"].enable_fts(["title", "text"], create_triggers=True, tokenize="unicode61 remove_diacritics 2")
    db.close()
    started = clock()
    db = Database(folder / "floor.db")
    db.execute("PRAGMA synchronous = NORMAL")  # as in a project
    db["documents"].insert_all(
        ({"title": f"note {i}", "text": t} for i, t in enumerate(texts)), batch_size=500
    )
    db.close()
    return since(started)


def import_once(notes: Path, folder: Path, size: int, attempt: int) -> tuple[float, float]:
    path = folder / f"bench-{attempt}.coder"
    create_project(path, country="Mexico", language="es", coder="bench").close()
    started = clock()
    project = open_project(path)
    report = import_paths(project, [notes], defaults={})
    project.close()
    elapsed = since(started)
    assert len(report.document_ids) == size and not report.failed, report.summary()
    return elapsed


def run(size: int, repeats: int) -> None:
    rng = random.Random(size)
    texts = [note(rng) for _ in range(size)]
    imported, plain, with_fts = [], [], []
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        notes = folder / "notes"
        notes.mkdir()
        for i, text in enumerate(texts):
            (notes / f"note-{i:05d}.txt").write_text(text, encoding="utf-8")
        # Alternating, so a burst of load from other processes hits both sides alike.
        for attempt in range(repeats):
            plain.append(floor(texts, folder / f"plain-{attempt}", fts=False))
            imported.append(import_once(notes, folder, size, attempt))
            with_fts.append(floor(texts, folder / f"fts-{attempt}", fts=True))
    kb = sum(len(t.encode()) for t in texts) / size / 1024
    print(f"{size:>6} notes of {kb:.1f} KB ({repeats} runs; best / median)")
    for label, runs in (
        ("import_paths (files, FTS, audit)", imported),
        ("floor: insert_all, plain table  ", plain),
        ("floor: insert_all, FTS table    ", with_fts),
    ):
        wall = [w for w, _ in runs]
        print(f"  {label}: {size / min(wall):8.0f} / {size / median(wall):8.0f} notes/s"
              f"  {min(wall):6.2f} / {median(wall):6.2f} s wall  {min(c for _, c in runs):6.2f} s CPU")
    for name, floor_runs in (("plain floor", plain), ("FTS floor  ", with_fts)):
        line = f"  ratio import / {name}:"
        for clock_name, k in (("wall", 0), ("CPU", 1)):
            ours = [r[k] for r in imported]
            theirs = [r[k] for r in floor_runs]
            line += (f"  {clock_name} best {min(ours) / min(theirs):4.2f}x"
                     f" median {median(ours) / median(theirs):4.2f}x")
        print(line + ("  (target <= 3x)" if name.startswith("plain") else ""))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000])
    parser.add_argument("--repeats", type=int, default=5)
    args = parser.parse_args()
    for size in args.sizes:
        run(size, args.repeats)


if __name__ == "__main__":
    main()
