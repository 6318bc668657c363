"""Benchmark: the coding TUI, headless (Textual Pilot), on 5,000 documents and 50,000 codings.

    .venv/bin/python benchmarks/bench_tui.py [--documents 5000] [--codings 50000] [--repeat 5]

Builds a synthetic project in a temporary folder (one document of 20 KB, the rest 1–4 KB), then
times, as medians over --repeat runs:

- first paint of the documents screen: from creating the app to the table filled and painted;
- opening the 20 KB document in the reader (painted; sentence splitting runs in a thread and is
  timed separately). The reader screen is mounted once, by the first document opened (timed as
  "open first doc"), and reused after that;
- applying a code through the reader (write committed, marks redrawn, painted);
- a full-text search on the search screen (results listed and painted).

Targets: first paint under 1 s, the others under 100 ms. Each figure is printed beside a floor
measured in the same run — the same step on a one-document project, or a bare repaint — and the
ratio between the two.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("CODER_NAME", "bench")

from coder.store import create_project, now  # noqa: E402
from coder.tui import create_app  # noqa: E402
from coder.tui.dialogs import PickedCode  # noqa: E402

WORDS = (
    "miedo vergüenza policía escuela familia ayuda denuncia servicio psicóloga abogado amiga redes "
    "mensaje fotos amenaza dinero confianza apoyo fiscalía nadie creyó madre hermana juez proceso"
).split()
SIZE = (120, 40)


def sentence(rng: random.Random) -> str:
    words = [rng.choice(WORDS) for _ in range(rng.randint(6, 18))]
    return words[0].capitalize() + " " + " ".join(words[1:]) + "."


def note(rng: random.Random, chars: int) -> str:
    paragraphs, length = [], 0
    while length < chars:
        p = " ".join(sentence(rng) for _ in range(rng.randint(3, 7)))
        paragraphs.append(p)
        length += len(p) + 2
    return "\n\n".join(paragraphs)[:chars].rstrip() + "."


def build(path: Path, n_documents: int, n_codings: int, rng: random.Random) -> int:
    """Returns the id of the 20 KB document."""
    project = create_project(path, country="Mexico", language="es", coder="bench")
    stamp = now()
    with project.transaction():
        for i, top in enumerate(("barriers", "services", "recommendations", "disclosure", "control")):
            project.upsert_code({"key": top, "labels": {"en": top.title()}, "codable": False, "position": i * 10})
            for j in range(8):
                project.upsert_code(
                    {"key": f"{top}.code-{j}", "parent": top, "labels": {"en": f"{top.title()} {j}", "es": f"{top} {j}"},
                     "position": i * 10 + j + 1}
                )
        code_ids = [r[0] for r in project.db.execute("SELECT id FROM codes WHERE codable = 1")]
        lengths = {}
        big_id = None
        for i in range(n_documents):
            chars = 20_000 if i == n_documents // 2 else rng.randint(1_000, 4_000)
            text = note(rng, chars)
            doc_id = project.insert_document(
                {"title": f"P{i:04d} conversation", "kind": "conversation", "country": "Mexico", "language": "es",
                 "participant": f"P{i:04d}", "sha256": f"{i:064x}", "text": text}
            )
            lengths[doc_id] = len(text)
            if chars == 20_000:
                big_id = doc_id
        doc_ids = list(lengths)
        rows = []
        for _ in range(n_codings):
            doc_id = rng.choice(doc_ids)
            start = rng.randrange(0, lengths[doc_id] - 200)
            rows.append((doc_id, start, start + rng.randint(20, 200), rng.choice(code_ids), "bench", stamp, stamp))
        project.db.conn.executemany(
            'INSERT OR IGNORE INTO codings (document_id, start, "end", code_id, coder, created, updated) '
            "VALUES (?, ?, ?, ?, ?, ?, ?)",
            rows,
        )
    project.close()
    return big_id


def build_floor(path: Path, rng: random.Random) -> int:
    project = create_project(path, country="Mexico", language="es", coder="bench")
    with project.transaction():
        project.upsert_code({"key": "barriers", "labels": {"en": "Barriers"}})
        doc_id = project.insert_document(
            {"title": "P0000 conversation", "country": "Mexico", "language": "es", "participant": "P0000",
             "sha256": "0", "text": note(rng, 300)}
        )
    project.close()
    return doc_id


async def painted(app) -> None:
    """Wait until the screen has been refreshed (painted) after what was just done."""
    done = asyncio.get_running_loop().create_future()
    app.screen.call_after_refresh(lambda: done.done() or done.set_result(None))
    await done


async def measure(path: Path, doc_id: int, query: str) -> dict[str, float]:
    """One run: each step timed until the screen has been painted after it."""
    out: dict[str, float] = {}
    t0 = time.perf_counter()
    app = create_app(path)
    async with app.run_test(size=SIZE) as pilot:
        await painted(app)
        assert app.screen.query_one("#documents").row_count > 0
        out["first paint"] = time.perf_counter() - t0
        await pilot.pause()

        # The first document opened mounts the reader screen; later ones reuse it.
        first_id = app.project.db.execute("SELECT min(id) FROM documents").fetchone()[0]
        t0 = time.perf_counter()
        await app.open_document(first_id)
        await painted(app)
        out["open first doc"] = time.perf_counter() - t0
        await pilot.pause()
        app.pop_screen()
        await pilot.pause()

        t0 = time.perf_counter()
        pending = app.open_document(doc_id)
        if pending is not None:
            await pending
        await painted(app)
        reader = app.screen
        assert reader.document_id == doc_id
        out["open document"] = time.perf_counter() - t0
        while not reader.sentences_ready:
            await asyncio.sleep(0.002)
        out["sentences ready"] = time.perf_counter() - t0
        await pilot.pause()

        code_key = app.project.db.execute("SELECT key FROM codes WHERE codable = 1 LIMIT 1").fetchone()[0]
        text_area = reader.query_one("CodedText")
        start = len(text_area.source_text) // 2
        t0 = time.perf_counter()
        reader._apply(PickedCode(key=code_key), start, start + 40)
        await painted(app)
        out["apply code"] = time.perf_counter() - t0
        await pilot.pause()

        t0 = time.perf_counter()
        app.screen.refresh()
        await painted(app)
        out["repaint"] = time.perf_counter() - t0

        app.action_search()
        await pilot.pause()
        t0 = time.perf_counter()
        app.screen.run_search(query)
        await painted(app)
        assert app.screen.hits
        out["search"] = time.perf_counter() - t0
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--documents", type=int, default=5000)
    parser.add_argument("--codings", type=int, default=50000)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    rng = random.Random(5)
    with tempfile.TemporaryDirectory() as folder:
        folder = Path(folder)
        t0 = time.perf_counter()
        big_id = build(folder / "bench.coder", args.documents, args.codings, rng)
        floor_id = build_floor(folder / "floor.coder", rng)
        print(f"built {args.documents} documents, {args.codings} codings in {time.perf_counter() - t0:.1f} s")
        load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
        print(f"load average {load:.1f} on {os.cpu_count()} CPUs (figures scale with it)")
        asyncio.run(measure(folder / "floor.coder", floor_id, "miedo"))  # warm imports and spaCy
        runs, floors = [], []
        for _ in range(args.repeat):
            runs.append(asyncio.run(measure(folder / "bench.coder", big_id, "miedo fiscalía")))
            floors.append(asyncio.run(measure(folder / "floor.coder", floor_id, "miedo")))
    targets = {"first paint": 1.0, "open first doc": None, "open document": 0.1, "apply code": 0.1, "search": 0.1, "sentences ready": None}
    print(f"{'step':<18}{'median':>10}{'floor':>10}{'ratio':>8}{'target':>10}")
    for step, target in targets.items():
        median = statistics.median(r[step] for r in runs)
        floor = statistics.median(f[step] for f in floors)
        verdict = "" if target is None else ("  ok" if median < target else "  SLOW")
        target_text = "—" if target is None else f"{target * 1000:.0f} ms"
        print(f"{step:<18}{median * 1000:>8.1f}ms{floor * 1000:>8.1f}ms{median / floor:>7.1f}x{target_text:>10}{verdict}")
    repaint = statistics.median(r["repaint"] for r in runs)
    print(f"(a bare repaint takes {repaint * 1000:.1f} ms; floors are the same steps on a one-document project)")


if __name__ == "__main__":
    main()
