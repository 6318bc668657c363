"""Build a synthetic held-out set: src/*.txt with inline markup -> notes/*.txt and gold.jsonl.

A src file holds a header of `key: value` lines (id, lang, country, participant, kind), either
before a `---` line or inside a `---` … `---` block, then the note, where each identifier is
written [[TYPE:text]] (or [[TYPE|text]]); TYPE is one of PERSON PLACE SCHOOL ORG CONTACT ID DATE.
Notes are written NFC with LF ends; gold offsets are Python string indices into them, checked
against every span's text. Each set's build.py calls `build` with its own size limits.
"""

from __future__ import annotations

import json
import re
import sys
import unicodedata
from collections import Counter
from pathlib import Path

TYPES = {"PERSON", "PLACE", "SCHOOL", "ORG", "CONTACT", "ID", "DATE"}
MARK = re.compile(r"\[\[([A-Z]+)[:|](.+?)\]\]", re.S)


def parse(path: Path) -> tuple[dict[str, str], str, list[dict]]:
    raw = unicodedata.normalize("NFC", path.read_text(encoding="utf-8").replace("\r\n", "\n"))
    head, body = raw[4:].split("\n---\n", 1) if raw.startswith("---\n") else raw.split("\n---\n", 1)
    meta = {key.strip(): value.strip() for key, _, value in (line.partition(":") for line in head.strip().splitlines())}
    pieces, spans, pos, length = [], [], 0, 0
    for m in MARK.finditer(body):
        kind, text = m.group(1), m.group(2)
        if kind not in TYPES:
            sys.exit(f"{path.name}: unknown type {kind!r}")
        if "[[" in text or "]]" in text:
            sys.exit(f"{path.name}: nested markup near {text[:40]!r}")
        before = body[pos:m.start()]
        pieces.append(before)
        length += len(before)
        spans.append({"start": length, "end": length + len(text), "type": kind, "text": text})
        pieces.append(text)
        length += len(text)
        pos = m.end()
    pieces.append(body[pos:])
    joined = "".join(pieces)
    lead = len(joined) - len(joined.lstrip("\n"))
    note = joined.strip("\n") + "\n"
    for span in spans:
        span["start"] -= lead
        span["end"] -= lead
        assert note[span["start"]:span["end"]] == span["text"], (path.name, span)
        assert span["text"] == span["text"].strip(), (path.name, span)
    if "[[" in note or "]]" in note:
        sys.exit(f"{path.name}: unclosed markup")
    return meta, note, spans


def build(here: Path, *, words: tuple[int, int] | None = None, chars: tuple[int, int] | None = None,
          spans_per_note: tuple[int, int] | None = None) -> None:
    """Write here/notes/*.txt and here/gold.jsonl from here/src/*.txt, checking the limits given."""
    notes_dir = here / "notes"
    notes_dir.mkdir(exist_ok=True)
    for old in notes_dir.glob("*.txt"):
        old.unlink()
    rows = []
    for src in sorted((here / "src").glob("*.txt")):
        meta, note, spans = parse(src)
        note_id = meta.get("id", src.stem)
        if words and not words[0] <= len(note.split()) <= words[1]:
            sys.exit(f"{src.name}: {len(note.split())} words (want {words[0]}-{words[1]})")
        if chars and not chars[0] <= len(note) <= chars[1]:
            print(f"warning: {note_id} is {len(note)} characters (want {chars[0]}-{chars[1]})", file=sys.stderr)
        if spans_per_note and not spans_per_note[0] <= len(spans) <= spans_per_note[1]:
            sys.exit(f"{src.name}: {len(spans)} identifiers (want {spans_per_note[0]}-{spans_per_note[1]})")
        (notes_dir / f"{note_id}.txt").write_text(note, encoding="utf-8", newline="\n")
        rows.append({"id": note_id, "file": f"notes/{note_id}.txt", "lang": meta["lang"], "country": meta["country"],
                     "participant": meta.get("participant", ""), "kind": meta.get("kind", "conversation"),
                     "spans": spans})
    with open(here / "gold.jsonl", "w", encoding="utf-8", newline="\n") as out:
        for row in rows:
            out.write(json.dumps(row, ensure_ascii=False) + "\n")
    counts: dict[str, Counter] = {}
    for row in rows:
        c = counts.setdefault(row["lang"], Counter(notes=0))
        c["notes"] += 1
        c.update(span["type"] for span in row["spans"])
        c["spans"] += len(row["spans"])
    columns = ["notes", "spans", *sorted(TYPES)]
    print("lang    " + " ".join(f"{c:>7}" for c in columns))
    for lang, c in sorted(counts.items()) + [("all", sum(counts.values(), Counter()))]:
        print(f"{lang:<8}" + " ".join(f"{c[k]:>7}" for k in columns))
