#!/usr/bin/env python3
"""Build the held-out synthetic identifier benchmark: src/*.txt (inline markup) -> notes/*.txt + gold.jsonl.

Source format: an optional front matter block (--- / key: value / ---) with id, lang, country,
participant, kind; then the note text, where each identifier is written [[TYPE:text]] (or
[[TYPE|text]], as in the dev corpus). TYPE is one of PERSON PLACE SCHOOL ORG CONTACT ID DATE.
Offsets in gold.jsonl are Python string indices into the NFC, LF note text written to notes/.

usage: python build.py            (rebuild notes/ and gold.jsonl next to this script)
"""
import json
import re
import sys
import unicodedata
from pathlib import Path

HERE = Path(__file__).resolve().parent
TYPES = {"PERSON", "PLACE", "SCHOOL", "ORG", "CONTACT", "ID", "DATE"}
MARK = re.compile(r"\[\[([A-Z]+)[:|](.+?)\]\]", re.S)


def parse(path: Path):
    raw = unicodedata.normalize("NFC", path.read_text(encoding="utf-8").replace("\r\n", "\n"))
    meta = {}
    if raw.startswith("---\n"):
        head, raw = raw[4:].split("\n---\n", 1)
        for line in head.splitlines():
            k, _, v = line.partition(":")
            meta[k.strip()] = v.strip()
    out, spans, pos = [], [], 0
    length = 0
    for m in MARK.finditer(raw):
        typ, text = m.group(1), m.group(2)
        if typ not in TYPES:
            sys.exit(f"{path.name}: unknown type {typ!r}")
        if "[[" in text or "]]" in text:
            sys.exit(f"{path.name}: nested markup near {text[:40]!r}")
        before = raw[pos:m.start()]
        out.append(before); length += len(before)
        spans.append({"start": length, "end": length + len(text), "type": typ, "text": text})
        out.append(text); length += len(text)
        pos = m.end()
    out.append(raw[pos:])
    note = "".join(out).strip("\n") + "\n"
    lead = len("".join(out)) - len("".join(out).lstrip("\n"))
    for sp in spans:
        sp["start"] -= lead; sp["end"] -= lead
        assert note[sp["start"]:sp["end"]] == sp["text"], (path.name, sp)
    if "[[" in note or "]]" in note:
        sys.exit(f"{path.name}: unclosed markup")
    return meta, note, spans


def main():
    notes_dir = HERE / "notes"
    notes_dir.mkdir(exist_ok=True)
    for old in notes_dir.glob("*.txt"):
        old.unlink()
    rows = []
    for src in sorted((HERE / "src").glob("*.txt")):
        meta, note, spans = parse(src)
        nid = meta.get("id", src.stem)
        (notes_dir / f"{nid}.txt").write_text(note, encoding="utf-8", newline="\n")
        rows.append({"id": nid, "file": f"notes/{nid}.txt", "lang": meta["lang"], "country": meta["country"],
                     "participant": meta.get("participant", ""), "kind": meta.get("kind", "conversation"),
                     "spans": spans})
        if not 600 <= len(note) <= 1500:
            print(f"warning: {nid} is {len(note)} characters (want 600-1500)", file=sys.stderr)
    with open(HERE / "gold.jsonl", "w", encoding="utf-8", newline="\n") as f:
        for r in rows:
            f.write(json.dumps(r, ensure_ascii=False) + "\n")
    n = sum(len(r["spans"]) for r in rows)
    print(f"{len(rows)} notes, {n} gold spans -> {HERE / 'gold.jsonl'}")


if __name__ == "__main__":
    main()
