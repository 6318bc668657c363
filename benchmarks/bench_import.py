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

A bare file-to-FTS pipeline (read, decode, hash, executemany, one FTS statement; none of coder's
checks) is printed too: its own ratio to the plain floor is what reading files and indexing them
cost before coder does anything, and it is already near or above 3x.
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


def bare_pipeline(notes: Path, folder: Path, attempt: int) -> tuple[float, float]:
    """The least any importer of these files into a project pays: read, decode, NFC-check and hash
    each file, insert the rows with one executemany, index them with one FTS statement. None of
    coder's checks (encodings, front matter, attributes, duplicates, audit, per-file savepoints).
    Printed to show how much of the ratio is the file reading and the FTS index themselves."""
    import hashlib
    import os
    import unicodedata

    path = folder / f"bare-{attempt}.coder"
    create_project(path, country="Mexico", language="es", coder="bench").close()
    started = clock()
    project = open_project(path)
    rows = []
    for name in sorted(entry.path for entry in os.scandir(notes)):
        with open(name, "rb") as fh:
            data = fh.read()
        text = unicodedata.normalize("NFC", data.decode("utf-8"))
        rows.append((name, "Mexico", "es", name, hashlib.sha256(data).hexdigest(), text, "now"))
    conn = project.db.conn
    with conn:
        conn.execute("DROP TRIGGER documents_ai")
        for first in range(0, len(rows), 2000):  # FTS5 indexes big batches slower than several of 2,000
            conn.executemany(
                "INSERT INTO documents (title, country, language, source, sha256, text, imported_at)"
                " VALUES (?, ?, ?, ?, ?, ?, ?)", rows[first:first + 2000])
            conn.execute("INSERT INTO documents_fts (rowid, title, text)"
                         " SELECT id, title, text FROM documents WHERE id > ?", [first])
    project.close()
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
    imported, plain, with_fts, bare = [], [], [], []
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
            bare.append(bare_pipeline(notes, folder, attempt))
    kb = sum(len(t.encode()) for t in texts) / size / 1024
    print(f"{size:>6} notes of {kb:.1f} KB ({repeats} runs; best / median)")
    for label, runs in (
        ("import_paths (files, FTS, audit)", imported),
        ("floor: insert_all, plain table  ", plain),
        ("floor: insert_all, FTS table    ", with_fts),
        ("bare file-to-FTS pipeline       ", bare),
    ):
        wall = [w for w, _ in runs]
        print(f"  {label}: {size / min(wall):8.0f} / {size / median(wall):8.0f} notes/s"
              f"  {min(wall):6.2f} / {median(wall):6.2f} s wall  {min(c for _, c in runs):6.2f} s CPU")
    for label, ours_runs, name, floor_runs in (
        ("import", imported, "plain floor", plain),
        ("import", imported, "FTS floor  ", with_fts),
        ("bare  ", bare, "plain floor", plain),
    ):
        line = f"  ratio {label} / {name}:"
        for clock_name, k in (("wall", 0), ("CPU", 1)):
            ours = [r[k] for r in ours_runs]
            theirs = [r[k] for r in floor_runs]
            line += (f"  {clock_name} best {min(ours) / min(theirs):4.2f}x"
                     f" median {median(ours) / median(theirs):4.2f}x")
        print(line + ("  (target <= 3x)" if label == "import" and name.startswith("plain") else ""))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000])
    parser.add_argument("--repeats", type=int, default=5)
    args = parser.parse_args()
    for size in args.sizes:
        run(size, args.repeats)


if __name__ == "__main__":
    main()
