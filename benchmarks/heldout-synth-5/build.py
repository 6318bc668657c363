#!/usr/bin/env python3
"""Build notes/*.txt and gold.jsonl from src/*.txt (inline markup [[TYPE:text]]).

src files: a header of `key: value` lines (id, lang, country, participant, kind), a line `---`,
then the note body. Run from anywhere: python benchmarks/heldout-synth-5/build.py
"""
import json, os, re, sys, unicodedata

HERE = os.path.dirname(os.path.abspath(__file__))
TYPES = {"PERSON", "PLACE", "SCHOOL", "ORG", "CONTACT", "ID", "DATE"}
MARK = re.compile(r"\[\[([A-Z]+):(.+?)\]\]")

def parse(path):
    raw = open(path, encoding="utf-8").read().replace("\r\n", "\n")
    head, body = raw.split("\n---\n", 1)
    meta = dict(l.split(": ", 1) for l in head.strip().splitlines())
    out, spans, pos = [], [], 0
    n = 0
    for m in MARK.finditer(body):
        out.append(body[pos:m.start()]); n += len(body[pos:m.start()])
        typ, text = m.group(1), m.group(2)
        if typ not in TYPES:
            sys.exit(f"{path}: unknown type {typ}")
        spans.append({"start": n, "end": n + len(text), "type": typ, "text": text})
        out.append(text); n += len(text); pos = m.end()
    out.append(body[pos:])
    text = "".join(out).rstrip("\n") + "\n"
    return meta, text, spans

def main():
    src = os.path.join(HERE, "src"); notes = os.path.join(HERE, "notes")
    os.makedirs(notes, exist_ok=True)
    rows = []
    for name in sorted(os.listdir(src)):
        if not name.endswith(".txt"):
            continue
        meta, text, spans = parse(os.path.join(src, name))
        # checks
        assert unicodedata.normalize("NFC", text) == text, f"{name}: not NFC"
        assert "[[" not in text and "]]" not in text, f"{name}: leftover markup"
        assert "\r" not in text
        nw = len(text.split())
        assert 150 <= nw <= 400, f"{name}: {nw} words"
        assert 8 <= len(spans) <= 20, f"{name}: {len(spans)} spans"
        for sp in spans:
            assert text[sp["start"]:sp["end"]] == sp["text"], (name, sp)
            assert sp["text"] == sp["text"].strip(), (name, sp)
        assert meta["id"] + ".txt" == name, name
        with open(os.path.join(notes, name), "w", encoding="utf-8", newline="\n") as f:
            f.write(text)
        rows.append({"id": meta["id"], "file": f"notes/{name}", "lang": meta["lang"], "country": meta["country"],
                     "participant": meta["participant"], "kind": meta["kind"], "spans": spans})
    # re-read check
    for r in rows:
        t = open(os.path.join(HERE, r["file"]), encoding="utf-8").read()
        for sp in r["spans"]:
            assert t[sp["start"]:sp["end"]] == sp["text"]
    with open(os.path.join(HERE, "gold.jsonl"), "w", encoding="utf-8", newline="\n") as f:
        for r in rows:
            f.write(json.dumps(r, ensure_ascii=False) + "\n")
    print(f"{len(rows)} notes, {sum(len(r['spans']) for r in rows)} spans")

if __name__ == "__main__":
    main()
