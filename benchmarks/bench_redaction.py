"""Cost of an irreversible redaction: `coder.review.redact` with and without VACUUM.

    .venv/bin/python benchmarks/bench_redaction.py [--documents 300 3000]

For each size, builds a project of N generated notes of ~3 KB with a name in every tenth note and
codings on every note, then redacts one flag (all occurrences in its note, new flags in the other
notes that share the term). Prints seconds per redaction with VACUUM (the default) and without it,
beside the floor measured in the same run: copying the project file once (VACUUM rewrites the file,
so it cannot be cheaper than one copy).
"""

from __future__ import annotations

import argparse
import hashlib
import random
import shutil
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from coder import coding, review  # noqa: E402
from coder.store import create_project  # noqa: E402

WORDS = (
    "ella dijo que sentía miedo vergüenza culpa nadie le creyó la escuela su mamá denuncia policía "
    "apoyo psicológico amiga contó después fotos mensajes amenazó familia ayuda fundación"
).split()
NAME = "Wenceslao Ixtlahuac"


def note(rng: random.Random, with_name: bool, size: int = 3000) -> str:
    parts, length = [], 0
    while length < size:
        sentence = " ".join(rng.choice(WORDS) for _ in range(rng.randint(6, 18))).capitalize() + ". "
        if with_name and rng.random() < 0.2:
            sentence = f"{NAME} {sentence}"
        parts.append(sentence)
        length += len(sentence)
    if with_name:
        parts.insert(1, f"Habló con {NAME}. ")
    return "".join(parts)


def build(path: Path, n: int) -> list[int]:
    rng = random.Random(n)
    project = create_project(path, country="Mexico", language="es")
    with project.transaction():
        project.upsert_code({"key": "barriers", "labels": {"en": "Barriers"}})
        ids = []
        for i in range(n):
            text = note(rng, with_name=i % 10 == 0)
            ids.append(project.insert_document(
                {"title": f"nota {i}", "sha256": hashlib.sha256(text.encode()).hexdigest(), "text": text}
            ))
    for document_id in ids:
        for start in range(0, 2800, 400):
            coding.add_coding(project, document_id, start, start + 150, "barriers")
    flags = []
    for document_id in ids[::10][:6]:
        text = project.document(document_id)["text"]
        start = text.index(NAME)
        flags.append(review.mark(project, document_id, start, start + len(NAME), "PERSON"))
    project.close()
    return flags


def measure(path: Path, flag_ids: list[int], vacuum: bool) -> float:
    from coder.store import open_project

    project = open_project(path)
    try:
        started = time.perf_counter()
        for flag_id in flag_ids:
            review.redact(project, [flag_id], vacuum=vacuum)
        return (time.perf_counter() - started) / len(flag_ids)
    finally:
        project.close()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--documents", type=int, nargs="+", default=[300, 3000])
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        folder = Path(folder)
        for n in args.documents:
            base = folder / f"base-{n}.coder"
            flag_ids = build(base, n)
            size = base.stat().st_size
            started = time.perf_counter()
            shutil.copyfile(base, folder / "copy.coder")
            copy_floor = time.perf_counter() - started
            results = {}
            for vacuum in (False, True):
                work = folder / f"work-{n}-{vacuum}.coder"
                shutil.copyfile(base, work)
                results[vacuum] = measure(work, flag_ids[:3], vacuum)
            print(
                f"{n} notes ({size / 1e6:.1f} MB): redact {results[True]:.3f} s with VACUUM, "
                f"{results[False]:.3f} s without; floor (one file copy) {copy_floor:.3f} s; "
                f"with/without {results[True] / results[False]:.1f}x, with/floor {results[True] / max(copy_floor, 1e-6):.0f}x"
            )


if __name__ == "__main__":
    main()
