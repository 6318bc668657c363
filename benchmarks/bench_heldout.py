#!/usr/bin/env python3
"""Recall/precision of `coder.identify.detect` on the held-out synthetic notes (benchmarks/heldout-synth/).

Runs the detector note by note (each with the language its gold line names), then scores the flags
with the rule of /work/shared/tools/score_identify.py — imported by path when present, else the
built-in copy below (same rule: a gold identifier is caught only when every character of each of its
non-generic words lies inside some flag; a flag is useful when it overlaps a gold identifier).
Prints figures by language and by type, the missed identifiers (with the words that leaked) and the
false alarms. Targets: recall ≥ 0.97 overall and ≥ 0.95 per language and type, precision ≥ 0.6.

usage: python benchmarks/bench_heldout.py [--folder DIR] [--misses N] [--false-alarms N] [--flags-out FILE]
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import os
import re
import sys
from collections import defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

SCORER = Path("/work/shared/tools/score_identify.py")
TARGET_RECALL, TARGET_GROUP_RECALL, TARGET_PRECISION = 0.97, 0.95, 0.6


def _builtin_scorer():
    """A copy of score_identify.py's rule, for machines without /work/shared."""
    import types

    generic = set("""colonia col barrio vereda calle avenida av jr jirón jiron pasaje asentamiento humano pueblo joven
    sector distrito urbanización urb rruga rr lagjja lagja lagjen lagjes lagjia fshati fshatin strada str bulevardul bd
    sectorul satul raionul ulica ul naselje naselja street st avenue road neighbourhood neighborhood district village
    de del la las los el e i și si y and of the nr no nº br dosar expediente radicado predmet carpeta улица ул село район""".split())

    def required_chars(sp):
        words = list(re.finditer(r"\w+", sp["text"]))
        keep = [m for m in words if m.group().lower() not in generic] or words
        return [sp["start"] + i for m in keep for i in range(m.start(), m.end())]

    def score(gold, flags, by=None, text_of=None):
        groups = defaultdict(lambda: {"gold": 0, "caught": 0, "flags": 0, "useful": 0, "gold_chars": 0, "leaked_chars": 0})
        misses = []
        for name, note in gold.items():
            fl = flags.get(name, [])
            covered = set()
            for s, e, _ in fl:
                covered.update(range(s, e))
            for sp in note["spans"]:
                key = "all" if by is None else (sp["type"] if by == "type" else note[by])
                g = groups[key]
                chars = required_chars(sp)
                missing = [i for i in chars if i not in covered]
                g["gold"] += 1
                g["gold_chars"] += len(chars)
                g["leaked_chars"] += len(missing)
                if not missing:
                    g["caught"] += 1
                else:
                    misses.append((name, sp))
            for s, e, t in fl:
                key = "all" if by is None else (t if by == "type" else note[by])
                g = groups[key]
                g["flags"] += 1
                if any(s < sp["end"] and sp["start"] < e for sp in note["spans"]):
                    g["useful"] += 1
        return groups, misses

    return types.SimpleNamespace(required_chars=required_chars, score=score)


def load_scorer():
    if SCORER.is_file():
        spec = importlib.util.spec_from_file_location("score_identify", SCORER)
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        return module, str(SCORER)
    return _builtin_scorer(), "built-in copy"


def table(title, groups, flag_fail=True):
    print(f"\n{title}")
    print(f"{'group':<10}{'gold':>6}{'caught':>8}{'recall':>8}{'flags':>7}{'useful':>8}{'precision':>10}{'leaked':>8}")
    for key in sorted(groups, key=lambda k: (k == "all", k)):
        g = groups[key]
        r = g["caught"] / g["gold"] if g["gold"] else float("nan")
        p = g["useful"] / g["flags"] if g["flags"] else float("nan")
        need = TARGET_RECALL if key == "all" else TARGET_GROUP_RECALL
        mark = "  <-- below target" if flag_fail and g["gold"] and r < need else ""
        print(f"{key:<10}{g['gold']:>6}{g['caught']:>8}{r:>8.3f}{g['flags']:>7}{g['useful']:>8}{p:>10.3f}"
              f"{g['leaked_chars']:>8}{mark}")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--folder", default=str(Path(__file__).resolve().parent / "heldout-synth"))
    ap.add_argument("--misses", type=int, default=100)
    ap.add_argument("--false-alarms", type=int, default=40)
    ap.add_argument("--flags-out", help="also write the flags as jsonl (the score_identify.py PRED format)")
    a = ap.parse_args()

    from coder.identify import detect

    scorer, source = load_scorer()
    folder = Path(a.folder)
    gold = {}
    for line in open(folder / "gold.jsonl", encoding="utf-8"):
        if line.strip():
            r = json.loads(line)
            gold[os.path.basename(r["file"])] = r
    flags, texts, records = defaultdict(list), {}, []
    for name, note in gold.items():
        text = (folder / note["file"]).read_text(encoding="utf-8")
        texts[name] = text
        for f in detect(text, note["lang"]):
            flags[name].append((f.start, f.end, f.type))
            records.append({"file": note["file"], "start": f.start, "end": f.end, "type": f.type, "text": f.text,
                            "score": f.score, "reason": getattr(f, "reason", "")})
    if a.flags_out:
        with open(a.flags_out, "w", encoding="utf-8") as out:
            for r in records:
                out.write(json.dumps(r, ensure_ascii=False) + "\n")

    print(f"held-out synthetic notes: {len(gold)} notes, {sum(len(n['spans']) for n in gold.values())} identifiers "
          f"(scorer: {source})")
    overall, misses = scorer.score(gold, flags)
    by_lang, _ = scorer.score(gold, flags, by="lang")
    by_type, _ = scorer.score(gold, flags, by="type")
    table("by language", {**by_lang, **overall})
    table("by type (flags counted under the detector's type)", {**by_type, **overall})

    print(f"\nmissed ({len(misses)}; leaked = the required characters no flag covers)")
    for name, sp in misses[: a.misses]:
        covered = set()
        for s, e, _ in flags.get(name, []):
            covered.update(range(s, e))
        text = texts[name]
        leaked = "".join(text[i] if i not in covered else "·" for i in range(sp["start"], sp["end"]))
        print(f"  {gold[name]['lang']:<3}{name:<14}{sp['type']:<8}{sp['text']!r:<40} leaked: {leaked!r}")

    false = []
    for name, note in gold.items():
        for s, e, t in flags.get(name, []):
            if not any(s < sp["end"] and sp["start"] < e for sp in note["spans"]):
                false.append((note["lang"], name, t, texts[name][s:e]))
    print(f"\nfalse alarms ({len(false)})")
    for lang, name, t, text in false[: a.false_alarms]:
        print(f"  {lang:<3}{name:<14}{t:<8}{text!r}")


if __name__ == "__main__":
    main()
